"""The evaluation's named access rules, role by role (the pages, API and services ask these)."""

import pytest

from evaluation import rules

pytestmark = pytest.mark.django_db

ROLES = ["coord_a", "coord_b", "manager_a", "manager_x", "officer", "staff"]


@pytest.mark.parametrize(
    ("rule", "allowed"),
    [
        (rules.can_recompute, {"coord_a", "staff"}),
        # Acts that need a person of the partnership: its coordinators, not staff.
        (rules.can_sign_off, {"coord_a"}),
        (rules.can_record_assessment, {"coord_a"}),
        (rules.can_answer_review, {"coord_a"}),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_partnership_rules(world, rule, allowed):
    granted = {role for role in ROLES if rule(getattr(world, role), world.a.pk)}
    assert granted == allowed


@pytest.mark.parametrize(
    ("rule", "allowed"),
    [
        (rules.can_open_review, {"officer"}),
        (rules.sees_programme_statistics, {"officer", "staff"}),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_programme_rules(world, rule, allowed):
    assert {role for role in ROLES if rule(getattr(world, role))} == allowed


def test_anonymous_is_granted_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not rules.can_recompute(anonymous, world.a.pk)
    assert not rules.can_sign_off(anonymous, world.a.pk)
    assert not rules.can_open_review(anonymous)
    assert not rules.sees_programme_statistics(anonymous)
