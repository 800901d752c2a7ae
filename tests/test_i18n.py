"""English, French and German: the switcher, the account's language, emails in the recipient's
language, country names, dates and numbers by locale, and catalogues that are complete and in
step with the code."""

import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from escp_portal.accounts.models import User
from missions.models import Mission, Participation
from missions.services.reminders import send_mission_reminders
from tests import factories
from tests.strategy.conftest import plan  # noqa: F401 - partnership A's strategy

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ["fr", "de"]


def translated(language, message):
    with translation.override(language):
        text = gettext(message)
    assert text != message, f"{message!r} has no {language} translation"
    return text


def html_lang(response):
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_switcher_changes_the_language_of_every_page(client, world, language):
    response = client.post(reverse("set_language"), {"language": language, "next": reverse("home")})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    page = client.get(reverse("partnerships:partnership_list"))
    assert html_lang(page) == language
    assert translated(language, "Cluster organisations") in page.content.decode()
    # The switcher itself offers each language in its own name.
    assert ">Français<" in page.content.decode() and ">Deutsch<" in page.content.decode()


def test_a_signed_in_users_choice_is_kept_on_the_account_for_the_next_session(client, world):
    client.force_login(world.manager_a)
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    world.manager_a.refresh_from_db()
    assert world.manager_a.language == "de"
    # Another browser, no language cookie, an English Accept-Language: the account decides.
    other = type(client)()
    other.force_login(world.manager_a)
    page = other.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(page) == "de"
    assert translated("de", "Your member data") in page.content.decode()


def test_preferences_save_the_language_and_answer_in_it(client, world):
    client.force_login(world.coord_a)
    response = client.post(
        reverse("accounts:preferences"), {"language": "fr", "muted_reminders": []}, follow=True
    )
    assert User.objects.get(pk=world.coord_a.pk).language == "fr"
    assert html_lang(response) == "fr"
    assert translated("fr", "Your preferences were saved.") in response.content.decode()
    response = client.post(reverse("accounts:preferences"), {"language": "xx"})
    assert response.status_code == 200
    assert User.objects.get(pk=world.coord_a.pk).language == "fr"


def test_the_browser_language_is_used_without_a_choice(client, world):
    page = client.get(reverse("partnerships:partnership_list"), HTTP_ACCEPT_LANGUAGE="de-AT,de")
    assert html_lang(page) == "de"
    assert translated("de", "Partnerships") in page.content.decode()


def test_country_names_dates_and_numbers_follow_the_language(client, world):
    mission = Mission.objects.create(
        partnership=world.a,
        title="Buyers in Tokyo",
        kind="trade_mission",
        country="JP",
        start_date=date(2031, 5, 6),
        end_date=date(2031, 5, 9),
    )
    client.force_login(world.coord_a)
    expected = {"en": ("Japan", "6 May 2031"), "fr": ("Japon", "6 mai 2031")}
    expected["de"] = ("Japan", "6. Mai 2031")
    for language, (country, day) in expected.items():
        with translation.override(language):
            assert formats.date_format(mission.start_date, "DATE_FORMAT") == day
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(mission.get_absolute_url())
        text = page.content.decode()
        assert html_lang(page) == language
        assert country in text and day in text, language
    cluster = factories.cluster("Cluster Deutschland", "DE")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(cluster.get_absolute_url()).content.decode()
    assert "Allemagne" in page
    with translation.override("de"):
        assert formats.number_format(1234.5, 1) == "1234,5"
    with translation.override("fr"):
        assert formats.number_format(1234.5, 1) == "1234,5"


def test_password_reset_mail_is_in_the_accounts_language(client, world):
    User.objects.filter(pk=world.coord_a.pk).update(language="de")
    client.post(
        reverse("accounts:password_reset"),
        {"email": "coord-a@example.org"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert len(mail.outbox) == 1
    with translation.override("de"):
        subject = gettext("Choose a new password for the ESCP Portal")
    assert subject != "Choose a new password for the ESCP Portal"
    assert subject in mail.outbox[0].subject


def test_reminders_reach_each_recipient_in_their_language(world):
    User.objects.filter(pk=world.manager_a.pk).update(language="fr")
    User.objects.filter(pk=world.coord_a.pk).update(language="de")
    today = timezone.localdate()
    mission = Mission.objects.create(
        partnership=world.a,
        title="Buyers in Osaka",
        kind="trade_mission",
        country="JP",
        start_date=today + timedelta(days=7),
        end_date=today + timedelta(days=9),
        organiser=world.a.partners.get(cluster=world.cluster_a2),
    )
    Participation.objects.create(
        mission=mission,
        member=factories.member(world.cluster_a, "Firm FR", employees=10),
        cluster=world.cluster_a,
        status="confirmed",
    )
    send_mission_reminders()
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    with translation.override("fr"):
        fr = gettext("In a week: %(t)s") % {"t": "Buyers in Osaka"}
    with translation.override("de"):
        de = gettext("In a week: %(t)s") % {"t": "Buyers in Osaka"}
    assert fr != de
    assert subjects == {"manager-a@example.org": fr, "coord-a@example.org": de}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language):
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    missing = [
        message.id
        for message in catalogue
        if message.id
        and (message.fuzzy or not all(message.string if message.pluralizable else [message.string]))
    ]
    assert not missing, f"{len(missing)} messages without a {language} translation: {missing[:10]}"
    assert len(catalogue) > 1000
    # Placeholders and plural forms are checked by msgfmt when the catalogue is compiled.
    assert (path.with_suffix(".mo")).exists(), "make compilemessages has not run"


def test_catalogues_hold_every_string_of_the_code(tmp_path):
    """makemessages on a copy of the code finds no string the catalogues lack."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext (xgettext) is needed to collect the strings")
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns(
        ".venv", ".git", "tests", "scripts", "test-artifacts", "staticfiles", "node_modules", "*.mo"
    )
    shutil.copytree(ROOT, copy, ignore=ignore)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-location", "-v0"],
        cwd=copy,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "escp_portal.settings.local"},
    )
    with (copy / "locale/fr/LC_MESSAGES/django.po").open("rb") as handle:
        fresh = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle)}
    for language in LANGUAGES:
        path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
        with path.open("rb") as handle:
            held = {
                (m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle)
            }
        new = sorted(str(key) for key in fresh - held if key[1])
        assert not new, f"strings missing from {language} (run make messages): {new[:10]}"


def test_every_language_in_settings_has_a_catalogue():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "fr", "de"]
    for language in LANGUAGES:
        assert (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").exists()


def test_kpi_reporting_reminders_come_in_the_managers_language(world, plan):  # noqa: F811
    from strategy.services import send_reporting_reminders

    User.objects.filter(pk=world.manager_a.pk).update(language="de")
    assert send_reporting_reminders(date(2026, 11, 26)) == 2
    message = "[%(a)s] Report due: %(k)s, period ending %(d)s"
    expected = set()
    with translation.override("de"):
        for period in (date(2026, 6, 30), date(2026, 9, 30)):
            values = {"a": "ALPHA", "k": "SMEs in talks abroad", "d": formats.date_format(period)}
            expected.add(translated("de", message) % values)
    assert {m.subject for m in mail.outbox} == expected
