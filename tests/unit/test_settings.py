"""Settings: environment and file, precedence, and every malformed value reported."""

from __future__ import annotations

import pytest

from ncen.errors import ValidationError
from ncen.settings import ensure_secret_key, load_settings


def test_defaults(tmp_path):
    settings = load_settings({"NCEN_INSTANCE_PATH": str(tmp_path)})
    assert settings.database_url is None
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.pgdata_path == tmp_path / "pgdata"
    assert settings.secure_cookies is True


def test_file_then_environment_precedence(tmp_path):
    config = tmp_path / "ncen.env"
    config.write_text("# comment\nNCEN_PORT=9000\nNCEN_NODE_COUNTRY=kz\n")
    settings = load_settings({"NCEN_CONFIG": str(config), "NCEN_PORT": "9100"})
    assert settings.port == 9100
    assert settings.node_country == "KZ"
    assert settings.node_id == "kz-ncen"


def test_every_bad_value_reported(tmp_path):
    with pytest.raises(ValidationError) as caught:
        load_settings(
            {
                "NCEN_PORT": "x",
                "NCEN_NODE_COUNTRY": "Kaz",
                "NCEN_SECURE_COOKIES": "maybe",
                "NCEN_SESSION_IDLE_MINUTES": "0",
                "NCEN_DEFAULT_LOCALE": "xx-not-a-language",
            }
        )
    assert set(caught.value.errors) == {
        "NCEN_PORT",
        "NCEN_NODE_COUNTRY",
        "NCEN_SECURE_COOKIES",
        "NCEN_SESSION_IDLE_MINUTES",
        "NCEN_DEFAULT_LOCALE",
    }


def test_malformed_config_file_line(tmp_path):
    config = tmp_path / "bad.env"
    config.write_text("PORT 9000\n")
    with pytest.raises(ValidationError):
        load_settings({"NCEN_CONFIG": str(config)})


def test_secret_key_generated_once_and_private(tmp_path):
    settings = load_settings({"NCEN_INSTANCE_PATH": str(tmp_path)})
    first = ensure_secret_key(settings)
    second = ensure_secret_key(settings)
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) >= 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_database_roles_and_audit_files(tmp_path):
    settings = load_settings(
        {
            "NCEN_INSTANCE_PATH": str(tmp_path),
            "NCEN_DATABASE_URL": "postgresql://ncen_app@db/ncen",
            "NCEN_DATABASE_OWNER_URL": "postgresql://ncen_owner@db/ncen",
            "NCEN_AUDIT_CHECKPOINT_MINUTES": "5",
        }
    )
    assert settings.migration_url == "postgresql://ncen_owner@db/ncen"
    assert settings.audit_checkpoint_minutes == 5
    assert settings.audit_key_path == tmp_path / "audit_signing_key"
    assert settings.audit_checkpoint_path == tmp_path / "audit-checkpoints.jsonl"
    single = load_settings({"NCEN_DATABASE_URL": "postgresql://ncen@db/ncen"})
    assert single.migration_url == "postgresql://ncen@db/ncen"


def test_an_owner_url_alone_is_refused():
    with pytest.raises(ValidationError) as caught:
        load_settings({"NCEN_DATABASE_OWNER_URL": "postgresql://ncen_owner@db/ncen"})
    assert "NCEN_DATABASE_OWNER_URL" in caught.value.errors


def test_trusted_proxies_and_secrets_key_file(tmp_path):
    """Issue 12 items 11 and 12: no proxy trusted and the instance key file by default."""
    default = load_settings({"NCEN_INSTANCE_PATH": str(tmp_path)})
    assert default.trusted_proxies == 0
    assert default.secrets_key_file is None
    settings = load_settings(
        {"NCEN_TRUSTED_PROXIES": "1", "NCEN_SECRETS_KEY_FILE": str(tmp_path / "key")}
    )
    assert settings.trusted_proxies == 1
    assert settings.secrets_key_file == tmp_path / "key"
    with pytest.raises(ValidationError) as caught:
        load_settings({"NCEN_TRUSTED_PROXIES": "-1"})
    assert set(caught.value.errors) == {"NCEN_TRUSTED_PROXIES"}


def test_centrality_hours(tmp_path):
    """Issue 9: recomputed daily by default; 0 disables the background job; no negatives."""
    assert load_settings({"NCEN_INSTANCE_PATH": str(tmp_path)}).centrality_hours == 24
    off = load_settings({"NCEN_INSTANCE_PATH": str(tmp_path), "NCEN_CENTRALITY_HOURS": "0"})
    assert off.centrality_hours == 0
    for bad in ("-1", "soon"):
        with pytest.raises(ValidationError) as caught:
            load_settings({"NCEN_INSTANCE_PATH": str(tmp_path), "NCEN_CENTRALITY_HOURS": bad})
        assert "NCEN_CENTRALITY_HOURS" in caught.value.errors


def test_duplicate_scan_minutes(tmp_path):
    assert load_settings({"NCEN_INSTANCE_PATH": str(tmp_path)}).duplicate_scan_minutes == 5
    off = load_settings({"NCEN_INSTANCE_PATH": str(tmp_path), "NCEN_DUPLICATE_SCAN_MINUTES": "0"})
    assert off.duplicate_scan_minutes == 0
