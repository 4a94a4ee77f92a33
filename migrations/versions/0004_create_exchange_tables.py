"""Create the exchange tables (peers, pinned keys, key sets, bundles sent and received) and the
unique (origin_node, origin_id) index of each record table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD_TABLES = ("seizures", "persons", "companies", "conveyances")


def upgrade() -> None:
    op.create_table(
        "exchange_peers",
        sa.Column("node_id", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("endpoint", sa.String(length=500), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "suspended",
                name="peerstatus",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("may_receive_nominal", sa.Boolean(), nullable=False),
        sa.Column("allowed_handling_codes", postgresql.ARRAY(sa.String(length=2)), nullable=False),
        sa.Column("keyset_serial", sa.Integer(), nullable=False),
        sa.Column("last_sequence_in", sa.BigInteger(), nullable=True),
        sa.Column("last_sequence_out", sa.BigInteger(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["country"], ["countries.code"], name=op.f("fk_exchange_peers_country_countries")
        ),
        sa.PrimaryKeyConstraint("node_id", name=op.f("pk_exchange_peers")),
    )
    op.create_table(
        "exchange_peer_keys",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("peer_node_id", sa.String(length=64), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "signing",
                "encryption",
                name="keypurpose",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("algorithm", sa.String(length=32), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("pinned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revocation_reason", sa.String(length=32), nullable=True),
        sa.Column("revocation", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.ForeignKeyConstraint(
            ["peer_node_id"],
            ["exchange_peers.node_id"],
            name=op.f("fk_exchange_peer_keys_peer_node_id_exchange_peers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_peer_keys")),
        sa.UniqueConstraint(
            "peer_node_id", "key_id", name=op.f("uq_exchange_peer_keys_peer_node_id_key_id")
        ),
    )
    op.create_index(
        op.f("ix_exchange_peer_keys_peer_node_id"), "exchange_peer_keys", ["peer_node_id"]
    )
    op.create_table(
        "exchange_peer_keysets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("peer_node_id", sa.String(length=64), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("statement", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["peer_node_id"],
            ["exchange_peers.node_id"],
            name=op.f("fk_exchange_peer_keysets_peer_node_id_exchange_peers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_peer_keysets")),
        sa.UniqueConstraint(
            "peer_node_id", "serial", name=op.f("uq_exchange_peer_keysets_peer_node_id_serial")
        ),
    )
    op.create_index(
        op.f("ix_exchange_peer_keysets_peer_node_id"), "exchange_peer_keysets", ["peer_node_id"]
    )
    op.create_table(
        "exchange_received_bundles",
        sa.Column("bundle_id", sa.Uuid(), nullable=False),
        sa.Column("sender_node_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("header_sha256", sa.String(length=64), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_by", sa.String(length=64), nullable=False),
        sa.Column("summary", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["sender_node_id"],
            ["exchange_peers.node_id"],
            name=op.f("fk_exchange_received_bundles_sender_node_id_exchange_peers"),
        ),
        sa.PrimaryKeyConstraint("bundle_id", name=op.f("pk_exchange_received_bundles")),
    )
    op.create_index(
        op.f("ix_exchange_received_bundles_sender_node_id"),
        "exchange_received_bundles",
        ["sender_node_id"],
    )
    op.create_table(
        "exchange_received_record_sets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("bundle_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("originator_node_id", sa.String(length=64), nullable=False),
        sa.Column("record_set_id", sa.Uuid(), nullable=False),
        sa.Column("originator_statement", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("contents", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["bundle_id"],
            ["exchange_received_bundles.bundle_id"],
            name=op.f("fk_exchange_received_record_sets_bundle_id_exchange_received_bundles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_received_record_sets")),
        sa.UniqueConstraint(
            "originator_node_id",
            "record_set_id",
            name=op.f("uq_exchange_received_record_sets_originator_node_id_record_set_id"),
        ),
    )
    op.create_index(
        op.f("ix_exchange_received_record_sets_bundle_id"),
        "exchange_received_record_sets",
        ["bundle_id"],
    )
    op.create_table(
        "exchange_sent_bundles",
        sa.Column("bundle_id", sa.Uuid(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recipients", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("handling_codes", postgresql.ARRAY(sa.String(length=8)), nullable=False),
        sa.Column("header_sha256", sa.String(length=64), nullable=False),
        sa.Column("sealed_by", sa.String(length=64), nullable=False),
        sa.Column("summary", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id", name=op.f("pk_exchange_sent_bundles")),
    )
    op.create_index(op.f("ix_exchange_sent_bundles_created"), "exchange_sent_bundles", ["created"])
    for table in RECORD_TABLES:
        op.create_index(f"uq_{table}_origin", table, ["origin_node", "origin_id"], unique=True)


def downgrade() -> None:
    for table in RECORD_TABLES:
        op.drop_index(f"uq_{table}_origin", table_name=table)
    op.drop_index(op.f("ix_exchange_sent_bundles_created"), table_name="exchange_sent_bundles")
    op.drop_table("exchange_sent_bundles")
    op.drop_index(
        op.f("ix_exchange_received_record_sets_bundle_id"),
        table_name="exchange_received_record_sets",
    )
    op.drop_table("exchange_received_record_sets")
    op.drop_index(
        op.f("ix_exchange_received_bundles_sender_node_id"),
        table_name="exchange_received_bundles",
    )
    op.drop_table("exchange_received_bundles")
    op.drop_index(op.f("ix_exchange_peer_keysets_peer_node_id"), table_name="exchange_peer_keysets")
    op.drop_table("exchange_peer_keysets")
    op.drop_index(op.f("ix_exchange_peer_keys_peer_node_id"), table_name="exchange_peer_keys")
    op.drop_table("exchange_peer_keys")
    op.drop_table("exchange_peers")
