"""No email subject or plain-text part shows an HTML escape.

Every template of an email the portal sends (``templates/<app>/email/*.txt``: subjects and
plain-text bodies) is rendered with names full of quotes, ampersands and angle brackets; the text
must show them as typed. The HTML parts (``*.html``) are left out on purpose: there escaping is
right. A new email template joins the sweep by being in one of those folders.
"""

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

HOSTILE = "O'Brien & Sons <\"Buyers' days\">"
ENTITY = re.compile(r"&(#x?[0-9a-fA-F]+|[a-zA-Z]+);")
TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates"
TEXT_TEMPLATES = sorted(
    str(p.relative_to(TEMPLATE_DIR)) for p in TEMPLATE_DIR.glob("*/email/*.txt")
)


class Hostile(str):
    """A name with every character HTML escapes; any attribute of it is another such name,
    except those a template needs as a number or a date."""

    def __new__(cls, text=HOSTILE):
        return super().__new__(cls, text)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name in {"pk", "id", "table", "days", "count", "expiry_days"} or name.endswith("_days"):
            return 1
        if name.endswith(("_date", "_at", "_deadline", "deadline")):
            return dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC)
        return Hostile()

    def __call__(self, *args, **kwargs):
        return Hostile()

    def __iter__(self):
        return iter([])


def context():
    zone = dt.UTC
    names = {
        name: Hostile()
        for name in (
            "invitation",
            "request",
            "answer",
            "user",
            "mission",
            "meeting",
            "first",
            "second",
            "kpi",
            "partnership",
            "site",
            "link",
            "protocol",
            "domain",
            "subscription",
        )
    }
    names.update(
        uid="MQ",
        token="set-password",
        period=dt.date(2026, 3, 31),
        due=dt.date(2026, 4, 30),
        days=7,
        zone=zone,
        rows=[{"meeting": Hostile(), "party": Hostile(), "other": Hostile()}],
        items=[Hostile()],
        registrations=[Hostile()],
    )
    return names


def test_every_email_template_is_swept():
    assert len(TEXT_TEMPLATES) >= 18
    assert all(name.endswith(".txt") for name in TEXT_TEMPLATES)


@pytest.mark.parametrize("language", ["en", "fr", "de"])
@pytest.mark.parametrize("name", TEXT_TEMPLATES)
@pytest.mark.parametrize("kind", ["requested", "accepted", "declined", "deadline", "before_7"])
def test_no_html_escape_in_subjects_or_text(name, kind, language):
    values = context()
    values["kind"] = kind
    with translation.override(language):
        text = render_to_string(name, values)
    assert not ENTITY.search(text), f"{name} shows an HTML escape: {text!r}"
    if "Brien" in text:
        # What was typed, as typed.
        assert "O'Brien & Sons" in text or "O'Brien & Sons" in html.unescape(text)
        assert "O'Brien & Sons" in text
