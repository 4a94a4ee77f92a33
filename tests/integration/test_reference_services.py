"""Administrators extend code lists; a deactivated code is refused for new input at once."""

from __future__ import annotations

import pytest

from ncen.accounts.models import Role
from ncen.errors import NotFoundError, PermissionDeniedError, ValidationError
from ncen.reference.services import add_code, set_active
from ncen.seizures.services import record_seizure
from tests.conftest import make_actor
from tests.factories import seizure_data


@pytest.fixture
def admin(session):
    return make_actor(session, Role.ADMINISTRATOR)


def test_add_code_then_use_it(session, admin, investigator):
    with session.begin():
        add_code(session, admin, "detection_methods", "drone_patrol", "Drone patrol")
    with session.begin():
        seizure = record_seizure(
            session, investigator, seizure_data(detection_method="drone_patrol")
        )
    assert seizure.detection_method == "drone_patrol"


def test_deactivated_code_refused_even_in_the_same_session(session, admin, investigator):
    with session.begin():
        record_seizure(session, investigator, seizure_data())  # caches the active codes
    with session.begin():
        set_active(session, admin, "transport_modes", "road", active=False)
    with pytest.raises(ValidationError) as caught, session.begin():
        record_seizure(session, investigator, seizure_data())
    assert "road" in caught.value.errors["transport_mode"]


def test_refusals(session, admin, investigator):
    with pytest.raises(ValidationError) as caught, session.begin():
        add_code(session, admin, "transport_modes", "road", " ")
    assert set(caught.value.errors) == {"code", "label"}
    with pytest.raises(ValidationError), session.begin():
        add_code(session, admin, "countries", "XK", "Kosovo")
    with pytest.raises(NotFoundError), session.begin():
        set_active(session, admin, "transport_modes", "hovercraft", active=False)
    with pytest.raises(PermissionDeniedError), session.begin():
        add_code(session, investigator, "transport_modes", "sled", "Sled")
