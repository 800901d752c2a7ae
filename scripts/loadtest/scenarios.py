"""The virtual users' scenarios: the pages each role browses, the API it reads and what it
writes, and how often (``actions``)."""

import time

from .client import Client
from .forms import find_form

SEARCH_WORDS = ["cluster", "smart", "digital", "food", "health", "mobility", "energy", "textile"]


class VirtualUser(Client):
    """A user of one role; the steps named by ``actions()`` are picked by ``Client.run``."""

    def partnership(self):
        return self.pick(self.account["partnerships"]) or self.pick(self.plan["partnerships"])

    def strategy_partnership(self):
        return self.pick(self.account["strategy_partnerships"]) or self.pick(
            self.plan["strategy_partnerships"]
        )

    def directory_filters(self) -> dict:
        choices = {
            "programme": self.plan["programmes"],
            "generation": [str(g) for g in self.plan["generations"]],
            "phase": self.plan["phases"],
            "status": self.plan["statuses"],
            "country": self.plan["partner_countries"],
            "target_country": self.plan["target_countries"],
            "q": SEARCH_WORDS,
        }
        names = self.rng.sample(sorted(choices), self.rng.randint(1, 3))
        return {name: self.rng.choice(choices[name]) for name in names if choices[name]}

    def home(self):
        self.call(self.browser, "home", "GET", "/")

    def partnership_list(self):
        params = {"page": self.rng.choice(["1", "2", "3"])} if self.rng.random() < 0.4 else {}
        self.call(self.browser, "partnership_list", "GET", "/partnerships/", params=params)

    def partnership_list_filtered(self):
        params = self.directory_filters()
        self.call(self.browser, "partnership_list_filtered", "GET", "/partnerships/", params=params)

    def partnership_detail(self):
        pk = self.partnership() if self.rng.random() < 0.5 else self.pick(self.plan["partnerships"])
        self.call(self.browser, "partnership_detail", "GET", f"/partnerships/{pk}/")

    def scoreboard(self):
        if self.role == "ec_officer" and self.rng.random() < 0.5:
            pk = self.pick(self.plan["partnerships"])
        else:
            pk = (
                self.strategy_partnership()
                if self.role != "cluster_manager"
                else self.partnership()
            )
        self.call(self.browser, "scoreboard", "GET", f"/partnerships/{pk}/scoreboard/")

    def member_list(self):
        cluster = self.pick(self.account["clusters"])
        params = self.rng.choice(
            [{}, {"sme": "true"}, {"sme": "false"}, {"q": "a"}, {"kind": "enterprise"}, {"page": 2}]
        )
        path = f"/clusters/{cluster}/members/"
        self.call(self.browser, "member_list", "GET", path, params=params)

    def missions_calendar(self):
        params = self.rng.choice(
            [
                {},
                {"view": "list"},
                {"month": "2019-05"},
                {"view": "list", "partnership": str(self.strategy_partnership())},
            ]
        )
        self.call(self.browser, "missions_calendar", "GET", "/missions/", params=params)

    def statistics(self):
        params = self.rng.choice(
            [{}, {"programme": self.pick(self.plan["programmes"])}, {"generation": "2"}]
        )
        self.call(self.browser, "statistics", "GET", "/statistics/", params=params)

    def kpi_detail(self, kpi=None):
        if kpi is None:
            kpi = self.pick(self.plan["kpis_by_partnership"][str(self.strategy_partnership())])
        return self.call(self.browser, "kpi_detail", "GET", f"/kpis/{kpi}/")

    # --- API reads ---
    def api_partnerships(self):
        params = self.directory_filters()
        self.call(self.api, "api_partnerships", "GET", "/api/v1/partnerships/", params=params)

    def api_kpis(self):
        params = {"partnership": self.strategy_partnership()}
        self.call(self.api, "api_kpis", "GET", "/api/v1/kpis/", params=params)

    def api_measurements(self):
        params = {"partnership": self.strategy_partnership()}
        params.update(self.rng.choice([{}, {"status": "submitted"}, {"period_from": "2019-01-01"}]))
        self.call(self.api, "api_measurements", "GET", "/api/v1/measurements/", params=params)

    def api_missions(self):
        params = {"partnership": self.strategy_partnership()}
        self.call(self.api, "api_missions", "GET", "/api/v1/missions/", params=params)

    def api_members(self):
        params = {"cluster": self.pick(self.account["clusters"])}
        params.update(self.rng.choice([{}, {"sme": "true"}, {"size": "small"}]))
        self.call(self.api, "api_members", "GET", "/api/v1/members/", params=params)

    def api_scoreboard(self):
        pk = self.strategy_partnership() if self.role != "cluster_manager" else self.partnership()
        self.call(self.api, "api_scoreboard", "GET", f"/api/v1/scoreboards/{pk}/")

    def api_statistics(self):
        params = {"programme": self.pick(self.plan["programmes"])}
        self.call(self.api, "api_statistics", "GET", "/api/v1/statistics/", params=params)

    # --- writes ---
    def note(self) -> str:
        self.writes += 1
        return f"load {self.run_id} vu{self.index} #{self.writes}"

    def report_api(self):
        report = self.pick(self.account["reports"])
        body = {
            "kpi": report["kpi"],
            "partner": report["partner"],
            "period_end": self.rng.choice(report["periods"]),
            "value": f"{self.rng.randint(1, 60)}.00",
            "note": self.note(),
            "reason": "Load test correction",
        }
        response = self.call(
            self.api, "api_measurement_report", "POST", "/api/v1/measurements/", (201,), json=body
        )
        if response is not None and response.status_code == 201:
            self.recorder.writes_ok += 1

    def report_form(self):
        report = self.pick(self.account["reports"])
        page = self.kpi_detail(report["kpi"])
        if page is None or page.status_code != 200:
            return
        form = find_form(page.text, action_contains="/report/")
        if form is None:
            self.recorder.add(
                "kpi_report_form",
                time.monotonic(),
                0.0,
                "missing",
                {"method": "GET", "path": f"/kpis/{report['kpi']}/", "error": "no report form"},
            )
            return
        data = dict(form["fields"])
        periods = [p for p in report["periods"] if p]
        data.update(
            period_end=self.rng.choice(periods),
            value=str(self.rng.randint(1, 60)),
            note=self.note(),
            reason="Load test correction",
        )
        self.think(short=True)
        response = self.call(
            self.browser, "kpi_report_form", "POST", form["action"], (302,), data=data
        )
        if response is not None and response.status_code == 302:
            self.recorder.writes_ok += 1

    def member_edit(self):
        member = self.pick(self.account["members"])
        path = f"/members/{member}/edit/"
        page = self.call(self.browser, "member_edit_page", "GET", path)
        if page is None or page.status_code != 200:
            return
        form = find_form(page.text, field="contact_phone")
        if form is None:
            detail = {"method": "GET", "path": path, "error": "no member form"}
            self.recorder.add("member_edit_form", time.monotonic(), 0.0, "missing", detail)
            return
        fields = [f for f in form["fields"] if f[0] != "contact_phone"]
        fields.append(["contact_phone", f"+32 2 555 {self.rng.randint(0, 9999):04d}"])
        self.think(short=True)
        response = self.call(
            self.browser, "member_edit_form", "POST", form["action"] or path, (302,), data=fields
        )
        if response is not None and response.status_code == 302:
            self.recorder.writes_ok += 1

    def actions(self) -> list[tuple[str, int]]:
        actions = [
            ("home", 2),
            ("partnership_list", 2),
            ("partnership_list_filtered", 3),
            ("partnership_detail", 3),
            ("scoreboard", 2),
            ("missions_calendar", 2),
            ("kpi_detail", 2),
            ("api_partnerships", 2),
            ("api_kpis", 1),
            ("api_measurements", 2),
            ("api_missions", 1),
            ("api_scoreboard", 1),
        ]
        if self.role == "ec_officer":
            actions += [("statistics", 3), ("api_statistics", 1)]
        else:
            actions += [("member_list", 3), ("api_members", 1)]
        if self.account["reports"]:
            actions += [("report_api", 3), ("report_form", 2)]
        if self.account["members"]:
            actions += [("member_edit", 2)]
        return actions
