"""WCAG 2.1 AA in a real browser: axe-core on the main pages in every language, chosen with the
navbar's language switcher as a visitor would, and the portal driven by the keyboard alone.

axe-core is injected through the DevTools protocol (``page.evaluate``), which the page's
Content-Security-Policy does not govern; the policy itself stays on and is checked to be on."""

import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect

from escp_portal.accounts.models import Role, RoleAssignment
from missions.models import Meeting, Mission
from partnerships.models import Partnership
from strategy.models import KPI
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-demo-pass"
COORDINATOR = "coordinator@demo.escp.eu"
MANAGER = "manager@demo.escp.eu"
OFFICER = "officer@demo.escp.eu"
LANGUAGES = ["en", "fr", "de"]
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js").read_text(
    encoding="utf-8"
)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IMPACTS = ["critical", "serious", "moderate", "minor"]
REPORT = ARTIFACTS / "a11y.txt"

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}"""


def adpack2():
    return Partnership.objects.get(acronym="AdPack2")


def mobigoin():
    return Partnership.objects.get(acronym="MobiGoIn-Action", generation=2)


def managed_cluster():
    """The demo manager's cluster in AdPack2 (they look after a second one)."""
    return RoleAssignment.objects.get(
        user__email=MANAGER,
        role=Role.CLUSTER_MANAGER,
        cluster__partnerships_joined__partnership=adpack2(),
    ).cluster


def voucher_scheme():
    from funding.demo import SCHEME_NAME
    from funding.models import VoucherScheme

    return VoucherScheme.objects.get(name=SCHEME_NAME)


def reported_kpi():
    kpis = KPI.objects.filter(objective__strategy__partnership=adpack2()).order_by("pk")
    return next(kpi for kpi in kpis if kpi.is_manual)


def b2b_mission():
    return Mission.objects.get(title="B2B meetings at a packaging fair (demo)")


def b2b_participant():
    """A participant of the demo's B2B mission with meetings on its agenda."""
    return Meeting.objects.filter(mission=b2b_mission(), starts_at__isnull=False).first().requester


def forwarded_request():
    from matchmaking.models import ContactRequest

    return ContactRequest.objects.get(requester__email=COORDINATOR, status="forwarded")


def uncovered_stage():
    from matchmaking.demo import STAGE
    from strategy.models import ValueChainStage

    return ValueChainStage.objects.select_related("chain").get(name=STAGE[0])


@dataclass(frozen=True)
class Screen:
    """A page to check: who looks at it, where it is, and one of its static texts."""

    name: str
    user: str | None  # None: a visitor who is not logged in
    path: object  # () -> str, called once the demo data exists
    msgid: str

    def __str__(self):
        return self.name


SCREENS = [
    Screen("partnership-directory", None, lambda: "/partnerships/", "Partner countries"),
    Screen("cluster-directory", None, lambda: "/clusters/", "Cluster organisations"),
    Screen("partnership-detail", COORDINATOR, lambda: f"/partnerships/{adpack2().pk}/", "Sectors"),
    Screen(
        "member-list",
        MANAGER,
        lambda: f"/clusters/{managed_cluster().pk}/members/",
        "Members (SMEs and others)",
    ),
    Screen(
        "member-import",
        MANAGER,
        lambda: f"/clusters/{managed_cluster().pk}/members/import/",
        "Import members from a file",
    ),
    Screen(
        "strategy-overview",
        COORDINATOR,
        lambda: f"/partnerships/{adpack2().pk}/strategy/",
        "How objectives are checked (SMART)",
    ),
    Screen("kpi", COORDINATOR, lambda: f"/kpis/{reported_kpi().pk}/", "Values per period"),
    Screen(
        "missions-calendar", COORDINATOR, lambda: "/missions/?view=month", "Missions and events"
    ),
    Screen(
        "scoreboard",
        OFFICER,
        lambda: f"/partnerships/{adpack2().pk}/scoreboard/",
        "KPIs with their status",
    ),
    Screen("statistics", OFFICER, lambda: "/statistics/", "Programme statistics"),
    Screen(
        "core-indicators",
        OFFICER,
        lambda: "/statistics/core-indicators/?by=partner_country",
        "Core indicators of the programme",
    ),
    Screen("oversight", OFFICER, lambda: "/oversight/", "Oversight of the partnerships"),
    Screen(
        "targets",
        COORDINATOR,
        lambda: f"/partnerships/{adpack2().pk}/targets/",
        "targets and actuals by period",
    ),
    # B2B meetings at the demo's matchmaking mission, and a participant's agenda.
    Screen(
        "b2b-meetings",
        COORDINATOR,
        lambda: f"/missions/{b2b_mission().pk}/meetings/",
        "Request a meeting",
    ),
    Screen(
        "b2b-agenda",
        COORDINATOR,
        lambda: f"/participations/{b2b_participant().pk}/agenda/",
        "Time",
    ),
    # Finding partners (matchmaking).
    Screen(
        "partner-search",
        COORDINATOR,
        lambda: "/find/?competence=cybersecurity",
        "Why:",
    ),
    Screen(
        "findable-members",
        MANAGER,
        lambda: f"/find/clusters/{managed_cluster().pk}/findable/",
        "Fields the profiles of the chosen members show",
    ),
    Screen("partner-requests", COORDINATOR, lambda: "/find/wanted/", "Post what you look for"),
    Screen(
        "contact-request",
        COORDINATOR,
        lambda: forwarded_request().get_absolute_url(),
        "Contact released by the cluster",
    ),
    Screen(
        "value-chain-suggestions",
        COORDINATOR,
        lambda: uncovered_stage().chain.get_absolute_url(),
        "Who could cover the stages nobody covers",
    ),
    # Vouchers and EU funding.
    Screen(
        "voucher-scheme",
        COORDINATOR,
        lambda: voucher_scheme().get_absolute_url(),
        "Budget and share for SMEs",
    ),
    Screen(
        "partnership-funding-calls",
        COORDINATOR,
        lambda: f"/partnerships/{adpack2().pk}/funding-calls/",
        "All open funding calls",
    ),
    Screen("funding-calls", OFFICER, lambda: "/funding-calls/", "Record a funding call"),
    # Brokers and investment (opportunities).
    Screen(
        "opportunity-pipeline",
        MANAGER,
        lambda: f"/partnerships/{adpack2().pk}/opportunities/",
        "Add an opportunity",
    ),
    Screen(
        "brokers", COORDINATOR, lambda: f"/partnerships/{adpack2().pk}/brokers/", "Name a broker"
    ),
    Screen(
        "investment-projects",
        COORDINATOR,
        lambda: f"/partnerships/{mobigoin().pk}/investment-projects/",
        "Add a joint investment project",
    ),
    Screen("login", None, lambda: "/accounts/login/", "Forgotten your password?"),
    # The home page's role dashboard, for each role.
    Screen("dashboard-coordinator", COORDINATOR, lambda: "/", "What needs you"),
    Screen("dashboard-manager", MANAGER, lambda: "/", "Your member data"),
    Screen("dashboard-officer", OFFICER, lambda: "/", "Partnerships at risk"),
]


@pytest.fixture(scope="module", autouse=True)
def _fresh_report():
    ARTIFACTS.mkdir(exist_ok=True)
    REPORT.write_text("", encoding="utf-8")


def log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("form[action$='/logout/'] button")).to_be_visible()


def choose_language(page, language):
    """The navbar's switcher, as a visitor uses it: pick the language, press its button."""
    page.locator("#language-select").select_option(language)
    page.locator("form:has(#language-select) button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def axe_violations(page):
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def describe(violations):
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {node['target']}: {node['summary']}" for node in v["nodes"][:10])
    return "\n".join(lines)


def text_of(locator):
    return " ".join(locator.inner_text().split())


def assert_policy_is_on(page, response):
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, policy
    # An inline script added by the page itself is refused: the policy is in force.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.inlineRan = true'; document.head.append(s); }"
    )
    assert page.evaluate("() => window.inlineRan") is None


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("screen", SCREENS, ids=str)
def test_page_meets_wcag_21_aa_in_each_language(page, live_server, screen, language):
    call_command("load_demo", "--password", PASSWORD, stdout=io.StringIO())
    base = live_server.url
    url = base + screen.path()
    if screen.user:
        log_in(page, base, screen.user)
    page.goto(url)
    if language != "en":
        choose_language(page, language)
    response = page.goto(url)
    assert response.ok, response.status
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.wait_for_load_state("load")
    assert_policy_is_on(page, response)

    violations = axe_violations(page)
    counts = Counter(v["impact"] for v in violations)
    line = f"a11y {language} {screen.name}: " + ", ".join(
        f"{impact} {counts[impact]}" for impact in IMPACTS
    )
    print(line)
    with REPORT.open("a", encoding="utf-8") as report:
        report.write(line + "\n")
        for v in violations:
            report.write(f"  {v['id']} ({v['impact']}) {v['help']}\n")

    # Every rule run is a WCAG 2.1 A or AA criterion: any violation, whatever its impact, fails.
    failures = [f"{line}\n{describe(violations)}"] if violations else []
    with translation.override(language):
        expected = translation.gettext(screen.msgid)
    if language != "en" and expected == screen.msgid:
        failures.append(f"{screen.msgid!r} has no {language} translation")
    elif " ".join(expected.split()) not in text_of(page.locator("main")):
        failures.append(f"{expected!r} ({screen.msgid!r}) is not on {screen.name} in {language}")
    assert not failures, "\n".join(failures)


# Keyboard only --------------------------------------------------------------------------------


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def focus_is_visible(page):
    """The focused element draws the portal's focus indicator, an outline of at least 2px
    (Bootstrap's own is a faint box shadow that it pairs with ``outline: 0``)."""
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow}; }"
    )
    return style["outline"] != "none" and float(style["width"].rstrip("px") or 0) >= 2, style


def test_the_portal_works_with_the_keyboard_alone(page, live_server):
    call_command("load_demo", "--password", PASSWORD, stdout=io.StringIO())
    base = live_server.url
    # The style sheet has a focus indicator for keyboard users.
    page.goto(f"{base}/partnerships/")
    assert page.evaluate(
        "() => [...document.styleSheets].some(sheet => { try {"
        " return [...sheet.cssRules].some(r => (r.selectorText || '').includes(':focus-visible'));"
        " } catch (e) { return false; } })"
    )

    # The first Tab reaches the skip link, which shows itself and leads into the main content.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    visible, style = focus_is_visible(page)
    assert visible, style
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")

    # To the login page through the navbar; its first field has the focus.
    tab_to(page, "header a[href^='/accounts/login/']")
    visible, style = focus_is_visible(page)
    assert visible, style
    page.keyboard.press("Enter")
    email = page.get_by_label("Email address")
    expect(email).to_be_focused()

    # A form sent with a missing field: the error is announced, takes the focus, names the
    # field, and is tied to it.
    page.keyboard.type(COORDINATOR)
    page.keyboard.press("Enter")
    summary = page.locator("main [role=alert]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Please correct the errors below.")
    password = page.get_by_label("Password", exact=True)
    expect(password).to_have_attribute("aria-invalid", "true")
    described_by = password.get_attribute("aria-describedby").split()
    errors = " ".join(text_of(page.locator(f"[id='{i}']")) for i in described_by)
    assert "This field is required." in errors
    expect(page.locator(f"[id='{described_by[-1]}']")).to_be_visible()
    page.keyboard.press("Tab")  # the summary links to the field in error
    expect(page.get_by_role("link", name=re.compile("Password"))).to_be_focused()
    page.keyboard.press("Enter")
    expect(password).to_be_focused()
    expect(email).to_have_value(COORDINATOR)  # what was typed is kept

    # Log in: type the password, Enter.
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    logout = page.locator("form[action$='/logout/'] button")
    expect(logout).to_be_visible()

    # The missions calendar: the next month is one link away, and the focus shows on it.
    page.goto(f"{base}/missions/")
    month = page.locator("#month-title")
    this_month = month.inner_text()
    tab_to(page, "a[rel=next]")
    visible, style = focus_is_visible(page)
    assert visible, style
    following = page.locator("a[rel=next]").inner_text().rstrip(" →")
    page.keyboard.press("Enter")
    expect(month).to_have_text(following)
    assert following != this_month

    # The language switcher: a select and its button, by the keyboard.
    tab_to(page, "#language-select")
    page.keyboard.type("Deutsch")  # a focused select jumps to the option typed
    tab_to(page, "form:has(#language-select) button[type=submit]", limit=2)
    visible, style = focus_is_visible(page)
    assert visible, style
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(month).to_have_text(re.compile(r"\d{4}"))  # still the month view, now in German
    tab_to(page, "#language-select")
    page.keyboard.type("English")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
