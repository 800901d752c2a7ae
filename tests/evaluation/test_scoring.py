from datetime import date
from decimal import Decimal

import pytest

from evaluation.scoring import expected_progress, score

D = Decimal
BASE = {
    "baseline": D(0),
    "target": D(100),
    "baseline_date": date(2024, 1, 1),
    "target_date": date(2026, 1, 1),
}
HALFWAY = date(2025, 1, 1)  # 366 of 731 days: expected 50.1 %


def status(current, today=HALFWAY, **overrides):
    return score(**{**BASE, **overrides}, current=current, today=today).status


def test_expected_progress_is_a_straight_line():
    assert expected_progress(date(2024, 1, 1), date(2026, 1, 1), date(2023, 6, 1)) == 0
    assert expected_progress(date(2024, 1, 1), date(2026, 1, 1), HALFWAY) == D("50.1")
    assert expected_progress(date(2024, 1, 1), date(2026, 1, 1), date(2027, 1, 1)) == 100


@pytest.mark.parametrize(
    ("current", "expected_status"),
    [
        (D(100), "achieved"),
        (D("99.9"), "on_track"),
        (D("40.1"), "on_track"),  # exactly 10 points behind 50.1
        (D("40.0"), "at_risk"),
        (D("25.1"), "at_risk"),  # exactly 25 points behind
        (D("25.0"), "off_track"),
        (D(0), "off_track"),
        (None, "no_data"),
    ],
)
def test_each_status_at_its_boundaries(current, expected_status):
    assert status(current) == expected_status


def test_a_decreasing_kpi_progresses_downwards():
    decrease = {"baseline": D(100), "target": D(20), "decrease": True}
    assert status(D(20), **decrease) == "achieved"
    assert status(D(60), **decrease) == "on_track"  # halfway down at halfway
    assert status(D(95), **decrease) == "off_track"


def test_no_target_means_no_data():
    assert status(D(50), target=None) == "no_data"
