"""Create the targeting tables: risk profiles, their versions, lookup lists and hits.

``risk_profiles.current_version_id`` and ``risk_profile_versions.profile_id`` point at each
other, so the first foreign key is added after both tables exist. A hit is unique per profile
version and seizure (re-evaluating a record never raises the same hit twice).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0030"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, length: int, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=length, create_constraint=True)


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def upgrade() -> None:
    """Create the five tables, their constraints and indexes."""
    op.create_table(
        "risk_profiles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            _enum("profilestatus", 16, "draft", "active", "suspended", "expired"),
            nullable=False,
        ),
        sa.Column("lane", _enum("lane", 8, "high", "medium", "low"), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("current_version_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_risk_profiles_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_profiles")),
        sa.UniqueConstraint("name", name=op.f("uq_risk_profiles_name")),
    )
    op.create_index(op.f("ix_risk_profiles_owner_id"), "risk_profiles", ["owner_id"])
    op.create_index(op.f("ix_risk_profiles_status"), "risk_profiles", ["status", "ends_on"])
    op.create_table(
        "risk_profile_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("profile_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("expression", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("backtest", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["risk_profiles.id"],
            name=op.f("fk_risk_profile_versions_profile_id_risk_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_risk_profile_versions_created_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_profile_versions")),
        sa.UniqueConstraint(
            "profile_id", "number", name=op.f("uq_risk_profile_versions_profile_id_number")
        ),
    )
    op.create_index(
        op.f("ix_risk_profile_versions_profile_id"), "risk_profile_versions", ["profile_id"]
    )
    op.create_foreign_key(
        op.f("fk_risk_profiles_current_version_id_risk_profile_versions"),
        "risk_profiles",
        "risk_profile_versions",
        ["current_version_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_table(
        "targeting_lists",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column(
            "kind",
            _enum("listkind", 16, "company", "document", "plate", "container", "bl_prefix"),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_targeting_lists_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targeting_lists")),
        sa.UniqueConstraint("name", name=op.f("uq_targeting_lists_name")),
    )
    op.create_table(
        "targeting_list_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("list_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.String(64), nullable=False),
        sa.Column("note", sa.String(300), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["targeting_lists.id"],
            name=op.f("fk_targeting_list_entries_list_id_targeting_lists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targeting_list_entries")),
        sa.UniqueConstraint(
            "list_id", "value", name=op.f("uq_targeting_list_entries_list_id_value")
        ),
    )
    op.create_index(
        op.f("ix_targeting_list_entries_list_id"), "targeting_list_entries", ["list_id"]
    )
    op.create_table(
        "targeting_hits",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("profile_id", sa.Uuid(), nullable=False),
        sa.Column("profile_version_id", sa.Uuid(), nullable=False),
        sa.Column("seizure_id", sa.Uuid(), nullable=False),
        sa.Column("seizure_version", sa.Integer(), nullable=False),
        sa.Column("trigger_type", sa.String(16), nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("lane", _enum("lane", 8, "high", "medium", "low"), nullable=False),
        sa.Column("explanation", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "status", _enum("hitstatus", 16, "new", "confirmed", "dismissed"), nullable=False
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("assigned_to_id", sa.Uuid(), nullable=True),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["risk_profiles.id"],
            name=op.f("fk_targeting_hits_profile_id_risk_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["profile_version_id"],
            ["risk_profile_versions.id"],
            name=op.f("fk_targeting_hits_profile_version_id_risk_profile_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seizure_id"],
            ["seizures.id"],
            name=op.f("fk_targeting_hits_seizure_id_seizures"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assigned_to_id"], ["users.id"], name=op.f("fk_targeting_hits_assigned_to_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_targeting_hits_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targeting_hits")),
        sa.UniqueConstraint(
            "profile_version_id",
            "seizure_id",
            name=op.f("uq_targeting_hits_profile_version_id_seizure_id"),
        ),
    )
    op.create_index(op.f("ix_targeting_hits_seizure_id"), "targeting_hits", ["seizure_id"])
    op.create_index(op.f("ix_targeting_hits_assigned_to_id"), "targeting_hits", ["assigned_to_id"])
    op.create_index(op.f("ix_targeting_hits_status"), "targeting_hits", ["status", "created_at"])
    op.create_index(
        op.f("ix_targeting_hits_profile_id"),
        "targeting_hits",
        ["profile_id", "created_at"],
    )


def downgrade() -> None:
    """Drop the targeting tables (profiles, lists and hits are lost)."""
    op.drop_table("targeting_hits")
    op.drop_table("targeting_list_entries")
    op.drop_table("targeting_lists")
    op.drop_constraint(
        op.f("fk_risk_profiles_current_version_id_risk_profile_versions"),
        "risk_profiles",
        type_="foreignkey",
    )
    op.drop_table("risk_profile_versions")
    op.drop_table("risk_profiles")
