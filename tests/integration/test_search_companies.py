"""Company name search: legal forms removed, scripts crossed, qualifiers, deleted companies."""

from __future__ import annotations

import pytest

from ncen.companies.services import create_company, delete_company
from ncen.errors import ValidationError
from ncen.search.companies import search_companies
from ncen.search.query import company_query
from tests.factories import company_data


def add(session, actor, *names, **fields):
    with session.begin():
        return create_company(
            session, actor, company_data(names=[{"name": n} for n in names], **fields)
        )


@pytest.fixture
def firms(session, system):
    return {
        "silk": add(
            session, system, "ТОО «Шелковый путь Логистик»", registration_number="120540012345"
        ),
        "silk_other": add(
            session, system, "Silk Way Trading GmbH", country="DE", registration_number="1"
        ),
        "yuandong": add(session, system, "远东物流有限公司", country="CN", registration_number="2"),
        "kaspian": add(session, system, "Kaspian Cargo LLC", country="AZ", registration_number="3"),
    }


def ids(results):
    return [hit.company_id for hit in results.hits]


def find(session, actor, name, **fields):
    return search_companies(session, actor, company_query(name=name, **fields))


@pytest.mark.parametrize(
    "query",
    [
        "Shelkovyy Put Logistik",
        "ООО Шелковый путь Логистик",
        "Shelkovy Put Logistik LLP",
        "шелковый путь",
    ],
)
def test_legal_forms_and_scripts_do_not_matter(session, analyst, firms, query):
    assert ids(find(session, analyst, query))[0] == firms["silk"].id


def test_legal_form_alone_is_not_a_name(session, analyst, firms):
    results = find(session, analyst, "Kaspian Cargo JSC")
    assert ids(results)[0] == firms["kaspian"].id
    assert results.hits[0].score >= 0.95


def test_every_strong_company_match_is_returned(session, analyst, firms, system):
    # The Latin name found by the first step must not hide its Cyrillic spelling.
    cyrillic = add(session, system, "ООО «Каспиан Карго»", country="AZ", registration_number="4")
    found = ids(find(session, analyst, "Kaspian Cargo"))
    assert {firms["kaspian"].id, cyrillic.id} <= set(found[:2])


def test_chinese_company_name_by_pinyin(session, analyst, firms):
    assert ids(find(session, analyst, "Yuan Dong Wu Liu"))[0] == firms["yuandong"].id
    assert ids(find(session, analyst, "远东物流"))[0] == firms["yuandong"].id


def test_country_and_registration_qualify(session, analyst, firms):
    plain = find(session, analyst, "Kaspian Cargo").hits[0].score
    other = find(session, analyst, "Kaspian Cargo", country="KZ").hits[0]
    assert other.score < plain
    same = find(session, analyst, "Kaspian Kargo", registration_number="3").hits[0]
    assert any(q.qualifier == "identifier" for q in same.explanation.qualifiers)
    assert ids(find(session, analyst, "Kaspian Cargo", only_country="KZ")) == []


def test_deleted_company_is_not_found(session, analyst, supervisor, firms):
    firm = firms["kaspian"]
    with session.begin():
        delete_company(session, supervisor, firm.id, firm.version)
    assert firm.id not in ids(find(session, analyst, "Kaspian Cargo"))


def test_bad_company_query(session, analyst, firms):
    with pytest.raises(ValidationError) as caught:
        find(session, analyst, "x")
    assert "name" in caught.value.errors
    with pytest.raises(ValidationError):
        find(session, analyst, "LLC", only_country="Kazakhstan")
