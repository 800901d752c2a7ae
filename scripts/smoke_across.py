"""``production_smoke.py across``: two web instances, spoken to directly as the proxy speaks to
them, behave as one site (session, evidence, import progress, throttle, lockout, logout)."""

import hashlib
import html
import json
import re
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

import requests
from smoke_common import (
    MINIMAL_PDF,
    ROLES,
    Part,
    check,
)

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
