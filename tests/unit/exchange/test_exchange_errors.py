"""The error hierarchy: every error is an ExchangeError with a stable code and a generic reason."""

from __future__ import annotations

import ast
from pathlib import Path

from exchange import errors

EXCHANGE = Path(__file__).resolve().parents[3] / "exchange"
# The crypto core is the `exchange.crypto` subpackage plus the errors it raises (and the package's
# own __init__); tests/unit/test_layering.py also keeps it off the other exchange subpackages.
CRYPTO = sorted((EXCHANGE / "crypto").glob("*.py"))
CORE = [*CRYPTO, EXCHANGE / "errors.py", EXCHANGE / "__init__.py"]


def test_every_error_has_a_code_and_a_generic_reason() -> None:
    codes = [cls.code for cls in errors.ALL_ERRORS]
    assert len(set(codes)) == len(codes) == 16
    for cls in errors.ALL_ERRORS:
        assert issubclass(cls, errors.ExchangeError)
        assert cls.__name__.endswith("Error")
        error = cls("key 1234 failed at offset 99")
        assert str(error) == "key 1234 failed at offset 99"
        assert error.generic_reason in {"rejected", "too large", "malformed"}
        assert "1234" not in error.generic_reason


def test_the_crypto_core_imports_nothing_from_ncen_web_or_the_database() -> None:
    assert len(CORE) == 18  # the 15 crypto modules, crypto/__init__, errors, exchange/__init__
    for path in CORE:
        name = path.relative_to(EXCHANGE).as_posix()
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                root = module.split(".")[0]
                assert root not in {"ncen", "web", "sqlalchemy", "psycopg", "flask"}, (name, module)
