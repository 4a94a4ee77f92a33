"""Demo investigations: two case files over the planted networks (`ncen.demo.cast`).

- **Pamir route** (open to every officer): led by the demo analyst, with the demo
  investigator on the team; the organiser, two couriers, the carrier company, the truck and
  four seizures of ring A; three tasks (one overdue, one done) and a note and a message.
- **Silk Wind containers** (restricted, need to know): led by the demo supervisor; ring B's
  container, its Polish consignee contact and two seizures; a task and a note. The demo
  analyst is not on its team, so signing in as the analyst shows need to know at work.

Written through the investigation services (so history and audit are the real ones), once per
database, in the caller's transaction. The officers are the demo accounts ``analyst``,
``investigator`` and ``supervisor``: existing ones are reused; missing ones are created with
a random password nobody knows (an administrator resets it to hand the account out).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.accounts.passwords import generate_password
from ncen.accounts.services import create_user
from ncen.db import utcnow
from ncen.demo.rings import planted_id
from ncen.investigations import notes, services, tasks, workflow
from ncen.investigations.models import Investigation

OFFICERS = (
    ("analyst", "Demo analyst", Role.ANALYST),
    ("investigator", "Demo investigator", Role.INVESTIGATOR),
    ("supervisor", "Demo supervisor", Role.SUPERVISOR),
)


def _officer(session: Session, username: str, display_name: str, role: Role) -> Actor:
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        user = create_user(
            session,
            Actor.system("demo"),
            username=username,
            display_name=display_name,
            password=generate_password(),
            roles=[role],
            must_change_password=True,
        )
    return Actor.of(user)


def plant_investigations(session: Session) -> int:
    """Open the demo case files unless the database has investigations; return how many."""
    if session.execute(select(func.count()).select_from(Investigation)).scalar_one():
        return 0
    analyst, investigator, supervisor = (_officer(session, *officer) for officer in OFFICERS)
    today = utcnow().date()
    pamir = services.open_case(
        session,
        analyst,
        title="Pamir route: heroin and tramadol couriers",
        summary="Couriers of Pamir Trans Logistics on the Afghanistan - Russia route; the "
        "organiser appears twice under variant spellings.",
        members=[investigator.user_id],
        items=[
            ("person", planted_id("person:A1")),
            ("person", planted_id("person:A2")),
            ("person", planted_id("person:A4")),
            ("company", planted_id("company:PAMIR")),
            ("conveyance", planted_id("conveyance:TRUCK_A")),
            *(("seizure", planted_id(f"seizure:DEMO-A-{n:02d}")) for n in (1, 3, 5, 10)),
        ],
        item_note="Linked by the burner phone and the MAN truck.",
        source="chart",
    )
    workflow.change_status(session, analyst, pamir.id, version=1, status="active")
    overdue = tasks.add_task(
        session,
        analyst,
        pamir.id,
        title="Request the truck's border crossings from the Kordai post",
        assignee_id=investigator.user_id,
        due_on=(today - timedelta(days=3)).isoformat(),
    )
    tasks.add_task(
        session,
        analyst,
        pamir.id,
        title="Compare the organiser's two records (same passport)",
        assignee_id=analyst.user_id,
        due_on=(today + timedelta(days=7)).isoformat(),
    )
    done = tasks.add_task(
        session, investigator, pamir.id, title="Collect the postal seizure reports"
    )
    tasks.set_task_done(session, investigator, pamir.id, done.id, done=True, version=1)
    notes.add_note(
        session,
        investigator,
        pamir.id,
        body="The burner phone was also seen in the postal seizure of DEMO-A-04.",
    )
    notes.add_note(
        session,
        analyst,
        pamir.id,
        kind="message",
        addressee_id=investigator.user_id,
        body=f"Please start with the border crossings (task {overdue.title!r}).",
    )
    silk = services.open_case(
        session,
        supervisor,
        title="Silk Wind containers",
        summary="Cigarettes and counterfeit shoes in containers through Khorgos and Dostyk.",
        restricted=True,
        members=[investigator.user_id],
        items=[
            ("conveyance", planted_id("conveyance:BOX_B")),
            ("person", planted_id("person:B5")),
            ("seizure", planted_id("seizure:DEMO-B-01")),
            ("seizure", planted_id("seizure:DEMO-B-02")),
        ],
    )
    tasks.add_task(
        session,
        supervisor,
        silk.id,
        title="Ask the Polish node about the consignee (RFI)",
        assignee_id=investigator.user_id,
        due_on=(today + timedelta(days=14)).isoformat(),
    )
    notes.add_note(
        session, supervisor, silk.id, body="Need to know: do not discuss outside the team."
    )
    return 2
