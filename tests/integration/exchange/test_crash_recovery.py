"""Fault tests, real ``ncen serve --with-worker`` processes on loopback: what a receiver killed
with SIGKILL mid-import leaves behind is removed when it starts again (the spooled bundle and
the decrypted pictures), and a receiver that comes back after an outage gets its bundles within
seconds, not after the sender's back-off (an hour at most by default)."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from served_nodes import ServedNode, wait_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.netmodels import Delivery, DeliveryState
from ncen.seizures.models import Seizure

pytestmark = pytest.mark.slow
LEGAL = ("--legal-basis", "Naples II, art. 9", "--purpose", "joint investigation")


def send(node: ServedNode, to: str, reference: str) -> str:
    return node.ok("exchange", "send", "--to", to, "--seizure", reference, *LEGAL).split()[2]


def _scratch(node: ServedNode) -> list[Path]:
    """What an import in progress keeps on disk: spooled bundles and decryption folders."""
    incoming = node.instance / "exchange" / "incoming"
    if not incoming.is_dir():
        return []
    return [p for pattern in ("proc-*/push-*.ncb", "proc-*/open-*") for p in incoming.glob(pattern)]


@pytest.fixture
def pair(make_served: Callable[..., ServedNode], tmp_path: Path) -> tuple[ServedNode, ServedNode]:
    folder = tmp_path / "keys"
    folder.mkdir()
    fr, de = make_served("fr-ncen", "FR"), make_served("de-ncen", "DE")
    fr.register(de, folder)
    de.register(fr, folder)
    return fr, de


def test_a_receiver_killed_mid_import_cleans_up_when_it_starts_again(pair):
    fr, de = pair
    references = [fr.record_case(seed=i) for i in range(24)]
    for reference in references:
        send(fr, "de-ncen", reference)
    # Kill the receiver the moment an import is under way (a spooled bundle or a folder of
    # decrypted attachments exists): watched from a thread, since the sender's worker starts
    # delivering before its web server answers.
    caught: list[Path] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            found = _scratch(de)
            if found and de.process is not None:
                os.killpg(de.process.pid, signal.SIGKILL)
                caught.extend(found)
                return
            time.sleep(0.002)

    de.start()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    fr.start()
    wait_for(lambda: bool(caught), 60, "an import in progress")
    done.set()
    watcher.join()
    de.kill()  # reaps the process killed by the watcher
    assert caught, "no import was caught in progress"
    left = _scratch(de)
    assert left, "SIGKILL left nothing behind: the fault was not reproduced"
    stranded = {p.parent for p in left}

    de.start()
    assert not any(folder.exists() for folder in stranded)
    wait_for(
        lambda: fr.deliveries(DeliveryState.ACCEPTED) == len(references),
        120,
        "every delivery after the restart",
    )
    assert de.count(Seizure, foreign=True) == len(references)
    fr.stop()
    de.stop()
    # A clean stop leaves only the (empty) folders of live processes, which are gone too.
    assert _scratch(de) == []


def test_a_receiver_that_comes_back_gets_its_bundles_without_waiting_out_the_back_off(pair):
    fr, de = pair
    # Long back-off, as in production: after a few failures the wait is far longer than the
    # test's patience; only the probe can make the delivery in time.
    fr.extra_env = {
        "NCEN_EXCHANGE_RETRY_BASE_SECONDS": "60",
        "NCEN_EXCHANGE_RETRY_MAX_SECONDS": "3600",
        "NCEN_EXCHANGE_PROBE_SECONDS": "0.5",
    }
    bundle = send(fr, "de-ncen", fr.record_case())
    fr.start()
    wait_for(lambda: _last_error(fr) is not None, 30, "a failed first attempt (de is down)")
    time.sleep(1.5)  # a few probes find de unreachable
    de.start()
    started = time.monotonic()
    wait_for(lambda: fr.deliveries(DeliveryState.ACCEPTED) == 1, 20, "delivery after de is back")
    assert time.monotonic() - started < 20  # the back-off alone would wait 60 s
    assert de.accepted_inbox() == [bundle]
    assert "reachable again" in fr.log()


def _last_error(node: ServedNode) -> str | None:
    with Session(node.engine) as session:
        return session.execute(select(Delivery.last_error)).scalar_one_or_none()
