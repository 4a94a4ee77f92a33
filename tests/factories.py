"""Test data factories: valid inputs for every record type, built through the public services."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User, UserRole

_counter = itertools.count(1)


def create_user(session: Session, *roles: Role, username: str | None = None) -> User:
    """A user with ``roles`` (password hash is a placeholder: these users never sign in)."""
    n = next(_counter)
    user = User(
        username=username or f"user{n}",
        display_name=f"Test User {n}",
        password_hash="!",  # not a valid argon2 hash: cannot be used to sign in
        role_rows=[UserRole(role=r) for r in roles],
    )
    session.add(user)
    session.flush()
    return user


def person_data(**overrides: Any) -> dict[str, Any]:
    """A valid person: Cyrillic primary name, Latin transliteration, passport, nationality."""
    data: dict[str, Any] = {
        "names": [
            {"full_name": "Алиев Мухаммад Ибрагимович", "kind": "primary"},
            {"full_name": "Mukhammad Aliev", "kind": "transliteration"},
        ],
        "gender": "M",
        "birth_year": 1984,
        "birth_month": 7,
        "nationalities": ["KZ", "UZ"],
        "documents": [{"doc_type": "passport", "number": "N 1234-5678", "issuing_country": "KZ"}],
        "contacts": [{"kind": "phone", "value": "+7 701 555 12 34"}],
    }
    data.update(overrides)
    return data


def company_data(**overrides: Any) -> dict[str, Any]:
    """A valid company with a Cyrillic name and a registration number."""
    data: dict[str, Any] = {
        "names": [{"name": "ТОО «Шелковый путь Логистик»"}, {"name": "Silk Road Logistics LLP"}],
        "country": "KZ",
        "registration_number": "120 540 012 345",
        "aeo_status": "none",
    }
    data.update(overrides)
    return data


def conveyance_data(**overrides: Any) -> dict[str, Any]:
    """A valid container with a correct ISO 6346 check digit."""
    data: dict[str, Any] = {
        "kind": "container",
        "identifiers": [{"kind": "container", "value": "CSQU3054383"}],
    }
    data.update(overrides)
    return data


def seizure_data(**overrides: Any) -> dict[str, Any]:
    """A valid seizure with one item, a route and a concealment method."""
    data: dict[str, Any] = {
        "occurred_at": (datetime.now(UTC) - timedelta(days=2)).isoformat(),
        "place": "Khorgos border crossing",
        "direction": "import",
        "transport_mode": "road",
        "detection_method": "risk_profiling",
        "departure_country": "CN",
        "transit_countries": ["KZ"],
        "destination_country": "RU",
        "concealment_methods": [],
        "narrative": "Cigarettes hidden behind a load of tiles.",
        "source_reliability": "B",
        "information_grade": 2,
        "items": [
            {
                "commodity_group": "tobacco",
                "hs_code": "2402.20",
                "description": "Cigarettes, counterfeit brand",
                "quantity": "12000",
                "unit": "pieces",
                "estimated_value": "3600.00",
                "currency": "USD",
            }
        ],
    }
    data.update(overrides)
    return data
