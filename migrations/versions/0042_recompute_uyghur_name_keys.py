"""Recompute the stored name keys for the Uyghur readings of Chinese transcriptions.

A Uyghur name transcribed into Chinese characters (克里木·吐尔地), or written in the pinyin of
that transcription as a Chinese passport writes it (KELIMU TUERDI), now stores the Uyghur
spellings the transcription's rules give back (`ncen.search.uyghur.reading`: kerim, turdi)
as extra terms, with their phonetic codes. Rows written before this revision keep their old
keys until recomputed: this revision recomputes every person and company name with
`backfill_name_keys` (keyset batches, one transaction). No schema change. Keep it the last
key-changing revision: it recomputes with the code installed (0038 then recomputes to the
same keys once more; harmless, as keys are derived data).

Downgrade recomputes the keys again with the code installed: keys are derived data, and the
earlier algorithm is not kept to restore them.

Revision ID: 0042
Revises: 0037
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0042"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from ncen.search.index import backfill_name_keys

    backfill_name_keys(op.get_bind())


def downgrade() -> None:
    from ncen.search.index import backfill_name_keys

    backfill_name_keys(op.get_bind())
