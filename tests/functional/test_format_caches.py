"""The remembered formats of list pages give exactly what Flask-Babel gives, in each language:
dates (`web.i18n.cached_date_formats`) and enumeration labels (`web.labels.enum_label`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from flask import Flask
from flask_babel import format_date, format_datetime

from ncen.seizures.models import SeizureStatus
from web.i18n import cached_date_formats
from web.labels import enum_label

PLUS_TWO = timezone(timedelta(hours=2))
INSTANT = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
VALUES = [
    INSTANT,
    INSTANT.astimezone(PLUS_TWO),  # equal to INSTANT, but another zone: not the same text
    datetime(2026, 12, 31, 23, 59, 59),  # naive
    date(2024, 2, 29),
]


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
def test_cached_dates_are_flask_babels(app: Flask, language: str) -> None:
    cached_datetime, cached_date = cached_date_formats(size=1024)
    with app.test_request_context(headers={"Accept-Language": language}):
        for _ in range(2):  # the second round comes from the cache
            for value in VALUES:
                for fmt in (None, "short", "medium", "long", "yyyy-MM-dd", "d MMM HH:mm"):
                    for rebase in (True, False):
                        if isinstance(value, datetime):
                            assert cached_datetime(value, fmt, rebase) == format_datetime(
                                value, fmt, rebase
                            )
                        if fmt != "d MMM HH:mm":
                            assert cached_date(value, fmt, rebase) == format_date(
                                value, fmt, rebase
                            )
        assert cached_datetime.cache_info().hits > 0  # type: ignore[attr-defined]
        assert cached_datetime(INSTANT, "HH:mm", False) == "00:30"
        assert cached_datetime(INSTANT.astimezone(PLUS_TWO), "HH:mm", False) == "02:30"


def test_languages_do_not_share_remembered_texts(app: Flask) -> None:
    cached_datetime, _ = cached_date_formats(size=1024)
    shown = {}
    for language in ("en", "fr", "ru", "en"):
        with app.test_request_context(headers={"Accept-Language": language}):
            shown[language] = (
                cached_datetime(INSTANT, "long"),
                enum_label("status", SeizureStatus.VALIDATED),
            )
            assert enum_label("status", "no such status") == "no such status"
            assert enum_label("status", None) == ""
    assert len({texts[0] for texts in shown.values()}) == 3
    assert len({texts[1] for texts in shown.values()}) == 3
    assert shown["en"][1] == "Validated"


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
def test_remembered_quantities_are_flask_babels(app: Flask, language: str) -> None:
    from decimal import Decimal

    from flask_babel import format_decimal, format_number

    from web.formatting import cached_format_decimal, cached_format_number, format_quantity

    values = [Decimal("12000.000"), Decimal("12.500"), Decimal("12.5"), 7, Decimal("0.125")]
    scores = [0.8512, -0.05, 0.1, 1, 12345.678, Decimal("1.50"), Decimal("1.5")]
    with app.test_request_context(headers={"Accept-Language": language}):
        for _ in range(2):  # the second round comes from the cache
            for value in values:
                assert format_quantity(value) == format_decimal(value, format="#,##0.###")
            for score in [*values, *scores]:
                for pattern in (None, "0.00", "+0.00;-0.00", "#,##0.###"):
                    expected = format_decimal(score, format=pattern)
                    assert cached_format_decimal(score, pattern) == expected
                assert cached_format_number(score) == format_number(score)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        english = format_quantity(Decimal("12000.000"))
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert format_quantity(Decimal("12000.000")) != english  # "12,000" against "12 000"
