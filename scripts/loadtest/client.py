"""A virtual user's side of HTTP: its sessions, measured requests, login and token, and the loop
that runs its steps until the end of the load."""

import random
import threading
import time

import requests

from .forms import CSRF_INPUT


class BehindProxySession(requests.Session):
    """A client behind the TLS proxy, on loopback: as nginx would, every request says it came
    over HTTPS (``X-Forwarded-Proto``, believed from 127.0.0.1) and carries the browser's
    Origin, which the CSRF check of an HTTPS request asks for; the Secure cookies the portal
    sets go back over the plain connection to gunicorn, as they do from nginx."""

    def __init__(self, base: str):
        super().__init__()
        self.headers["X-Forwarded-Proto"] = "https"
        self.headers["Origin"] = base.replace("http://", "https://", 1)

    def request(self, *args, **kwargs):
        for cookie in self.cookies:
            cookie.secure = False
        return super().request(*args, **kwargs)


def new_session(base: str, behind_proxy: bool) -> requests.Session:
    return BehindProxySession(base) if behind_proxy else requests.Session()


class Recorder:
    """One per virtual user (no lock needed); merged at the end."""

    def __init__(self):
        self.samples: list[tuple[str, float, float, str]] = []  # name, t_end, ms, outcome
        self.failures: list[dict] = []
        self.writes_ok = 0

    def add(self, name, t_end, ms, outcome, detail=None):
        self.samples.append((name, t_end, ms, outcome))
        if outcome != "ok" and detail is not None and len(self.failures) < 50:
            self.failures.append({"name": name, "outcome": outcome, **detail})


class Client(threading.Thread):
    """A virtual user's sessions and run loop; ``scenarios.VirtualUser`` adds what it does
    (``actions()`` and the steps they name)."""

    def __init__(self, index, account, plan, config, start_at, end_at, stop, run_id):
        super().__init__(name=f"vu-{index}", daemon=True)
        self.index = index
        self.account = account
        self.role = account["role"]
        self.plan = plan
        self.config = config
        self.base = config["base"]
        self.start_at = start_at
        self.end_at = end_at
        self.stop = stop
        self.run_id = run_id
        self.rng = random.Random(f"{config['seed']}-{index}")
        self.recorder = Recorder()
        self.browser = new_session(self.base, config["behind_proxy"])
        self.api = new_session(self.base, config["behind_proxy"])
        self.browser.headers["User-Agent"] = "escp-load/1 (browser)"
        self.api.headers["User-Agent"] = "escp-load/1 (api)"
        self.last_used: dict[int, float] = {}
        self.ready_at = None  # logged in and holding a token
        self.logged_in = False
        self.token = None
        self.writes = 0

    # one request, measured
    def call(self, session, name, method, path, expected=(200,), **kwargs):
        # A connection idle for nearly the server's keep-alive timeout is dropped rather than
        # reused: reusing it races the server closing it, and the request meets a reset
        # (browsers retry those silently; counting them would measure the client's timing).
        now = time.monotonic()
        if now - self.last_used.get(id(session), now) > self.config["idle_limit"]:
            session.close()
        started = time.perf_counter()
        try:
            response = session.request(
                method,
                self.base + path,
                timeout=self.config["request_timeout"],
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException as exc:
            ms = (time.perf_counter() - started) * 1000
            detail = {"method": method, "path": path, "error": repr(exc)[:300]}
            self.recorder.add(name, time.monotonic(), ms, "conn", detail)
            self.last_used[id(session)] = time.monotonic()
            return None
        self.last_used[id(session)] = time.monotonic()
        ms = (time.perf_counter() - started) * 1000
        status = response.status_code
        if status in expected:
            outcome = "ok"
        elif status >= 500:
            outcome = "5xx"
        else:
            outcome = "unexpected"
        detail = None
        if outcome != "ok":
            detail = {
                "method": method,
                "path": path,
                "status": status,
                "location": response.headers.get("Location", ""),
                "body": response.text[:300],
            }
        self.recorder.add(name, time.monotonic(), ms, outcome, detail)
        return response

    def pick(self, values):
        return self.rng.choice(values) if values else None

    # --- session ---
    def login(self) -> bool:
        page = self.call(self.browser, "login_page", "GET", "/accounts/login/")
        if page is None or page.status_code != 200:
            return False
        match = CSRF_INPUT.search(page.text)
        data = {
            "csrfmiddlewaretoken": match.group(1) if match else "",
            "username": self.account["email"],
            "password": self.config["password"],
            "next": "",
        }
        response = self.call(self.browser, "login", "POST", "/accounts/login/", (302,), data=data)
        return response is not None and response.status_code == 302

    def get_token(self) -> bool:
        body = {"email": self.account["email"], "password": self.config["password"]}
        response = self.call(
            self.api, "api_token", "POST", "/api/v1/auth/token/", (201,), json=body
        )
        if response is None or response.status_code != 201:
            return False
        self.token = response.json()["token"]
        self.api.headers["Authorization"] = f"Token {self.token}"
        return True

    def finish(self):
        if self.token:
            self.call(self.api, "api_token_revoke", "DELETE", "/api/v1/auth/token/", (204,))
        if self.logged_in:
            data = {"csrfmiddlewaretoken": self.browser.cookies.get("csrftoken", "")}
            self.call(self.browser, "logout", "POST", "/accounts/logout/", (302,), data=data)

    def think(self, short=False):
        pause = self.config["think_time"] * self.rng.uniform(0.5, 1.5) * (0.5 if short else 1)
        pause = min(pause, max(0.0, self.end_at - time.monotonic()))
        if pause > 0:
            self.stop.wait(pause)

    def running(self) -> bool:
        return not self.stop.is_set() and time.monotonic() < self.end_at

    def run(self):
        try:
            self._run()
        except Exception as exc:  # a bug in this script must not pass for a server failure
            self.recorder.add(
                "client_error",
                time.monotonic(),
                0.0,
                "client",
                {"error": f"{exc.__class__.__name__}: {exc}"[:300]},
            )

    def _run(self):
        delay = self.start_at - time.monotonic()
        if delay > 0 and self.stop.wait(delay):
            return
        for _attempt in range(3):
            if not self.running():
                return
            self.logged_in = self.login()
            if self.logged_in:
                break
            self.stop.wait(1)
        for _attempt in range(3):
            if not self.running() or self.get_token():
                break
            self.stop.wait(1)
        self.ready_at = time.monotonic()
        actions = self.actions()
        tour = [name for name, _weight in actions]
        self.rng.shuffle(tour)
        names = [name for name, _weight in actions]
        weights = [weight for _name, weight in actions]
        while self.running():
            name = tour.pop() if tour else self.rng.choices(names, weights)[0]
            getattr(self, name)()
            self.think()
        if not self.stop.is_set():
            self.finish()
