"""Requirement: no lost update on the pages. An edit form carries the values it was loaded with;
if someone else changed the record since, saving shows their values and writes nothing; saving
again (knowingly) goes ahead.

The sweep covers every edit form of the pages; a test checks that the list is complete (every
``…_edit`` URL, and every page whose form edits a record, runs the check in one transaction)."""

from datetime import date

import pytest
from django import forms
from django.db import models
from django.urls import URLResolver, get_resolver, reverse
from django.utils.html import escape

from escp_portal import versions
from escp_portal.forms import VERSION_FIELD
from escp_portal.pages import ConflictCheckMixin

# url name, its argument, who edits, the form's name in the page's context, extra POST data
EDIT_PAGES = {
    "partnerships:partnership_edit": (lambda s: s.world.a, "coord_a", "form", {}),
    "partnerships:partner_edit": (lambda s: s.partner_a, "coord_a", "form", {}),
    "partnerships:cluster_edit": (lambda s: s.world.cluster_a, "manager_a", "form", {}),
    "partnerships:member_edit": (lambda s: s.member_a, "manager_a", "form", {}),
    "strategy:strategy_edit": (lambda s: s.a.strategy, "coord_a", "form", {}),
    "strategy:objective_edit": (lambda s: s.a.objective, "coord_a", "form", {}),
    "strategy:kpi_edit": (lambda s: s.a.kpi, "coord_a", "form", {}),
    "strategy:task_edit": (lambda s: s.a.task, "coord_a", "form", {}),
    "missions:mission_edit": (lambda s: s.ma.mission, "coord_a", "form", {}),
    "strategy:market": (lambda s: s.a.market, "coord_a", "market_form", {"form": "market"}),
    "strategy:market#study": (lambda s: s.a.market, "coord_a", "study_form", {"form": "study"}),
    # --- B2B meetings (the B2B block) ---
    "missions:meeting_settings_edit": (lambda s: s.ma.mission, "coord_a", "form", {}),
    "missions:counterpart_edit": (lambda s: s.ma.b2b.counterpart, "coord_a", "form", {}),
    "missions:offers_edit": (lambda s: s.ma.participation, "manager_a", "form", {}),
    "missions:meeting_follow_up_edit": (
        lambda s: _under_way(s).ma.b2b.meeting,
        "manager_a",
        "form",
        {},
    ),
    # --- finding partners (matchmaking) ---
    "matchmaking:profile_edit": (lambda s: s.find.rowan_profile, "manager_a", "form", {}),
    "matchmaking:partner_request_edit": (lambda s: s.find.post, "coord_a", "form", {}),
    # --- vouchers and EU funding ---
    "funding:scheme_edit": (lambda s: s.fund.scheme_a, "coord_a", "form", {}),
    "funding:call_edit": (lambda s: s.fund.call, "officer", "form", {}),
    # --- brokers and investment (opportunities) ---
    "opportunities:broker_edit": (lambda s: s.opps.broker, "coord_a", "form", {}),
    "opportunities:opportunity_edit": (lambda s: s.opps.opportunity, "manager_a", "form", {}),
    "opportunities:investor_edit": (lambda s: s.opps.investor, "coord_a", "form", {}),
    "opportunities:project_edit": (lambda s: s.opps.project, "coord_a", "form", {}),
    # --- inclusive coordination, balance (the coordination block) ---
    "strategy:coordination_meeting_edit": (
        lambda s: s.coordination.a.meeting,
        "coord_a",
        "form",
        {},
    ),
    "partnerships:expectation_edit": (
        lambda s: s.coordination.a.expectation,
        "manager_a",
        "form",
        {},
    ),
}


def _under_way(s):
    """Fixture ``s`` with A's mission begun, so that its meetings' follow-up is due."""
    from datetime import timedelta

    from django.utils import timezone

    type(s.ma.mission).objects.filter(pk=s.ma.mission.pk).update(
        start_date=timezone.localdate() - timedelta(days=1)
    )
    return s


def _post_data(form, extra) -> dict:
    """What the browser sends for the form as the page showed it."""
    data = dict(extra)
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
        elif isinstance(field, forms.FileField):
            continue
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        else:
            data[key] = "" if value is None else str(value)
    return data


def _field_to_change(form):
    """A field of the record that the form edits: free text (long texts first), else a date;
    with the value someone else saves and the value the user types."""
    model = form.instance._meta
    names = [n for n in form.fields if n != VERSION_FIELD and n in {f.name for f in model.fields}]

    def plain_text(n):
        field = model.get_field(n)
        return (
            isinstance(field, models.CharField | models.TextField)
            and not field.choices
            and not isinstance(field, models.EmailField | models.URLField)
        )

    texts = sorted(
        (n for n in names if plain_text(n)),
        key=lambda n: not isinstance(model.get_field(n), models.TextField),
    )
    if texts:
        return texts[0], "Theirs", "Mine"
    dates = [n for n in names if isinstance(model.get_field(n), models.DateField)]
    if dates:
        return dates[0], date(2021, 2, 3), date(2021, 4, 5)
    # A form of choices only (which fields a findable profile shows): a yes/no.
    flags = [n for n in names if isinstance(model.get_field(n), models.BooleanField)]
    assert flags, f"{type(form).__name__} has no text, date or yes/no field to change"
    current = getattr(form.instance, flags[0])
    return flags[0], not current, current


@pytest.mark.parametrize("page", sorted(EDIT_PAGES))
def test_a_stale_edit_form_shows_the_other_persons_values_and_writes_nothing(client, s, page):
    get_obj, role, form_name, extra = EDIT_PAGES[page]
    obj = get_obj(s)
    client.force_login(getattr(s.world, role))
    url = reverse(page.split("#")[0], args=[obj.pk])
    loaded = client.get(url)
    assert loaded.status_code == 200
    form = loaded.context[form_name]
    assert VERSION_FIELD in form.fields, "the form does not carry its version"
    record = form.instance
    name, theirs, mine = _field_to_change(form)
    data = _post_data(form, extra)
    if isinstance(mine, bool):
        data.pop(form.add_prefix(name), None)
        if mine:
            data[form.add_prefix(name)] = "on"
    else:
        data[form.add_prefix(name)] = str(mine)

    # Someone else saves the record meanwhile.
    type(record)._base_manager.filter(pk=record.pk).update(**{name: theirs})
    stale = client.post(url, data)
    assert stale.status_code == 200, "a stale form was accepted"
    page_text = stale.content.decode()
    assert "Someone else changed this record" in page_text
    shown = versions.display(record.__class__(**{name: theirs}), name)
    assert escape(f"{form.fields[name].label}: {shown}") in page_text
    record.refresh_from_db()
    assert getattr(record, name) == theirs

    # Saving again replaces their values knowingly.
    again = stale.context[form_name]
    data[form.add_prefix(VERSION_FIELD)] = again[VERSION_FIELD].value()
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context[form_name].errors if saved.context else ""
    record.refresh_from_db()
    assert getattr(record, name) == mine


def test_an_unchanged_record_saves_and_a_form_without_version_still_saves(client, s):
    client.force_login(s.world.coord_a)
    url = reverse("strategy:objective_edit", args=[s.a.objective.pk])
    form = client.get(url).context["form"]
    data = _post_data(form, {})
    data["statement"] = "Reach buyers in Canada and Mexico by the end of 2027."
    assert client.post(url, data).status_code == 302
    data.pop(VERSION_FIELD)
    data["statement"] = "Reach buyers in Canada, Mexico and Chile by the end of 2027."
    assert client.post(url, data).status_code == 302
    s.a.objective.refresh_from_db()
    assert s.a.objective.statement.endswith("Chile by the end of 2027.")


def test_a_change_to_a_field_the_form_does_not_edit_is_no_conflict(client, s):
    client.force_login(s.world.coord_a)
    url = reverse("strategy:task_edit", args=[s.a.task.pk])
    form = client.get(url).context["form"]
    data = _post_data(form, {})
    data["title"] = "Mine"
    type(s.a.task).objects.filter(pk=s.a.task.pk).update(objective=s.a.objective)  # same
    assert client.post(url, data).status_code == 302


def test_a_tampered_version_is_ignored_not_an_error(client, s):
    client.force_login(s.world.coord_a)
    url = reverse("strategy:strategy_edit", args=[s.a.strategy.pk])
    data = _post_data(client.get(url).context["form"], {})
    data[VERSION_FIELD] = "not-a-signed-value"
    assert client.post(url, data).status_code == 302


def _url_patterns(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _url_patterns(pattern.url_patterns, (inner or namespace).lstrip(":"))
        else:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def test_every_edit_page_is_in_the_sweep_and_checks_in_one_transaction():
    swept = {name.split("#")[0] for name in EDIT_PAGES}
    missing, unlocked = [], []
    for name, pattern in _url_patterns(get_resolver().url_patterns):
        view = getattr(pattern.callback, "view_class", None)
        if view is None or name is None or name.startswith(("admin:", "api:")):
            continue
        form_class = getattr(view, "form_class", None)
        model_form = isinstance(form_class, type) and issubclass(form_class, forms.BaseModelForm)
        edits = name.endswith("_edit") or getattr(view, "edits_object", False)
        if edits and name not in swept:
            missing.append(name)
        if (edits or model_form) and not issubclass(view, ConflictCheckMixin):
            unlocked.append(name)
    assert not missing, f"Edit pages not in EDIT_PAGES: {missing}"
    assert not unlocked, f"Pages whose form writes a record without ConflictCheckMixin: {unlocked}"
