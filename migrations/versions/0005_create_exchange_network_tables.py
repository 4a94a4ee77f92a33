"""Create the tables of the exchange network: deliveries (outbox and sent ledger), inbox,
terms of each bundle, shared records, distribution levels, tombstones, links between foreign and
national records, requests for information, and hit/no-hit checks with their pair keys.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_foreign_links",
        sa.Column("foreign_type", sa.String(length=16), nullable=False),
        sa.Column("foreign_id", sa.Uuid(), nullable=False),
        sa.Column("national_type", sa.String(length=16), nullable=False),
        sa.Column("national_id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_foreign_links")),
        sa.UniqueConstraint(
            "foreign_type",
            "foreign_id",
            "national_type",
            "national_id",
            name=op.f(
                "uq_exchange_foreign_links_foreign_type_foreign_id_national_type_national_id"
            ),
        ),
    )
    op.create_table(
        "exchange_inbox",
        sa.Column("bundle_id", sa.Uuid(), nullable=True),
        sa.Column("sender_node_id", sa.String(length=64), nullable=True),
        sa.Column("sequence", sa.BigInteger(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "accepted",
                "rejected",
                name="inboxoutcome",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("receipt", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_inbox")),
    )
    op.create_index(
        op.f("ix_exchange_inbox_bundle_id"), "exchange_inbox", ["bundle_id"], unique=False
    )
    op.create_index(
        op.f("ix_exchange_inbox_sender_node_id"), "exchange_inbox", ["sender_node_id"], unique=False
    )
    op.create_index(
        "uq_exchange_inbox_accepted",
        "exchange_inbox",
        ["bundle_id"],
        unique=True,
        postgresql_where=sa.text("outcome = 'accepted'"),
    )
    op.create_table(
        "exchange_terms",
        sa.Column("bundle_id", sa.Uuid(), nullable=False),
        sa.Column(
            "direction",
            sa.Enum(
                "sent", "received", name="direction", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("peer_node_id", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("legal_basis", sa.String(length=300), nullable=False),
        sa.Column("purpose", sa.String(length=300), nullable=False),
        sa.Column("message", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id", name=op.f("pk_exchange_terms")),
    )
    op.create_table(
        "exchange_tombstones",
        sa.Column("origin_node", sa.String(length=64), nullable=False),
        sa.Column("origin_id", sa.String(length=128), nullable=False),
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("local_id", sa.Uuid(), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("bundle_id", sa.Uuid(), nullable=False),
        sa.Column("retracted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_tombstones")),
        sa.UniqueConstraint(
            "origin_node",
            "origin_id",
            "record_type",
            name=op.f("uq_exchange_tombstones_origin_node_origin_id_record_type"),
        ),
    )
    op.create_table(
        "exchange_deliveries",
        sa.Column("bundle_id", sa.Uuid(), nullable=False),
        sa.Column("peer_node_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "queued",
                "accepted",
                "rejected",
                "expired",
                name="deliverystate",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("receipt", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("receipt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bundle_id"],
            ["exchange_sent_bundles.bundle_id"],
            name=op.f("fk_exchange_deliveries_bundle_id_exchange_sent_bundles"),
        ),
        sa.ForeignKeyConstraint(
            ["peer_node_id"],
            ["exchange_peers.node_id"],
            name=op.f("fk_exchange_deliveries_peer_node_id_exchange_peers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_deliveries")),
        sa.UniqueConstraint(
            "bundle_id", "peer_node_id", name=op.f("uq_exchange_deliveries_bundle_id_peer_node_id")
        ),
    )
    op.create_index(
        op.f("ix_exchange_deliveries_bundle_id"), "exchange_deliveries", ["bundle_id"], unique=False
    )
    op.create_index(
        "ix_exchange_deliveries_due",
        "exchange_deliveries",
        ["next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("state = 'queued'"),
    )
    op.create_index(
        "ix_exchange_deliveries_peer_sequence",
        "exchange_deliveries",
        ["peer_node_id", "sequence"],
        unique=False,
    )
    op.create_table(
        "exchange_hit_checks",
        sa.Column(
            "direction",
            sa.Enum(
                "sent", "received", name="direction", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("peer_node_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column(
            "result",
            sa.Enum(
                "pending",
                "hit",
                "no_hit",
                "refused",
                name="hitresult",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("asked_by", sa.String(length=64), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["peer_node_id"],
            ["exchange_peers.node_id"],
            name=op.f("fk_exchange_hit_checks_peer_node_id_exchange_peers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_hit_checks")),
    )
    op.create_index(
        op.f("ix_exchange_hit_checks_asked_at"), "exchange_hit_checks", ["asked_at"], unique=False
    )
    op.create_index(
        op.f("ix_exchange_hit_checks_peer_node_id"),
        "exchange_hit_checks",
        ["peer_node_id"],
        unique=False,
    )
    op.create_table(
        "exchange_hit_keys",
        sa.Column("peer_node_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.LargeBinary(), nullable=False),
        sa.Column("proposed_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["peer_node_id"],
            ["exchange_peers.node_id"],
            name=op.f("fk_exchange_hit_keys_peer_node_id_exchange_peers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("peer_node_id", name=op.f("pk_exchange_hit_keys")),
    )
    op.create_table(
        "exchange_rfis",
        sa.Column(
            "direction",
            sa.Enum(
                "sent", "received", name="direction", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("peer_node_id", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.String(length=300), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "open",
                "answered",
                name="requeststate",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("request_bundle_id", sa.Uuid(), nullable=True),
        sa.Column("reply_bundle_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["peer_node_id"],
            ["exchange_peers.node_id"],
            name=op.f("fk_exchange_rfis_peer_node_id_exchange_peers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rfis")),
    )
    op.create_index(
        op.f("ix_exchange_rfis_peer_node_id"), "exchange_rfis", ["peer_node_id"], unique=False
    )
    op.create_table(
        "exchange_shared_records",
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("peer_node_id", sa.String(length=64), nullable=False),
        sa.Column("bundle_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bundle_id"],
            ["exchange_sent_bundles.bundle_id"],
            name=op.f("fk_exchange_shared_records_bundle_id_exchange_sent_bundles"),
        ),
        sa.ForeignKeyConstraint(
            ["peer_node_id"],
            ["exchange_peers.node_id"],
            name=op.f("fk_exchange_shared_records_peer_node_id_exchange_peers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_shared_records")),
    )
    op.create_index(
        op.f("ix_exchange_shared_records_peer_node_id"),
        "exchange_shared_records",
        ["peer_node_id"],
        unique=False,
    )
    op.create_index(
        "ix_exchange_shared_records_record",
        "exchange_shared_records",
        ["record_type", "record_id"],
        unique=False,
    )
    op.create_table(
        "exchange_distributions",
        sa.Column("seizure_id", sa.Uuid(), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "national_only",
                "named_peers",
                "all_peers",
                "global_cen",
                name="distributionlevel",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("peers", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["seizure_id"],
            ["seizures.id"],
            name=op.f("fk_exchange_distributions_seizure_id_seizures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seizure_id", name=op.f("pk_exchange_distributions")),
    )


def downgrade() -> None:
    op.drop_table("exchange_distributions")
    op.drop_index("ix_exchange_shared_records_record", table_name="exchange_shared_records")
    op.drop_index(
        op.f("ix_exchange_shared_records_peer_node_id"), table_name="exchange_shared_records"
    )
    op.drop_table("exchange_shared_records")
    op.drop_index(op.f("ix_exchange_rfis_peer_node_id"), table_name="exchange_rfis")
    op.drop_table("exchange_rfis")
    op.drop_table("exchange_hit_keys")
    op.drop_index(op.f("ix_exchange_hit_checks_peer_node_id"), table_name="exchange_hit_checks")
    op.drop_index(op.f("ix_exchange_hit_checks_asked_at"), table_name="exchange_hit_checks")
    op.drop_table("exchange_hit_checks")
    op.drop_index("ix_exchange_deliveries_peer_sequence", table_name="exchange_deliveries")
    op.drop_index(
        "ix_exchange_deliveries_due",
        table_name="exchange_deliveries",
        postgresql_where=sa.text("state = 'queued'"),
    )
    op.drop_index(op.f("ix_exchange_deliveries_bundle_id"), table_name="exchange_deliveries")
    op.drop_table("exchange_deliveries")
    op.drop_table("exchange_tombstones")
    op.drop_table("exchange_terms")
    op.drop_index(
        "uq_exchange_inbox_accepted",
        table_name="exchange_inbox",
        postgresql_where=sa.text("outcome = 'accepted'"),
    )
    op.drop_index(op.f("ix_exchange_inbox_sender_node_id"), table_name="exchange_inbox")
    op.drop_index(op.f("ix_exchange_inbox_bundle_id"), table_name="exchange_inbox")
    op.drop_table("exchange_inbox")
    op.drop_table("exchange_foreign_links")
