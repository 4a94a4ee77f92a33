"""Recompute the stored name keys for the Hong Kong government spellings of `ncen.search.keys`.

Names written in Chinese characters now store, besides the romanisation table's spellings
and Jyutping, the spellings the Hong Kong government conventions give for each character's
Jyutping (`ncen.search.hk_romanisation`: 丁俊海 also ting, chunhoi, tsunhoi...), and up to 24
spellings of a given name instead of 12. Rows written before this revision keep their old
keys until recomputed: this revision recomputes every person and company name with
`backfill_name_keys` (keyset batches, one transaction). No schema change. Keep it the last
key-changing revision: it recomputes with the code installed.

Downgrade recomputes the keys again with the code installed: keys are derived data, and the
earlier algorithm is not kept to restore them.

Revision ID: 0038
Revises: 0039
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0038"
down_revision: str | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from ncen.search.index import backfill_name_keys

    backfill_name_keys(op.get_bind())


def downgrade() -> None:
    from ncen.search.index import backfill_name_keys

    backfill_name_keys(op.get_bind())
