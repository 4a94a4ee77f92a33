"""Codes on pages, pickers and exports in the reader's language: CEN lists from
``reference_labels``, countries and currencies from CLDR sorted by their localised name, a
foreign record's codes like a national one's, and the administrator's labels per language."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.records import Provenance
from ncen.reference.services import translations
from ncen.seizures.foreign import import_foreign_seizure, place_with_office
from tests.factories import seizure_data
from tests.functional.conftest import post_form, sign_in
from tests.graph_support import plant_ring
from tests.web_support import make_record, make_user, tx

ROUTE = {"departure_country": "TR", "transit_countries": ["CN", "KG"], "destination_country": "RU"}
ITEM = {"commodity_group": "medicines", "quantity": "500", "unit": "tablets", "currency": "USD"}


def _seizure(db: Session) -> object:
    author = make_user(db, Role.INVESTIGATOR)
    return make_record(
        db,
        author,
        "seizure",
        transport_mode="maritime",
        concealment_methods=["within_cargo"],
        items=[{**ITEM, "estimated_value": "10"}],
        **ROUTE,
    )


def test_a_seizure_reads_in_russian(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    seizure = _seizure(db)
    signed_in(Role.ANALYST, locale="ru")
    page = client.get(f"/seizures/{seizure.id}").text  # type: ignore[attr-defined]
    for russian in (
        "Лекарственные средства и фармацевтическая продукция",
        "Морской транспорт",
        "Таблетки",
        "Профили риска / целевой отбор",
        "В грузе, среди законных товаров (совместная загрузка)",
        "Турция",
        "Китай",
        "Киргизия",
        "Россия",
    ):
        assert russian in page, russian
    for english in ("Medicines and pharmaceuticals", "Maritime transport", "Tablets", "Türkiye"):
        assert english not in page, english


def test_a_seizure_reads_in_french_and_english(client: FlaskClient, db: Session) -> None:
    seizure = _seizure(db)
    sign_in(client, make_user(db, Role.ANALYST, locale="fr"))
    page = client.get(f"/seizures/{seizure.id}").text  # type: ignore[attr-defined]
    assert "Médicaments et produits pharmaceutiques" in page
    assert "Transport maritime" in page
    assert "Turquie" in page
    english = client.application.test_client()
    sign_in(english, make_user(db, Role.ANALYST, locale="en"))
    page = english.get(f"/seizures/{seizure.id}").text  # type: ignore[attr-defined]
    assert "Medicines and pharmaceuticals" in page
    assert "Türkiye" in page


def test_a_foreign_seizure_shows_its_codes_in_the_reader_s_language(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    with tx(db):
        received = import_foreign_seizure(
            db,
            Actor.system("test"),
            seizure_data(reference="LT-9", transport_mode="rail", **ROUTE),
            Provenance("lt-ncen", "9", uuid.uuid4()),
        )
    signed_in(Role.ANALYST, locale="ru")
    page = client.get(f"/seizures/{received.id}").text
    assert "lt-ncen" in page  # its origin is shown
    assert "Железнодорожный транспорт" in page
    assert "Табак и табачные изделия" in page
    assert "Rail transport" not in page


def _options(page: str, field: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', page, re.S)
    assert select, field
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


def test_country_picker_is_in_the_reader_s_language_and_order(
    client: FlaskClient, signed_in: Callable[..., User]
) -> None:
    signed_in(Role.INVESTIGATOR, locale="ru")
    page = client.get("/seizures/new").text
    countries = [(code, label) for code, label in _options(page, "departure_country") if code]
    labels = [label for _code, label in countries]
    assert ("TR", "Турция") in countries
    assert labels[0] == "Австралия"
    assert labels.index("Турция") < labels.index("Узбекистан") < labels.index("Япония")
    assert 'data-search="on"' in page  # the search box filters these localised names
    # The search box matches what a Russian reader types: «Тур» finds Türkiye.
    found = {code for code, label in countries if "тур" in label.casefold()}
    assert found == {"TR", "TM"}  # Турция, Туркменистан
    units = dict(_options(page, "items-0-unit"))
    assert units["tablets"] == "Таблетки"
    currencies = dict(_options(page, "items-0-currency"))
    assert currencies["USD"] == "USD – Доллар США"


def test_statistics_csv_is_labelled_in_the_reader_s_language_next_to_codes(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    _seizure(db)
    signed_in(Role.ANALYST, locale="fr")
    response = client.get("/analysis/statistics/export.csv?by=commodity,departure")
    assert response.status_code == 200
    # The CSV rule of web.csvexport: a code column beside each label column, ";" in French.
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["commodity_code", "commodity", "departure_code", "departure"]
    assert ["medicines", "Médicaments et produits pharmaceutiques", "TR", "Turquie"] in [
        r[:4] for r in rows
    ]
    page = client.get("/analysis/statistics?rows=commodity").text
    assert "Médicaments et produits pharmaceutiques" in page


LIST = "/admin/reference/detection_methods"


def test_administrator_labels_a_new_code_in_every_language(
    app: object, client: FlaskClient, db: Session
) -> None:
    sign_in(client, make_user(db, Role.ADMINISTRATOR, locale="ru"))
    form = client.get(LIST).text
    for field in ("label", "label_fr", "label_ru"):
        assert f'name="{field}"' in form
    assert "(французский)" in form  # the language named by CLDR, in Russian
    response = post_form(
        client,
        f"{LIST}/new",
        {
            "code": "drone_patrol",
            "label": "Drone patrol",
            "label_fr": "Patrouille de drone",
            "label_ru": "Патрулирование с дрона",
        },
    )
    assert response.status_code == 302
    listed = client.get(LIST).text
    assert "Патрулирование с дрона" in listed
    reader = client.application.test_client()
    sign_in(reader, make_user(db, Role.INVESTIGATOR, locale="fr"))
    assert (
        '<option value="drone_patrol">Patrouille de drone</option>'
        in reader.get("/seizures/new").text
    )


def test_administrator_corrects_the_labels_of_a_code(client: FlaskClient, db: Session) -> None:
    sign_in(client, make_user(db, Role.ADMINISTRATOR))
    url = f"{LIST}/random_check/labels"
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="Случайная проверка"' in page.text
    assert 'value="Contrôle aléatoire"' in page.text
    refused = post_form(
        client, url, {"label": "", "label_fr": "Contrôle aléatoire", "label_ru": "x\u202ey"}
    )
    assert refused.status_code == 200
    assert refused.text.count("invalid-feedback") == 2
    assert 'value="Contrôle aléatoire"' in refused.text  # input kept
    saved = post_form(
        client,
        url,
        {"label": "Random check", "label_fr": "Contrôle au hasard", "label_ru": "Случайный отбор"},
    )
    assert saved.status_code == 302
    with tx(db):
        assert translations(db, "detection_methods", "random_check") == {
            "en": "Random check",
            "fr": "Contrôle au hasard",
            "ru": "Случайный отбор",
        }
    assert client.get(f"{LIST}/nowhere/labels").status_code == 404
    assert client.get("/admin/reference/countries/KZ/labels").status_code == 404
    # Without the CSRF token nothing is saved.
    forged = client.post(url, data={"label": "Forged", "label_fr": "", "label_ru": ""})
    assert forged.status_code in {200, 400}
    with tx(db):
        assert translations(db, "detection_methods", "random_check")["en"] == "Random check"


def test_link_chart_and_timeline_name_roles_in_the_reader_s_language(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    author = make_user(db, Role.SUPERVISOR)
    with tx(db):
        ring = plant_ring(db, Actor.of(author))
    signed_in(Role.ANALYST, locale="ru")
    expanded = client.get("/analysis/api/expand", query_string={"node": str(ring.a)})
    assert expanded.status_code == 200, expanded.text
    edges = {edge["kind"]: edge for edge in expanded.get_json()["edges"]}
    assert edges["participation"]["label"] == "Водитель / Владелец"  # driver / owner
    assert edges["participation"]["evidence"].startswith("Водитель / Владелец ")
    assert ring.references["s1"] in edges["participation"]["evidence"]
    assert edges["employment"]["label"] == "Директор"  # director
    timeline = client.get("/analysis/api/timeline", query_string={"nodes": str(ring.a)})
    assert timeline.status_code == 200, timeline.text
    labels = [e["label"] for e in timeline.get_json()["events"] if e["kind"] == "seizure"]
    assert labels
    assert sorted(label.split(" ", 1)[0] for label in labels) == ["Владелец", "Водитель"]
    assert not any("driver" in label or "owner" in label for label in labels)


def test_associates_evidence_names_roles_in_the_reader_s_language(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    author = make_user(db, Role.SUPERVISOR)
    with tx(db):
        ring = plant_ring(db, Actor.of(author))
    signed_in(Role.ANALYST, locale="ru")
    page = client.get(f"/persons/{ring.a.id}").text
    assert "Водитель / Владелец / Импортёр" in page  # driver / owner (person), importer
    assert "Директор" in page  # director of the company
    assert "driver" not in page
    assert "director" not in page


def test_a_received_seizure_names_the_sender_s_customs_office_in_the_reader_s_language(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    with tx(db):
        received = import_foreign_seizure(
            db,
            Actor.system("test"),
            seizure_data(
                reference="LT-10", office_code=None, place=place_with_office("Vilnius", "LT-1234")
            ),
            Provenance("lt-ncen", "10", uuid.uuid4()),
        )
    signed_in(Role.ANALYST, locale="ru")
    page = client.get(f"/seizures/{received.id}").text
    assert "Vilnius, таможня LT-1234" in page
    assert "customs_office" not in page
    assert "customs office" not in page
