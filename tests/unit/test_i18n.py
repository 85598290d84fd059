"""Numbers and dates on Babel (dashboard/i18n.py): the chart labels' quick formatter writes
every whole number as format_number does, in both languages."""

from __future__ import annotations

import random
from datetime import date

import pytest

from dashboard.i18n import LANGUAGES, format_date, format_number, number_formatter

WHOLE = [0, 1, 9, 999, 1000, 9999, 10_000, 67_276, 999_999, 1_000_000, 10_000_000, -1234]
WHOLE += random.Random(3).sample(range(0, 100_000_000), 300)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_chart_labels_formatter_writes_what_format_number_writes(lang):
    number = number_formatter(lang)
    assert [number(v) for v in WHOLE] == [format_number(v, lang) for v in WHOLE]
    assert number(None) == format_number(None, lang) == "–"


def test_italian_and_english_separators():
    assert format_number(67276, "it") == "67.276" and format_number(67276, "en") == "67,276"
    assert number_formatter("it")(1234567) == "1.234.567"
    assert format_number(1234.5678, "it", 3) == "1.234,568"
    assert format_number(1234.5678, "en", 3) == "1,234.568"
    assert format_number(float("nan"), "it") == "–"


def test_dates_day_month_year_in_both_languages():
    assert format_date(date(2020, 10, 24), "en", weekday=False) == "24 October 2020"
    assert format_date("2020-10-24", "it") == "sabato 24 ottobre 2020"
    assert format_date(None, "it") == "–"
