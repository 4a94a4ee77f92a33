"""Locust users for `bench_load`: what signed-in people do on a node, and a trivial baseline.

Loaded by locust (``locust -f benchmarks/load_users.py ...``), never imported by ncen. It reads
its accounts, record ids and names from the JSON file named by ``NCEN_LOAD_CONFIG``, which
`bench_load` writes after loading the demo data. Every request goes to the ``--host`` that
`bench_load` gives locust, a node it started on 127.0.0.1.

User classes (chosen by name on the locust command line):

- `TrivialUser`: a static file and the sign-in page, signed out (the baseline: what the same
  server does when the application does almost nothing);
- `Investigator`, `Supervisor`: sign in, then mostly read (name search, person and seizure
  pages, the seizure list), and now and then record a seizure on the one-form recording page
  (CSRF token and choices parsed from the form, sometimes with a picture) or add a picture to
  their own seizure; once in about a hundred tasks they sign in again in a fresh session;
- `Analyst`: signs in and reads only (and signs in again as rarely).

**Sign-in weight.** An officer signs in once per working session (a session ends after the
idle timeout or at sign-out), then works through tens to hundreds of pages. Session 5's mix
signed in again every 13 to 16 tasks, so that argon2 (about 170 ms of CPU per sign-in, on
purpose) took 14-18 % of the server's samples and measured the password hash, not the pages.
The weights below keep sign-in in the mix at one task in 97 (analysts) to 121 (recorders):
one sign-in per 100-odd pages, still hundreds of sign-ins per run, with their argon2 cost at
its real parameters (never weakened here).
- `FormReader`: signs in, then opens the empty recording form (no audit event) again and again.
- `FloorReader`: signs in, then opens a person's History tab again and again (the cheapest
  signed-in, audited read: the floor under every real read).

**Steady span.** With ``NCEN_LOAD_STEADY_SECONDS`` the run stops that many seconds after the
reset (below), whatever the first sign-ins took.

**Think time.** With ``NCEN_LOAD_THINK="LOW,HIGH"`` every signed-in user waits a random LOW to
HIGH seconds between two tasks (an officer reading the page before the next action): the
*paced* phase of `bench_load`, which measures latency at a realistic arrival rate. Without it
the wait is zero (the *saturated* closed loop: every user sends its next request as soon as the
last one is answered, so the server always has ``--users`` requests in flight and the latency is
mostly queueing: by Little's law, users / throughput).

The statistics of the signed-in classes start once every user has signed in for the first time
(they are reset then, and the time of the reset is written to the file named by
``NCEN_LOAD_RESET``, so that `bench_load` counts the server's CPU from then on too); sign-ins
during the run are measured as ``sign-in: ...``.
Request names (the statistics labels) say what was done; `bench_load.READS` lists the reads.
A request counts as failed when its status is not the expected one, or when a page that needs a
session answers with the sign-in page (the session was lost).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from uuid import uuid4

import gevent
from locust import FastHttpUser, constant, events, task
from recording_forms import case_fields, small_jpeg

# Users of this process that finished their first sign-in. When all have, the statistics are
# reset: the figures then describe the steady state, not 50 password hashes at once.
_SIGNED_IN = [0]
_RESET_AT = [0.0]  # when they had (Unix time; 0 before)
START_WAIT = 300  # seconds a signed-in user waits at most for the others' first sign-ins
CONFIG: dict[str, Any] = json.loads(Path(os.environ["NCEN_LOAD_CONFIG"]).read_text("utf-8"))
_SEIZURE_PATH = re.compile(r"^/seizures/([0-9a-f-]{36})$")


def _think_range() -> tuple[float, float]:
    """The signed-in users' think time, seconds (low, high), from ``NCEN_LOAD_THINK``."""
    raw = os.environ.get("NCEN_LOAD_THINK", "")
    if not raw:
        return 0.0, 0.0
    low, _, high = raw.partition(",")
    return float(low), float(high or low)


THINK = _think_range()


def _slow_log() -> tuple[float, Any] | None:
    """(threshold ms, open file) from ``NCEN_LOAD_SLOW_MS`` and ``NCEN_LOAD_SLOW_LOG``, or None."""
    threshold, path = os.environ.get("NCEN_LOAD_SLOW_MS"), os.environ.get("NCEN_LOAD_SLOW_LOG")
    if not threshold or not path:
        return None
    return float(threshold), Path(path).open("a", encoding="utf-8")


_SLOW = _slow_log()


@events.request.add_listener
def _note_slow(name: str, response_time: float, **kwargs: Any) -> None:
    """With ``NCEN_LOAD_SLOW_MS``: one JSON line per request that took at least that long, as
    the client saw it (start as a Unix time, path without the query), for `bench_load` to match
    with the server's slow-request log."""
    if _SLOW is None or response_time < _SLOW[0] or not _RESET_AT[0]:
        return
    start = kwargs.get("start_time") or (time.time() - response_time / 1000)
    if start < _RESET_AT[0]:  # the start's sign-ins, outside the statistics too
        return
    url = str(kwargs.get("url") or "")
    path = "/" + url.split("://", 1)[-1].partition("/")[2].partition("?")[0]
    method = str(kwargs.get("request_type") or "")
    tag = (kwargs.get("context") or {}).get("load", "")
    line = {"start": round(start, 3), "method": method, "name": name, "path": path, "tag": tag}
    line["ms"] = round(response_time, 1)
    _SLOW[1].write(json.dumps(line) + "\n")
    _SLOW[1].flush()


class _FormFields(HTMLParser):
    """The default values of the named fields of the first POST form posting to ``action``.

    A form without an ``action`` attribute posts to the page's own address, which is how the
    node's forms are written; the navigation bar's forms (sign-out, language) name theirs.
    """

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.done = False
        self.fields: dict[str, str] = {}
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        target = a.get("action") or self.action
        if tag == "form" and not self.done and target.split("?")[0] == self.action:
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and self.select not in self.fields and a.get("value"):
            self.fields[self.select] = a["value"]  # the first non-blank choice

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_fields(html: str, action: str) -> dict[str, str]:
    """Hidden inputs (CSRF token, expected version...) and first select choices of a form."""
    parser = _FormFields(action)
    parser.feed(html)
    return parser.fields


def multipart(
    fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    """A multipart/form-data body for ``fields`` and ``files`` (name, file name, bytes)."""
    boundary = uuid4().hex
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, filename, content in files:
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def tagged(headers: dict[str, str] | None = None) -> dict[str, Any]:
    """Keyword arguments that give one request an id: an ``X-Load-Request`` header, which the
    server's slow-request log prints (`web.requesttiming`), and the same id in the request's
    locust context, which `_note_slow` writes, so that both sides of a slow request match."""
    tag = uuid4().hex[:16]
    return {"headers": {**(headers or {}), "X-Load-Request": tag}, "context": {"load": tag}}


class TrivialUser(FastHttpUser):
    """The baseline: a static file and the sign-in page, no session, no database."""

    wait_time = constant(0)

    @task
    def static_file(self) -> None:
        self.client.get("/static/app.css", name="trivial: static file")

    @task
    def sign_in_page(self) -> None:
        self.client.get("/auth/sign-in", name="trivial: sign-in page")


class _Session(FastHttpUser):
    """A person signed in with one of the accounts of ``ROLE``."""

    abstract = True
    ROLE = ""

    def wait_time(self) -> float:
        """Zero (closed loop: 50 users = 50 requests in flight) or the think time."""
        low, high = THINK
        return low + random.random() * (high - low)

    def on_start(self) -> None:
        self.username, self.password = random.choice(CONFIG["accounts"][self.ROLE])
        self.own_seizure: str | None = None
        self.sign_in()
        _SIGNED_IN[0] += 1
        runner = self.environment.runner
        if runner is not None and _SIGNED_IN[0] == runner.target_user_count:
            self.environment.stats.reset_all()
            _RESET_AT[0] = time.time()
            marker = os.environ.get("NCEN_LOAD_RESET")
            if marker:
                Path(marker).write_text(repr(_RESET_AT[0]))
            # The measured span starts now, however long the first sign-ins took (on a loaded
            # machine, 50 argon2 hashes can take longer than a short phase): stop after it,
            # as locust's own --run-time limit does (bench_load gives that limit room).
            steady = os.environ.get("NCEN_LOAD_STEADY_SECONDS")
            if steady:
                gevent.spawn_later(float(steady), runner.quit)
        # Wait for the others: a request sent while 50 first sign-ins (argon2, on purpose
        # slow) still queue would be answered after the reset, and its wait behind the sign-in
        # storm would count in the steady state's figures (it made the paced phase's p99).
        deadline = time.monotonic() + START_WAIT
        while runner is not None and _SIGNED_IN[0] < runner.target_user_count:
            if time.monotonic() > deadline:
                break
            gevent.sleep(0.05)
        if THINK[1] > 0:  # paced: spread the first requests as the later ones are spread
            gevent.sleep(self.wait_time())

    def sign_in(self) -> None:
        """A fresh browser session: the sign-in form, then its POST (302 to the dashboard)."""
        self.client.cookiejar.clear()
        with self.client.get(
            "/auth/sign-in", name="sign-in: form", catch_response=True, **tagged()
        ) as r:
            token = form_fields(r.text or "", "/auth/sign-in").get("csrf_token")
            if r.status_code != 200 or not token:
                r.failure(f"no sign-in form ({r.status_code})")
                return
        credentials = {"username": self.username, "password": self.password}
        body = urlencode({"csrf_token": token, **credentials})
        with self.client.post(
            "/auth/sign-in",
            data=body,
            allow_redirects=False,
            **tagged({"Content-Type": "application/x-www-form-urlencoded"}),
            name="sign-in: post",
            catch_response=True,
        ) as r:
            location = r.headers.get("Location", "") if r.headers else ""
            if r.status_code != 302 or "/auth/" in location:
                r.failure(f"sign-in refused ({r.status_code} -> {location})")

    def page(self, path: str, name: str) -> str:
        """GET a page that needs the session; fail on anything but a 200 page of its own."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True, **tagged()
        ) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {r.headers.get('Location', '') if r.headers else ''}")
                return ""
            return r.text or ""


class FormReader(_Session):
    """Opens the empty recording form again and again: a real page (16 queries of reference
    data, the largest template) that writes no audit event, so that the server's use of the
    cores shows apart from the audit chain lock."""

    ROLE = "investigator"

    @task
    def record_form(self) -> None:
        self.page("/seizures/new", "unaudited: record form")


class FloorReader(_Session):
    """Opens a person's History tab again and again: the cheapest signed-in, audited read the
    node serves (one record and its versions, one audit event with who looked at whom), so that
    the distance from the trivial routes to any real read shows apart from the mix's pages."""

    ROLE = "analyst"

    @task
    def person_history(self) -> None:
        person = random.choice(CONFIG["person_ids"])
        self.page(f"/persons/{person}/history", "floor: person history")


class _SignedIn(_Session):
    """Reads records and signs in again about once per hundred tasks (see the module
    docstring: one sign-in per working session, not one per dozen pages)."""

    abstract = True

    @task(32)
    def name_search(self) -> None:
        query = urlencode({"q": random.choice(CONFIG["names"])})
        self.page(f"/search/persons?{query}", "read: name search")

    @task(24)
    def person_page(self) -> None:
        self.page(f"/persons/{random.choice(CONFIG['person_ids'])}", "read: person page")

    @task(24)
    def seizure_page(self) -> None:
        self.page(f"/seizures/{random.choice(CONFIG['seizure_ids'])}", "read: seizure page")

    @task(16)
    def seizure_list(self) -> None:
        number = random.choice((1, 1, 1, 2, 3, random.randrange(4, 50)))
        self.page(f"/seizures?page={number}", "read: seizure list")

    @task(1)
    def sign_in_again(self) -> None:
        self.sign_in()


class Analyst(_SignedIn):
    """Reads only."""

    ROLE = "analyst"
    weight = 2


class _Recorder(_SignedIn):
    """Also records seizures and adds pictures to them."""

    abstract = True

    @task(16)
    def record_seizure(self) -> None:
        html = self.page("/seizures/new", "record: form")
        fields = form_fields(html, "/seizures/new")
        if "csrf_token" not in fields:
            return
        when = CONFIG["when"]
        data = [("csrf_token", fields["csrf_token"]), *case_fields(when).items()]
        # A third of the cases come with a picture, as the form allows.
        files = [("pictures", "tiles.jpg", small_jpeg())] if random.random() < 1 / 3 else []
        body, content_type = multipart(data, files)
        with self.client.post(
            "/seizures/new",
            data=body,
            allow_redirects=False,
            **tagged({"Content-Type": content_type}),
            name="record: save" + (" with picture" if files else ""),
            catch_response=True,
        ) as r:
            location = r.headers.get("Location", "") if r.headers else ""
            found = _SEIZURE_PATH.match(location.replace(self.host, ""))
            if r.status_code != 302 or not found:
                errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>([^<]+)', r.text or "")
                r.failure(f"not recorded ({r.status_code}): {errors[:3]}")
                return
            self.own_seizure = found.group(1)

    @task(8)
    def upload_picture(self) -> None:
        if self.own_seizure is None:
            return
        action = f"/pictures/attach/seizure/{self.own_seizure}"
        html = self.page(action, "picture: form")
        fields = form_fields(html, action)
        if "csrf_token" not in fields:
            return
        data = [*fields.items(), ("caption", "Load test picture")]
        body, content_type = multipart(data, [("files", "picture.jpg", small_jpeg())])
        with self.client.post(
            action,
            data=body,
            allow_redirects=False,
            **tagged({"Content-Type": content_type}),
            name="picture: upload",
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>([^<]+)', r.text or "")
                r.failure(f"not uploaded ({r.status_code}): {errors[:3]}")


class Investigator(_Recorder):
    """Records cases and reads."""

    ROLE = "investigator"
    weight = 5


class Supervisor(_Recorder):
    """Records cases and reads (validation is not part of this mix)."""

    ROLE = "supervisor"
    weight = 1
