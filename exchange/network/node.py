"""What the online exchange of one node needs at hand: its identity, folders, limits, retry rules.

`ExchangeConfig` holds the exchange's own ``NCEN_EXCHANGE_*`` settings (read once by the entry
point with `exchange_config_from`, never at import time); `NodeContext` bundles them with the
loaded identity and the picture store, and is passed down to the outbox, the inbox and the
message handlers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from exchange.crypto.container import Limits
from exchange.crypto.keydir import NodeKeys, passphrase_from_environment
from exchange.crypto.keys import NodeIdentity
from exchange.errors import KeyStoreError
from exchange.network.transport import TlsSettings
from ncen.pictures.services import UploadLimits
from ncen.pictures.store import PictureStore
from ncen.settings import Settings

EXCHANGE_FOLDER = "exchange"


@dataclass(frozen=True)
class ExchangeConfig:
    """Settings of the online exchange (every one has an ``NCEN_EXCHANGE_*`` variable)."""

    max_bundle_mb: int = 512  # NCEN_EXCHANGE_MAX_BUNDLE_MB: largest bundle the endpoint reads
    retry_base_seconds: float = 5.0  # NCEN_EXCHANGE_RETRY_BASE_SECONDS: first back-off step
    retry_max_seconds: float = 3600.0  # NCEN_EXCHANGE_RETRY_MAX_SECONDS: longest back-off
    poll_seconds: float = 2.0  # NCEN_EXCHANGE_POLL_SECONDS: worker idle wait
    timeout_seconds: float = 300.0  # NCEN_EXCHANGE_TIMEOUT_SECONDS: one HTTP exchange
    pull_peers: tuple[str, ...] = ()  # NCEN_EXCHANGE_PULL_PEERS: peers we pull from (NAT)
    hit_checks_per_day: int = 200  # NCEN_EXCHANGE_HIT_CHECKS_PER_DAY: per peer, each way
    cen_min_count: int = 3  # NCEN_EXCHANGE_CEN_MIN_COUNT: small-count suppression threshold
    # Rate limit of the peer endpoint, per remote address and per verified sender
    # (exchange.services.admission): a burst of NCEN_EXCHANGE_PEER_BURST requests, refilled at
    # NCEN_EXCHANGE_PEER_RATE_PER_MINUTE. A pulling peer polls every 2 s (30 a minute).
    peer_burst: int = 60
    peer_rate_per_minute: float = 120.0
    tls: TlsSettings = field(default_factory=TlsSettings)

    @property
    def limits(self) -> Limits:
        return Limits(max_bundle_bytes=self.max_bundle_mb * 1024 * 1024)

    def backoff(self, attempts: int) -> timedelta:
        """The wait after ``attempts`` failed attempts (exponential, capped)."""
        seconds = min(self.retry_base_seconds * 2 ** max(attempts - 1, 0), self.retry_max_seconds)
        return timedelta(seconds=seconds)


def _with_config_file(environ: Mapping[str, str]) -> dict[str, str]:
    """The ``NCEN_EXCHANGE_*`` lines of the ``NCEN_CONFIG`` file, overridden by ``environ``."""
    merged: dict[str, str] = {}
    config_file = environ.get("NCEN_CONFIG")
    if config_file and Path(config_file).is_file():
        for raw in Path(config_file).read_text(encoding="utf-8").splitlines():
            key, sep, value = raw.strip().partition("=")
            if sep and key.strip().startswith("NCEN_EXCHANGE_"):
                merged[key.strip()] = value.strip().strip('"').strip("'")
    merged.update({k: v for k, v in environ.items() if k.startswith("NCEN_EXCHANGE_")})
    return merged


def exchange_config_from(environ: Mapping[str, str]) -> ExchangeConfig:
    """Read `ExchangeConfig` from ``NCEN_EXCHANGE_*`` variables (environment first, then the
    ``NCEN_CONFIG`` file); raise `ValueError` if one is malformed."""
    environ = _with_config_file(environ)

    def number(name: str, default: float) -> float:
        raw = environ.get(name)
        if raw is None or raw == "":
            return default
        value = float(raw)
        if value <= 0:
            raise ValueError(f"{name} must be positive")
        return value

    def path(name: str) -> Path | None:
        raw = environ.get(name)
        return Path(raw) if raw else None

    peers = tuple(p.strip() for p in environ.get("NCEN_EXCHANGE_PULL_PEERS", "").split(",") if p)
    return ExchangeConfig(
        max_bundle_mb=int(number("NCEN_EXCHANGE_MAX_BUNDLE_MB", 512)),
        retry_base_seconds=number("NCEN_EXCHANGE_RETRY_BASE_SECONDS", 5.0),
        retry_max_seconds=number("NCEN_EXCHANGE_RETRY_MAX_SECONDS", 3600.0),
        poll_seconds=number("NCEN_EXCHANGE_POLL_SECONDS", 2.0),
        timeout_seconds=number("NCEN_EXCHANGE_TIMEOUT_SECONDS", 300.0),
        pull_peers=peers,
        hit_checks_per_day=int(number("NCEN_EXCHANGE_HIT_CHECKS_PER_DAY", 200)),
        cen_min_count=int(number("NCEN_EXCHANGE_CEN_MIN_COUNT", 3)),
        peer_burst=int(number("NCEN_EXCHANGE_PEER_BURST", 60)),
        peer_rate_per_minute=number("NCEN_EXCHANGE_PEER_RATE_PER_MINUTE", 120.0),
        tls=TlsSettings(
            path("NCEN_EXCHANGE_TLS_CA"),
            path("NCEN_EXCHANGE_TLS_CERT"),
            path("NCEN_EXCHANGE_TLS_KEY"),
        ),
    )


@dataclass(frozen=True)
class NodeContext:
    """The loaded identity of this node and everything the exchange services write to."""

    identity: NodeIdentity
    settings: Settings
    config: ExchangeConfig

    @property
    def node_id(self) -> str:
        return self.identity.node_id

    @property
    def store(self) -> PictureStore:
        return PictureStore(self.settings.picture_path)

    @property
    def upload_limits(self) -> UploadLimits:
        return self.settings

    def folder(self, name: str) -> Path:
        """``<instance>/exchange/<name>``, created owner-only on first use."""
        path = self.settings.instance_path / EXCHANGE_FOLDER / name
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path

    @property
    def outbox_dir(self) -> Path:
        return self.folder("outbox")

    @property
    def work_dir(self) -> Path:
        return self.folder("incoming")

    def bundle_path(self, bundle_id: object) -> Path:
        return self.outbox_dir / f"{bundle_id}.ncb"


def load_node(settings: Settings, environ: Mapping[str, str] | None = None) -> NodeContext:
    """Load this node's identity (passphrase from the environment) and exchange settings.

    Raises `KeyStoreError` when the keys are missing or unusable, `ValueError` on bad settings.
    """
    env = os.environ if environ is None else environ
    keys = NodeKeys.of_instance(settings.instance_path, passphrase=passphrase_from_environment(env))
    if not keys.exists():
        raise KeyStoreError(f"no node keys in {keys.directory}: run `ncen keys init` first")
    identity = keys.load(settings.node_id)
    return NodeContext(identity, settings, exchange_config_from(env))
