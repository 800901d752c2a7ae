"""Walk a running production stack over HTTPS in Chromium, as each demo role, and check what a
user and an operator would notice (`.ci/production-smoke` starts the stack and calls this).

    production_smoke.py walk       --base https://localhost:8443 --http http://localhost:8080
    production_smoke.py across     --a http://127.0.0.1:8001 --b http://127.0.0.1:8002
    production_smoke.py remembered --base https://localhost:8443   (after a restart or restore)

``walk`` logs in as the coordinator, the cluster manager, the EC officer and the operator and
opens the main pages: every page 200, no console error, no Content-Security-Policy violation,
every static asset under a hashed name with a year-long cache header. On the way it reports a KPI
value with an evidence file, imports members, downloads the scoreboard as PDF and XLSX, and
checks the proxy: HTTP redirects to HTTPS, /health/ is green through it, and a spoofed
X-Forwarded-For does not change who the portal thinks the client is. What it saw (the evidence
file's bytes, a partnership and its scoreboard) goes into --state; ``remembered`` reads the same
pages again later and compares.

``across`` speaks to two web instances directly, each as the proxy does, and checks that they
behave as one site: a session opened on A works on B (and a logout on B ends it on A), evidence
uploaded on A downloads from B byte for byte, a member import started on A runs on a worker
while B follows its progress to the end, an API throttle used up on A refuses on B, and an
account locked by failed logins on A stays locked on B.

Prints one line per check and the seconds each part took; exits 1 if any check failed."""

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

# Chromium is started as the browser tests start it (run from the checkout's root).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.services import CHROMIUM_ARGS, chromium_path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from smoke_across import PARTS, across
from smoke_common import (
    CSP_LISTENER,
    HASHED,
    MINIMAL_PDF,
    PASSWORD_DEFAULT,
    ROLES,
    Part,
    check,
    fetch,
)


def proxy_checks(base, http_base):
    status, headers, _ = fetch(f"{http_base}/partnerships/?q=x", follow=False)
    location = headers.get("Location", "")
    check(
        status == 301 and location == f"{base}/partnerships/?q=x",
        "HTTP answers a permanent redirect to the same address over HTTPS",
        f"{status} {location}",
    )
    status, headers, body = fetch(f"{base}/health/")
    state = json.loads(body or b"{}")
    check(
        status == 200 and state.get("status") == "ok",
        "/health/ through the proxy: database, broker, worker and outbox all ok",
        f"{status} {state}",
    )
    check(
        "max-age=" in headers.get("Strict-Transport-Security", ""),
        "HTTPS answers carry Strict-Transport-Security",
    )
    check(bool(headers.get("X-Request-ID")), "every answer names its request id (X-Request-ID)")

    # Five failed logins for one address, each claiming another client: if the portal believed
    # the header, no client would have five failures. It must lock the sixth all the same.
    email = f"smoke-{int(time.time())}@example.invalid"
    statuses = []
    for attempt in range(6):
        status, _, _ = fetch(
            f"{base}/api/v1/auth/token/",
            data=json.dumps({"email": email, "password": "wrong"}).encode(),
            headers={
                "Content-Type": "application/json",
                "X-Forwarded-For": f"203.0.113.{attempt + 1}",
                "X-Real-IP": f"198.51.100.{attempt + 1}",
                "Forwarded": f"for=192.0.2.{attempt + 1}",
            },
        )
        statuses.append(status)
    check(
        statuses[-1] == 429,
        "a spoofed X-Forwarded-For changes nothing: the login lock counts the real client",
        f"statuses {statuses}",
    )


# --- the browser walk -------------------------------------------------------------------------


class Browser:
    def __init__(self, playwright, base):
        self.base = base
        self.browser = playwright.chromium.launch(
            executable_path=chromium(), headless=True, args=CHROMIUM_ARGS
        )

    def session(self, role, password):
        return Session(self, role, password)

    def close(self):
        self.browser.close()


def chromium() -> str:
    path = chromium_path()
    if path is None:
        raise SystemExit("Chromium is needed (/usr/bin/chromium or CHROMIUM_PATH)")
    return path


class Session:
    """One role's browser context: watches the console, CSP and every static answer."""

    def __init__(self, browser, role, password):
        self.base = browser.base
        self.role = role
        self.context = browser.browser.new_context(ignore_https_errors=True, locale="en-GB")
        self.context.add_init_script(CSP_LISTENER)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.console_errors = []
        self.static = {}
        self.page.on(
            "console",
            lambda m: self.console_errors.append(m.text) if m.type == "error" else None,
        )
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.page.on("response", self._response)
        self.login(password)

    def _response(self, response):
        path = response.url.split("?", 1)[0]
        if path.startswith(f"{self.base}/static/"):
            self.static[path] = (response.status, response.headers.get("cache-control", ""))

    def login(self, password):
        page = self.page
        page.goto(f"{self.base}/accounts/login/")
        page.get_by_label("Email address").fill(ROLES[self.role])
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        check(
            "/accounts/login/" not in page.url,
            f"{self.role}: logs in over HTTPS",
            page.url,
        )

    def visit(self, label, path, *, wait_for=None):
        """Open a page and check the answer, the console and the policy."""
        self.console_errors.clear()
        response = self.page.goto(f"{self.base}{path}")
        self.page.wait_for_load_state("load")
        if wait_for:
            self.page.wait_for_function(wait_for)
        self.page.wait_for_timeout(150)  # late console messages and violation events
        violations = self.page.evaluate("window.__cspViolations || []")
        status = response.status if response else None
        check(
            status == 200 and not self.console_errors and not violations,
            f"{self.role}: {label} ({path})",
            f"status {status}, console {self.console_errors[:3]}, CSP {violations[:3]}",
        )
        return response

    def download(self, label, path, magic):
        response = self.page.request.get(f"{self.base}{path}")
        body = response.body()
        check(
            response.status == 200 and body.startswith(magic),
            f"{self.role}: {label} downloads ({path})",
            f"status {response.status}, starts {body[:8]!r}",
        )
        return body

    def links(self, pattern):
        hrefs = self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.pathname)")
        return [h for h in dict.fromkeys(hrefs) if re.fullmatch(pattern, h)]

    def static_checks(self):
        bad_names = [p for p in self.static if not HASHED.search(p)]
        bad_answers = [
            f"{p} {s} {c!r}"
            for p, (s, c) in self.static.items()
            if s not in (200, 304) or "max-age=315360000" not in c
        ]
        check(
            bool(self.static) and not bad_names,
            f"{self.role}: all {len(self.static)} static assets have hashed names",
            ", ".join(bad_names[:5]),
        )
        check(
            not bad_answers,
            f"{self.role}: static assets answer 200 with a year-long, immutable cache",
            ", ".join(bad_answers[:5]),
        )

    def close(self):
        self.context.close()


def find_partnership(session, acronym):
    session.visit("directory search", f"/partnerships/?q={acronym}")
    link = session.page.get_by_role("link", name=acronym, exact=True).first
    path = link.evaluate("a => a.pathname")
    return int(re.fullmatch(r"/partnerships/(\d+)/", path).group(1))


def walk_coordinator(session, state):
    s = session
    s.visit("dashboard", "/")
    pk = find_partnership(s, "AdPack2")
    s.visit("partnership", f"/partnerships/{pk}/")
    title = s.page.get_by_role("heading", level=1).inner_text()
    s.visit("partners' clusters directory", "/clusters/")
    s.visit("strategy", f"/partnerships/{pk}/strategy/")
    kpis = s.links(r"/kpis/\d+/")
    check(bool(kpis), "coordinator: the demo strategy lists KPIs", str(kpis))
    s.visit("reporting completeness", f"/partnerships/{pk}/reporting/")

    # A KPI value with an evidence file, on the first KPI that takes reports.
    evidence = None
    for kpi in kpis:
        response = s.page.goto(f"{s.base}{kpi}report/")
        if response.status != 200 or not s.page.get_by_label("Period").count():
            continue
        s.visit("KPI report form", f"{kpi}report/")
        page = s.page
        # The report form (the page also has the KPI's milestone forms, with values and buttons).
        form = page.locator(f'form[action$="{kpi}report/"]')
        form.get_by_label("Period").select_option(index=0)
        form.get_by_label("Value", exact=True).fill("7")
        form.get_by_label("Evidence (file)").set_input_files(
            files=[
                {"name": "smoke-evidence.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}
            ]
        )
        form.get_by_label("Reason for a correction").fill("Production smoke check")
        form.get_by_role("button", name=re.compile("Submit|Save")).first.click()
        page.wait_for_load_state()
        s.visit("KPI with the new value", kpi)
        files = s.links(r"/measurements/\d+/evidence/")
        if files:
            evidence = files[0]
        state["kpi"] = kpi
        break
    check(evidence is not None, "coordinator: reports a KPI value with an evidence file")
    if evidence:
        body = s.download("the evidence file", evidence, b"%PDF")
        check(body == MINIMAL_PDF, "coordinator: the evidence comes back byte for byte")
        state["evidence"] = {"path": evidence, "sha256": hashlib.sha256(body).hexdigest()}

    s.visit("missions calendar", "/missions/")
    s.visit(
        "scoreboard",
        f"/partnerships/{pk}/scoreboard/",
        wait_for="() => !document.querySelector('canvas[data-chart]') || "
        "(window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]')))",
    )
    s.download("scoreboard PDF", f"/partnerships/{pk}/scoreboard.pdf", b"%PDF")
    s.download("scoreboard XLSX", f"/partnerships/{pk}/scoreboard.xlsx", b"PK")
    s.download("indicator table XLSX", f"/partnerships/{pk}/indicators.xlsx", b"PK")
    scoreboard_kpis = s.page.locator("main table tbody tr").count()
    s.visit(
        "API documentation",
        "/api/v1/docs/",
        wait_for="() => document.querySelector('.opblock-tag')",
    )
    s.static_checks()
    state["partnership"] = {"pk": pk, "title": title, "scoreboard_rows": scoreboard_kpis}


def walk_manager(session, state):
    s = session
    s.visit("dashboard", "/")
    imports = s.links(r"/clusters/\d+/members/import/")
    check(bool(imports), "manager: the dashboard links to the member import")
    if imports:
        cluster_members = imports[0].replace("import/", "")
        s.visit("members", cluster_members)
        s.visit("member import", imports[0])
        stamp = int(time.time())
        rows = "name,country,nace_code,employees,competences\n" + "".join(
            f"Smoke Firm {stamp} {i},BE,22.22,{10 + i},Bioplastics\n" for i in range(3)
        )
        page = s.page
        page.get_by_label("Member file").set_input_files(
            files=[{"name": "members.csv", "mimeType": "text/csv", "buffer": rows.encode()}]
        )
        page.get_by_role("button", name="Check the file").click()
        page.get_by_text("Ready to import").wait_for(timeout=60_000)
        page.get_by_role("button", name="Confirm the import").click()
        page.get_by_text("The import is complete.").wait_for(timeout=60_000)
        s.visit("members after the import", f"{cluster_members}?q=Smoke+Firm+{stamp}")
        found = s.page.get_by_text(f"Smoke Firm {stamp} 0").count()
        check(found > 0, "manager: the imported members are listed")
    s.visit("missions calendar", "/missions/")
    s.visit("partnerships directory", "/partnerships/")
    s.static_checks()


def walk_officer(session, state):
    s = session
    s.visit("dashboard", "/")
    pk = state.get("partnership", {}).get("pk") or find_partnership(s, "AdPack2")
    s.visit("partnership", f"/partnerships/{pk}/")
    s.visit("strategy", f"/partnerships/{pk}/strategy/")
    s.visit("scoreboard", f"/partnerships/{pk}/scoreboard/")
    s.download("scoreboard PDF", f"/partnerships/{pk}/scoreboard.pdf", b"%PDF")
    s.visit("programme statistics", "/statistics/")
    s.visit("missions calendar", "/missions/")
    s.static_checks()


def walk_operator(session, state):
    s = session
    s.visit("administration", "/admin/")
    for model in ("partnerships/partnership", "jobs/queuedjob", "accounts/user"):
        s.visit(f"admin {model}", f"/admin/{model}/")
    s.static_checks()


def walk(args):
    state = {}
    with Part("proxy, health and forwarded headers"):
        proxy_checks(args.base, args.http)
    with sync_playwright() as playwright:
        browser = Browser(playwright, args.base)
        for role, steps in (
            ("coordinator", walk_coordinator),
            ("manager", walk_manager),
            ("officer", walk_officer),
            ("operator", walk_operator),
        ):
            with Part(f"{role}: pages over HTTPS"):
                session = browser.session(role, args.password)
                try:
                    steps(session, state)
                finally:
                    session.close()
        browser.close()
    Path(args.state).write_text(json.dumps(state, indent=2))


def remembered(args):
    """The same partnership, scoreboard and evidence as before the restart or restore."""
    state = json.loads(Path(args.state).read_text())
    with Part(f"what was there before ({args.label})"):
        status, _, body = fetch(f"{args.base}/health/")
        check(status == 200, f"{args.label}: /health/ answers through the proxy", str(status))
        with sync_playwright() as playwright:
            browser = Browser(playwright, args.base)
            s = browser.session("coordinator", args.password)
            partnership = state["partnership"]
            pk = partnership["pk"]
            s.visit("partnership", f"/partnerships/{pk}/")
            title = s.page.get_by_role("heading", level=1).inner_text()
            check(title == partnership["title"], f"{args.label}: the same partnership", title)
            s.visit("scoreboard", f"/partnerships/{pk}/scoreboard/")
            rows = s.page.locator("main table tbody tr").count()
            check(
                rows == partnership["scoreboard_rows"],
                f"{args.label}: the same scoreboard ({rows} rows)",
                f"{rows} != {partnership['scoreboard_rows']}",
            )
            evidence = state.get("evidence")
            check(evidence is not None, f"{args.label}: an evidence file was recorded before")
            if evidence:
                body = s.download("the evidence file", evidence["path"], b"%PDF")
                check(
                    hashlib.sha256(body).hexdigest() == evidence["sha256"],
                    f"{args.label}: the evidence file is still downloadable, the same bytes",
                )
            s.close()
            browser.close()


# --- two instances as one site ------------------------------------------------------------------


# Pages that only a signed-in visitor sees (anyone else is sent to the login page).
def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["walk", "across", "remembered"])
    parser.add_argument("--base", default="https://localhost:8443")
    parser.add_argument("--http", default="http://localhost:8080")
    parser.add_argument("--password", default=PASSWORD_DEFAULT)
    parser.add_argument("--state", default="smoke-state.json")
    parser.add_argument("--label", default="after the restart")
    parser.add_argument("--a", default="http://127.0.0.1:8001", help="across: one instance")
    parser.add_argument("--b", default="http://127.0.0.1:8002", help="across: another")
    parser.add_argument("--lockout-email", help="across: an account it may lock out")
    parser.add_argument("--import-rows", type=int, default=2000, help="across: member file rows")
    parser.add_argument(
        "--parts", default=",".join(PARTS), help=f"across: which of {', '.join(PARTS)}"
    )
    args = parser.parse_args()
    started = time.monotonic()
    {"walk": walk, "across": across, "remembered": remembered}[args.command](args)
    print(
        f"\n{args.command}: {check.count - len(check.failed)}/{check.count} checks passed "
        f"in {time.monotonic() - started:.1f} s"
    )
    if check.failed:
        print("failed:\n  " + "\n  ".join(check.failed))
        sys.exit(1)


if __name__ == "__main__":
    main()
