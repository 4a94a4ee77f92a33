"""Hold each picture's pHash and dHash in indexed 16-bit chunks for similarity search.

The table starts empty: the hashes need the picture files, which live in the picture store on
disk beside the database, not in it, and a migration runs with the database alone. ``ncen
serve`` fills the missing rows at start-up (``ncen pictures rehash`` does it by hand), and
every upload writes its row.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK_COLUMNS = [f"{kind}{i}" for kind in "pd" for i in range(4)]
CHUNK_CHECKS = " AND ".join(
    f"{kind}{i} = (({kind}hash >> {48 - 16 * i}) & 65535)" for kind in "pd" for i in range(4)
)


def upgrade() -> None:
    op.create_table(
        "picture_hashes",
        sa.Column("picture_id", sa.Uuid(), nullable=False),
        sa.Column("phash", sa.BigInteger(), nullable=False),
        sa.Column("dhash", sa.BigInteger(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in CHUNK_COLUMNS),
        sa.CheckConstraint(CHUNK_CHECKS, name=op.f("ck_picture_hashes_chunks_match_hashes")),
        sa.ForeignKeyConstraint(
            ["picture_id"],
            ["pictures.id"],
            name=op.f("fk_picture_hashes_picture_id_pictures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("picture_id", name=op.f("pk_picture_hashes")),
    )
    for name in CHUNK_COLUMNS:
        op.create_index(op.f(f"ix_picture_hashes_{name}"), "picture_hashes", [name], unique=False)


def downgrade() -> None:
    for name in CHUNK_COLUMNS:
        op.drop_index(op.f(f"ix_picture_hashes_{name}"), table_name="picture_hashes")
    op.drop_table("picture_hashes")
