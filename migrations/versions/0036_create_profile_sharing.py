"""Share risk profiles between nodes, and put targeting hits on case files.

Creates ``profile_shares`` (profile versions sent to peers), ``foreign_profiles`` (profiles
received, with their origin and the local copy adopted from them) and ``profile_feedback`` (hit
counts peers returned for profiles we sent); adds ``hit`` to the item types of
``investigation_items``. The downgrade removes the ``hit`` items first.

Revision ID: 0036
Revises: 0031
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ITEM_TYPES = ("seizure", "person", "company", "conveyance", "picture")
NEW_ITEM_TYPES = (*OLD_ITEM_TYPES, "hit")


def _item_types(values: Sequence[str]) -> None:
    op.drop_constraint(
        op.f("ck_investigation_items_itemtype"), "investigation_items", type_="check"
    )
    listed = ", ".join(f"'{v}'" for v in values)
    op.create_check_constraint("itemtype", "investigation_items", f"record_type IN ({listed})")


def _profile_fk(table: str, column: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        ["risk_profiles.id"],
        name=op.f(f"fk_{table}_{column}_risk_profiles"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    """Create the three tables and allow ``hit`` items."""
    op.create_table(
        "profile_shares",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("profile_id", sa.Uuid(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("peer_node_id", sa.String(64), nullable=False),
        sa.Column("bundle_id", sa.Uuid(), nullable=False),
        sa.Column("handling_code", sa.String(2), nullable=False),
        sa.Column("sent_by", sa.String(64), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        _profile_fk("profile_shares", "profile_id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_shares")),
    )
    op.create_index(op.f("ix_profile_shares_profile_id"), "profile_shares", ["profile_id"])
    op.create_table(
        "foreign_profiles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_node", sa.String(64), nullable=False),
        sa.Column("origin_profile_id", sa.Uuid(), nullable=False),
        sa.Column("origin_version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("expression", sa.Text(), nullable=False),
        sa.Column("lane", sa.String(8), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("handling_code", sa.String(2), nullable=False),
        sa.Column("bundle_id", sa.Uuid(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("adopted_profile_id", sa.Uuid(), nullable=True),
        sa.Column("adopted_by", sa.String(64), nullable=True),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("feedback_sent_at", sa.DateTime(timezone=True), nullable=True),
        _profile_fk("foreign_profiles", "adopted_profile_id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_foreign_profiles")),
        sa.UniqueConstraint(
            "origin_node",
            "origin_profile_id",
            "origin_version",
            name=op.f("uq_foreign_profiles_origin_node_origin_profile_id_origin_version"),
        ),
        sa.UniqueConstraint(
            "adopted_profile_id", name=op.f("uq_foreign_profiles_adopted_profile_id")
        ),
    )
    op.create_table(
        "profile_feedback",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("profile_id", sa.Uuid(), nullable=False),
        sa.Column("peer_node_id", sa.String(64), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("confirmed", sa.Integer(), nullable=False),
        sa.Column("dismissed", sa.Integer(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("bundle_id", sa.Uuid(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        _profile_fk("profile_feedback", "profile_id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_feedback")),
        sa.UniqueConstraint(
            "profile_id",
            "peer_node_id",
            "version_number",
            name=op.f("uq_profile_feedback_profile_id_peer_node_id_version_number"),
        ),
    )
    op.create_index(op.f("ix_profile_feedback_profile_id"), "profile_feedback", ["profile_id"])
    _item_types(NEW_ITEM_TYPES)


def downgrade() -> None:
    """Remove the ``hit`` items and the three tables."""
    op.execute("DELETE FROM investigation_items WHERE record_type = 'hit'")
    _item_types(OLD_ITEM_TYPES)
    op.drop_index(op.f("ix_profile_feedback_profile_id"), table_name="profile_feedback")
    op.drop_table("profile_feedback")
    op.drop_table("foreign_profiles")
    op.drop_index(op.f("ix_profile_shares_profile_id"), table_name="profile_shares")
    op.drop_table("profile_shares")
