#!/usr/bin/env python3
"""Build data/stages.geojson: the four stages of the 1000 Miglia 2020 and the
historic courses of 1927 and 1955, as one RFC 7946 FeatureCollection.

Usage (from the repository root):  python tools/build_stages.py

Standard library only. All places, orders, times, coordinates and sources are
transcribed from the project's fact files (nothing is looked up or invented):
  /work/shared/facts/1000-miglia-facts.md        (sections 1.1-1.4, 2.2, 2.3, 4)
  /work/shared/facts/historic-routes-1927-1955.md
  /work/shared/facts/2020-results-and-entries.md (section 4: stage details)
  /work/shared/seeds/000_bc02514264d4461d.txt    (seed page; its URL is not recorded)

Output: one FeatureCollection; the six route LineStrings first, then the place
Points grouped by route in driving order. A route's LineString is exactly the
coordinates of its Points sorted by `order`. Places that cannot be located from
the fact files are not Points: they are listed in the route's
`unlocated_places`, with the reason.
"""

import json
import math
import sys
from pathlib import Path

OUT_PATH = Path(__file__).resolve().parent.parent / "data" / "stages.geojson"

# ---------------------------------------------------------------------------
# Sources (URLs exactly as given in the fact files)
# ---------------------------------------------------------------------------
SEED = "seed page 000_bc02514264d4461d.txt (URL not recorded)"

# 2020: dates, field size, totals
MOTORIONLINE = "https://www.motorionline.com/mille-miglia-2020-percorso-date-partecipanti-auto/"
LEMUSE = (
    "https://lemusenews.it/mille-miglia-2020-dal-22-al-25-ottobre-"
    "la-corsa-piu-bella-del-mondo-allinsegna-della-sicurezza-anche-sanitaria"
)
NEWSAUTO = "https://newsauto.it/racing/mille-miglia-percorso-tappe-mappa-programma-2020-286293"
OFFICIAL_WIN = "https://1000miglia.it/en/2020/andrea-e-roberto-vesco-win-the-1000-miglia-2020/"
QUIBRESCIA_22 = (
    "https://www.quibrescia.it/sport/2020/10/22/"
    "partita-la-1000-miglia-corridori-attesi-a-cervia-alle-22/569312/"
)
QUIBRESCIA_24 = (
    "https://www.quibrescia.it/sport/2020/10/24/"
    "1000-miglia-a-roma-stamane-la-tappa-di-ritorno-verso-parma/569438/"
)
QUIBRESCIA_26 = (
    "https://www.quibrescia.it/sport/2020/10/26/"
    "1000-miglia-roberto-e-andrea-vesco-vincono-ledizione-2020/569537/"
)
MOTOR1_359 = "https://it.motor1.com/news/450849/1000-miglia-2020-alfa-1750-prima-foto/"
RAVENNANOTIZIE = (
    "https://www.ravennanotizie.it/societa/2020/10/23/"
    "1000-miglia-partiti-da-cervia-i-365-concorrenti-"
    "della-corsa-piu-bella-del-mondo/"
)
CORRIEREQ = (
    "https://corrierequotidiano.it/motori/miille-miglia-via-allultima-tappa-arrivo-a-brescia/"
)
# 2020 stage 1
MOTOR1_WHERE = "https://it.motor1.com/news/449871/mille-miglia-2020-dove-e-quando-passa/"
VSV = "https://www.viaggisportvacanze.com/2020/10/27/1000-miglia-2020/"
WHATSUPORTAL = "https://www.whatsuportal.com/en/news/lago-di-garda/57/millemiglia-lake-garda-2020/"
CLASSICCARTV = "https://classic-car.tv/mille-miglia-2020/"
VOCEDIMANTOVA = "https://vocedimantova.it/cronaca/andrea-e-roberto-vesco-vincono-la-mille-miglia/"
ANSA_22 = (
    "https://www.ansa.it/canale_motori/notizie/attualita/2020/10/23/"
    "1000-miglia-2020-prima-tappa-da-brescia-a-cervia_"
    "90eda6fa-046f-4542-bc97-ae095af61c5c.html"
)
CESENATODAY = (
    "https://www.cesenatoday.it/eventi/1000-miglia-programma-percorso-corsa-auto-2020.html"
)
RAVENNATODAY = "https://www.ravennatoday.it/cronaca/mille-miglia-2020-passaggio-ravennate-foto.html"
# 2020 stage 2
MM_1810 = "http://www.1000miglia.com/?p=1810"
LALTRO = (
    "https://www.laltrogiornale.it/2020/05/"
    "anche-questanno-il-23-ottobre-la-1000-miglia-attraversera-le-marche/"
)
# 2020 stage 3
RC_139975 = "https://ruoteclassiche.quattroruote.it/?p=139975"
ZEROSETTE = "https://www.zerosette.it/2020/10/1000-miglia-2020-sabato-fara-tappa-a-parma/"
GOGOFIRENZE = "https://www.gogofirenze.it/news/nove-al-via-1000-miglia-2020.html"
MM_1842 = "http://www.1000miglia.com/?p=1842"
PRIMOCANALE = (
    "https://primocanale.it/archivio-news/"
    "223902-mille-miglia-ai-nastri-di-partenza-attraversa-anche-sarzana.amp.html"
)
GAZZPARMA = (
    "https://www.gazzettadiparma.it/parma/2020/10/21/news/"
    "mille_miglia_2020_a_parma_ecco_come_poter_vedere_"
    "il_passaggio_delle_auto_storiche-4426020/"
)
REPUBBLICA_PARMA = (
    "https://parma.repubblica.it/cronaca/2020/10/25/foto/"
    "parma_la_notte_della_mille_miglia_-_foto-271775864/1/?rss"
)
PARMADAILY = "https://www.parmadaily.it/la-mille-miglia-attraversa-la-citta/"
# 2020 stage 4
MM_1825 = "http://1000miglia.com/?p=1825"
AUTOMOTOCORSE = "https://automotocorse.it/2020/10/lautodromo-di-varano-si-prepara-ad.html"
RC_AMP = "https://ruoteclassiche.quattroruote.it/1000-miglia-2020-da-parma-a-brescia/amp/"
PIACENZASERA = (
    "https://www.piacenzasera.it/2020/10/"
    "mille-miglia-lultima-tappa-prima-dellarrivo-a-brescia-passa-per-piacenza/358679/"
)
ECODIBERGAMO = (
    "https://www.ecodibergamo.it/stories/bassa-bergamasca/"
    "la-mille-miglia-rombaper-le-strade-di-treviglio_1374927_11/"
)
PRIMABRESCIA = "https://primabrescia.it/altro/la-traversata-bresciana-della-mille-miglia-gallery/"
GDB_WIN = (
    "https://giornaledibrescia.it/italia-e-estero/"
    "mille-miglia-2020-vincono-i-bresciani-andrea-e-roberto-vesco-nf3muu61"
)
RC_WIN = (
    "https://ruoteclassiche.quattroruote.it/"
    "1000-miglia-2020-vincono-i-bresciani-andrea-e-roberto-vesco"
)
# 1927
ITWIKI_1927 = "http://it.m.wikipedia.org/wiki/Mille_Miglia_1927"
MM_HIST_1927 = "https://1000miglia.it/enjoy/history/27-march-1927-the-first-1000-miglia/?lang=en"
QUOTIDIANO = (
    "https://www.quotidiano.net/speciali/motori/come-nasce-il-mito-della-1000-miglia-2854242d"
)
BRESCIASPORT = "https://bresciasport.net/amp/tanti-auguri-1000-miglia-la-corsa-compie-oggi-94-anni"
MM_RAVENNA = "http://www.1000migliaravenna.it/1000miglia/"
GTPLANET = "https://www.gtplanet.net/forum/threads/the-best-track-in-the-world.306349/post-9521987"
ASKWIKI_DE = "https://askwikinow.com/view_html.php?lang=de&q=Mille_Miglia_1927&sq=Envato"
ENCICLOPEDIA = (
    "http://www.enciclopediadellautomobile.com/it/i-1341-2010/coppa-1000-miglia/dal-1927-al-1938/"
)
MM_2013 = "https://1000miglia.it/2013/la-mille-miglia-compie-86-anni/"
SMTV = "http://www.smtvsanmarino.sm/attualita/2018/03/26/26-marzo-1927-prima-edizione-millemiglia"
BELLUNOPRESS = "http://www.bellunopress.it/2013/12/07/quando-la-mille-miglia-passava-per-feltre/"
STRAPAESE = "http://www.strapaese.it/brogliaccio2/cap15.html"
REGULATIONS = (
    "https://vdocument.in/"
    "222-0-uhvfld-iurp-wk-wr-wk-2fwrehu-222-0-uhvfld-iurp-wk-wr-wk-2fwrehu.html"
)
# official statistic of passages per town 1927-1957 ("S-PASS")
SPASS = (
    "http://millemiglia.it/Mille-Miglia/La-Mille-Miglia-di-velocita/Italia-delle-Mille-Miglia/"
    "1927-1957-Numero-e-Anni-dei-Passaggi/"
)
# 1955
ENWIKI_1955 = "https://en.wikipedia.org/wiki/1955_Mille_Miglia"
GDB_1955 = (
    "https://www.giornaledibrescia.it/sport/altri-sport/"
    "brescia-mille-miglia-kolossal-1955-tempo-leggendario-stirling-moss-k6ah9s42"
)
CORRIERE_BS = (
    "https://brescia.corriere.it/notizie/sport/20_aprile_12/"
    "morto-stirling-moss-se-ne-va-leggenda-mille-miglia-"
    "2ff10eb0-7cbc-11ea-9e96-ac81f1df708a.shtml"
)
ANSA_MOSS = (
    "https://www.ansa.it/canale_motori/notizie/attualita/2020/04/14/"
    "stirling-moss-ricordiamolo-vincitore-della-1000-miglia-1955_"
    "87587c7a-ed98-4953-a5a3-95801ddb6eea.html"
)
ALVOLANTE = "https://www.alvolante.it/news/mille-miglia-1955-stirling-moss-341150"
CORSEDAUTO = "https://www.corsedauto.it/gare/la-mercedes-numero-722-e-l-indelebile-ricordo/"
MOTORSPORT_2005 = "https://motorsportmagazine.com/archive/article/may-2005/3/30-second-board"
ESPN = "https://www.espn.co.uk/f1/story/_/id/12792965/stirling-moss-mille-miglia-exceptional"
GAZZPARMA_MOSS = (
    "https://www.gazzettadiparma.it/home/2025/06/20/news/stirling-moss-la-storia-di-un-mito-873731"
)
SPORTSCARDIGEST = "https://dev.sportscardigest.com/?p=316871"
MOTORSPORT_1986 = (
    "https://www.motorsportmagazine.com/archive/article/may-1986/76/mille-miglia-1986-2/"
)
WIKISUM = "https://wikisum.wiki/wiki/1955_Mille_Miglia"
CRANK3 = "https://crankhandleblog.com/stories-2/10-hours-next-to-stirling-moss-part-3/"
CRANK4 = "https://crankhandleblog.com/stories-2/10-hours-next-to-stirling-moss-part-4/"
RIVIERAOGGI = (
    "https://www.rivieraoggi.it/2016/04/08/217840/"
    "dopo-quasi-50-anni-la-mille-miglia-torna-in-riviera/"
)
RACERS_RT = "https://racers-round-table.proboards.com/thread/145/mille-miglia"
MOTORSPORT_PESCARA = "https://motorsportmagazine.com/special-article/stirling-moss/116/1957-pescara"
CALEDONIAN = "http://www.caledonianmsc.freeuk.com/n_transitalia13migliatour.html"
DRIVR = "https://drivr.be/2014/09/30/leestip/"

# ---------------------------------------------------------------------------
# Coordinates, transcribed from facts section 4 as printed there: (lat, lon).
# They are written to GeoJSON as [lon, lat].
# ---------------------------------------------------------------------------
COMUNE_SOURCE = "ISTAT comune point (italy_geo.json, facts §4)"
APPROX_SOURCE = "approximate, from memory (facts §4: {}), unverified"

# Comuni (italy_geo.json in github.com/MatteoHenryChinaski/Comuni-Italiani-2018-Sql-Json-excel)
COMUNI = {
    "Altopascio": (43.8150, 10.6747),
    "Amatrice": (42.6294, 13.2884),
    "Ancona": (43.6168, 13.5189),
    "Arcevia": (43.5000, 12.9396),
    "Ascoli Piceno": (42.8532, 13.5769),
    "Asola": (45.2206, 10.4143),
    "Bassano del Grappa": (45.7671, 11.7342),
    "Berceto": (44.5095, 9.9894),
    "Bergamo": (45.6944, 9.6684),
    "Bologna": (44.4944, 11.3417),
    "Bolsena": (42.6447, 11.9876),
    "Bracciano": (42.1034, 12.1756),
    "Brescia": (45.5399, 10.2191),
    "Cadeo": (44.9655, 9.8522),
    "Canneto sull'Oglio": (45.1503, 10.3754),
    "Casalmaggiore": (44.9874, 10.4138),
    "Castell'Arquato": (44.8512, 9.8676),
    "Castiglione d'Orcia": (43.0044, 11.6164),
    "Cervia": (44.2609, 12.3498),
    "Cesenatico": (44.1995, 12.3954),
    "Cesena": (44.1365, 12.2422),
    "Chiari": (45.5368, 9.9305),
    "Civita Castellana": (42.2892, 12.4118),
    "Codogno": (45.1600, 9.7032),
    "Comacchio": (44.6946, 12.1839),
    "Cremona": (45.1334, 10.0242),
    "Desenzano del Garda": (45.4686, 10.5416),
    "Fabriano": (43.3363, 12.9047),
    "Faenza": (44.2854, 11.8828),
    "Fano": (43.8434, 13.0197),
    "Feltre": (46.0178, 11.9099),
    "Fermo": (43.1606, 13.7184),
    "Ferrara": (44.8360, 11.6187),
    "Fiorenzuola d'Arda": (44.9287, 9.9075),
    "Firenze": (43.7692, 11.2559),
    "Foligno": (42.9557, 12.7036),
    "Forlì": (44.2227, 12.0407),
    "Fornovo di Taro": (44.6893, 10.0987),
    "Fossato di Vico": (43.2943, 12.7616),
    "Gambettola": (44.1200, 12.3391),
    "Giulianova": (42.7527, 13.9567),
    "Gubbio": (43.3535, 12.5788),
    "Imola": (44.3531, 11.7142),
    "L'Aquila": (42.3512, 13.3984),
    "Lodi": (45.3144, 9.5037),
    "Lonato del Garda": (45.4609, 10.4843),
    "Loreto": (43.4403, 13.6079),
    "Lucca": (43.8443, 10.5015),
    "Macerata": (43.3002, 13.4531),
    "Mantova": (45.1573, 10.7928),
    "Modena": (44.6460, 10.9262),
    "Monterosi": (42.1956, 12.3099),
    "Montichiari": (45.4122, 10.3953),
    "Narni": (42.5193, 12.5153),
    "Offida": (42.9352, 13.6919),
    "Padova": (45.4069, 11.8761),
    "Pandino": (45.4067, 9.5527),
    "Parma": (44.8011, 10.3283),
    "Pergola": (43.5629, 12.8360),
    "Perugia": (43.1068, 12.3882),
    "Pesaro": (43.9101, 12.9135),
    "Pescara": (42.4646, 14.2136),
    "Peschiera del Garda": (45.4391, 10.6919),
    "Piacenza": (45.0519, 9.6926),
    "Piadena": (45.1312, 10.3679),
    "Poggibonsi": (43.4669, 11.1466),
    "Pontenure": (44.9996, 9.7862),
    "Pontoglio": (45.5706, 9.8527),
    "Popoli": (42.1712, 13.8331),
    "Porto Recanati": (43.4298, 13.6649),
    "Radicofani": (42.8970, 11.7664),
    "Ravenna": (44.4172, 12.1991),
    "Reggio nell'Emilia": (44.6974, 10.6301),
    "Rezzato": (45.5134, 10.3185),
    "Rieti": (42.4049, 12.8621),
    "Rimini": (44.0609, 12.5656),
    "Roma": (41.8928, 12.4837),
    "Ronciglione": (42.2917, 12.2157),
    "Rovato": (45.5681, 9.9976),
    "Rovigo": (45.0711, 11.7901),
    "Salsomaggiore Terme": (44.8157, 9.9781),
    "San Casciano in Val di Pesa": (43.6566, 11.1844),
    "San Quirico d'Orcia": (43.0603, 11.6033),
    "Sarzana": (44.1129, 9.9597),
    "Senigallia": (43.7148, 13.2178),
    "Siena": (43.3182, 11.3319),
    "Sirmione": (45.4623, 10.6095),
    "Spoleto": (42.7345, 12.7383),
    "Terni": (42.5607, 12.6467),
    "Tolentino": (43.2087, 13.2843),
    "Treviglio": (45.5218, 9.5926),
    "Treviso": (45.6675, 12.2451),
    "Urbino": (43.7251, 12.6373),
    "Vetralla": (42.3208, 12.0535),
    "Viareggio": (43.8669, 10.2498),
    "Vicenza": (45.5475, 11.5460),
    "Verona": (45.4384, 10.9935),
    "Villafranca di Verona": (45.3508, 10.8467),
    "Viterbo": (42.4174, 12.1047),
}

# Places that are not comuni: facts §4 second table, values from memory.
# key: (lat, lon, the facts' own wording)
APPROX = {
    "San Marino": (43.9356, 12.4473, "memory, unverified"),
    "Parco Giardino Sigurtà": (45.3690, 10.7400, "memory, unverified"),
    "Parco delle Cesane": (43.7000, 12.7000, "memory, rough area only"),
    "Gola del Furlo": (43.6450, 12.7150, "memory, unverified"),
    "Montotto": (43.0900, 13.7300, "memory, rough; frazione attribution unverified"),
    "Lago di Vico": (42.3200, 12.1700, "memory, unverified; lake centre"),
    "Passo della Cisa": (44.4770, 9.9290, "memory, unverified; SS62 summit"),
    "Autodromo Riccardo Paletti": (44.6790, 10.0250, "memory, unverified"),
    "Passo della Futa": (44.0890, 11.2860, "memory, unverified"),
    "Passo della Raticosa": (44.1640, 11.3390, "memory, unverified"),
    "Valico della Somma": (42.6600, 12.7500, "memory, rough"),
    "Tortoreto Lido": (42.80, 13.94, "memory, rough"),
}


# ---------------------------------------------------------------------------
# Row helpers: P() is a place that becomes a Point; U() a place that cannot be
# located (goes to the route's unlocated_places). Rows are in driving order.
# ---------------------------------------------------------------------------
def P(
    name,
    src,
    role="town",
    venue=None,
    time=None,
    time_note=None,
    cert="confirmed",
    cert_note=None,
    note=None,
    coord=None,
    coord_note=None,
    coord_cert=None,
):
    """A place on the route. coord = key into COMUNI/APPROX (default: name).
    coord_note replaces the default coord_source text (for stand-ins);
    coord_cert overrides the coord_certainty derived from the table."""
    return {
        "type": "P",
        "name": name,
        "src": src,
        "role": role,
        "venue": venue,
        "time": time,
        "time_note": time_note,
        "cert": cert,
        "cert_note": cert_note,
        "note": note,
        "coord": coord or name,
        "coord_note": coord_note,
        "coord_cert": coord_cert,
    }


def U(name, reason, src, cert="unverified"):
    """A place named by the facts for this route but with no usable coordinate."""
    return {"type": "U", "name": name, "reason": reason, "src": src, "cert": cert}


# ---------------------------------------------------------------------------
# 2020, stage 1 - Thu 22 Oct 2020, Brescia -> Cervia-Milano Marittima (facts §1.1)
# ---------------------------------------------------------------------------
STAGE_1 = [
    P(
        "Brescia",
        [MOTOR1_WHERE, SEED],
        role="start",
        venue="viale Venezia",
        time="14:00",
        note="start ramp in viale Venezia",
    ),
    P("Desenzano del Garda", [MOTOR1_WHERE, SEED], time="14:45"),
    P(
        "Sirmione",
        [MOTOR1_WHERE, VOCEDIMANTOVA, SEED],
        role="time_trial",
        time="15:00",
        note="site of the first special stage ('la prima prova speciale di Sirmione', "
        "vocedimantova); "
        "15:00 is the planned passage time (motor1)",
    ),
    P(
        "Valeggio sul Mincio",
        [WHATSUPORTAL, CLASSICCARTV],
        venue="Parco Giardino Sigurtà",
        cert="unverified",
        cert_note="facts §1.1: UNCERTAIN for 2020 - only in a pre-Covid May-2020 preview page "
        "(2019 did pass Sigurtà); 2020-results §4 lists it for stage 1 citing ANSA, "
        "vocedimantova and classic-car.tv together, without a quote",
        coord="Parco Giardino Sigurtà",
    ),
    P(
        "Villafranca di Verona",
        [MOTOR1_WHERE, VSV, SEED],
        time_note="time truncated in the stored motor1 excerpt",
    ),
    P("Mantova", [VSV, SEED]),
    P("Ferrara", [VSV, SEED], role="dinner", note="race dinner (cena di gara)"),
    P(
        "Comacchio",
        [CLASSICCARTV],
        note="between Ferrara and Ravenna; listed only in 2020-results-and-entries.md §4 "
        "(not in the primary stage-1 list of facts §1.1)",
    ),
    P("Ravenna", [CESENATODAY, RAVENNATODAY], time="21:20", note="planned arrival 21:20"),
    P(
        "Cervia-Milano Marittima",
        [CESENATODAY, VSV, QUIBRESCIA_22, SEED],
        role="finish",
        time="22:00",
        time_note="first arrivals ~22:00 (seed: 'At 10:00 p.m. the crews will cross the finish "
        "line')",
        coord="Cervia",
        coord_note="ISTAT comune point of Cervia (italy_geo.json, facts §4); the finish is in "
        "Milano Marittima, whose memory point in facts §4 (44.2780, 12.3500) is "
        "~2 km north",
    ),
]

# ---------------------------------------------------------------------------
# 2020, stage 2 - Fri 23 Oct 2020, Cervia-Milano Marittima -> Roma (facts §1.2)
# ---------------------------------------------------------------------------
STAGE_2 = [
    P(
        "Cervia-Milano Marittima",
        [CESENATODAY, MM_1810, SEED],
        role="start",
        time="06:10",
        note="start in fog",
        coord="Cervia",
        coord_note="ISTAT comune point of Cervia (italy_geo.json, facts §4); the start is in "
        "Milano Marittima, whose memory point in facts §4 (44.2780, 12.3500) is "
        "~2 km north",
    ),
    P(
        "Cesenatico",
        [CESENATODAY, SEED],
        role="passage_control",
        venue="piazza Pisacane",
        time="06:45",
        time_note="~06:45",
        note="time control + stamp control in piazza Pisacane; "
        "in 2020 stamp controls were checked in transit, cars did not stop (Covid rule)",
    ),
    P("Gambettola", [CESENATODAY, SEED], time="07:10", time_note="~07:10"),
    P("San Marino", [VSV, SEED], note="Republic of San Marino; reached with the first sunlight"),
    P("Urbino", [VSV, SEED]),
    P("Parco delle Cesane", [VSV, SEED]),
    P("Gola del Furlo", [VSV, SEED]),
    P(
        "Pergola",
        [LALTRO, SEED],
        role="passage_control",
        note="stamp control (controllo timbro) planned; first MM passage in 10 years",
    ),
    P("Arcevia", [VSV, SEED], note="spelled 'Acervia' in the sources"),
    P(
        "Fabriano",
        [VSV, SEED],
        role="lunch",
        venue="Loggiato di San Francesco",
        note="race lunch; venue named by the seed page (viaggisportvacanze only says "
        "'Fabriano, dove gli equipaggi hanno pranzato')",
    ),
    P("Macerata", [VSV, SEED]),
    P("Fermo", [VSV, SEED]),
    P(
        "Montotto",
        [VSV, SEED],
        note="frazione of Monterubbiano (FM) - attribution from memory, unverified",
    ),
    P("Offida", [VSV, SEED]),
    P(
        "Ascoli Piceno",
        [VSV, SEED],
        time="17:00",
        time_note="reached ~17:00 (seed: 'will arrive at 5pm in Ascoli Piceno')",
    ),
    P(
        "Amatrice",
        [MM_1810, SEED],
        time="18:00",
        time_note="first cars shortly after 18:00",
        note="homage to the town hit by the 2016 earthquake; ~10 h of driving and >100 "
        "comuni so far",
    ),
    U(
        "Strada della Romanella",
        "location unknown (facts §4: 'not found in stored sources'); named only by the seed page "
        "('driving along Strada della Romanella to Rieti'), NOT confirmed by the stored 2020 "
        "sources; between Amatrice and Rieti",
        [SEED],
    ),
    P("Rieti", [MM_1810, SEED]),
    P(
        "Roma",
        [MM_1810, SEED],
        role="finish",
        venue="via Veneto",
        time="21:00",
        time_note="first cars arrived shortly after 21:00 (reported, not a planned time)",
    ),
]

# ---------------------------------------------------------------------------
# 2020, stage 3 - Sat 24 Oct 2020, Roma -> Parma (facts §1.3; longest stage)
# ---------------------------------------------------------------------------
STAGE_3 = [
    P(
        "Roma",
        [RC_139975, QUIBRESCIA_24, SEED],
        role="start",
        time="06:30",
        note="306 cars started at 06:30 in heavy rain",
    ),
    P("Ronciglione", [ZEROSETTE]),
    P(
        "Lago di Vico",
        [SEED],
        cert="unverified",
        cert_note="from the brief's seed only ('the crews skirted Lake Vico'); stored 2020 sources "
        "don't list it; it is on the Ronciglione-Viterbo road in 2018 (gazzettadiparma) - "
        "plausible, UNCERTAIN",
    ),
    P("Viterbo", [ZEROSETTE, LEMUSE]),
    P("Radicofani", [ZEROSETTE, SEED], note="passage under the Rocca, in the rain"),
    P("Castiglione d'Orcia", [ZEROSETTE, RC_139975, SEED], venue="Val d'Orcia"),
    P(
        "Siena",
        [LEMUSE, RC_139975, SEED],
        role="lunch",
        venue="Piazza del Campo",
        note="race lunch",
    ),
    U(
        "Valdelsa",
        "an area (the Elsa valley), not a single place; no coordinate in the facts and no single "
        "comune to stand in; between Siena and Altopascio",
        [GOGOFIRENZE],
        cert="confirmed",
    ),
    P("Altopascio", [GOGOFIRENZE], note="'Lucca, via Altopascio'"),
    P(
        "Lucca",
        [MM_1842, RC_139975, SEED],
        venue="mura (city walls)",
        note="passage on the walls; photo 'passaggio Lucca, 24 ottobre 2020'",
    ),
    P("Viareggio", [RC_139975, GOGOFIRENZE, SEED], venue="Versilia"),
    P("Sarzana", [PRIMOCANALE], note="the only Ligurian town named"),
    P(
        "Passo della Cisa",
        [GAZZPARMA, SEED],
        venue="SS62",
        time_note="18:30 at Valico Cisa is the Ferrari Tribute's time, not the historic race's",
        note="crossed in the dark and fog",
    ),
    P(
        "Poggio di Berceto",
        [GAZZPARMA],
        time_note="Ferrari Tribute 18:45; the historic cars ~1 h later (gazzettadiparma)",
        coord="Berceto",
        coord_note="ISTAT comune point of Berceto (italy_geo.json, facts §4), standing in for the "
        "frazione Poggio di Berceto, which has no coordinate in the facts",
    ),
    P(
        "Fornovo di Taro",
        [GAZZPARMA],
        note="historic route 'Da SS62 proveniente dal valico della Cisa, Fornov[o]…' "
        "(excerpt truncated)",
    ),
    P(
        "Parma",
        [REPUBBLICA_PARMA, PARMADAILY, SEED],
        role="finish",
        venue="piazza Garibaldi",
        time="21:00",
        time_note="planned 21:00–21:30 (seed: 'Arrival expected from 9.30 pm')",
        note="via Spezia, p.le Barbieri, v.le Vittoria, via D'Azeglio, Ponte di Mezzo, via Mazzini; "
        "time control in piazza Garibaldi; overnight at Parco Ducale",
    ),
]

# ---------------------------------------------------------------------------
# 2020, stage 4 - Sun 25 Oct 2020, Parma -> Brescia (facts §1.4; 2020-results §4)
# ---------------------------------------------------------------------------
STAGE_4 = [
    P(
        "Parma",
        [MM_1825, AUTOMOTOCORSE, PARMADAILY],
        role="start",
        venue="Parco Ducale",
        time="07:30",
        time_note="CONFLICT: 07:30 per automotocorse, 07:45 per parmadaily",
        note="start at dawn",
    ),
    P(
        "Varano de' Melegari",
        [MM_1825, RC_AMP, GAZZPARMA, PARMADAILY],
        role="time_trial",
        venue="Autodromo Riccardo Paletti",
        time="08:30",
        time_note="08:30 per parmadaily",
        note="battery of time trials (prove cronometrate / 'prove speciali') on the track, closed "
        "to the public; <30 km from Parma",
        coord="Autodromo Riccardo Paletti",
    ),
    P("Salsomaggiore Terme", [MM_1825]),
    P(
        "Castell'Arquato",
        [PIACENZASERA, VSV],
        role="passage_control",
        time="09:40",
        note="'controllo di Castell'Arquato'",
    ),
    P("Fiorenzuola d'Arda", [PIACENZASERA], venue="via Emilia"),
    P("Cadeo", [PIACENZASERA], venue="via Emilia"),
    P("Pontenure", [PIACENZASERA], venue="via Emilia"),
    P(
        "Piacenza",
        [PIACENZASERA],
        venue="outskirts: via Colombo, viale Sant'Ambrogio, piazzale Milano, Po bridge",
    ),
    P("Codogno", [MM_1825, RC_AMP], note="warm welcome in the Covid 'zona rossa' town"),
    P("Lodi", [PIACENZASERA, RC_AMP], venue="piazza della Vittoria", time="11:15"),
    P("Pandino", [LEMUSE, REPUBBLICA_PARMA]),
    P(
        "Treviglio",
        [ECODIBERGAMO],
        role="lunch",
        venue="piazza Garibaldi",
        time="12:45",
        note="race lunch; the article's '390 equipaggi' conflicts with 356 starters (loose figure)",
    ),
    P("Bergamo", [ECODIBERGAMO, MM_1825]),
    P(
        "Pontoglio",
        [PRIMABRESCIA],
        note="2020-results §4: 'passes Pontoglio, Chiari, Duomo di Rovato before Brescia'; "
        "placed after Bergamo as the source lists it on the way into Brescia",
    ),
    P("Chiari", [PRIMABRESCIA], venue="Villa Mazzotti park"),
    P("Rovato", [PRIMABRESCIA], venue="Duomo"),
    U(
        "Travagliato",
        "stamp control (controllo timbro) of stage 4 per 2020-results §4; no coordinate in the "
        "facts and the comune is not listed; on the Bergamo–Brescia leg, exact position not given",
        [PRIMABRESCIA, GDB_WIN],
        cert="confirmed",
    ),
    P(
        "Brescia",
        [PIACENZASERA, RC_WIN],
        role="finish",
        venue="viale Venezia (viale Rebuffone)",
        time="15:30",
        time_note="finish from 15:30",
        note="only the top 3 crossed the podium ramp (Covid); 296 cars finished the race",
    ),
]

# ---------------------------------------------------------------------------
# 1927 - I Coppa delle 1000 Miglia, 26-27 March 1927: figure eight, Bologna twice
# (facts §2.2; historic-routes §2.2-2.3). Rows 1-32 = it.wikipedia "Percorso" list.
# ---------------------------------------------------------------------------
CTRL_EARLY = "control of the early editions 1927–1933 per bellunopress (list not specific to 1927)"
SUPPORTED = (
    "on the 1927 route per the official passages statistic (S-PASS, 'all editions "
    "except 1940'), but its position in the order is inferred from geography - "
    "facts §2.2: tail 'ORDER partly memory, unverified'"
)
R1927 = [
    P(
        "Brescia",
        [ITWIKI_1927, MM_HIST_1927],
        role="start",
        venue="viale Venezia",
        time="08:00",
        note="start 26 Mar 1927, 08:00",
    ),
    P("Montichiari", [ITWIKI_1927]),
    P("Asola", [ITWIKI_1927]),
    P("Canneto sull'Oglio", [ITWIKI_1927]),
    P("Piadena", [ITWIKI_1927]),
    P("Casalmaggiore", [ITWIKI_1927]),
    P("Parma", [ITWIKI_1927, BELLUNOPRESS], role="passage_control", note=CTRL_EARLY),
    P(
        "Reggio Emilia",
        [ITWIKI_1927],
        coord="Reggio nell'Emilia",
        coord_note="ISTAT comune point of Reggio nell'Emilia (italy_geo.json, facts §4)",
    ),
    P("Modena", [ITWIKI_1927]),
    P(
        "Bologna",
        [ITWIKI_1927, BELLUNOPRESS, ENCICLOPEDIA],
        role="passage_control",
        note="1st pass (outbound) - crossing point of the figure eight; control (bellunopress); "
        "Brilli-Peri reached Bologna averaging 106.5 km/h",
    ),
    P("Passo della Raticosa", [ITWIKI_1927]),
    P("Passo della Futa", [ITWIKI_1927]),
    P("Firenze", [ITWIKI_1927, BELLUNOPRESS], role="passage_control", note=CTRL_EARLY),
    P("San Casciano in Val di Pesa", [ITWIKI_1927]),
    P(
        "Poggibonsi",
        [ITWIKI_1927, STRAPAESE],
        role="passage_control",
        note="signature control, confirmed for 1927: drivers signed the control sheet and times "
        "were telegraphed to Brescia (the only time Poggibonsi hosted one)",
    ),
    P("Siena", [ITWIKI_1927]),
    P("San Quirico d'Orcia", [ITWIKI_1927, BELLUNOPRESS], role="passage_control", note=CTRL_EARLY),
    P("Radicofani", [ITWIKI_1927]),
    P("Bolsena", [ITWIKI_1927]),
    P("Viterbo", [ITWIKI_1927]),
    P("Monterosi", [ITWIKI_1927]),
    P(
        "Madonna di Bracciano",
        [ITWIKI_1927],
        note="name confirmed by it.wikipedia; exact location unverified - may be a locality near "
        "Bracciano/Anguillara rather than the town",
        coord="Bracciano",
        coord_note="stand-in: ISTAT comune point of Bracciano (italy_geo.json, facts §4); facts §4: "
        "location unverified, 'use Bracciano comune with care'",
        coord_cert="approximate",
    ),
    P(
        "Roma",
        [ITWIKI_1927, BELLUNOPRESS, ENCICLOPEDIA, REGULATIONS],
        role="passage_control",
        note="turning point and control, km 587 from Brescia; Brilli-Peri reached Rome averaging "
        "88 km/h; winners' Brescia–Roma time 7h25m00s",
    ),
    P("Civita Castellana", [ITWIKI_1927]),
    P("Narni", [ITWIKI_1927]),
    P("Terni", [ITWIKI_1927, BELLUNOPRESS], role="passage_control", note=CTRL_EARLY),
    P("Valico della Somma", [ITWIKI_1927]),
    P("Spoleto", [ITWIKI_1927, BELLUNOPRESS], role="passage_control", note=CTRL_EARLY),
    P("Foligno", [ITWIKI_1927]),
    P(
        "Perugia",
        [ITWIKI_1927, BELLUNOPRESS, MM_HIST_1927, SMTV],
        role="passage_control",
        note=CTRL_EARLY + "; Brilli-Peri (Alfa Romeo RLSS), leading since Rome, retired here",
    ),
    P("Gubbio", [ITWIKI_1927, BELLUNOPRESS], role="passage_control", note=CTRL_EARLY),
    P(
        "Fossato di Vico",
        [ITWIKI_1927],
        note="the stored it.wikipedia excerpt breaks off at 'Fos…'; completed as Fossato di Vico "
        "per the brief's reading. No town is sourced between here and Tolentino",
    ),
    # --- tail: controls from bellunopress in its order; other towns from S-PASS ---
    P("Tolentino", [BELLUNOPRESS], role="passage_control", note=CTRL_EARLY),
    P("Macerata", [BELLUNOPRESS], role="passage_control", note=CTRL_EARLY),
    P("Loreto", [BELLUNOPRESS], role="passage_control", note=CTRL_EARLY),
    P("Ancona", [BELLUNOPRESS, SPASS], role="passage_control", note=CTRL_EARLY),
    P("Senigallia", [SPASS], cert="unverified", cert_note=SUPPORTED),
    P("Fano", [SPASS], cert="unverified", cert_note=SUPPORTED),
    P("Pesaro", [SPASS], cert="unverified", cert_note=SUPPORTED),
    U(
        "Gabicce",
        "SUPPORTED by S-PASS (position inferred: between Pesaro and Rimini); no "
        "coordinate in the facts and the comune is not listed",
        [SPASS],
    ),
    U(
        "Cattolica",
        "SUPPORTED by S-PASS (position inferred: between Pesaro and Rimini); no "
        "coordinate in the facts and the comune is not listed",
        [SPASS],
    ),
    U(
        "Riccione",
        "SUPPORTED by S-PASS (position inferred: between Pesaro and Rimini); no "
        "coordinate in the facts and the comune is not listed",
        [SPASS],
    ),
    P("Rimini", [SPASS], cert="unverified", cert_note=SUPPORTED),
    P("Cesena", [SPASS], cert="unverified", cert_note=SUPPORTED),
    P("Forlì", [SPASS], cert="unverified", cert_note=SUPPORTED),
    P(
        "Faenza",
        [],
        cert="unverified",
        cert_note="memory, unverified: on the via Emilia between Forlì and Bologna, but no source "
        "names it for 1927",
    ),
    P(
        "Imola",
        [],
        cert="unverified",
        cert_note="memory, unverified: on the via Emilia between Forlì and Bologna, but no source "
        "names it for 1927",
    ),
    P(
        "Bologna",
        [ITWIKI_1927, BELLUNOPRESS],
        role="passage_control",
        note="2nd pass (return) - the crossing of the figure eight ('da toccare due volte'); "
        "Bologna appears twice in the controls list",
    ),
    P(
        "Ferrara",
        [SPASS],
        cert="unverified",
        cert_note=SUPPORTED + " (not on the outward leg, so on the return)",
    ),
    P("Rovigo", [SPASS], cert="unverified", cert_note=SUPPORTED),
    P("Padova", [SPASS], cert="unverified", cert_note=SUPPORTED),
    P("Treviso", [BELLUNOPRESS], role="passage_control", note=CTRL_EARLY),
    U(
        "Montebelluna",
        "UNVERIFIED for 1927: a 'probably' road-fill between Treviso and Feltre "
        "(historic-routes §2.2 row 51); no coordinate in the facts",
        [BELLUNOPRESS],
    ),
    U(
        "Quero",
        "UNVERIFIED for 1927 (attested only for 1929, Belluno police instructions); "
        "between Treviso and Feltre; no coordinate in the facts",
        [BELLUNOPRESS],
    ),
    U(
        "Alano di Piave",
        "UNVERIFIED for 1927 (attested only for 1929); between Treviso and "
        "Feltre; no coordinate in the facts",
        [BELLUNOPRESS],
    ),
    P(
        "Feltre",
        [MM_HIST_1927, BELLUNOPRESS],
        role="passage_control",
        note="punzonatura control, confirmed for 1927: around 04:00 a telegram from the Feltre "
        "control post told Castagneto the finish was near; on the route 1927–1933",
    ),
    U(
        "Fonzaso",
        "UNVERIFIED for 1927 (attested only for 1929); between Feltre and Vicenza; "
        "no coordinate in the facts",
        [BELLUNOPRESS],
    ),
    U(
        "Arsiè",
        "UNVERIFIED for 1927 (attested only for 1929); between Feltre and Vicenza; "
        "no coordinate in the facts",
        [BELLUNOPRESS],
    ),
    U(
        "Primolano",
        "memory, unverified (facts §2.2 reconstruction '(Primolano/Bassano, memory)'); "
        "between Feltre and Bassano del Grappa; no coordinate in the facts and its comune is not "
        "listed",
        [],
    ),
    P(
        "Bassano del Grappa",
        [],
        cert="unverified",
        cert_note="memory, unverified (facts §2.2 '(Primolano/Bassano, memory)'); not attested for "
        "any edition in the sources read",
    ),
    P(
        "Vicenza",
        [SPASS],
        cert="unverified",
        cert_note=SUPPORTED + " (only possible on the return)",
    ),
    P("Verona", [SPASS], cert="unverified", cert_note=SUPPORTED),
    P("Peschiera del Garda", [SPASS], cert="unverified", cert_note=SUPPORTED),
    P(
        "Sirmione",
        [SPASS],
        cert="unverified",
        cert_note=SUPPORTED + "; not in the facts §2.2 reconstruction line, but in "
        "historic-routes §2.2 row 56",
    ),
    P("Desenzano del Garda", [SPASS], cert="unverified", cert_note=SUPPORTED),
    P("Lonato del Garda", [SPASS], cert="unverified", cert_note=SUPPORTED),
    P("Rezzato", [SPASS], cert="unverified", cert_note=SUPPORTED),
    P(
        "Brescia",
        [MM_HIST_1927, QUOTIDIANO],
        role="finish",
        venue="viale Venezia",
        time_note="winners arrived ~06:02 on 27 Mar 1927",
        note="finish; winners Minoia/Morandi after 21h04m48s",
    ),
]

# ---------------------------------------------------------------------------
# 1955 - XXII Mille Miglia, 30 Apr - 1 May 1955, clockwise loop
# (facts §2.3; historic-routes §1.2-1.3)
# ---------------------------------------------------------------------------
RETRACED = "confirmed only through a 2013 tour that retraced the 1955 route"
SUPP55 = (
    "SUPPORTED only: on the 1955 route per the official passages statistic (S-PASS); "
    "its position in the order is inferred from geography, not stated by a source"
)
R1955 = [
    P(
        "Brescia",
        [ENWIKI_1955, GDB_1955],
        role="start",
        venue="viale Venezia / viale Rebuffone",
        time="21:00",
        time_note="first cars 21:00 on 30 Apr; Moss/Jenkinson (#722) left at 07:22 on 1 May",
    ),
    P("Rezzato", [SPASS], cert="unverified", cert_note=SUPP55),
    P("Lonato del Garda", [SPASS], cert="unverified", cert_note=SUPP55),
    P("Desenzano del Garda", [SPASS], cert="unverified", cert_note=SUPP55),
    P("Sirmione", [SPASS], cert="unverified", cert_note=SUPP55),
    P("Peschiera del Garda", [SPASS], cert="unverified", cert_note=SUPP55),
    P(
        "Verona",
        [CORSEDAUTO, GDB_1955],
        role="passage_control",
        note="first control point ('Al primo punto di controllo a Verona'); Marzotto led here",
    ),
    P("Vicenza", [MOTORSPORT_1986], note="Jenkinson: 'between Verona and Vicenza'"),
    P(
        "Padova",
        [MOTORSPORT_1986, WIKISUM],
        note="Jenkinson's straw-bale moment; Festari's fatal crash in via Goito, ~50 mi into "
        "the race",
    ),
    P("Rovigo", [SPASS], cert="unverified", cert_note=SUPP55),
    P("Ferrara", [SPASS], cert="unverified", cert_note=SUPP55),
    P(
        "Ravenna",
        [CRANK3, GDB_1955, CORSEDAUTO],
        role="passage_control",
        note="control with pits just beyond it (Jenkinson); Castellotti led here",
    ),
    P("Forlì", [CRANK3], note="'the fast winding road to Forlì … we went through Forlì'"),
    P("Cesena", [SPASS], cert="unverified", cert_note=SUPP55),
    P("Rimini", [CRANK3], note="'down the fast winding road to Rimini'"),
    U(
        "Riccione",
        "SUPPORTED by S-PASS (position inferred: between Rimini and Pesaro); no "
        "coordinate in the facts and the comune is not listed",
        [SPASS],
    ),
    U(
        "Cattolica",
        "SUPPORTED by S-PASS (position inferred: between Rimini and Pesaro); no "
        "coordinate in the facts and the comune is not listed",
        [SPASS],
    ),
    U(
        "Gabicce",
        "SUPPORTED by S-PASS (position inferred: between Rimini and Pesaro); no "
        "coordinate in the facts and the comune is not listed",
        [SPASS],
    ),
    P("Pesaro", [CRANK3], note="'approaching Pesaro, where there was a sharp right corner'"),
    P("Fano", [SPASS], cert="unverified", cert_note=SUPP55),
    P("Senigallia", [SPASS], cert="unverified", cert_note=SUPP55),
    P("Ancona", [SPASS], cert="unverified", cert_note=SUPP55),
    P(
        "Porto Recanati",
        [SPASS],
        cert="unverified",
        cert_note="PROBABLY SUPPORTED: the S-PASS excerpt is cut off at 'Porto Recan…'; position "
        "inferred from geography",
    ),
    U(
        "San Benedetto del Tronto",
        "CONFIRMED for 1955 (race passed every year 1949–1957; photo of #722 there), but no "
        "coordinate in the facts and the comune is not listed; between Porto Recanati and "
        "Tortoreto Lido",
        [RIVIERAOGGI, RACERS_RT],
        cert="confirmed",
    ),
    P(
        "Tortoreto Lido",
        [WIKISUM],
        note="Brinci's fatal crash, 'just north of the 20th checkpoint at Giulianova', ~300 mi "
        "into the race",
    ),
    P(
        "Giulianova",
        [WIKISUM],
        role="passage_control",
        note="the '20th checkpoint' (en.wikipedia via wikisum), ~300 mi / ~480 km into the race",
    ),
    P(
        "Pescara",
        [GDB_1955, CORSEDAUTO, MOTORSPORT_PESCARA, ESPN],
        role="passage_control",
        note="timing point ('a Pescara era in testa Taruffi'; 'rilevamento in Abruzzo'); Moss's "
        "Brescia–Pescara sector record 189.981 km/h; the route turns inland here",
    ),
    P("Popoli", [CALEDONIAN], note=RETRACED),
    P(
        "L'Aquila",
        [],
        cert="unverified",
        cert_note="UNVERIFIED: commonly cited (facts §2.3 list is 'memory, unverified'); "
        "no source read names it",
    ),
    U(
        "Antrodoco",
        "UNVERIFIED (historic-routes §1.2 row 21, in parentheses); between L'Aquila and "
        "Rieti; no coordinate in the facts and the comune is not listed",
        [],
    ),
    P(
        "Rieti",
        [],
        cert="unverified",
        cert_note="UNVERIFIED: commonly cited; no source read names it. Terni was not on the route "
        "from 1953, which fits an Aquila–Rieti–Salaria approach to Rome",
    ),
    P(
        "Roma",
        [GDB_1955, CORSEDAUTO],
        role="passage_control",
        note="turning point and timing point ('A giro di boa di Roma il leader è proprio Moss'); "
        "Moss's Brescia–Roma sector record 173.050 km/h",
    ),
    P("Vetralla", [CALEDONIAN], note=RETRACED),
    P("Viterbo", [SPASS], cert="unverified", cert_note=SUPP55),
    P("Radicofani", [SPASS], cert="unverified", cert_note=SUPP55),
    P("San Quirico d'Orcia", [SPASS], cert="unverified", cert_note=SUPP55),
    P(
        "Siena",
        [CRANK4, SPASS],
        role="passage_control",
        note="'At the Siena control we had no idea of whether we were still leading'; Moss's spin "
        "into a ditch happened before Siena",
    ),
    P("Poggibonsi", [SPASS], cert="unverified", cert_note=SUPP55),
    P(
        "Firenze",
        [CRANK4, DRIVR, SPASS],
        note="'On the winding road from Siena to Florence'; commonly said to be a control - "
        "UNVERIFIED as a control for 1955",
    ),
    P("Passo della Futa", [GDB_1955, ESPN, SPASS]),
    P("Passo della Raticosa", [GDB_1955, ESPN, SPASS]),
    P(
        "Bologna",
        [SPASS],
        cert="unverified",
        cert_note=SUPP55 + "; also commonly said to be a control (UNVERIFIED)",
    ),
    P("Modena", [SPASS], cert="unverified", cert_note=SUPP55),
    P(
        "Reggio Emilia",
        [SPASS],
        cert="unverified",
        cert_note=SUPP55,
        coord="Reggio nell'Emilia",
        coord_note="ISTAT comune point of Reggio nell'Emilia (italy_geo.json, facts §4)",
    ),
    P("Parma", [SPASS], cert="unverified", cert_note=SUPP55),
    P(
        "Piacenza",
        [SPASS],
        cert="unverified",
        cert_note=SUPP55 + " (every edition from 1934 except 1940)",
    ),
    P(
        "Cremona",
        [CORSEDAUTO, ESPN, SPASS],
        role="passage_control",
        note="start of the timed Gran Premio Tazio Nuvolari stretch to Brescia (~83 mi / ~133 km); "
        "Moss's Cremona–Brescia record 198.464 km/h. Motor Sport puts the stretch's start at "
        "Mantua instead (conflict)",
    ),
    P(
        "Mantova",
        [MOTORSPORT_2005],
        note="Motor Sport places the Nuvolari-cup stretch 'from Mantua to Brescia'; 83 mi fits "
        "Cremona→Mantova→Brescia",
    ),
    P(
        "Brescia",
        [ENWIKI_1955, GDB_1955],
        role="finish",
        venue="viale Venezia / viale Rebuffone",
        note="finish; Moss/Jenkinson in 10h07m48s, 157.650 km/h",
    ),
]

# ---------------------------------------------------------------------------
# Route-level tables
# ---------------------------------------------------------------------------
NOT_FOUND_2020 = (
    "Stage length NOT FOUND in the stored sources; whole race 'oltre 1700 km' (official)."
)

ROUTES = [
    {
        "route_id": "2020-stage-1",
        "edition": 2020,
        "stage": 1,
        "name": "Stage 1: Brescia → Cervia-Milano Marittima",
        "date": "2020-10-22",
        "start_time": "14:00",
        "start_time_note": None,
        "planned_arrival": "22:00",
        "arrival_note": "first arrivals ~22:00",
        "cars_starting": 356,
        "cars_starting_note": "356 starters per the official source ('Su 356 partite'); the seed "
        "also says 356 cars on stage 1. Not used: 359 (motor1), 365 "
        "(ravennanotizie headline), 419 (ciclootto).",
        "cars_starting_source": [OFFICIAL_WIN, QUIBRESCIA_26, SEED],
        "official_length_km": None,
        "official_length_note": NOT_FOUND_2020,
        "winner": None,
        "extra_sources": [MOTORIONLINE, LEMUSE, NEWSAUTO, QUIBRESCIA_22, ANSA_22],
        "notes": "At least 11 precision trials before Cervia (standings 'at precision test 11'; "
        "ANSA/quibrescia). In 2020 stamp controls were checked in transit (Covid). "
        "Parco Giardino Sigurtà is uncertain for 2020.",
        "rows": STAGE_1,
    },
    {
        "route_id": "2020-stage-2",
        "edition": 2020,
        "stage": 2,
        "name": "Stage 2: Cervia-Milano Marittima → Roma",
        "date": "2020-10-23",
        "start_time": "06:10",
        "start_time_note": None,
        "planned_arrival": "21:00",
        "arrival_note": "shortly after 21:00 (reported arrival in via Veneto; no planned time "
        "in the sources)",
        "cars_starting": 356,
        "cars_starting_note": "356 per the seed ('Second day of the race for the 356 cars'; "
        "facts §7: 356 starters on stages 1–2). The ravennanotizie "
        "headline says 365 left Cervia (conflict, not used).",
        "cars_starting_source": [SEED, OFFICIAL_WIN],
        "official_length_km": None,
        "official_length_note": NOT_FOUND_2020,
        "winner": None,
        "extra_sources": [LEMUSE, NEWSAUTO, RAVENNANOTIZIE],
        "notes": "Start in fog. 'Strada della Romanella' (seed only) between Amatrice and Rieti "
        "cannot be located. Stamp controls checked in transit (Covid).",
        "rows": STAGE_2,
    },
    {
        "route_id": "2020-stage-3",
        "edition": 2020,
        "stage": 3,
        "name": "Stage 3: Roma → Parma",
        "date": "2020-10-24",
        "start_time": "06:30",
        "start_time_note": None,
        "planned_arrival": "21:00",
        "arrival_note": "planned 21:00–21:30 (seed: 'Arrival expected from 9.30 pm')",
        "cars_starting": 306,
        "cars_starting_note": "306 cars started stage 3 in Rome (quibrescia 24 Oct; seed).",
        "cars_starting_source": [QUIBRESCIA_24, SEED],
        "official_length_km": None,
        "official_length_note": NOT_FOUND_2020 + " The longest stage: 'oltre 550 km' per "
        "quibrescia and the seed (not an official figure).",
        "winner": None,
        "extra_sources": [],
        "notes": "Longest stage; heavy rain; more than 40 special stages (quibrescia); the Cisa "
        "was crossed in the dark and fog. The Ferrari Tribute (a separate event) went "
        "Cisa → Fornovo → Varano → Pellegrino Parmense → Salsomaggiore that evening: its "
        "times (Cisa 18:30, Poggio di Berceto 18:45) are not the historic race's. "
        "Valdelsa is an area and is not located.",
        "rows": STAGE_3,
    },
    {
        "route_id": "2020-stage-4",
        "edition": 2020,
        "stage": 4,
        "name": "Stage 4: Parma → Brescia",
        "date": "2020-10-25",
        "start_time": "07:30",
        "start_time_note": "CONFLICT: 07:30 per automotocorse, 07:45 per parmadaily",
        "planned_arrival": "15:30",
        "arrival_note": "finish from 15:30",
        "cars_starting": 300,
        "cars_starting_note": "approximate: 'i 300 equipaggi ancora in gara' at the start of "
        "stage 4; 296 cars finished (official).",
        "cars_starting_source": [MM_1825, CORRIEREQ],
        "official_length_km": None,
        "official_length_note": NOT_FOUND_2020,
        "winner": None,
        "extra_sources": [OFFICIAL_WIN, GDB_WIN],
        "notes": "Battery of track time trials at Varano. The pre-Covid plan for the last day "
        "(Salsomaggiore – Castell'Arquato – Cernusco sul Naviglio – Milano – Bergamo) was "
        "replaced by Lodi – Pandino – Treviglio. Stamp control at Travagliato (not "
        "located). Pontoglio, Chiari and Rovato come from 2020-results §4. Only the top 3 "
        "crossed the podium ramp; prize-giving at Brixia Expo.",
        "rows": STAGE_4,
    },
    {
        "route_id": "1927",
        "edition": 1927,
        "stage": None,
        "name": "1927 figure-eight course",
        "date": "1927-03-26",
        "start_time": "08:00",
        "start_time_note": None,
        "planned_arrival": None,
        "arrival_note": "winners Minoia/Morandi finished ~06:02 on 27 Mar 1927",
        "cars_starting": 77,
        "cars_starting_note": "77 starters (all Italian). Finishers uncertain: 55 (it.wikipedia), "
        "54 (1000miglia.it 2013), 51 (seed).",
        "cars_starting_source": [ITWIKI_1927, MM_HIST_1927, SEED],
        "official_length_km": 1618,
        "official_length_note": "Sources conflict: 1,618 km (en.wikipedia-derived: gtplanet, "
        "1000migliaravenna.it, seed), 1,628.2 km (it.wikipedia, "
        "bresciasport), 1,639.7 km (de.wikipedia mirror).",
        "length_sources": [GTPLANET, MM_RAVENNA, ITWIKI_1927, BRESCIASPORT, ASKWIKI_DE],
        "winner": {
            "crew": "Ferdinando Minoia / Giuseppe Morandi",
            "car": 'OM 665 "Superba" S',
            "car_number": 14,
            "time": "21h04m48s",
            "average_speed_kmh": 77.238,
            "note": "Brescia–Roma in 7h25m00s (regulations table); car number #14 per the seed; "
            "2nd T. Danieli/Balestrero, 3rd M. Danieli/Rosa, both OM 665",
            "source": " ; ".join([ITWIKI_1927, MM_HIST_1927, REGULATIONS, SEED]),
        },
        "extra_sources": [],
        "notes": "Figure eight: Bologna is passed twice (outbound via Parma–Modena and on the "
        "return from the Adriatic) = the crossing of the eight; turning point Rome "
        "(km 587). "
        "Orders 1–32 are the it.wikipedia list. The tail after Fossato di Vico is partly "
        "reconstructed: controls Tolentino–Macerata–Loreto–Ancona–Bologna–Treviso–Feltre "
        "come from a list for the 1927–1933 editions in general; the other towns are "
        "only 'supported' by the passages statistic or are memory (Faenza, Imola, "
        "Primolano, Bassano). No town is sourced between Fossato di Vico and Tolentino "
        "(the line is drawn straight there). Cremona and Piacenza were not on the "
        "1927 route.",
        "rows": R1927,
    },
    {
        "route_id": "1955",
        "edition": 1955,
        "stage": None,
        "name": "1955 course",
        "date": "1955-04-30",
        "start_time": "21:00",
        "start_time_note": "first cars 21:00 on 30 Apr; car numbers = start times",
        "planned_arrival": None,
        "arrival_note": "winner Moss/Jenkinson (#722, started 07:22 on 1 May) took 10h07m48s",
        "cars_starting": 534,
        "cars_starting_note": "CONFLICT: 534 started per en.wikipedia (and alvolante); 521 per "
        "sportscardigest (giornaledibrescia and gazzettadiparma also say "
        "521). "
        "534 used here. Finishers: 274 (alvolante) vs 281 (sportscardigest).",
        "cars_starting_source": [ENWIKI_1955, ALVOLANTE, SPORTSCARDIGEST, GDB_1955, GAZZPARMA_MOSS],
        "official_length_km": 1597,
        "official_length_note": "1,597 km (992.332 mi) per en.wikipedia and corriere; "
        "outliers: ANSA 1,592 km, a blog 1,650 km.",
        "length_sources": [ENWIKI_1955, CORRIERE_BS, ANSA_MOSS],
        "winner": {
            "crew": "Stirling Moss / Denis Jenkinson",
            "car": "Mercedes-Benz 300 SLR",
            "car_number": 722,
            "time": "10h07m48s",
            "average_speed_kmh": 157.65,
            "note": "left Brescia at 07:22 on 1 May; 2nd Juan Manuel Fangio (300 SLR), +32 min",
            "source": " ; ".join([ENWIKI_1955, ANSA_MOSS, GDB_1955, ALVOLANTE]),
        },
        "extra_sources": [ESPN],
        "notes": "Single clockwise loop: east through the Veneto, down the Adriatic to Pescara, "
        "inland to Rome, north through Tuscany over Futa and Raticosa, back through the "
        "Po valley. Towns marked unverified are only 'supported' by the passages "
        "statistic "
        "(position inferred) or unverified (L'Aquila, Rieti). Terni was not on the route "
        "from 1953. Gran Premio Nuvolari stretch: from Cremona (ESPN, corsedauto) or from "
        "Mantua (Motor Sport). No control kilometres were found.",
        "rows": R1955,
    },
]


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------
def coordinate(row):
    """Return ([lon, lat], coord_source, coord_certainty) for a P row."""
    key = row["coord"]
    if key in COMUNI:
        lat, lon = COMUNI[key]
        certainty = "comune point"
        source = COMUNE_SOURCE
    elif key in APPROX:
        lat, lon, wording = APPROX[key]
        certainty = "approximate"
        source = APPROX_SOURCE.format("'" + wording + "'")
    else:
        raise KeyError(f"no coordinate for {row['name']!r} (key {key!r})")
    if row["coord_note"]:
        source = row["coord_note"]
    if row["coord_cert"]:
        certainty = row["coord_cert"]
    return [round(lon, 4), round(lat, 4)], source, certainty


def add_sources(sources, urls):
    """Append each url not yet in sources, keeping first-seen order."""
    for u in urls:
        if u and u not in sources:
            sources.append(u)


def build():
    route_features, place_features = [], []
    for route in ROUTES:
        rid = route["route_id"]
        points, unlocated, sources = [], [], []
        for row in route["rows"]:
            add_sources(sources, row["src"])
            if row["type"] == "U":
                unlocated.append(
                    {
                        "name": row["name"],
                        "reason": row["reason"],
                        "certainty": row["cert"],
                        "source": " ; ".join(row["src"]) or None,
                    }
                )
                continue
            coords, coord_source, coord_certainty = coordinate(row)
            order = len(points) + 1
            points.append(
                {
                    "type": "Feature",
                    "id": f"{rid}:{order:02d}",
                    "geometry": {"type": "Point", "coordinates": coords},
                    "properties": {
                        "kind": "place",
                        "route_id": rid,
                        "edition": route["edition"],
                        "stage": route["stage"],
                        "order": order,
                        "name": row["name"],
                        "venue": row["venue"],
                        "role": row["role"],
                        "planned_time": row["time"],
                        "time_note": row["time_note"],
                        "certainty": row["cert"],
                        "certainty_note": row["cert_note"],
                        "coord_source": coord_source,
                        "coord_certainty": coord_certainty,
                        "source": " ; ".join(row["src"]) or None,
                        "note": row["note"],
                    },
                }
            )
        add_sources(sources, route["cars_starting_source"])
        add_sources(sources, route.get("length_sources", []))
        add_sources(sources, route["extra_sources"])
        line = [p["geometry"]["coordinates"] for p in points]  # points are built in order
        route_features.append(
            {
                "type": "Feature",
                "id": rid,
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {
                    "kind": "route",
                    "route_id": rid,
                    "edition": route["edition"],
                    "stage": route["stage"],
                    "name": route["name"],
                    "date": route["date"],
                    "start": points[0]["properties"]["name"],
                    "finish": points[-1]["properties"]["name"],
                    "start_time": route["start_time"],
                    "start_time_note": route["start_time_note"],
                    "planned_arrival": route["planned_arrival"],
                    "arrival_note": route["arrival_note"],
                    "cars_starting": route["cars_starting"],
                    "cars_starting_note": route["cars_starting_note"],
                    "cars_starting_source": " ; ".join(route["cars_starting_source"]),
                    "official_length_km": route["official_length_km"],
                    "official_length_note": route["official_length_note"],
                    "winner": route["winner"],
                    "sources": sources,
                    "unlocated_places": unlocated,
                    "notes": route["notes"],
                },
            }
        )
        place_features.extend(points)
    return {"type": "FeatureCollection", "features": route_features + place_features}


# ---------------------------------------------------------------------------
# Checks and summary
# ---------------------------------------------------------------------------
ROLES = {"start", "finish", "town", "lunch", "dinner", "time_trial", "passage_control"}
CERTAINTIES = {"confirmed", "unverified", "conflicting"}


def haversine_km(a, b):
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def validate(fc):
    """RFC 7946 basics plus the project's own rules. Returns a list of errors."""
    err = []
    if fc.get("type") != "FeatureCollection":
        err.append("top level is not a FeatureCollection")
    if "crs" in fc:
        err.append("'crs' member present")
    for i, f in enumerate(fc["features"]):
        tag = f"feature {i} ({f.get('id')})"
        if f.get("type") != "Feature" or "properties" not in f or "geometry" not in f:
            err.append(f"{tag}: not a Feature with geometry and properties")
            continue
        g = f["geometry"]
        kind = f["properties"].get("kind")
        positions = [g["coordinates"]] if g["type"] == "Point" else g["coordinates"]
        if (kind, g["type"]) not in {("route", "LineString"), ("place", "Point")}:
            err.append(f"{tag}: kind {kind} with geometry {g['type']}")
        if g["type"] == "LineString" and len(positions) < 2:
            err.append(f"{tag}: LineString with fewer than 2 positions")
        for pos in positions:
            if len(pos) != 2 or not all(isinstance(v, (int, float)) for v in pos):
                err.append(f"{tag}: bad position {pos}")
                continue
            lon, lat = pos
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                err.append(f"{tag}: position out of range {pos}")
            if not (6 <= lon <= 19 and 36 <= lat <= 47.5):  # Italy: catches swapped lat/lon
                err.append(f"{tag}: position outside Italy {pos} (lat/lon swapped?)")
            if any(round(v, 4) != v for v in pos):
                err.append(f"{tag}: more than 4 decimals {pos}")
        p = f["properties"]
        if kind == "place":
            if p["role"] not in ROLES:
                err.append(f"{tag}: role {p['role']}")
            if p["certainty"] not in CERTAINTIES:
                err.append(f"{tag}: certainty {p['certainty']}")
            if (p["certainty"] == "confirmed") != (p["certainty_note"] is None):
                err.append(f"{tag}: certainty_note must be null exactly when confirmed")
            if p["coord_certainty"] not in {"comune point", "approximate"}:
                err.append(f"{tag}: coord_certainty {p['coord_certainty']}")
            for t in (p["planned_time"],):
                if t is not None and not (
                    len(t) == 5 and t[2] == ":" and t[:2].isdigit() and t[3:].isdigit()
                ):
                    err.append(f"{tag}: planned_time {t!r} is not HH:MM")
    return err


def check_race_facts(fc):
    """Sanity checks named in the brief. Returns a list of errors."""
    err = []
    routes = {
        f["properties"]["route_id"]: f for f in fc["features"] if f["properties"]["kind"] == "route"
    }
    places = {}
    for f in fc["features"]:
        if f["properties"]["kind"] == "place":
            places.setdefault(f["properties"]["route_id"], []).append(f)
    ids = ["2020-stage-1", "2020-stage-2", "2020-stage-3", "2020-stage-4", "1927", "1955"]
    if [f["properties"]["route_id"] for f in fc["features"][:6]] != ids:
        err.append("the six routes are not first, in order")
    # places grouped by route, in order
    seen = [(f["properties"]["route_id"], f["properties"]["order"]) for f in fc["features"][6:]]
    if seen != sorted(seen, key=lambda t: (ids.index(t[0]), t[1])):
        err.append("place features are not grouped by route in order")
    for rid in ids:
        pts = sorted(places[rid], key=lambda f: f["properties"]["order"])
        if [f["properties"]["order"] for f in pts] != list(range(1, len(pts) + 1)):
            err.append(f"{rid}: orders are not 1..n")
        if routes[rid]["geometry"]["coordinates"] != [f["geometry"]["coordinates"] for f in pts]:
            err.append(f"{rid}: LineString differs from its Points")
        if pts[0]["properties"]["role"] != "start" or pts[-1]["properties"]["role"] != "finish":
            err.append(f"{rid}: first/last place is not start/finish")
        rp = routes[rid]["properties"]
        ends = (pts[0]["properties"]["name"], pts[-1]["properties"]["name"])
        if (rp["start"], rp["finish"]) != ends:
            err.append(f"{rid}: start/finish names differ from the places")
    for n in (1, 2, 3):
        a = sorted(places[f"2020-stage-{n}"], key=lambda f: f["properties"]["order"])[-1]
        b = sorted(places[f"2020-stage-{n + 1}"], key=lambda f: f["properties"]["order"])[0]
        if (a["properties"]["name"], a["geometry"]["coordinates"]) != (
            b["properties"]["name"],
            b["geometry"]["coordinates"],
        ):
            err.append(f"stage {n} finish does not chain to stage {n + 1} start")

    def find(rid, name):
        return [f["properties"] for f in places[rid] if f["properties"]["name"] == name]

    s3_lunch = [
        f["properties"]["name"]
        for f in places["2020-stage-3"]
        if f["properties"]["role"] == "lunch"
    ]
    if s3_lunch != ["Siena"]:
        err.append(f"stage 3 lunch is {s3_lunch}")
    if [p["role"] for p in find("2020-stage-4", "Varano de' Melegari")] != ["time_trial"]:
        err.append("stage 4 has no Varano time_trial")
    if [p["planned_time"] for p in find("2020-stage-4", "Lodi")] != ["11:15"]:
        err.append("Lodi is not 11:15")
    treviglio = [(p["role"], p["planned_time"]) for p in find("2020-stage-4", "Treviglio")]
    if treviglio != [("lunch", "12:45")]:
        err.append("Treviglio is not lunch at 12:45")
    if [p["planned_time"] for p in find("2020-stage-4", "Castell'Arquato")] != ["09:40"]:
        err.append("Castell'Arquato is not 09:40")
    if [p["role"] for p in find("2020-stage-1", "Ferrara")] != ["dinner"]:
        err.append("Ferrara is not the stage 1 dinner")
    if [p["role"] for p in find("2020-stage-2", "Fabriano")] != ["lunch"]:
        err.append("Fabriano is not the stage 2 lunch")
    bologna = [p["order"] for p in find("1927", "Bologna")]
    if len(bologna) != 2 or bologna[0] == bologna[1]:
        err.append(f"1927 Bologna orders: {bologna}")
    if not find("1955", "Cremona"):
        err.append("1955 course does not pass Cremona")
    return err


def summary(fc):
    print(f"{'route':<14} {'places':>6} {'unlocated':>9} {'length km':>10}  start → finish")
    for f in fc["features"]:
        p = f["properties"]
        if p["kind"] != "route":
            continue
        c = f["geometry"]["coordinates"]
        km = sum(haversine_km(c[i], c[i + 1]) for i in range(len(c) - 1))
        print(
            f"{p['route_id']:<14} {len(c):>6} {len(p['unlocated_places']):>9} {km:>10.1f}  "
            f"{p['start']} → {p['finish']}"
        )
    print("(length = straight haversine segments through the located places, not road distance)")


def main():
    fc = build()
    problems = validate(fc) + check_race_facts(fc)
    OUT_PATH.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(fc, ensure_ascii=False, indent=1) + "\n"
    OUT_PATH.write_text(text, encoding="utf-8")
    # re-read what was written and check it round-trips
    if json.loads(OUT_PATH.read_text(encoding="utf-8")) != fc:
        problems.append("written file does not round-trip")
    print(f"wrote {OUT_PATH} ({len(fc['features'])} features, {len(text.encode('utf-8'))} bytes)")
    summary(fc)
    if problems:
        print("\nPROBLEMS:", *problems, sep="\n  ")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
