"""The sign-in failure counters in PostgreSQL (issue 12 item 11): windows, expiry and purge,
and atomic counting by concurrent transactions (two server processes)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ncen.accounts.models import SignInFailures
from ncen.accounts.throttle import (
    ADDRESS,
    WINDOW,
    account_key,
    count_failure,
    failed_recently,
    failures_in_window,
    forget,
)
from ncen.db import utcnow


def test_counts_in_a_window_that_starts_again(session: Session) -> None:
    now = utcnow()
    with session.begin():
        assert [count_failure(session, ADDRESS, "192.0.2.1", now) for _ in range(3)] == [1, 2, 3]
        assert failures_in_window(session, ADDRESS, "192.0.2.1", now) == 3
        assert failures_in_window(session, ADDRESS, "192.0.2.2", now) == 0
        later = now + WINDOW + timedelta(seconds=1)
        assert failures_in_window(session, ADDRESS, "192.0.2.1", later) == 0
        assert not failed_recently(session, ADDRESS, "192.0.2.1", later)
        assert count_failure(session, ADDRESS, "192.0.2.1", later) == 1  # a new window
        assert failed_recently(session, ADDRESS, "192.0.2.1", later)
        forget(session, ADDRESS, "192.0.2.1")
        assert failures_in_window(session, ADDRESS, "192.0.2.1", later) == 0


def test_expired_rows_are_purged(session: Session) -> None:
    now = utcnow()
    with session.begin():
        count_failure(session, ADDRESS, "192.0.2.3", now - WINDOW - timedelta(minutes=1))
        count_failure(session, ADDRESS, "192.0.2.4", now)
        keys = session.execute(
            select(SignInFailures.key).where(SignInFailures.key.like("192.0.2.%"))
        ).scalars()
        assert sorted(keys) == ["192.0.2.4"]


def test_concurrent_failures_all_count(engine) -> None:
    key = f"concurrent-{uuid.uuid4()}"
    now = utcnow()
    results: list[int] = []
    try:
        with Session(engine) as first, first.begin():
            results.append(count_failure(first, ADDRESS, key, now))

            def other_process() -> None:
                with Session(engine) as second, second.begin():
                    results.append(count_failure(second, ADDRESS, key, now))

            thread = threading.Thread(target=other_process)
            thread.start()
            thread.join(timeout=0.5)
            assert thread.is_alive()  # waits for the first transaction's row
        thread.join(timeout=10)
        assert results == [1, 2]
    finally:
        with Session(engine) as cleanup, cleanup.begin():
            cleanup.execute(delete(SignInFailures).where(SignInFailures.key == key))


def test_an_ipv6_client_is_counted_by_its_slash_64(session: Session) -> None:
    """Found by review: one IPv6 end-user network has 2**64 addresses, so counting each address
    apart gave it an unbounded number of guesses. IPv4 addresses stay apart."""
    now = datetime.now(UTC)
    with session.begin():
        count_failure(session, ADDRESS, "2001:db8:1:2::1", now)
        count_failure(session, ADDRESS, "2001:db8:1:2:ffff::9", now)
        count_failure(session, ADDRESS, "192.0.2.1", now)
    with session.begin():
        assert failures_in_window(session, ADDRESS, "2001:db8:1:2::77", now) == 2
        assert failures_in_window(session, ADDRESS, "2001:db8:1:3::1", now) == 0
        assert failures_in_window(session, ADDRESS, "192.0.2.2", now) == 0
    user = uuid.uuid4()
    assert account_key(user, "2001:db8:1:2::1") == account_key(user, "2001:db8:1:2::2")
    assert account_key(user, "192.0.2.1") != account_key(user, "192.0.2.2")
