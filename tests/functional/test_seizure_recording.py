"""Recording a whole case in one form: rows added without JavaScript, the picker, a case with
a new person, an existing company and a picture, every error next to its field with all input
kept, escaping of hostile text, and who may record."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from ncen.audit import AuditEvent
from ncen.persons.models import Person
from ncen.seizures.models import Seizure, SeizureStatus
from tests.functional.conftest import post_form
from tests.web_support import csrf_token, jpeg, make_record, tx

URL = "/seizures/new"
WHEN = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def case_form(**overrides: object) -> dict[str, object]:
    """A valid recording form: the header and one item."""
    data: dict[str, object] = {
        "occurred_at": WHEN,
        "utc_offset": "+05:00",
        "place": "Khorgos border crossing",
        "direction": "import",
        "transport_mode": "road",
        "departure_country": "CN",
        "transit_countries": ["KZ"],
        "destination_country": "RU",
        "concealment_methods": ["within_cargo"],
        "concealment_description": "Behind tiles",
        "narrative": "Cigarettes hidden behind a load of tiles.",
        "source_reliability": "B",
        "information_grade": "2",
        "handling_code": "H0",
        "items-0-commodity_group": "tobacco",
        "items-0-hs_code": "2402.20",
        "items-0-description": "Cigarettes",
        "items-0-quantity": "12000",
        "items-0-unit": "pieces",
        "items-0-estimated_value": "3600",
        "items-0-currency": "USD",
    }
    data.update(overrides)
    return data


def post_case(client: FlaskClient, data: dict[str, object], **kwargs: object):
    page = client.get(URL)
    return client.post(
        URL,
        data={"csrf_token": csrf_token(page.text), **data},
        content_type="multipart/form-data",
        **kwargs,
    )


def test_the_form_offers_every_part(client: FlaskClient, signed_in: Callable[..., User]) -> None:
    signed_in(Role.INVESTIGATOR)
    page = client.get(URL)
    assert page.status_code == 200
    for text in (
        "When and where",
        "Goods seized",
        "Persons",
        "Companies",
        "Conveyances",
        "Concealment",
        "Pictures",
        "Narrative",
        "Grading and handling",
        'type="datetime-local"',
        'enctype="multipart/form-data"',
        'value="tobacco"',
        "Save and submit for validation",
    ):
        assert text in page.text, text


def test_add_item_without_javascript_keeps_the_input(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.INVESTIGATOR)
    response = post_case(client, case_form(row_action="add:items", place="Kept <place>"))
    assert response.status_code == 200
    assert 'name="items-1-commodity_group"' in response.text
    assert 'value="Kept &lt;place&gt;"' in response.text
    assert 'value="2402.20"' in response.text
    with tx(db):
        assert db.execute(select(func.count()).select_from(Seizure)).scalar_one() == 0
    removed = post_case(
        client, case_form(row_action="remove:items:0", **{"items-1-description": "second"})
    )
    assert 'name="items-1-commodity_group"' not in removed.text
    assert 'value="second"' in removed.text


def test_record_a_case_with_new_person_existing_company_and_picture(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    company = make_record(db, user, "company")
    # The picker: "Find" posts back and lists the matches.
    found = post_case(
        client,
        case_form(**{"companies-0-query": "Silk Road", "row_action": "find:companies:0"}),
    )
    assert found.status_code == 200
    assert f'value="{company.id}"' in found.text
    assert "Silk Road Logistics LLP" in found.text or "Шелковый" in found.text
    data = case_form(
        **{
            "persons-0-role": "courier",
            "persons-0-full_name": "Иван <b>Петров</b>",
            "persons-0-gender": "M",
            "persons-0-birth_year": "1980",
            "persons-0-nationality": "KZ",
            "persons-0-document_type": "passport",
            "persons-0-document_number": "N1234567",
            "companies-0-role": "importer",
            "companies-0-query": "Silk Road",
            "companies-0-existing_id": str(company.id),
            "picture_caption": "Behind the tiles",
            "pictures": [(io.BytesIO(jpeg()), "tiles.jpg")],
        }
    )
    response = post_case(client, data)
    assert response.status_code == 302, response.text
    page = client.get(response.location)
    assert page.status_code == 200
    assert "Cigarettes" in page.text
    assert "Иван &lt;b&gt;Петров&lt;/b&gt;" in page.text
    assert "Courier" in page.text
    assert "Importer" in page.text
    assert "/thumbnail" in page.text
    assert "recorded as a draft" in page.text
    with tx(db):
        seizure = db.execute(select(Seizure)).scalar_one()
        assert seizure.status is SeizureStatus.DRAFT
        assert db.execute(select(func.count()).select_from(Person)).scalar_one() == 1
        reads = db.execute(
            select(AuditEvent.action).where(AuditEvent.record_id == str(seizure.id))
        ).scalars()
        assert "seizure.read" in list(reads)


def test_save_and_submit(client: FlaskClient, signed_in: Callable[..., User], db: Session) -> None:
    signed_in(Role.INVESTIGATOR)
    response = post_case(client, case_form(save_submit="1"))
    assert response.status_code == 302
    with tx(db):
        assert db.execute(select(Seizure.status)).scalar_one() is SeizureStatus.SUBMITTED


def test_every_error_is_shown_next_to_its_field_and_nothing_is_lost(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.INVESTIGATOR)
    data = case_form(
        departure_country="ZZ",
        handling_code="H3",
        narrative="<script>alert(1)</script>",
        **{
            "items-0-hs_code": "12",
            "items-0-quantity": "-5",
            "persons-0-role": "courier",
            "persons-0-birth_year": "1980",
            "pictures": [(io.BytesIO(b"not a picture"), "notes.jpg")],
        },
    )
    response = post_case(client, data)
    assert response.status_code == 200
    text = response.text
    assert "The seizure was not saved" in text
    assert "unknown code" in text  # departure_country
    assert "H3 needs the restrictions written out" in text
    assert "must not be negative" in text
    assert "a person needs at least one name" in text
    # Next to the fields: the invalid inputs are marked.
    assert re.search(
        r'class="form-select is-invalid" (data-search="on" )?id="departure_country"', text
    )
    assert 'id="items-0-hs_code"' in text
    assert 'value="12"' in text
    # Everything typed is still there, hostile text escaped.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert(1)</script>" not in text
    assert 'value="1980"' in text
    assert "choose them again (notes.jpg)" in text
    with tx(db):
        assert db.execute(select(func.count()).select_from(Seizure)).scalar_one() == 0
        assert db.execute(select(func.count()).select_from(Person)).scalar_one() == 0


def test_an_error_in_a_later_row_lands_on_that_row(
    client: FlaskClient, signed_in: Callable[..., User]
) -> None:
    signed_in(Role.INVESTIGATOR)
    data = case_form(**{"items-1-description": "", "items-2-hs_code": "12"})
    response = post_case(client, data)  # row 1 is blank and left out; row 2 is sent second
    assert "The seizure was not saved" in response.text
    row = response.text.split('id="items-2-hs_code"')[1].split("</div>")[0:3]
    assert "6 digits are required here" in "".join(row)
    assert 'class="form-select form-select-sm is-invalid" id="items-2-commodity_group"' in (
        response.text
    )


def test_bad_picture_is_named_next_to_the_file_input(
    client: FlaskClient, signed_in: Callable[..., User]
) -> None:
    signed_in(Role.INVESTIGATOR)
    response = post_case(client, case_form(pictures=[(io.BytesIO(b"GIF89a-not-allowed"), "x.gif")]))
    assert response.status_code == 200
    assert re.search(
        r'id="pictures"[^>]*>\s*(<div class="form-text"[^<]*</div>\s*)?'
        r'<div class="invalid-feedback d-block">x\.gif',
        response.text,
    )


def test_over_long_input_is_refused_next_to_the_field(
    client: FlaskClient, signed_in: Callable[..., User]
) -> None:
    signed_in(Role.INVESTIGATOR)
    response = post_case(client, case_form(place="p" * 500))
    assert response.status_code == 200
    assert "Field cannot be longer than 200 characters." in response.text
    assert 'class="form-control is-invalid" id="place"' in response.text


def test_only_recorders_see_the_form(client: FlaskClient, signed_in: Callable[..., User]) -> None:
    signed_in(Role.ANALYST)
    assert client.get(URL).status_code == 403
    assert "Record a seizure" not in client.get("/home").text


def test_csrf_is_required(client: FlaskClient, signed_in: Callable[..., User]) -> None:
    signed_in(Role.INVESTIGATOR)
    response = client.post(URL, data=case_form(csrf_token="forged"))
    assert response.status_code == 400
    assert post_form(client, URL, {"row_action": "add:items"}).status_code == 200
