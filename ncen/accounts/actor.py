"""The acting user: who is doing something, passed explicitly into every service call."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from ncen.accounts.models import Role, User


@dataclass(frozen=True)
class Actor:
    """Who acts. ``user_id`` is None only for the node itself (migrations, CLI maintenance)."""

    user_id: uuid.UUID | None
    username: str
    roles: frozenset[Role] = field(default_factory=frozenset)

    @classmethod
    def of(cls, user: User) -> Actor:
        """The actor for a signed-in user."""
        return cls(user_id=user.id, username=user.username, roles=user.roles)

    @classmethod
    def system(cls, purpose: str = "system") -> Actor:
        """The node acting on its own behalf (command line maintenance, demo data, imports).

        It holds every role: it is used by operators at the host's console, whose access to the
        node is already the host's access. Its actions are audited under ``[purpose]``.
        """
        return cls(user_id=None, username=f"[{purpose}]", roles=frozenset(Role))

    def has(self, role: Role) -> bool:
        """True if the actor holds ``role``."""
        return role in self.roles
