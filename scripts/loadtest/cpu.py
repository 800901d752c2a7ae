"""Where the machine's CPU went in the steady part of a run: the web processes, the Celery
worker, PostgreSQL, Redis and this client, read from ``/proc`` (Linux; elsewhere the report
says it could not tell).

The load client shares the machine with the server, so requests per second alone mix the two:
the CPU per request of each part, and the requests per second per core of web CPU, say what the
portal costs whatever the client and the other programmes took.
"""

import os
import time
from collections import defaultdict
from pathlib import Path

PROC = Path("/proc")
GROUPS = ("web", "worker", "postgres", "redis", "client")
LABELS = {
    "web": "web (gunicorn)",
    "worker": "Celery worker",
    "postgres": "PostgreSQL",
    "redis": "Redis",
    "client": "this client",
}


def _ticks_per_second() -> int:
    try:
        return os.sysconf("SC_CLK_TCK")
    except (AttributeError, ValueError, OSError):
        return 100


def _processes(proc: Path):
    """(pid, parent pid, name, CPU ticks) of every process: its own in user and system mode,
    and those of its children that ended and were reaped (a PostgreSQL backend that closed its
    connection counts in the postmaster's, a gunicorn worker that was replaced in the
    master's)."""
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone since the listing
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        yield int(entry.name), int(fields[1]), name, sum(int(v) for v in fields[11:15])


def _machine_busy_ticks(proc: Path) -> int | None:
    """All CPUs' busy ticks since boot (everything but idle and I/O wait)."""
    try:
        first = (proc / "stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    values = [int(v) for v in first[1:9]]  # user nice system idle iowait irq softirq steal
    return sum(values) - values[3] - values[4]


def snapshot(roots: dict[str, int], client_pid: int | None = None, proc: Path = PROC) -> dict:
    """CPU seconds so far per group: each of ``roots`` (group -> process id: that process and
    its descendants, e.g. gunicorn's master and workers), ``postgres`` and ``redis`` (the
    servers' processes, by name) and ``client`` (this process alone: the server processes it
    started are their groups'). ``at`` is the monotonic time of the reading; ``machine`` the
    busy time of all CPUs. Empty when ``proc`` cannot be read."""
    try:
        rows = list(_processes(proc))
    except OSError:
        return {}
    ticks = _ticks_per_second()
    children = defaultdict(list)
    for pid, ppid, _name, _cpu in rows:
        children[ppid].append(pid)
    group_of = {}
    for group, root in roots.items():
        pending = [root]
        while pending:
            pid = pending.pop()
            group_of[pid] = group
            pending.extend(children[pid])
    group_of[client_pid or os.getpid()] = "client"
    seconds = dict.fromkeys(GROUPS, 0.0)
    for pid, _ppid, name, cpu in rows:
        group = group_of.get(pid)
        if group is None and name == "postgres":
            group = "postgres"
        elif group is None and name.startswith("redis-server"):
            group = "redis"
        if group is not None:
            seconds[group] += cpu / ticks
    busy = _machine_busy_ticks(proc)
    return {
        "at": time.monotonic(),
        "seconds": seconds,
        "machine": None if busy is None else busy / ticks,
    }


def usage(before: dict, after: dict, requests: int, cpus: int) -> dict | None:
    """Per group, between two snapshots: the share of one core (100 = one core busy all the
    time) and the CPU milliseconds per request; and the requests per second per core of web
    CPU. None when either snapshot is missing."""
    if not before or not after or after["at"] <= before["at"]:
        return None
    wall = after["at"] - before["at"]
    groups = {}
    for group in after["seconds"]:
        used = max(0.0, after["seconds"][group] - before["seconds"].get(group, 0.0))
        groups[group] = {
            "core_percent": round(100 * used / wall, 1),
            "ms_per_request": round(1000 * used / requests, 2) if requests else None,
        }
    machine = None
    if after.get("machine") is not None and before.get("machine") is not None:
        machine = round(100 * (after["machine"] - before["machine"]) / wall, 1)
    web = groups.get("web", {}).get("core_percent") or 0
    return {
        "wall_s": round(wall, 1),
        "requests": requests,
        "groups": groups,
        "machine_percent": machine,
        "machine_capacity_percent": 100 * cpus,
        "requests_per_web_core_s": round(requests / wall / (web / 100), 1) if web else None,
    }


def report_lines(cpu: dict | None) -> list[str]:
    if not cpu:
        return ["CPU: not read (no /proc here, or the run ended before its steady part)."]
    parts = []
    for group in GROUPS:
        row = cpu["groups"].get(group)
        if row is None:
            continue
        per = f", {row['ms_per_request']:.1f} ms a request" if row["ms_per_request"] else ""
        parts.append(f"{LABELS[group]} {row['core_percent']:.0f}% of a core{per}")
    lines = [
        f"CPU over {cpu['wall_s']} s of the steady part ({cpu['requests']} requests): "
        + "; ".join(parts)
        + "."
    ]
    if cpu["machine_percent"] is not None:
        lines.append(
            f"The machine was busy {cpu['machine_percent']:.0f}% of "
            f"{cpu['machine_capacity_percent']}%. Requests per second per core of web CPU: "
            f"{cpu['requests_per_web_core_s']}."
        )
    return lines
