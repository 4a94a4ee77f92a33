"""Demo risk profiles: a few active ones that hit the generated seizures at once.

Planted by the demo loader (`ncen.demo.load`) for the demo analyst, so that a newcomer who
signs in as the analyst sees hits in the queue in the first minute, one profile with its review
date passed (the flag on the home page), and the three kinds of criteria: codes, routes and time.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import User
from ncen.db import utcnow
from ncen.targeting.models import ProfileStatus, RiskProfile
from ncen.targeting.profiles import create_profile

DEMO_PROFILES: tuple[dict[str, str], ...] = (
    {
        "name": "Afghan drugs on the road",
        "purpose": "Heroin and opium leaving Afghanistan by lorry through the southern corridor.",
        "expression": 'commodity_group == "drugs" && departure_country == "AF"\n'
        '&& transport_mode == "road"',
        "lane": "high",
        "score": "80",
    },
    {
        "name": "Medicines in parcels to Russia",
        "purpose": "Tramadol and other medicines posted in parcels towards Russia.",
        "expression": 'commodity_group == "medicines" && concealment == "postal_parcel"\n'
        '&& destination_country == "RU"',
        "lane": "medium",
        "score": "60",
    },
    {
        "name": "Night-time tobacco at Khorgos",
        "purpose": "Cigarettes crossing at Khorgos between 22:00 and 05:00 (UTC).",
        "expression": 'commodity_group == "tobacco" && office == "KHORGOS"\n'
        "&& (hour >= 22 || hour < 5)",
        "lane": "low",
        "score": "40",
    },
)


def plant_profiles(session: Session, username: str = "analyst") -> int:
    """Create and activate the demo profiles for ``username`` (if that user exists and the
    profiles do not); return how many were planted."""
    owner = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if owner is None:
        return 0
    actor = Actor.of(owner)
    today = utcnow().date()
    planted = 0
    for index, data in enumerate(DEMO_PROFILES):
        exists = session.execute(
            select(RiskProfile.id).where(RiskProfile.name == data["name"])
        ).first()
        if exists:
            continue
        # The last one's review date has passed: the home page flags it to its owner.
        review = today - timedelta(days=1) if index == len(DEMO_PROFILES) - 1 else today
        profile = create_profile(
            session,
            actor,
            {**data, "review_on": (review + timedelta(days=180 * (index < 2))).isoformat()},
        )
        # Activated directly: a back-test here would scan the whole load for nothing new.
        profile.status = ProfileStatus.ACTIVE
        profile.version += 1
        planted += 1
    session.flush()
    return planted
