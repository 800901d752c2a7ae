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
import html
import json
import re
import ssl
import sys
import time
import urllib.error
import urllib.request
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

import requests
from playwright.sync_api import sync_playwright

# Chromium is started as the browser tests start it (run from the checkout's root).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.services import CHROMIUM_ARGS, chromium_path

PASSWORD_DEFAULT = "escp-demo-2026"
ROLES = {
    "coordinator": "coordinator@demo.escp.eu",
    "manager": "manager@demo.escp.eu",
    "officer": "officer@demo.escp.eu",
    "operator": "admin@demo.escp.eu",
}
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
# Collects what the page's Content-Security-Policy refused, whatever the console says.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class Checks:
    def __init__(self):
        self.failed = []
        self.count = 0

    def __call__(self, ok: bool, what: str, detail: str = "") -> bool:
        self.count += 1
        suffix = f" — {detail}" if detail and not ok else ""
        print(f"  {'ok  ' if ok else 'FAIL'} {what}{suffix}")
        if not ok:
            self.failed.append(what)
        return ok


check = Checks()


class Part:
    """Prints a heading and, at the end, how long the part took."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print(f"\n{self.name}")
        self.started = time.monotonic()

    def __exit__(self, kind, error, tb):
        if error is not None:
            check(False, f"{self.name}: ran to the end", f"{kind.__name__}: {error}")
        print(f"  ({time.monotonic() - self.started:.1f} s)")
        return True  # the next part still runs


# --- plain HTTP checks ----------------------------------------------------------------------


def insecure_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, *, data=None, headers=None, follow=True):
    """(status, headers, body) without raising for 4xx/5xx."""
    handlers = [urllib.request.HTTPSHandler(context=insecure_context())]
    if not follow:
        handlers.append(NoRedirect())
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


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
SIGNED_IN_PAGES = ("/accounts/tokens/", "/accounts/preferences/")


class Instance:
    """One gunicorn instance spoken to directly, as the proxy speaks to it: from 127.0.0.1 (a
    trusted proxy) with ``X-Forwarded-Proto: https`` and the site's Host, so the portal sees the
    HTTPS site. ``cookies`` is one browser's: share it between two instances and they serve the
    same visitor. (The cookies are kept by hand: they are Secure, which a cookie jar would not
    send over the plain HTTP between proxy and gunicorn.)"""

    def __init__(self, address, site, cookies):
        self.address = address.rstrip("/")
        self.site = site.rstrip("/")
        self.cookies = cookies
        self.name = urlsplit(address).netloc

    def request(self, method, path, *, data=None, files=None, json_body=None, headers=None):
        sent = {
            "Host": urlsplit(self.site).netloc,
            "X-Forwarded-Proto": "https",
            **(headers or {}),
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET":
            # What a browser sends with a form post to the HTTPS site (Django's CSRF origin check).
            sent.setdefault("Origin", self.site)
            sent.setdefault("Referer", f"{self.site}{path}")
        response = requests.request(
            method,
            f"{self.address}{path}",
            data=data,
            files=files,
            json=json_body,
            headers=sent,
            allow_redirects=False,
            timeout=60,
        )
        for header in response.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path, fields, *, files=None):
        """A form as a browser sends it: the CSRF token of the cookie, then the fields."""
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        return self.request("POST", path, data=data, files=files)

    def login(self, email, password):
        self.get("/accounts/login/")  # the CSRF cookie
        return self.post_form("/accounts/login/", {"username": email, "password": password})


def hidden_fields(page: str, containing: str) -> dict:
    """The hidden inputs (the one-time token) of the page's form that contains ``containing``."""
    for form in re.findall(r"<form\b.*?</form>", page, re.S):
        if containing in form:
            fields = {}
            for tag in re.findall(r"<input\b[^>]*>", form):
                if 'type="hidden"' not in tag:
                    continue
                name = re.search(r'name="([^"]*)"', tag)
                value = re.search(r'value="([^"]*)"', tag)
                if name and name.group(1) != "csrfmiddlewaretoken":
                    fields[name.group(1)] = html.unescape(value.group(1) if value else "")
            return fields
    return {}


def signed_in_pages(a, b, args, state):
    pk = state["partnership"]["pk"]
    signed_in = a.login(ROLES["coordinator"], args.password)
    check(
        signed_in.status_code == 302 and "sessionid" in a.cookies,
        f"coordinator logs in on {a.name}",
        f"{signed_in.status_code} {signed_in.headers.get('Location')}",
    )
    # Pages for the signed-in only (the rest send anyone else to the login page), each showing
    # the logout button of a signed-in visitor.
    for path in SIGNED_IN_PAGES + (f"/partnerships/{pk}/reporting/",):
        response = b.get(path)
        check(
            response.status_code == 200 and "Log out (" in response.text,
            f"the session opened on {a.name} opens {path} on {b.name}, signed in",
            f"{response.status_code} {response.headers.get('Location', '')}",
        )
    acronym = state["partnership"]["title"].split()[0]
    page = b.get(f"/partnerships/{pk}/").text
    check(acronym in page, f"{b.name} shows the coordinator's partnership ({acronym})")


def evidence_across(a, b, state):
    kpi = state["kpi"]
    page = a.get(f"{kpi}report/").text
    periods = re.findall(
        r'<option value="(\d{4}-\d{2}-\d{2})"',
        re.search(r'<select[^>]*name="period_end".*?</select>', page, re.S).group(0),
    )
    # Another period than the walk's (the first), so the walk's evidence stays as it was.
    period = periods[1] if len(periods) > 1 else periods[0]
    body = MINIMAL_PDF.replace(b"%PDF-1.4\n", f"%PDF-1.4\n% across {uuid.uuid4()}\n".encode(), 1)
    response = a.post_form(
        f"{kpi}report/",
        {
            **hidden_fields(page, 'name="evidence_file"'),
            "period_end": period,
            "value": "9",
            "reason": "Production smoke check across instances",
        },
        files={"evidence_file": ("across.pdf", body, "application/pdf")},
    )
    check(
        response.status_code == 302,
        f"coordinator reports a value with an evidence file on {a.name} ({period})",
        f"{response.status_code}",
    )
    links = dict.fromkeys(re.findall(r'href="(/measurements/\d+/evidence/)"', b.get(kpi).text))
    found = None
    for link in links:
        answer = b.get(link)
        if answer.status_code == 200 and answer.content == body:
            found = link
    check(found is not None, f"{b.name} serves the evidence uploaded on {a.name}, byte for byte")
    if found and found == state.get("evidence", {}).get("path"):
        state["evidence"]["sha256"] = hashlib.sha256(body).hexdigest()


def import_across(a, b, args, rows):
    a.cookies.clear()
    a.login(ROLES["manager"], args.password)
    imports = re.findall(r'href="(/clusters/\d+/members/import/)"', a.get("/").text)
    if not check(bool(imports), f"manager's dashboard on {a.name} links to the member import"):
        return
    page = a.get(imports[0]).text
    stamp = int(time.time())
    csv = "name,country,nace_code,employees,competences\n" + "".join(
        f"Across Firm {stamp} {i},BE,22.22,{10 + i % 200},Bioplastics\n" for i in range(rows)
    )
    started = time.monotonic()
    response = a.post_form(
        imports[0],
        hidden_fields(page, 'name="file"'),
        files={"file": ("across.csv", csv.encode(), "text/csv")},
    )
    location = response.headers.get("Location", "")
    match = re.search(r"/member-imports/(\d+)/", location)
    if not check(
        response.status_code == 302 and match,
        f"a {rows}-row member file uploaded on {a.name} (more than the worker threshold)",
        f"{response.status_code} {location}",
    ):
        return
    detail = f"/member-imports/{match.group(1)}/"

    def follow_on_b(until, limit=180):
        seen = []
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            status = b.get(f"{detail}status/").json()
            seen.append((status["status"], status["processed"]))
            if until(status):
                return status, seen
            time.sleep(0.1)
        return status, seen

    status, seen = follow_on_b(lambda s: s["status"] not in ("validating",))
    check(
        status["status"] == "ready",
        f"{b.name} follows the check of the upload to 'ready' "
        f"({len(seen)} polls, {time.monotonic() - started:.1f} s)",
        str(status),
    )
    page = a.get(detail).text
    confirmed = a.post_form(detail, {**hidden_fields(page, 'value="confirm"'), "action": "confirm"})
    check(confirmed.status_code == 302, f"the import is confirmed on {a.name}")
    started = time.monotonic()
    status, seen = follow_on_b(lambda s: s["finished"])
    # What B showed, in order, each once: ("importing", 0), ("importing", 1000), ("done", 2000)
    steps = list(dict.fromkeys(seen))
    check(
        status["status"] == "done"
        and status["processed"] == rows
        and any(s == "importing" for s, _ in steps),
        f"{b.name} follows the import on the worker to the end in "
        f"{time.monotonic() - started:.1f} s ({len(seen)} polls): "
        + " → ".join(f"{s} {p}" for s, p in steps),
        str(status),
    )
    members = b.get(f"{imports[0].replace('import/', '')}?q=Across+Firm+{stamp}+0").text
    check(f"Across Firm {stamp} 0" in members, f"{b.name} lists the members imported")


def throttle_across(a, b):
    """The token endpoint's limit per client address (API_THROTTLE_TOKEN_ISSUE), counted in
    Redis: distinct unknown accounts, so that only the throttle can refuse (not a lockout)."""

    def ask(instance):
        response = instance.request(
            "POST",
            "/api/v1/auth/token/",
            json_body={
                "email": f"throttle-{uuid.uuid4().hex[:8]}@example.invalid",
                "password": "x",
            },
        )
        code = response.json().get("code") if response.content else None
        return response.status_code, code

    first = ask(b)
    check(first[0] != 429, f"{b.name} answers a token request before the limit", str(first))
    answers = []
    for _ in range(30):
        answers.append(ask(a))
        if answers[-1][0] == 429:
            break
    check(
        answers[-1] == (429, "throttled"),
        f"{a.name} throttles the token requests after {len(answers) - 1} more",
        str(answers[-3:]),
    )
    after = ask(b)
    check(after == (429, "throttled"), f"{b.name} throttles the same client at once", str(after))


def lockout_across(a, b, args):
    """django-axes counts failed logins in PostgreSQL: the lock set on A holds on B."""
    a.cookies.clear()
    b.cookies.clear()
    statuses = [a.login(args.lockout_email, "wrong-password").status_code for _ in range(5)]
    check(
        statuses[0] == 200 and statuses[-1] == 429,
        f"five failed logins on {a.name} lock the account",
        str(statuses),
    )
    right = b.login(args.lockout_email, args.password)
    check(
        right.status_code == 429 and "sessionid" not in b.cookies,
        f"{b.name} refuses the right password of the account locked on {a.name}",
        f"{right.status_code} {right.headers.get('Location', '')}",
    )


def logout_across(a, b, args):
    """Django's sessions live in PostgreSQL: a logout on B deletes the session, so even its old
    cookie, sent again to A, opens nothing."""
    a.cookies.clear()
    a.login(ROLES["officer"], args.password)
    before = a.get(SIGNED_IN_PAGES[0]).status_code
    old_cookies = dict(a.cookies)
    out = b.post_form("/accounts/logout/", {})
    after = a.get(SIGNED_IN_PAGES[0])
    replayed = Instance(args.a, args.base, old_cookies).get(SIGNED_IN_PAGES[0])
    check(
        before == 200
        and out.status_code == 302
        and after.status_code == 302
        and replayed.status_code == 302
        and "/accounts/login/" in replayed.headers.get("Location", ""),
        f"a logout on {b.name} ends the session on {a.name}, its old cookie too",
        f"{before} {out.status_code} {after.status_code} {replayed.status_code} "
        f"{replayed.headers.get('Location', '')}",
    )


PARTS = ("session", "evidence", "import", "lockout", "throttle", "logout")


def across(args):
    state = json.loads(Path(args.state).read_text())
    parts = args.parts.split(",")
    cookies = {}  # one visitor's browser, served by A and by B in turn
    a = Instance(args.a, args.base, cookies)
    b = Instance(args.b, args.base, cookies)
    with Part(f"one session on {a.name} and {b.name}"):
        signed_in_pages(a, b, args, state)  # every other part needs it
    if "evidence" in parts:
        with Part(f"evidence uploaded on {a.name}, downloaded from {b.name}"):
            evidence_across(a, b, state)
    if "import" in parts:
        with Part(f"a member import started on {a.name}, followed on {b.name}"):
            import_across(a, b, args, args.import_rows)
    if "lockout" in parts:
        with Part(f"an account locked on {a.name} is locked on {b.name}"):
            lockout_across(a, b, args)
    if "throttle" in parts:
        with Part(f"an API throttle used up on {a.name} holds on {b.name}"):
            throttle_across(Instance(args.a, args.base, {}), Instance(args.b, args.base, {}))
    if "logout" in parts:
        with Part(f"a logout on {b.name} holds on {a.name}"):
            logout_across(a, b, args)
    Path(args.state).write_text(json.dumps(state, indent=2))


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
