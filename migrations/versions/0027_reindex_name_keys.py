"""Recompute the stored name keys for the naming traditions added to `ncen.search.keys`.

Parentage markers (s/o, bin, ولد, oglu) are no longer terms and their parent's words are
flagged; Wade–Giles and Palladius names carry their pinyin readings, Uyghur script and
Chinese transcriptions their Latin forms, Turkic Latin and French-style names their Russian
and English spellings, Mongolian genitives their stem, and given names their nicknames'
lookups. Rows written before this revision keep their old keys until they are recomputed:
this revision recomputes every person and company name with `backfill_name_keys` (keyset
batches, one transaction), so an upgraded node retrieves them by the new keys. No schema
change. Keep it the last key-changing revision: it recomputes with the code installed.

Downgrade recomputes the keys again with the code installed: keys are derived data, and the
earlier algorithm is not kept to restore them.

Revision ID: 0027
Revises: 0025
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0027"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from ncen.search.index import backfill_name_keys

    backfill_name_keys(op.get_bind())


def downgrade() -> None:
    from ncen.search.index import backfill_name_keys

    backfill_name_keys(op.get_bind())
