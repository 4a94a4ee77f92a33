"""Typed node settings, read once from ``NCEN_*`` environment variables and an optional file.

`load_settings()` is the only reader. The object it returns is passed down explicitly: nothing in
ncen reads the environment at import time (DESIGN.md convention 1). The optional file named by
``NCEN_CONFIG`` holds ``NCEN_*=value`` lines (see ``config/ncen.env.example``); real environment
variables win over the file.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ncen.errors import ValidationError
from ncen.languages import is_language_code, parse_language_list

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Settings:
    """Everything a node needs to know about its deployment.

    ``database_url`` None means "start the embedded PostgreSQL in ``instance_path/pgdata``".
    ``database_url`` is the application's least-privilege role; ``database_owner_url`` the role
    that owns the schema and runs migrations (None: migrations use ``database_url``, and the node
    then refuses to serve if that role is privileged — see `ncen.dbroles`).
    """

    instance_path: Path = field(default_factory=lambda: Path("instance").resolve())
    database_url: str | None = None
    database_owner_url: str | None = None
    secret_key: str = ""
    node_id: str = "xx-ncen"
    node_country: str = "XX"
    host: str = "127.0.0.1"
    port: int = 8000
    session_idle_minutes: int = 30
    inactive_account_days: int = 90
    secure_cookies: bool = True
    max_upload_mb: int = 20
    max_picture_pixels: int = 40_000_000
    default_locale: str = "en"
    # The languages offered (NCEN_LANGUAGES, comma-separated); empty means every language with a
    # compiled catalogue (see web/i18n.py): a new catalogue needs no setting unless narrowed.
    languages: tuple[str, ...] = ()
    # A directory of more message catalogues (NCEN_TRANSLATIONS_PATH), searched before the
    # built-in web/translations: a language added there needs no change to the installation.
    translations_path: Path | None = None
    # How many reverse proxies in front of the node append to X-Forwarded-For/-Proto; 0 means
    # "trust no forwarded header" (issue 12 item 11: the sign-in throttle keys on the client
    # address, which is the proxy's own unless its headers are trusted).
    trusted_proxies: int = 0
    # The key that seals secrets stored in the database (`ncen.secretbox`); None means
    # ``instance/secrets_key``, created on first use.
    secrets_key_file: Path | None = None
    # How many server processes share the node's in-memory limits (set by `ncen serve` for its
    # gunicorn workers; 1 otherwise): each process takes its share of a per-node limit.
    server_processes: int = 1
    audit_checkpoint_minutes: int = 15
    audit_key_file: Path | None = None
    audit_checkpoint_file: Path | None = None
    # `ncen serve` recomputes the stored whole-graph centrality when the latest run is older
    # than this many hours (`ncen.analysis.centrality_job`); 0 never does (cron runs
    # ``ncen analyse centrality --store`` instead).
    centrality_hours: int = 24
    # `ncen serve` scans the persons and companies changed since the last scan for duplicate
    # candidates every this many minutes (`ncen.merging.scanner`); 0 never does (a timer runs
    # ``ncen duplicates scan`` instead).
    duplicate_scan_minutes: int = 5
    # Personal API tokens (`ncen.apitokens`): the longest lifetime a user may give one, and the
    # requests per minute each token may make to /api/v1 (a token bucket per server process,
    # `web.api.ratelimit`: with N processes a client may reach N times this at most).
    api_token_max_days: int = 365
    api_rate_per_minute: int = 120

    @property
    def audit_key_path(self) -> Path:
        """The Ed25519 key that signs audit checkpoints (outside the database)."""
        return self.audit_key_file or self.instance_path / "audit_signing_key"

    @property
    def audit_checkpoint_path(self) -> Path:
        """The append-only file of signed audit checkpoints (outside the database)."""
        return self.audit_checkpoint_file or self.instance_path / "audit-checkpoints.jsonl"

    @property
    def picture_path(self) -> Path:
        """Where the content-addressed picture store lives."""
        return self.instance_path / "pictures"

    @property
    def pgdata_path(self) -> Path:
        """Where the embedded PostgreSQL keeps its cluster."""
        return self.instance_path / "pgdata"

    def with_database(self, url: str, owner_url: str | None = None) -> Settings:
        """A copy pointing at ``url`` (and the owner's ``owner_url``), used once the embedded
        server has started."""
        return replace(self, database_url=url, database_owner_url=owner_url)

    @property
    def migration_url(self) -> str | None:
        """The URL migrations and backups connect with: the owner's, else the application's."""
        return self.database_owner_url or self.database_url


def _parse_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip().startswith("NCEN_"):
            raise ValidationError({f"{path}:{number}": "expected a line NCEN_NAME=value"})
        values[key.strip()] = value.strip().strip('"').strip("'")
    return values


def _path(raw: str | None) -> Path | None:
    return Path(raw).resolve() if raw else None


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build `Settings` from ``environ`` (default: ``os.environ``) and the ``NCEN_CONFIG`` file.

    Raises `ValidationError` naming every malformed variable at once. When ``NCEN_SECRET_KEY`` is
    unset, a random key is generated and kept in ``instance/secret_key`` so sessions survive
    restarts of a single node.
    """
    env = dict(os.environ if environ is None else environ)
    config_file = env.get("NCEN_CONFIG")
    merged: dict[str, str] = {}
    if config_file:
        merged.update(_parse_env_file(Path(config_file)))
    merged.update({k: v for k, v in env.items() if k.startswith("NCEN_")})

    errors: dict[str, str] = {}

    def integer(name: str, default: int, minimum: int = 0) -> int:
        raw = merged.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            errors[name] = f"must be a whole number, not {raw!r}"
            return default
        if value < minimum:
            errors[name] = f"must be at least {minimum}"
        return value

    def boolean(name: str, default: bool) -> bool:
        raw = merged.get(name)
        if raw is None:
            return default
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        errors[name] = "must be true or false"
        return default

    instance = Path(merged.get("NCEN_INSTANCE_PATH") or "instance").resolve()
    country = (merged.get("NCEN_NODE_COUNTRY") or "XX").upper()
    if len(country) != 2 or not country.isalpha():
        errors["NCEN_NODE_COUNTRY"] = "must be an ISO 3166-1 alpha-2 code such as KZ"
    locale = merged.get("NCEN_DEFAULT_LOCALE") or "en"
    if not is_language_code(locale):
        errors["NCEN_DEFAULT_LOCALE"] = "must be a language code such as en, fr or ru"
    languages, unknown = parse_language_list(merged.get("NCEN_LANGUAGES") or "")
    if unknown:
        errors["NCEN_LANGUAGES"] = "not language codes: " + ", ".join(unknown)
    elif languages and locale not in languages:
        errors["NCEN_DEFAULT_LOCALE"] = "must be one of NCEN_LANGUAGES"

    settings = Settings(
        instance_path=instance,
        database_url=merged.get("NCEN_DATABASE_URL") or None,
        database_owner_url=merged.get("NCEN_DATABASE_OWNER_URL") or None,
        secret_key=merged.get("NCEN_SECRET_KEY") or "",
        node_id=merged.get("NCEN_NODE_ID") or f"{country.lower()}-ncen",
        node_country=country,
        host=merged.get("NCEN_HOST") or "127.0.0.1",
        port=integer("NCEN_PORT", 8000, minimum=1),
        session_idle_minutes=integer("NCEN_SESSION_IDLE_MINUTES", 30, minimum=1),
        inactive_account_days=integer("NCEN_INACTIVE_ACCOUNT_DAYS", 90, minimum=1),
        secure_cookies=boolean("NCEN_SECURE_COOKIES", default=True),
        max_upload_mb=integer("NCEN_MAX_UPLOAD_MB", 20, minimum=1),
        max_picture_pixels=integer("NCEN_MAX_PICTURE_PIXELS", 40_000_000, minimum=1),
        default_locale=locale,
        languages=languages,
        translations_path=_path(merged.get("NCEN_TRANSLATIONS_PATH")),
        server_processes=integer("NCEN_SERVER_PROCESSES", 1, minimum=1),
        audit_checkpoint_minutes=integer("NCEN_AUDIT_CHECKPOINT_MINUTES", 15, minimum=1),
        audit_key_file=_path(merged.get("NCEN_AUDIT_KEY_FILE")),
        audit_checkpoint_file=_path(merged.get("NCEN_AUDIT_CHECKPOINT_FILE")),
        centrality_hours=integer("NCEN_CENTRALITY_HOURS", 24, minimum=0),
        duplicate_scan_minutes=integer("NCEN_DUPLICATE_SCAN_MINUTES", 5, minimum=0),
        trusted_proxies=integer("NCEN_TRUSTED_PROXIES", 0, minimum=0),
        api_token_max_days=integer("NCEN_API_TOKEN_MAX_DAYS", 365, minimum=1),
        api_rate_per_minute=integer("NCEN_API_RATE_PER_MINUTE", 120, minimum=1),
        secrets_key_file=Path(merged["NCEN_SECRETS_KEY_FILE"]).resolve()
        if merged.get("NCEN_SECRETS_KEY_FILE")
        else None,
    )
    if settings.database_owner_url and not settings.database_url:
        errors["NCEN_DATABASE_OWNER_URL"] = (
            "needs NCEN_DATABASE_URL too (the application's own, least-privilege role)"
        )
    if errors:
        raise ValidationError(errors)
    return settings


def ensure_secret_key(settings: Settings) -> Settings:
    """Return settings with a secret key, creating ``instance/secret_key`` (mode 0600) if needed."""
    if settings.secret_key:
        return settings
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    key_file = settings.instance_path / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return replace(settings, secret_key=key_file.read_text().strip())
