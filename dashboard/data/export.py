"""Standings as CSV for download, safe to open in a spreadsheet.

A cell that starts with =, +, -, @ (or a tab / carriage return) could be run as a formula by
Excel or LibreOffice; such cells get a leading apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_COLUMNS = {
    "position": "position",
    "position_change": "position_change",
    "car_number": "car_number",
    "driver": "driver",
    "co_driver": "co_driver",
    "car": "car",
    "car_year": "car_year",
    "points": "points",
    "gap_to_leader": "points_behind_leader",
    "gap_to_ahead": "points_behind_crew_ahead",
}


def safe_cell(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def ranking_csv(ranking: pd.DataFrame, checkpoint: dict) -> str:
    """One checkpoint's ranking as CSV text, with its label and sources as comment lines."""
    out = io.StringIO()
    for key in ("label", "stage", "order", "time", "place"):
        if checkpoint.get(key) is not None:
            name = "checkpoint" if key == "label" else key
            out.write(f"# {name}: {safe_cell(checkpoint[key])}\n")
    for source in checkpoint.get("sources") or []:
        out.write(f"# source: {safe_cell(source)}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS.values())
    for row in ranking.to_dict("records"):
        writer.writerow([safe_cell(row.get(column)) for column in EXPORT_COLUMNS])
    return out.getvalue()
