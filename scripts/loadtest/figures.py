"""The figures: per page and in total, over time, from the users' recorders and the logs; and
the printed report."""

import json
import math
import re
import time
from collections import defaultdict
from pathlib import Path

from .cpu import report_lines
from .scenarios import VirtualUser


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


def summarise(users: list[VirtualUser], times: dict) -> dict:
    """Per page and in total; "steady" is the part of the run when every user was logged in
    (after the ramp-up and the last login) until the planned end (before the logouts)."""
    load_started, load_ended = times["started"], times.get("ended") or time.monotonic()
    steady_to = min(times["end_at"], load_ended)
    steady_from = min(times["steady_from"], steady_to)
    by_name: dict[str, list] = defaultdict(list)
    failures = []
    writes_ok = 0
    for user in users:
        for sample in user.recorder.samples:
            by_name[sample[0]].append(sample)
        failures.extend(user.recorder.failures)
        writes_ok += user.recorder.writes_ok
    pages = {}
    totals = {"requests": 0, "server_errors": 0, "connection_errors": 0, "unexpected": 0}
    all_ms = []
    all_steady = []
    for name in sorted(by_name):
        samples = by_name[name]
        # "missing": a page without the form it should have (no request was made for it).
        made = [s for s in samples if s[3] not in ("client", "missing")]
        ms = sorted(s[2] for s in made)
        steady_ms = sorted(s[2] for s in made if steady_from <= s[1] <= steady_to)
        row = {
            "requests": len(made),
            "server_errors": sum(1 for s in samples if s[3] == "5xx"),
            "connection_errors": sum(1 for s in samples if s[3] == "conn"),
            "unexpected": sum(1 for s in samples if s[3] in ("unexpected", "missing")),
            "client_errors": sum(1 for s in samples if s[3] == "client"),
            "p50_ms": round(percentile(ms, 0.50), 1),
            "p95_ms": round(percentile(ms, 0.95), 1),
            "max_ms": round(ms[-1], 1) if ms else 0.0,
            "steady_requests": len(steady_ms),
            "steady_p50_ms": round(percentile(steady_ms, 0.50), 1),
            "steady_p95_ms": round(percentile(steady_ms, 0.95), 1),
        }
        pages[name] = row
        for key in totals:
            totals[key] += row[key]
        all_ms.extend(ms)
        all_steady.extend(steady_ms)
    all_ms.sort()
    all_steady.sort()
    duration = max(0.001, load_ended - load_started)
    timeline = []
    step = 10 if duration >= 40 else max(1, math.ceil(duration / 6))
    buckets: dict[int, list] = defaultdict(list)
    for name_samples in by_name.values():
        for _name, t_end, ms, outcome in name_samples:
            if outcome not in ("client", "missing"):
                buckets[int((t_end - load_started) // step)].append((ms, outcome))
    for bucket in sorted(buckets):
        rows = buckets[bucket]
        ms = sorted(r[0] for r in rows)
        timeline.append(
            {
                "from_s": bucket * step,
                "to_s": (bucket + 1) * step,
                "requests": len(rows),
                "rps": round(len(rows) / step, 1),
                "errors": sum(1 for r in rows if r[1] in ("5xx", "conn")),
                "p50_ms": round(percentile(ms, 0.50), 1),
                "p95_ms": round(percentile(ms, 0.95), 1),
            }
        )
    steady_duration = max(0.001, steady_to - steady_from)
    totals.update(
        errors=totals["server_errors"] + totals["connection_errors"],
        client_errors=sum(row["client_errors"] for row in pages.values()),
        duration_s=round(duration, 1),
        throughput_rps=round(totals["requests"] / duration, 1),
        steady_from_s=round(steady_from - load_started, 1),
        steady_to_s=round(steady_to - load_started, 1),
        steady_requests=len(all_steady),
        steady_throughput_rps=round(len(all_steady) / steady_duration, 1),
        steady_p50_ms=round(percentile(all_steady, 0.50), 1),
        steady_p95_ms=round(percentile(all_steady, 0.95), 1),
        p50_ms=round(percentile(all_ms, 0.50), 1),
        p95_ms=round(percentile(all_ms, 0.95), 1),
        max_ms=round(all_ms[-1], 1) if all_ms else 0.0,
        writes_ok=writes_ok,
    )
    return {"pages": pages, "totals": totals, "timeline": timeline, "failures": failures[:30]}


def print_report(figures: dict) -> None:
    p = figures["parameters"]
    t = figures["totals"]
    print()
    print(
        f"ESCP Portal load test: {p['users']} users for {p['duration_s']} s after a "
        f"{p['ramp_up_s']} s ramp-up, think time {p['think_time_s']} s, run {p['run_id']}"
    )
    print(
        f"Stack: gunicorn {p['gunicorn_workers']} workers x {p['gunicorn_threads']} threads, "
        f"Celery worker ({p['celery_pool']} pool x {p['celery_concurrency']}), "
        f"PostgreSQL {p['database']}, Redis {p['redis']}, {p['cpus']} CPUs shared with this "
        f"client"
    )
    print(f"Roles: {p['roles']}")
    print(f"Throttling: {p['throttling']}")
    print()
    header = (
        f"{'page / endpoint':<28}{'requests':>9}{'5xx':>6}{'conn':>6}{'unexp':>7}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}   {'steady p50/p95 ms':>17}"
    )
    print(header)
    print("-" * len(header))
    rows = [*figures["pages"].items(), ("TOTAL", t)]
    for name, row in rows:
        if name == "TOTAL":
            print("-" * len(header))
        steady = (
            f"{row['steady_p50_ms']:.0f}/{row['steady_p95_ms']:.0f}"
            if row["steady_requests"]
            else "-"
        )
        print(
            f"{name:<28}{row['requests']:>9}{row['server_errors']:>6}"
            f"{row['connection_errors']:>6}{row['unexpected']:>7}{row['p50_ms']:>9.0f}"
            f"{row['p95_ms']:>9.0f}{row['max_ms']:>9.0f}   {steady:>17}"
        )
    print()
    print(
        f"Requests {t['requests']} in {t['duration_s']} s: {t['throughput_rps']} req/s. "
        f"Steady state (every user logged in, {t['steady_from_s']}-{t['steady_to_s']} s): "
        f"{t['steady_requests']} requests, {t['steady_throughput_rps']} req/s. "
        f"Errors (5xx + connection): {t['errors']}. Unexpected statuses (4xx/3xx): "
        f"{t['unexpected']}."
    )
    print(
        "Over time (s: req/s, p50/p95 ms): "
        + "; ".join(
            f"{b['from_s']}-{b['to_s']}: {b['rps']}, {b['p50_ms']:.0f}/{b['p95_ms']:.0f}"
            + (f", {b['errors']} errors" if b["errors"] else "")
            for b in figures["timeline"]
        )
    )
    for line in report_lines(figures.get("cpu")):
        print(line)
    w = figures["writes"]
    print(
        f"Writes accepted: {w['accepted']} (KPI values through the API and the report form, "
        f"member edits); KPI values carrying this run's note afterwards: "
        f"{w['measurements_with_run_note']}; scoreboard recomputes run by the worker: "
        f"{w['worker_tasks_succeeded']} (failed: {w['worker_tasks_failed']})."
    )
    if t.get("client_errors"):
        print(f"Errors inside this script (not the server): {t['client_errors']}")
    if figures["failures"]:
        print("\nFirst failures:")
        for failure in figures["failures"][:10]:
            print("  " + json.dumps(failure)[:400])
    server = figures.get("server_log", {})
    if server.get("tracebacks") or server.get("exceptions"):
        print(f"\nThe server logged {server['tracebacks']} traceback(s): see {server['path']}")
        for row in server.get("exceptions", []):
            print(f"  {row['count']:>4} x {row['exception']}")
    for warning in figures.get("warnings", []):
        print(f"\nWARNING: {warning}")
    print(f"Logs: {', '.join(figures['logs'].values())}")
    print(
        "Legend: 5xx = server errors, conn = connection errors and timeouts (both fail the run); "
        "unexp = a status other than the expected one below 500 (e.g. 403, 404, a redirect to "
        "the login page, a form re-shown with errors) or a page without its form; times are "
        "measured by this client, response body included."
    )


def scan_log(path: Path, patterns: dict[str, str]) -> dict:
    counts = dict.fromkeys(patterns, 0)
    if not path.exists():
        return counts
    text = path.read_text(errors="replace")
    for key, pattern in patterns.items():
        counts[key] = len(re.findall(pattern, text))
    return counts


def exception_summary(path: Path, limit: int = 5) -> list[dict]:
    """The exceptions the server logged, most frequent first (the last line of a traceback)."""
    if not path.exists():
        return []
    pattern = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception)): (.*)$", re.MULTILINE)
    counts: dict[str, int] = defaultdict(int)
    for kind, message in pattern.findall(path.read_text(errors="replace")):
        counts[f"{kind}: {message.strip()[:200]}"] += 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])[:limit]
    return [{"exception": text, "count": count} for text, count in ranked]
