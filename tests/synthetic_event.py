"""A SYNTHETIC full event for tests (never shown as the real race): N crews x M rankings across
the four stages, written as ranking files in the real format. The same files as
bench/synthetic_event.py writes (the tests do not import the benchmarks).
"""

from __future__ import annotations

import random
from pathlib import Path

HEADER = "position,car_number,driver,co_driver,car,car_year,points,points_behind_leader"
CARS = [
    "Alfa Romeo 6C 1750 SS",
    "Lancia Lambda",
    "Bugatti T37",
    "O.M. 665 S",
    "Fiat 508 S",
    "Mercedes-Benz 300 SL",
    "Porsche 356",
    "Jaguar XK120",
    "Ferrari 166 MM",
    "MG TB",
]


FIRST_NAMES = ["Alba", "Bruno", "Carla", "Dario", "Elena", "Fabio", "Gina", "Ivo", "Luca", "Marta"]
SYLLABLES = ["ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru", "sa", "te", "vi", "zo"]


def surname(index: int) -> str:
    """A distinct made-up surname per index (letters only, as crew matching ignores digits)."""
    parts = []
    for _ in range(3):
        index, digit = divmod(index, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
    return "".join(parts).capitalize() + ("" if index == 0 else SYLLABLES[index % 14])


def write_event(folder: Path, crews: int = 400, rankings: int = 120, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    skill = [rng.gauss(100, 15) for _ in range(crews)]
    points = [0.0] * crews
    paths = []
    per_stage = rankings // 4
    for index in range(rankings):
        stage = min(index // per_stage + 1, 4)
        for crew in range(crews):
            points[crew] += max(0.0, rng.gauss(skill[crew], 20))
        order = sorted(range(crews), key=lambda c: -points[c])
        lines = [
            f"# checkpoint: SYNTHETIC time trial {index + 1}",
            f"# stage: {stage}",
            f"# order: {index + 1}",
            "# source: tests/synthetic_event.py (synthetic data, not the real race)",
            HEADER,
        ]
        for position, crew in enumerate(order, start=1):
            number = crew + 1
            lines.append(
                f"{position},{number},{FIRST_NAMES[crew % 10]} {surname(2 * crew)},"
                f"{FIRST_NAMES[(crew + 3) % 10]} {surname(2 * crew + 1)},"
                f"{CARS[crew % len(CARS)]},{1925 + crew % 33},{int(points[crew])},"
            )
        path = folder / f"synthetic-{index + 1:03d}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
