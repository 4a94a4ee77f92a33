"""The facts of many persons at once, for the duplicate evidence (`ncen.merging.evidence`).

`person_facts` reads, for a set of person ids, their gender, birth date, nationalities, the
analysed words and patronymics of their name forms, and the normalised keys of what two
records of one person share: document numbers, phones and e-mails, addresses, and the seizures
they are named in. One query per table whatever the number of persons, so a page of
candidates costs a fixed handful of round trips. Reads only.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.merging.evidence import PersonFacts
from ncen.persons.models import (
    IdentityDocument,
    Person,
    PersonAddress,
    PersonContact,
    PersonName,
    PersonNationality,
)
from ncen.search.keys import Token, analyse
from ncen.seizures.models import SeizurePerson


def _keys(
    session: Session, column: Any, owner: Any, ids: list[uuid.UUID]
) -> dict[uuid.UUID, set[Any]]:
    """The values of ``column`` of each owner of ``ids`` (one query, empty values left out)."""
    found: dict[uuid.UUID, set[Any]] = defaultdict(set)
    for person_id, value in session.execute(select(owner, column).where(owner.in_(ids))):
        if value:
            found[person_id].add(value)
    return found


def person_facts(session: Session, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, PersonFacts]:
    """The `PersonFacts` of each live or deleted person of ``ids`` (unknown ids are left out)."""
    wanted = sorted(set(ids), key=str)
    if not wanted:
        return {}
    patronymics: dict[uuid.UUID, list[Token]] = defaultdict(list)
    words: dict[uuid.UUID, set[str]] = defaultdict(set)
    rows = session.execute(
        select(PersonName.person_id, PersonName.full_name, PersonName.patronymic).where(
            PersonName.person_id.in_(wanted)
        )
    )
    for person_id, full_name, patronymic in rows:
        for token in analyse(full_name, patronymic=patronymic):
            words[person_id].add(token.text)
            if token.optional and token.text not in {t.text for t in patronymics[person_id]}:
                patronymics[person_id].append(token)
    nationalities = _keys(session, PersonNationality.country, PersonNationality.person_id, wanted)
    documents = _keys(session, IdentityDocument.number_norm, IdentityDocument.person_id, wanted)
    contacts = _keys(session, PersonContact.value_norm, PersonContact.person_id, wanted)
    addresses = _keys(session, PersonAddress.address_key, PersonAddress.person_id, wanted)
    seizures = _keys(session, SeizurePerson.seizure_id, SeizurePerson.person_id, wanted)
    people = session.execute(
        select(
            Person.id, Person.gender, Person.birth_year, Person.birth_month, Person.birth_day
        ).where(Person.id.in_(wanted))
    )
    return {
        pid: PersonFacts(
            gender=gender,
            birth=(year, month, day),
            nationalities=frozenset(str(c) for c in nationalities.get(pid, ())),
            patronymics=tuple(patronymics.get(pid, ())),
            words=frozenset(words.get(pid, ())),
            documents=frozenset(str(d) for d in documents.get(pid, ())),
            contacts=frozenset(str(c) for c in contacts.get(pid, ())),
            addresses=frozenset(str(a) for a in addresses.get(pid, ())),
            seizures=frozenset(s for s in seizures.get(pid, ()) if isinstance(s, uuid.UUID)),
        )
        for pid, gender, year, month, day in people
    }
