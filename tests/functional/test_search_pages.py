"""Search pages: the one box, advanced searches, bad input, foreign flags, saved searches."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.audit import AuditEvent
from ncen.persons.services import import_foreign_person
from ncen.records import Provenance
from ncen.search.saved import SavedSearch, new_results
from ncen.seizures.services import link_entity
from tests.factories import person_data
from tests.functional.conftest import post_form
from tests.web_support import make_record, make_user, tx


@pytest.fixture
def records(db):
    author = make_user(db, Role.INVESTIGATOR)
    person = make_record(db, author, "person")
    company = make_record(db, author, "company")
    conveyance = make_record(db, author, "conveyance")
    seizure = make_record(
        db, author, "seizure", narrative="Cigarettes <b>hidden</b> behind tiles & boxes."
    )
    return {"person": person, "company": company, "conveyance": conveyance, "seizure": seizure}


def test_box_is_in_the_navbar_only_for_searchers(client, signed_in):
    signed_in(Role.ANALYST)
    assert 'id="nav-search"' in client.get("/home").text


def test_box_is_absent_for_the_administrator(client, signed_in):
    signed_in(Role.ADMINISTRATOR)
    assert 'id="nav-search"' not in client.get("/home").text
    assert client.get("/search?q=Aliev").status_code == 403


def test_one_box_groups_every_type(client, signed_in, records):
    signed_in(Role.ANALYST)
    page = client.get("/search?q=Mohammed+Aliyev")
    assert page.status_code == 200
    assert 'id="group-persons"' in page.text
    assert "Алиев Мухаммад Ибрагимович" in page.text
    assert "Why this result" in page.text
    assert "transliteration" in page.text
    assert 'id="group-companies"' in page.text
    assert 'id="group-seizures"' in page.text


def test_one_box_finds_identifiers_exactly(client, signed_in, records):
    signed_in(Role.INVESTIGATOR)
    page = client.get("/search?q=csqu+305438-3")
    assert page.status_code == 200
    assert f"/conveyances/{records['conveyance'].id}" in page.text
    page = client.get("/search?q=N12345678")
    assert f"/persons/{records['person'].id}" in page.text
    assert "exact match" in page.text


def test_fulltext_snippets_are_escaped_and_highlighted(client, signed_in, records):
    signed_in(Role.ANALYST)
    page = client.get("/search?q=hidden+tiles")
    assert page.status_code == 200
    assert "<mark>hidden</mark>" in page.text
    # PostgreSQL drops the tags from the text; what is left is escaped, never markup.
    assert "<b>" not in page.text
    assert "tiles</mark> &amp; boxes" in page.text


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "a",
        "x" * 10_000,
        "😀😀😀",
        "%EF%BF%BD%EF%BF%BD",  # U+FFFD: what undecodable bytes become
        "%00%00",
    ],
)
def test_bad_input_gets_a_message_never_a_500(client, signed_in, query):
    signed_in(Role.ANALYST)
    page = client.get("/search?q=" + query)
    assert page.status_code == 400, page.text
    assert "invalid-feedback" in page.text


def test_undecodable_bytes_never_give_a_500(client, signed_in):
    signed_in(Role.ANALYST)
    assert client.get("/search?q=%FF%FE%C3%28").status_code in {200, 400}


@pytest.mark.parametrize(
    "query",
    ["'; DROP TABLE persons; --", "a.*b+c?(d)[e]{f}|g\\h", "100% _x_ & | ! :*", "Алиев 😀 Li"],
)
def test_metacharacters_and_mixed_scripts_search_safely(client, signed_in, records, query):
    signed_in(Role.ANALYST)
    page = client.get("/search?" + urlencode({"q": query}))
    assert page.status_code in {200, 400}, page.text
    assert "Internal" not in page.text
    for path in ("/search/persons", "/search/companies", "/search/seizures"):
        assert client.get(path + "?" + urlencode({"q": query})).status_code in {200, 400}


def test_person_search_filters_and_switches(client, signed_in, records):
    signed_in(Role.ANALYST)
    base = "/search/persons?q=Mohammed+Aliyev"
    assert "Алиев Мухаммад" in client.get(base).text
    assert "Алиев Мухаммад" in client.get(base + "&birth_year_from=1980&birth_year_to=1990").text
    assert "Алиев Мухаммад" not in client.get(base + "&birth_year_from=1990").text
    assert "Алиев Мухаммад" not in client.get(base + "&only_gender=F").text
    assert "Алиев Мухаммад" in client.get(base + "&only_nationality=UZ").text
    assert "Алиев Мухаммад" not in client.get(base + "&only_nationality=FR").text
    # Without transliteration the Latin query still meets the Latin transliteration form.
    assert client.get(base + "&no_transliteration=y&no_phonetic=y").status_code == 200


def test_person_search_birth_year_and_nationality_filter_or_qualify(client, signed_in, records):
    signed_in(Role.ANALYST)
    base = "/search/persons?q=Mukhammad+Aliev"
    name = "Алиев Мухаммад"
    page = client.get(base)
    assert name in page.text
    assert "strong-match" in page.text  # the exact name is badged as a strong match
    assert 'name="birth_year_mode"' in page.text
    assert 'name="include_unknown"' in page.text
    year = base + "&birth_year_mode=filter&birth_year="
    assert name in client.get(year + "1986").text  # born 1984: within ±2
    assert name not in client.get(year + "1987").text
    assert name in client.get(year + "1987&birth_year_tolerance=3").text
    assert name in client.get(base + "&birth_year=1960").text  # a qualifier keeps it, lower
    assert name not in client.get(base + "&nationality=FR&nationality_mode=filter").text
    assert name in client.get(base + "&nationality=UZ&nationality_mode=filter").text
    assert name in client.get(base + "&nationality=FR").text


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ("&birth_year=1984&birth_year_mode=filter&birth_year_tolerance=99", "birth_year_tolerance"),
        ("&birth_year=1984&birth_year_mode=filter&birth_year_tolerance=x", "birth_year_tolerance"),
        ("&birth_year_mode=filter", "birth_year"),
        ("&birth_year=1984&birth_year_mode=sideways", "birth_year_mode"),
        ("&nationality=ZZ&nationality_mode=filter", "nationality"),
    ],
)
def test_bad_filters_are_refused_next_to_their_field(client, signed_in, extra, field):
    signed_in(Role.ANALYST)
    page = client.get("/search/persons?q=Aliev" + extra)
    assert page.status_code == 400
    assert f'id="{field}"' in page.text
    assert "invalid-feedback" in page.text
    assert 'value="Aliev"' in page.text


def test_person_search_errors_stay_next_to_the_field_and_keep_input(client, signed_in):
    signed_in(Role.ANALYST)
    page = client.get("/search/persons?q=Aliev&birth_year_from=1990&birth_year_to=1980")
    assert page.status_code == 400
    assert "invalid-feedback" in page.text
    assert 'value="Aliev"' in page.text
    page = client.get("/search/persons?q=Aliev&birth_year_from=abcd")
    assert page.status_code == 400


def test_company_search(client, signed_in, records):
    signed_in(Role.SUPERVISOR)
    page = client.get("/search/companies?q=Silk+Road+Logistics")
    assert page.status_code == 200
    assert f"/companies/{records['company'].id}" in page.text


def test_seizure_search_filters(client, signed_in, records):
    signed_in(Role.EXCHANGE_OFFICER)
    seizure = records["seizure"]
    assert seizure.reference in client.get("/search/seizures?q=cigarettes").text
    matching = {
        "hs_chapter": "24",
        "departure_country": "CN",
        "transit_country": "KZ",
        "destination_country": "RU",
        "detection_method": "risk_profiling",
        "commodity_group": "tobacco",
        "transport_mode": "road",
        "source_reliability": "B",
        "information_grade": "2",
        "origin": "national",
        "status": seizure.status.value,
    }
    page = client.get("/search/seizures?" + urlencode(matching))
    assert page.status_code == 200
    assert seizure.reference in page.text
    for key, other in [("hs_chapter", "85"), ("transit_country", "FR"), ("origin", "foreign")]:
        page = client.get("/search/seizures?" + urlencode({**matching, key: other}))
        assert seizure.reference not in page.text
    page = client.get("/search/seizures?hs_chapter=2x&date_from=2026-13-40")
    assert page.status_code == 400
    assert page.text.count("invalid-feedback") >= 2


def test_seizure_search_by_role_of_a_person_or_a_company(client, signed_in, db, records):
    author = make_user(db, Role.INVESTIGATOR)
    linked, other = make_record(db, author, "seizure"), records["seizure"]
    with tx(db):
        link_entity(
            db,
            Actor.of(author),
            linked.id,
            1,
            kind="person",
            target_id=records["person"].id,
            role="courier",
        )
        link_entity(
            db,
            Actor.of(author),
            linked.id,
            2,
            kind="company",
            target_id=records["company"].id,
            role="importer",
        )
    signed_in(Role.ANALYST)
    form = client.get("/search/seizures")
    assert 'name="person_role"' in form.text
    assert 'name="company_role"' in form.text
    assert '<option value="courier">Courier</option>' in form.text
    assert '<option value="importer">Importer</option>' in form.text
    for params in ({"person_role": "courier"}, {"company_role": "importer"}):
        page = client.get("/search/seizures?" + urlencode(params))
        assert page.status_code == 200
        assert linked.reference in page.text
        assert other.reference not in page.text
    both = {"person_role": "courier", "company_role": "importer"}
    assert linked.reference in client.get("/search/seizures?" + urlencode(both)).text
    for params in ({"person_role": "driver"}, {"company_role": "carrier"}):
        page = client.get("/search/seizures?" + urlencode(params))
        assert linked.reference not in page.text
    page = client.get("/search/seizures?person_role=no+such+role!")
    assert page.status_code == 400
    assert "invalid-feedback" in page.text
    event = db.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "search.seizures")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None
    assert event.details["query"] == {"company_role": "carrier"}


def test_seizure_search_paginates(client, signed_in, db):
    author = make_user(db, Role.INVESTIGATOR)
    for _ in range(22):
        make_record(db, author, "seizure")
    signed_in(Role.ANALYST)
    first = client.get("/search/seizures?q=tiles")
    assert "Page 1 of 2" in first.text
    assert client.get("/search/seizures?q=tiles&page=2").status_code == 200


def test_foreign_records_are_flagged(client, signed_in, db):
    with tx(db):
        import_foreign_person(
            db,
            Actor.system("test"),
            person_data(names=[{"full_name": "Karimov Rustam"}], documents=[]),
            Provenance("fr-ncen", "p-9", uuid.uuid4()),
        )
    signed_in(Role.ANALYST)
    page = client.get("/search/persons?q=Rustam+Karimov")
    assert "Received from fr-ncen" in page.text
    assert "Received from fr-ncen" in client.get("/search?q=Rustam+Karimov").text


def test_save_run_and_delete_a_search(client, signed_in, db, records):
    user = signed_in(Role.ANALYST)
    url = "/search/persons?q=Mohammed+Aliyev&only_gender=M"
    assert 'id="save-search"' in client.get(url).text
    response = post_form(
        client,
        "/search/saved",
        {
            "name": "Aliev",
            "kind": "persons",
            "params": "q=Mohammed+Aliyev&only_gender=M&page=2",
            "alert": "y",
        },
    )
    assert response.status_code == 302
    with tx(db):
        saved = db.execute(select(SavedSearch).where(SavedSearch.owner_id == user.id)).scalar_one()
        saved_id = saved.id
        assert saved.params == {"q": "Mohammed Aliyev", "only_gender": "M"}
        assert saved.alert
    listing = client.get("/search/saved")
    assert "Aliev" in listing.text
    # A duplicate name is refused with a message, nothing lost.
    again = post_form(
        client, "/search/saved", {"name": "Aliev", "kind": "persons", "params": "q=Aliev"}
    )
    assert again.status_code == 302
    assert "already have" in client.get(again.location).text
    # Rerun: one new result the first time, then none.
    run = post_form(client, f"/search/saved/{saved.id}/run", {})
    assert run.status_code == 302
    assert "only_gender=M" in run.location
    assert "1 new result since the last run" in client.get(run.location).text
    post_form(client, f"/search/saved/{saved.id}/run", {})
    with tx(db):
        db.expire_all()
        fresh = db.get(SavedSearch, saved.id)
        assert fresh.last_result_count == 1
        assert fresh.last_run_at is not None
        assert new_results(db, fresh) == []
    # Another user neither sees nor runs it.
    other = make_user(db, Role.ANALYST)
    assert other.id != user.id
    deleted = post_form(client, f"/search/saved/{saved_id}/delete", {})
    assert deleted.status_code == 302
    with tx(db):
        db.expire_all()
        assert db.get(SavedSearch, saved_id) is None


def test_bad_saved_searches_are_refused(client, signed_in):
    signed_in(Role.ANALYST)
    for data in (
        {"name": "", "kind": "persons", "params": "q=Aliev"},
        {"name": "x", "kind": "everything", "params": "q=Aliev"},
        {"name": "x", "kind": "persons", "params": "q=a"},
    ):
        response = post_form(client, "/search/saved", data)
        assert response.status_code == 302
        assert "could not be saved" in client.get(response.location).text
    assert client.post(f"/search/saved/{uuid.uuid4()}/run").status_code == 400  # no CSRF token


def test_another_users_saved_search_is_not_found(client, signed_in, db):
    from ncen.search.saved import save_search

    owner = make_user(db, Role.ANALYST)
    with tx(db):
        saved = save_search(db, Actor.of(owner), name="mine", kind="persons", params={"q": "Aliev"})
    signed_in(Role.ANALYST)
    assert post_form(client, f"/search/saved/{saved.id}/run", {}).status_code == 404
    assert post_form(client, f"/search/saved/{saved.id}/delete", {}).status_code == 404
    assert "mine" not in client.get("/search/saved").text


def test_exchange_officer_sends_the_results_of_a_search(client, signed_in, records):
    from urllib.parse import parse_qs, urlsplit

    signed_in(Role.EXCHANGE_OFFICER)
    seizure = records["seizure"]
    page = client.get("/search/seizures?q=cigarettes")
    assert 'id="send-results"' in page.text
    href = page.text.split('id="send-results"', 1)[1].split('href="', 1)[1].split('"', 1)[0]
    target = urlsplit(href.replace("&amp;", "&"))
    assert target.path == "/exchange/send"
    assert seizure.reference in parse_qs(target.query)["references"][0].splitlines()
    send_page = client.get(target.path + "?" + target.query)
    assert send_page.status_code == 200
    assert seizure.reference in send_page.text


def test_only_exchange_officers_see_the_send_button(client, signed_in, records):
    signed_in(Role.ANALYST)
    assert 'id="send-results"' not in client.get("/search/seizures?q=cigarettes").text


def test_explanation_names_the_naming_convention(client, signed_in, db):
    author = make_user(db, Role.INVESTIGATOR)
    make_record(db, author, "person", names=[{"full_name": "Imran s/o Karim Baig"}])
    make_record(db, author, "person", names=[{"full_name": "欣秋"}])
    make_record(db, author, "person", names=[{"full_name": "金平"}])
    signed_in(Role.ANALYST)
    page = client.get("/search/persons?" + urlencode({"q": "Imran Baig"})).text
    # The marker is a line of the explanation of its own, with the label next to it (the
    # record's name "Imran s/o Karim Baig" is on the page anyway).
    assert '<li><span lang="und">s/o</span> (parentage marker ignored)</li>' in page
    page = client.get("/search/persons?" + urlencode({"q": "Hsin Chiu"})).text
    assert "Wade–Giles → pinyin" in page
    page = client.get("/search/persons?" + urlencode({"q": "Цзинь Пин"})).text
    # Each word's line names the convention undone (the query words as the matcher read them).
    assert (
        '<li><span lang="und">jin</span> → <span lang="und">jin</span> (Palladius → pinyin)</li>'
        in page
    )
