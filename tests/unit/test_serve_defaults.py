"""``ncen serve``'s default number of gunicorn workers: one per core, at least two, at most
eight (chosen with benchmarks/bench_load.py; docs/operations.md, "Production server")."""

from __future__ import annotations

import pytest

from web import cli


@pytest.mark.parametrize(
    ("cores", "workers"), [(None, 2), (1, 2), (2, 2), (3, 3), (4, 4), (8, 8), (64, 8)]
)
def test_one_worker_per_core_within_bounds(
    monkeypatch: pytest.MonkeyPatch, cores: int | None, workers: int
) -> None:
    monkeypatch.setattr(cli.os, "cpu_count", lambda: cores)
    assert cli.default_workers() == workers
