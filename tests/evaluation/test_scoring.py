from datetime import date
from decimal import Decimal

import pytest

from evaluation.scoring import expected_progress, planned_value, score

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


# --- milestones: the plan runs through them -------------------------------------------------------

# Baseline 0 at 2024-01-01, target 100 at 2026-01-01 (BASE); a steep first year: 80 by 2025-01-01.
STEEP = [(HALFWAY, D(80))]
# A slow first year: 10 by 2025-01-01.
SLOW = [(HALFWAY, D(10))]


def test_expected_progress_runs_through_the_milestones():
    def expected(day, milestones):
        dates = (BASE["baseline_date"], BASE["target_date"])
        return expected_progress(*dates, day, milestones, baseline=D(0), target=D(100))

    assert expected(HALFWAY, STEEP) == 80
    assert expected(date(2024, 7, 1), STEEP) == D("39.8")  # 182 of 366 days towards 80
    assert expected(date(2025, 7, 2), STEEP) == D("90.0")  # halfway from 80 to 100
    assert expected(date(2027, 1, 1), STEEP) == 100
    assert expected(date(2023, 1, 1), STEEP) == 0
    # Without a target the milestones cannot be read: the straight line.
    assert expected_progress(
        BASE["baseline_date"], BASE["target_date"], HALFWAY, STEEP, baseline=D(0), target=None
    ) == D("50.1")


def test_a_kpi_behind_a_steep_early_milestone_is_at_risk_where_the_straight_line_is_on_track():
    assert status(D(50)) == "on_track"  # 50 against the even pace's 50.1
    assert status(D(50), milestones=STEEP) == "off_track"  # 30 behind the milestone's 80
    assert status(D(60), milestones=STEEP) == "at_risk"  # 20 behind


def test_a_kpi_ahead_of_a_slow_early_milestone_is_on_track_where_the_straight_line_is_not():
    assert status(D(20)) == "off_track"  # 30 behind the even pace
    assert status(D(20), milestones=SLOW) == "on_track"  # ahead of the milestone's 10


def test_milestones_of_a_decreasing_kpi_and_as_rows():
    class Row:
        date, value = HALFWAY, D(40)  # from 100 down to 40 in the first year: 75 % of the way

    decrease = {"baseline": D(100), "target": D(20), "decrease": True}
    result = score(**{**BASE, **decrease}, current=D(60), today=HALFWAY, milestones=[Row()])
    assert result.expected == 75 and result.progress == 50 and result.status == "at_risk"
    assert status(D(60), **decrease) == "on_track"  # the straight line asks for 50 %


def test_milestones_outside_the_dates_are_ignored_and_expected_stays_within_0_and_100():
    outside = [(date(2023, 6, 1), D(90)), (date(2026, 6, 1), D(500))]
    assert score(**BASE, current=D(50), today=HALFWAY, milestones=outside).expected == D("50.1")
    overshoot = [(HALFWAY, D(300))]
    assert score(**BASE, current=D(50), today=HALFWAY, milestones=overshoot).expected == 100


def test_the_planned_value_of_a_day():
    plan = {**BASE, "milestones": STEEP}
    assert planned_value(**plan, day=date(2023, 1, 1)) == 0
    assert planned_value(**plan, day=HALFWAY) == 80
    assert planned_value(**plan, day=date(2030, 1, 1)) == 100
    assert planned_value(**{**plan, "target": None}, day=HALFWAY) is None
    assert planned_value(**BASE, day=HALFWAY) == D(100) * 366 / 731
