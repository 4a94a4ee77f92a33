"""Tables and columns of the name index.

Each person and company name form stores three keys computed in Python when it is written
(`ncen.search.index`): ``search_terms`` (its words and their other spellings) and
``phonetic_codes`` (the codes of `ncen.search.phonetic`), each behind a GIN index, and
``search_text`` (the Latin reading, which ranks candidates by trigram similarity). `NameTerm`
is the vocabulary of every term ever stored: typo-tolerant search looks a misspelt word up
there (a small table, trigram indexed) instead of comparing it with every name. A trigram
index over ``search_text`` itself is deliberately absent: on millions of names the posting
lists of common trigrams make it slower than the array indexes, and nothing needs it.
"""

from __future__ import annotations

from sqlalchemy import Index, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from ncen.db import Base


class NameKeyColumns:
    """The stored search keys of a name form (see the module docstring)."""

    search_text: Mapped[str] = mapped_column(Text)
    search_terms: Mapped[list[str]] = mapped_column(ARRAY(Text))
    phonetic_codes: Mapped[list[str]] = mapped_column(ARRAY(Text))


def name_key_indexes(table: str) -> tuple[Index, ...]:
    """The GIN indexes over the key columns of ``table``."""
    return (
        Index(f"ix_{table}_search_terms", "search_terms", postgresql_using="gin"),
        Index(f"ix_{table}_phonetic_codes", "phonetic_codes", postgresql_using="gin"),
    )


class NameTerm(Base):
    """One term of the name vocabulary (never removed: a stale term only widens a lookup)."""

    __tablename__ = "name_terms"
    __table_args__ = (
        Index(
            "ix_name_terms_term_trgm",
            "term",
            postgresql_using="gin",
            postgresql_ops={"term": "gin_trgm_ops"},
        ),
    )

    term: Mapped[str] = mapped_column(Text, primary_key=True)
