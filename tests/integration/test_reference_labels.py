"""Reference labels in the database: the migration seeds French and Russian for every built-in
code, administrators label the codes they add in every language and correct any label, and
`ncen.reference.labels` names codes in a reader's language (English where none is stored)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.audit import AuditEvent, flush_events
from ncen.errors import NotFoundError, PermissionDeniedError, ValidationError
from ncen.reference.labels import labels_of, translated
from ncen.reference.models import ReferenceLabel
from ncen.reference.services import (
    EDITABLE,
    LABEL_LOCALES,
    add_code,
    relabel_code,
    translations,
)
from ncen.reference.translations import LOCALES, TRANSLATED_LISTS
from tests.conftest import make_actor

# Lists whose codes all need a label per language (customs offices are the administration's own
# and start empty; countries and currencies are named by CLDR).
LABELLED = sorted(set(TRANSLATED_LISTS) | (set(EDITABLE) - {"customs_offices"}))


@pytest.fixture
def admin(session: Session) -> Actor:
    return make_actor(session, Role.ADMINISTRATOR)


def _english(session: Session, list_name: str) -> dict[str, str]:
    rows = session.execute(text(f"SELECT code, label FROM {list_name}"))
    return {str(code): str(label) for code, label in rows}


@pytest.mark.parametrize("list_name", LABELLED)
def test_every_code_in_the_database_has_a_label_in_every_language(
    session: Session, list_name: str
) -> None:
    english = _english(session, list_name)
    assert english
    for locale in LABEL_LOCALES:
        shown = translated(session, list_name, english, locale)
        assert all(label.strip() for label in shown.values()), (list_name, locale)
    for locale in LOCALES:
        stored = session.scalars(
            select(ReferenceLabel.code).where(
                ReferenceLabel.list_name == list_name, ReferenceLabel.locale == locale
            )
        ).all()
        assert set(stored) == set(english), (list_name, locale, "codes without a translation")


@pytest.mark.parametrize("list_name", ["countries", "currencies"])
def test_countries_and_currencies_are_named_in_every_language(
    session: Session, list_name: str
) -> None:
    english = _english(session, list_name)
    for locale in LABEL_LOCALES:
        shown = translated(session, list_name, english, locale)
        assert all(shown.values())
    assert translated(session, list_name, english, "ru")[
        "TR" if list_name == "countries" else "KZT"
    ] in {
        "Турция",
        "Казахский тенге",
    }


def test_labels_of_names_some_codes_in_a_language(session: Session) -> None:
    known = {"countries", "commodity_groups"}
    assert labels_of(session, "commodity_groups", ["medicines", "nope"], "ru", known=known) == {
        "medicines": "Лекарственные средства и фармацевтическая продукция"
    }
    assert labels_of(session, "countries", ["KG"], "fr", known=known) == {"KG": "Kirghizstan"}
    assert labels_of(session, "countries", [], "fr", known=known) == {}
    with pytest.raises(ValueError, match="users"):
        labels_of(session, "users", ["x"], "fr", known=known)


def test_a_code_added_with_its_translations_reads_in_each_language(
    session: Session, admin: Actor
) -> None:
    add_code(
        session,
        admin,
        "detection_methods",
        "drone_patrol",
        " Drone patrol ",
        labels={"fr": " Patrouille de drone ", "ru": "Патрулирование с дрона"},
    )
    assert translations(session, "detection_methods", "drone_patrol") == {
        "en": "Drone patrol",
        "fr": "Patrouille de drone",
        "ru": "Патрулирование с дрона",
    }
    english = {"drone_patrol": "Drone patrol"}
    assert translated(session, "detection_methods", english, "ru") == {
        "drone_patrol": "Патрулирование с дрона"
    }
    flush_events(session)
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "reference.add")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None
    assert event.details["labels"]["ru"] == "Патрулирование с дрона"


def test_a_code_added_in_english_only_falls_back_to_english(session: Session, admin: Actor) -> None:
    add_code(session, admin, "quantity_units", "sacks", "Sacks", labels={"fr": "", "ru": "  "})
    count = session.scalar(
        select(func.count()).select_from(ReferenceLabel).where(ReferenceLabel.code == "sacks")
    )
    assert count == 0
    assert translated(session, "quantity_units", {"sacks": "Sacks"}, "fr") == {"sacks": "Sacks"}


def test_relabel_replaces_every_language_and_is_audited(session: Session, admin: Actor) -> None:
    relabel_code(
        session,
        admin,
        "transport_modes",
        "road",
        {"en": "Road transport", "fr": "Transport routier (camion)", "ru": ""},
    )
    assert translations(session, "transport_modes", "road") == {
        "en": "Road transport",
        "fr": "Transport routier (camion)",
    }
    flush_events(session)
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "reference.relabel")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None
    assert event.record_id == "road"
    assert event.details["before"]["ru"] == "Автомобильный транспорт"
    assert "ru" not in event.details["after"]


@pytest.mark.parametrize(
    ("labels", "key"),
    [
        ({"en": "", "fr": "x", "ru": "y"}, "label"),
        ({"en": "Road", "fr": "a\x00b", "ru": "y"}, "label_fr"),
        ({"en": "Road", "fr": "x", "ru": "\u202eevil"}, "label_ru"),
        ({"en": "Road", "fr": "x" * 501, "ru": "y"}, "label_fr"),
        ({"en": "Road", "de": "Straße"}, "label_de"),
        ({"en": "Road", "ru": 12}, "label_ru"),
    ],
)
def test_bad_labels_are_refused_next_to_their_field(
    session: Session, admin: Actor, labels: dict[str, object], key: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        relabel_code(session, admin, "transport_modes", "road", labels)  # type: ignore[arg-type]
    assert key in refused.value.errors
    assert translations(session, "transport_modes", "road")["ru"] == "Автомобильный транспорт"


def test_relabel_refuses_unknown_codes_lists_and_non_administrators(
    session: Session, admin: Actor, investigator: Actor
) -> None:
    with pytest.raises(NotFoundError):
        relabel_code(session, admin, "transport_modes", "hovercraft", {"en": "Hovercraft"})
    with pytest.raises(ValidationError):
        relabel_code(session, admin, "countries", "KZ", {"en": "Qazaqstan"})
    with pytest.raises(PermissionDeniedError):
        relabel_code(session, investigator, "transport_modes", "road", {"en": "Road"})
