"""A whole investigation's export carries its tasks, notes, hits and pictures (issue 11), each
as its reader sees it on the case page."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.exports.service import export_investigation
from ncen.investigations.items import add_items
from ncen.investigations.notes import add_note
from ncen.investigations.services import open_case
from ncen.investigations.tasks import add_task
from ncen.pictures.services import add_pictures
from ncen.pictures.store import PictureStore
from ncen.seizures.services import record_seizure
from ncen.settings import Settings
from ncen.targeting.models import Hit
from ncen.targeting.profiles import create_profile, set_status
from tests.factories import seizure_data


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def _tables(session: Session, actor: Actor, case_id: object) -> dict[str, list[list[object]]]:
    exported = export_investigation(session, actor, case_id, fmt="xlsx")
    return {t.record_type: [list(r) for r in t.rows] for t in exported.tables}


def test_tasks_notes_hits_and_pictures_travel_with_the_case(
    session: Session, analyst: Actor, investigator: Actor, supervisor: Actor, tmp_path: Path
) -> None:
    with session.begin():
        profile = create_profile(
            session, analyst,
            {"name": "Tobacco", "expression": 'commodity_group == "tobacco"', "score": "80"},
        )  # fmt: skip
        set_status(
            session, analyst, profile.id, "active", expected_version=profile.version, confirm=True
        )
        seizure = record_seizure(session, investigator, seizure_data())
        [hit] = session.query(Hit).filter(Hit.seizure_id == seizure.id).all()
        [picture] = add_pictures(
            session, investigator, PictureStore(tmp_path), Settings(), [("x.jpg", _jpeg())],
            caption="=cmd| behind the tiles", seizure_id=seizure.id,
        )  # fmt: skip
        case = open_case(session, investigator, title="Tiles", items=[("seizure", seizure.id)])
        add_items(session, supervisor, case.id, [("hit", hit.id), ("picture", picture.id)])
        add_task(session, investigator, case.id, title="Call the carrier")
        add_note(session, investigator, case.id, body="Driver known from 2024")
    with session.begin():
        mine = _tables(session, investigator, case.id)
        theirs = _tables(session, supervisor, case.id)
        outside = _tables(session, analyst, case.id)
    assert [row[0] for row in mine["case_tasks"]] == ["Call the carrier"]
    [note] = mine["case_notes"]
    assert (note[1], note[3], note[4]) == ("note", None, "Driver known from 2024")
    assert note[2]  # the author's name
    [hit_row] = theirs["case_hits"]  # supervisors see the hits queue
    assert hit_row[:3] == [seizure.reference, "Tobacco", 80]
    assert 'commodity_group == "tobacco"' in hit_row[6]
    assert "case_hits" not in mine  # an investigator sees only the hits assigned to them
    assert mine["case_pictures"] == [
        [str(picture.id), "=cmd| behind the tiles", "image/jpeg", 64, 48, picture.sha256]
    ]
    assert theirs["case_tasks"] == mine["case_tasks"]  # supervisors work on every case
    # Outside the team: the case's records, hits and pictures, not its tasks and notes.
    assert "case_tasks" not in outside
    assert "case_notes" not in outside
    assert outside["case_hits"] == theirs["case_hits"]
