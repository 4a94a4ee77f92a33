"""Fixtures for the exchange tests: a simulated network of nodes (see exchange_testkit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from exchange_testkit import Network

from exchange.crypto.keys import KemAlgorithm


@pytest.fixture
def net(tmp_path: Path) -> Network:
    """Three nodes that pin each other: fr and de (X25519), it (hybrid ML-KEM-768+X25519)."""
    return Network(
        tmp_path,
        {
            "fr": KemAlgorithm.X25519,
            "de": KemAlgorithm.X25519,
            "it": KemAlgorithm.MLKEM768_X25519,
        },
    )
