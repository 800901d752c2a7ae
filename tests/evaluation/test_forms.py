"""The scoreboard's forms take the bounds of every other form: dates in the portal's years, whole
numbers in the database's range."""

import pytest

from evaluation.forms import AssessmentForm, ReviewAnswerForm, SignOffForm


@pytest.mark.parametrize(
    ("form", "data"),
    [
        (SignOffForm, {"period_end": "9999-12-31"}),
        (AssessmentForm, {"date": "0001-01-01"}),
        (ReviewAnswerForm, {"review": "9" * 40}),
    ],
)
def test_far_dates_and_huge_numbers_are_refused(form, data):
    bound = form(data)
    assert not bound.is_valid()
    assert list(bound.errors) == list(data)


def test_ordinary_values_pass():
    assert SignOffForm({"period_end": "2026-03-31"}).is_valid()
    assert ReviewAnswerForm({"review": "12", "response": "Done"}).is_valid()
