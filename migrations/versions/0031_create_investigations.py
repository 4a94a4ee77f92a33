"""Create the investigation tables: case files, their team, items, tasks, notes and history.

``investigation_items.record_type`` is a VARCHAR behind the CHECK constraint
``ck_investigation_items_itemtype``: a new kind of item (a targeting hit) is added
by a migration that drops and recreates that constraint with the new value.
``investigation_rfis`` (the exchange's table, `exchange.casemodels`) links RFIs to cases.

Revision ID: 0031
Revises: 0029
Create Date: 2026-12-07
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ITEM_TYPES = ("seizure", "person", "company", "conveyance", "picture")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=16, create_constraint=True)


def _user(column: str, table: str, *, nullable: bool = True) -> list[Any]:
    return [
        sa.Column(column, sa.Uuid(), nullable=nullable),
        sa.ForeignKeyConstraint([column], ["users.id"], name=op.f(f"fk_{table}_{column}_users")),
    ]


def _case(table: str) -> list[Any]:
    return [
        sa.Column("investigation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["investigation_id"],
            ["investigations.id"],
            name=op.f(f"fk_{table}_investigation_id_investigations"),
            ondelete="CASCADE",
        ),
    ]


def upgrade() -> None:
    """Create the sequence of case numbers and the seven tables."""
    op.execute(sa.schema.CreateSequence(sa.Sequence("investigation_numbers")))
    op.create_table(
        "investigations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "number",
            sa.Integer(),
            server_default=sa.text("nextval('investigation_numbers')"),
            nullable=False,
        ),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column(
            "status", _enum("casestatus", "opened", "active", "suspended", "closed"), nullable=False
        ),
        sa.Column("restricted", sa.Boolean(), nullable=False),
        *_user("lead_id", "investigations", nullable=False),
        *_user("opened_by_id", "investigations"),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("source_ref", sa.String(64), nullable=True),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investigations")),
        sa.UniqueConstraint("number", name=op.f("uq_investigations_number")),
        sa.UniqueConstraint("reference", name=op.f("uq_investigations_reference")),
    )
    op.create_index(op.f("ix_investigations_status"), "investigations", ["status"])
    op.create_index(op.f("ix_investigations_lead_id"), "investigations", ["lead_id"])

    op.create_table(
        "investigation_members",
        *_case("investigation_members"),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_investigation_members_user_id_users")
        ),
        *_user("added_by_id", "investigation_members"),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "investigation_id", "user_id", name=op.f("pk_investigation_members")
        ),
    )
    op.create_index(op.f("ix_investigation_members_user_id"), "investigation_members", ["user_id"])

    op.create_table(
        "investigation_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        *_case("investigation_items"),
        sa.Column("record_type", _enum("itemtype", *ITEM_TYPES), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        *_user("added_by_id", "investigation_items"),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investigation_items")),
        sa.UniqueConstraint(
            "investigation_id",
            "record_type",
            "record_id",
            name=op.f("uq_investigation_items_investigation_id_record_type_record_id"),
        ),
    )
    op.create_index(
        op.f("ix_investigation_items_record_type"),
        "investigation_items",
        ["record_type", "record_id"],
    )

    op.create_table(
        "investigation_tasks",
        sa.Column("id", sa.Uuid(), nullable=False),
        *_case("investigation_tasks"),
        sa.Column("title", sa.String(300), nullable=False),
        *_user("assignee_id", "investigation_tasks"),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        *_user("done_by_id", "investigation_tasks"),
        *_user("created_by_id", "investigation_tasks"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investigation_tasks")),
    )
    op.create_index(
        op.f("ix_investigation_tasks_investigation_id"), "investigation_tasks", ["investigation_id"]
    )
    op.create_index(
        op.f("ix_investigation_tasks_assignee_id"),
        "investigation_tasks",
        ["assignee_id", "done_at"],
    )

    op.create_table(
        "investigation_notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        *_case("investigation_notes"),
        sa.Column("kind", _enum("notekind", "note", "message"), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        *_user("author_id", "investigation_notes"),
        *_user("addressee_id", "investigation_notes"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investigation_notes")),
    )
    op.create_index(
        op.f("ix_investigation_notes_investigation_id"), "investigation_notes", ["investigation_id"]
    )

    op.create_table(
        "investigation_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        *_case("investigation_events"),
        *_user("actor_id", "investigation_events"),
        sa.Column("actor_name", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investigation_events")),
    )
    op.create_index(
        op.f("ix_investigation_events_investigation_id"),
        "investigation_events",
        ["investigation_id"],
    )

    # RFIs linked to a case (the exchange's table: ``exchange.casemodels``).
    op.create_table(
        "investigation_rfis",
        *_case("investigation_rfis"),
        sa.Column("rfi_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rfi_id"],
            ["exchange_rfis.id"],
            name=op.f("fk_investigation_rfis_rfi_id_exchange_rfis"),
            ondelete="CASCADE",
        ),
        *_user("linked_by_id", "investigation_rfis"),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("investigation_id", "rfi_id", name=op.f("pk_investigation_rfis")),
    )
    op.create_index(op.f("ix_investigation_rfis_rfi_id"), "investigation_rfis", ["rfi_id"])


def downgrade() -> None:
    """Drop the tables and the sequence (every case file is lost)."""
    for table in (
        "investigation_rfis",
        "investigation_events",
        "investigation_notes",
        "investigation_tasks",
        "investigation_items",
        "investigation_members",
        "investigations",
    ):
        op.drop_table(table)
    op.execute(sa.schema.DropSequence(sa.Sequence("investigation_numbers")))
