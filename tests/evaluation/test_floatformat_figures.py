"""The targets page writes its figures out itself (``evaluation.labels.Figures``): the same
text as ``|floatformat``, whatever the number and the language."""

import random
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from evaluation.labels import NONE, Figures

FIXED = [
    "0",
    "-0",
    "0.00",
    "-0.004",
    "0.005",
    "-0.005",
    "1",
    "-1",
    "2.5",
    "2.675",
    "2.665",
    "2.005",
    "12.50",
    "0.10",
    "99.995",
    "-99.995",
    "1234567.891",
    "123456789012345.125",
    "1E+3",
    "1.5E-3",
]


def numbers():
    rng = random.Random(19)
    drawn = [Decimal(rng.randint(-(10**9), 10**9)).scaleb(-rng.randint(0, 5)) for _ in range(600)]
    return [Decimal(text) for text in FIXED] + drawn


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_figures_read_as_floatformat_writes_them(language):
    with translation.override(language):
        figure = Figures()
        for number in numbers():
            assert figure(number) == floatformat(number, "-2"), number
            assert figure(number, 0) == floatformat(number, "0"), number
            assert figure(number, 1) == floatformat(number, "-1"), number


def test_no_figure_is_a_dash():
    assert Figures()(None) == NONE
