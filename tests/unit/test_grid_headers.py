"""The standings grid's headers: an abbreviated header ('Pos.', 'N.', 'Var.') says its full
name in its tooltip, in both languages."""

from __future__ import annotations

import pytest

from dashboard.components.standings import standings_grid


@pytest.mark.parametrize("lang", ["en", "it"])
def test_every_abbreviated_header_has_its_full_name_in_a_tooltip(lang):
    columns = standings_grid([], lang).columnDefs
    short = [c for c in columns if c["headerName"].endswith(".")]
    assert {c["field"] for c in short} >= {"position", "car_number"}
    for column in short:
        tooltip = column.get("headerTooltip", "")
        assert len(tooltip) > len(column["headerName"]), column["field"]
