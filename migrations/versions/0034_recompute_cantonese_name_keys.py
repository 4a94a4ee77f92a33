"""Recompute the stored name keys for the Cantonese readings added to `ncen.search.keys`.

Names written in Chinese characters now store their Cantonese spellings (Hong Kong government
romanisation and Jyutping: 陳大文 also chan, can, taiman, daaiman) and names written in a
Cantonese romanisation store the pinyin readings of their syllables (Chan Tai Man also chen,
dawen...), read as one given name; the parentage markers a/l, a/p, bt., anak and the script
forms of "wife of" are relations, no longer terms. Rows written before this revision keep
their old keys until recomputed: this revision recomputes every person and company name with
`backfill_name_keys` (keyset batches, one transaction). No schema change. Keep it the last
key-changing revision: it recomputes with the code installed.

Downgrade recomputes the keys again with the code installed: keys are derived data, and the
earlier algorithm is not kept to restore them.

Revision ID: 0034
Revises: 0029
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0034"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from ncen.search.index import backfill_name_keys

    backfill_name_keys(op.get_bind())


def downgrade() -> None:
    from ncen.search.index import backfill_name_keys

    backfill_name_keys(op.get_bind())
