"""Builds data/history.json: the winners of the speed race 1927-1957 and the story points a
fan looks for, each with its source. Run: python3 tools/history_data.py

Winners (year, crew, car) are transcribed from the seed page (../shared/seeds/, "Mille Miglia
winners"); times and average speeds only where ../shared/facts/1000-miglia-facts.md §2.4 and
§2.2-2.3 give them, with that source; nothing is filled in where no source gives a figure.
"""

import json
from pathlib import Path

SEED = 'seed page: 1000 Miglia 2020 ("Mille Miglia winners")'
REGS = "https://vdocument.in/222-0-uhvfld-iurp-wk-wr-wk-2fwrehu-222-0-uhvfld-iurp-wk-wr-wk-2fwrehu.html"
MOTORSPORT_1931 = "https://www.motorsportmagazine.com/archive/article/june-1975/72/living-legend/"
SCD_1936 = "https://sportscardigest.com/1936-mille-miglia/"
ROARINGTON_1955 = "https://roarington.com/media-house/stories/1000-miglia-2024-the-most-beautiful-race-in-the-world"
CLASSICSWORLD_1957 = "https://classicsworld.co.uk/news/2020-mille-miglia-details-published"

# year, crew, car, marque, total time, average km/h, speed note, source of time/speed
WINNERS = [
    (
        1927,
        "Ferdinando Minoia / Giuseppe Morandi",
        "OM 665 S",
        "OM",
        "21:04:48",
        77.238,
        None,
        REGS,
    ),
    (
        1928,
        "Giuseppe Campari / Giulio Ramponi",
        "Alfa Romeo 6C 1500 Super Sport Spider Zagato",
        "Alfa Romeo",
        "19:14:05",
        84.128,
        None,
        REGS,
    ),
    (
        1929,
        "Giuseppe Campari / Giulio Ramponi",
        "Alfa Romeo 6C 1750 Super Sport Spider Zagato",
        "Alfa Romeo",
        "18:04:23",
        89.688,
        None,
        REGS,
    ),
    (
        1930,
        "Tazio Nuvolari / Battista Guidotti",
        "Alfa Romeo 6C 1750 Gran Sport Spider Zagato",
        "Alfa Romeo",
        "16:18:59",
        100.45,
        None,
        REGS,
    ),
    (
        1931,
        "Rudolf Caracciola / Wilhelm Sebastian",
        "Mercedes-Benz SSKL",
        "Mercedes-Benz",
        "16:10:10",
        None,
        "over 100 km/h, the first time (no exact figure in our sources)",
        MOTORSPORT_1931,
    ),
    (
        1932,
        "Baconin Borzacchini / Amedeo Bignami",
        "Alfa Romeo 8C 2300 Spider Touring",
        "Alfa Romeo",
        None,
        None,
        None,
        None,
    ),
    (
        1933,
        "Tazio Nuvolari / Decimo Compagnoni",
        "Alfa Romeo 8C 2300 Spider Zagato",
        "Alfa Romeo",
        None,
        None,
        None,
        None,
    ),
    (
        1934,
        "Achille Varzi / Amedeo Bignami",
        "Alfa Romeo 8C 2600 Monza Spider Brianza",
        "Alfa Romeo",
        None,
        None,
        None,
        None,
    ),
    (
        1935,
        "Carlo Maria Pintacuda / Alessandro Della Stufa",
        "Alfa Romeo Tipo B",
        "Alfa Romeo",
        None,
        None,
        None,
        None,
    ),
    (
        1936,
        "Antonio Brivio / Carlo Ongaro",
        "Alfa Romeo 8C 2900 A",
        "Alfa Romeo",
        None,
        122.3,
        "76.01 mph as published, converted",
        SCD_1936,
    ),
    (
        1937,
        "Carlo Maria Pintacuda / Paride Mambelli",
        "Alfa Romeo 8C 2900 A",
        "Alfa Romeo",
        None,
        None,
        None,
        None,
    ),
    (
        1938,
        "Clemente Biondetti / Aldo Stefani",
        "Alfa Romeo 8C 2900 B Spider MM Touring",
        "Alfa Romeo",
        None,
        None,
        None,
        None,
    ),
    (1939, None, None, None, None, None, None, None),
    (
        1940,
        "Huschke von Hanstein / Walter Baumer",
        "BMW 328 Berlinetta Touring",
        "BMW",
        None,
        None,
        "about 166 km/h on a closed circuit (approximate)",
        None,
    ),
    (1941, None, None, None, None, None, None, None),
    (1942, None, None, None, None, None, None, None),
    (1943, None, None, None, None, None, None, None),
    (1944, None, None, None, None, None, None, None),
    (1945, None, None, None, None, None, None, None),
    (1946, None, None, None, None, None, None, None),
    (
        1947,
        "Clemente Biondetti / Emilio Romano",
        "Alfa Romeo 8C 2900 B Berlinetta Touring",
        "Alfa Romeo",
        None,
        None,
        None,
        None,
    ),
    (
        1948,
        "Clemente Biondetti / Giuseppe Navone",
        "Ferrari 166 S Coupé Allemano",
        "Ferrari",
        None,
        None,
        None,
        None,
    ),
    (
        1949,
        "Clemente Biondetti / Ettore Salani",
        "Ferrari 166 MM Barchetta Touring",
        "Ferrari",
        None,
        None,
        None,
        None,
    ),
    (
        1950,
        "Giannino Marzotto / Marco Crosara",
        "Ferrari 195 S Berlinetta Touring",
        "Ferrari",
        None,
        None,
        None,
        None,
    ),
    (
        1951,
        "Luigi Villoresi / Pasquale Cassani",
        "Ferrari 340 America Berlinetta Vignale",
        "Ferrari",
        None,
        None,
        None,
        None,
    ),
    (
        1952,
        "Giovanni Bracco / Alfonso Rolfo",
        "Ferrari 250 S Berlinetta Vignale",
        "Ferrari",
        None,
        None,
        None,
        None,
    ),
    (
        1953,
        "Giannino Marzotto / Marco Crosara",
        "Ferrari 340 MM Spider Vignale",
        "Ferrari",
        None,
        None,
        "about 89 mph as published (no exact km/h figure)",
        None,
    ),
    (1954, "Alberto Ascari", "Lancia D24 Spider", "Lancia", None, None, None, None),
    (
        1955,
        "Stirling Moss / Denis Jenkinson",
        "Mercedes-Benz 300 SLR",
        "Mercedes-Benz",
        "10:07:48",
        157.650,
        "the record",
        ROARINGTON_1955,
    ),
    (
        1956,
        "Eugenio Castellotti",
        "Ferrari 290 MM Spider Scaglietti",
        "Ferrari",
        None,
        None,
        None,
        None,
    ),
    (1957, "Piero Taruffi", "Ferrari 315 S", "Ferrari", "10:27:47", None, None, CLASSICSWORLD_1957),
]

STORY = [
    {
        "key": "start_numbers",
        "en": {
            "title": "Car numbers were start times",
            "text": "From 1949 a car's number was its start time: the 1955 Moss/Jenkinson car, #722, left Brescia at 07:22, while the first cars had started at 21:00 the evening before.",
        },
        "it": {
            "title": "Il numero era l'ora di partenza",
            "text": "Dal 1949 il numero di gara era l'ora di partenza: la vettura di Moss/Jenkinson del 1955, la #722, lasciò Brescia alle 07:22, mentre le prime erano partite alle 21:00 della sera prima.",
        },
        "source": SEED,
    },
    {
        "key": "record_1955",
        "en": {
            "title": "The record of 1955",
            "text": "Stirling Moss and Denis Jenkinson, Mercedes-Benz 300 SLR: 1,597 km in 10 h 07' 48\", 157.650 km/h on average, never beaten.",
        },
        "it": {
            "title": "Il record del 1955",
            "text": "Stirling Moss e Denis Jenkinson, Mercedes-Benz 300 SLR: 1.597 km in 10 h 07' 48\", media di 157,650 km/h, mai battuta.",
        },
        "source": ROARINGTON_1955 + " ; https://en.wikipedia.org/wiki/1955_Mille_Miglia",
    },
    {
        "key": "most_wins",
        "en": {
            "title": "The most successful driver",
            "text": "Clemente Biondetti won four times: 1938, 1947, 1948 and 1949 (counted from the winners' list).",
        },
        "it": {
            "title": "Il pilota più vincente",
            "text": "Clemente Biondetti vinse quattro volte: 1938, 1947, 1948 e 1949 (contate dall'albo d'oro).",
        },
        "source": SEED,
    },
    {
        "key": "alfa_romeo",
        "en": {
            "title": "Alfa Romeo, 11 wins",
            "text": "The most successful make was Alfa Romeo, with 11 wins.",
        },
        "it": {
            "title": "Alfa Romeo, 11 vittorie",
            "text": "La marca più vincente fu l'Alfa Romeo, con 11 vittorie.",
        },
        "source": SEED,
    },
]


def build() -> dict:
    winners = []
    for year, crew, car, marque, time, speed, note, source in WINNERS:
        winners.append(
            {
                "year": year,
                "race": crew is not None,
                "crew": crew,
                "car": car,
                "marque": marque,
                "time": time,
                "average_kmh": speed,
                "speed_note": note,
                "source": SEED if crew else SEED + ' ("no race held")',
                "time_speed_source": source,
            }
        )
    return {
        "about": "Winners of the Mille Miglia speed race 1927-1957 and story points; built by "
        "tools/history_data.py from the seed page and ../shared/facts (sources per row).",
        "winners": winners,
        "story": STORY,
    }


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "data" / "history.json"
    out.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")
