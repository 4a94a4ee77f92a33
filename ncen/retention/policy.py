"""The retention policy: when each nominal record comes up for review, in one table.

Every nominal record carries a review date (``review_due``). The date is not a deletion date:
on it the record enters a supervisor's review queue, where it is kept (with a reason and a new
date, at most `MAX_EXTENSION_YEARS` ahead) or deleted (`ncen.retention.services`). This is the
EU Customs Information System's model: data is kept only as long as needed, and the need is
reviewed by a person at fixed intervals rather than assumed.

Which records are nominal: all four record types. Persons obviously; seizures because they
carry the narrative and the links that place people at a case; companies and conveyances because
they identify natural persons indirectly (a sole trader trades under his own name, a plate or a
small vessel names its keeper) and the CIS treats businesses and means of transport as data
items subject to the same review. Pictures, history and links follow their record.

The rules (`RULES`), all in years and counted from an *anchor* date:

============  ===============================================  =======  ====
record        anchor                                           default  H3
============  ===============================================  =======  ====
seizure       the date of the seizure                          5        3
person        its latest linked seizure, else its creation     3        2
company       its latest linked seizure, else its creation     5        3
conveyance    its latest linked seizure, else its creation     5        3
============  ===============================================  =======  ====

H3 records (free-text handling restrictions, the most sensitive) come up sooner. Linking an
entity to a seizure moves its review date later (never earlier); a change of handling code
takes effect at the next review. The same numbers produce the SQL that the migration and
``ncen retention assign`` use for existing rows (`review_due_sql`), so Python and SQL agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The record types under review, by their singular name (as in history and audit) and table.
TABLES: dict[str, str] = {
    "seizure": "seizures",
    "person": "persons",
    "company": "companies",
    "conveyance": "conveyances",
}
# The link table and its column for each entity type (seizures have no anchor link).
LINKS: dict[str, tuple[str, str]] = {
    "person": ("seizure_persons", "person_id"),
    "company": ("seizure_companies", "company_id"),
    "conveyance": ("seizure_conveyances", "conveyance_id"),
}

# A kept record's new review date lies at most this far ahead of the day of the decision.
MAX_EXTENSION_YEARS = 3
# The longest reason a supervisor may give (it is audited and shown to the next reviewer).
MAX_REASON = 500


@dataclass(frozen=True)
class Rule:
    """How many years after its anchor a record type comes up for review."""

    years: int
    h3_years: int

    def years_for(self, handling_code: str) -> int:
        """The period for a record with ``handling_code`` (``"H0"`` … ``"H3"``)."""
        return self.h3_years if handling_code == "H3" else self.years


RULES: dict[str, Rule] = {
    "seizure": Rule(years=5, h3_years=3),
    "person": Rule(years=3, h3_years=2),
    "company": Rule(years=5, h3_years=3),
    "conveyance": Rule(years=5, h3_years=3),
}


def add_years(day: date, years: int) -> date:
    """``day`` plus whole ``years``; 29 February becomes 28 February (as PostgreSQL does)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def review_date(record_type: str, handling_code: str, anchor: date) -> date:
    """The review date of a ``record_type`` record with ``handling_code`` anchored at ``anchor``.

    Raises `KeyError` for a type that is not under review (a programming error).
    """
    return add_years(anchor, RULES[record_type].years_for(handling_code))


def latest_extension(today: date) -> date:
    """The latest new review date a supervisor may choose when keeping a record on ``today``."""
    return add_years(today, MAX_EXTENSION_YEARS)


def review_due_sql(record_type: str, anchor_sql: str, handling_sql: str) -> str:
    """A SQL expression for the review date: ``anchor_sql`` (a date expression) plus the years
    that `RULES` give for ``handling_sql`` (a handling-code expression). Trusted input only:
    the arguments are SQL fragments written in this package and the migration."""
    rule = RULES[record_type]
    return (
        f"(({anchor_sql}) + make_interval(years => CASE WHEN ({handling_sql}) = 'H3' "
        f"THEN {rule.h3_years} ELSE {rule.years} END))::date"
    )


def anchor_sql(record_type: str) -> str:
    """A SQL expression for the date the period of row ``t`` runs from: a seizure's date, an
    entity's creation or its latest linked seizure, whichever is later (in UTC)."""
    if record_type == "seizure":
        return "(t.occurred_at AT TIME ZONE 'UTC')::date"
    link_table, column = LINKS[record_type]
    # Table and column names come from LINKS: no input reaches this SQL.
    return (
        "GREATEST((t.created_at AT TIME ZONE 'UTC')::date, "  # noqa: S608
        f"(SELECT max((s.occurred_at AT TIME ZONE 'UTC')::date) FROM {link_table} l "
        f"JOIN seizures s ON s.id = l.seizure_id WHERE l.{column} = t.id))"
    )


def tighten_sql(record_type: str) -> str:
    """One UPDATE bringing row ``:id``'s review date forward to what its (new) handling code
    gives, never later: a stricter code shortens the period at once; a looser one leaves the
    date (only a supervisor's keep moves it later)."""
    table = TABLES[record_type]
    expression = review_due_sql(record_type, anchor_sql(record_type), "t.handling_code")
    return (
        f"UPDATE {table} AS t SET review_due = LEAST(t.review_due, {expression}) "  # noqa: S608
        "WHERE t.id = :id AND t.review_due IS NOT NULL"
    )


def assign_sql(record_type: str, *, only_missing: bool) -> str:
    """One UPDATE giving every ``record_type`` row its review date from the rules.

    ``only_missing`` limits it to rows without a date that were never deleted by a retention
    review (``ncen retention assign``, after bulk loads); without it every row is (re)computed
    (the migration's backfill). Anchors are taken in UTC, like `anchor_of`.
    """
    table = TABLES[record_type]
    anchor = anchor_sql(record_type)
    where = ""
    if only_missing:
        where = (
            " WHERE t.review_due IS NULL AND NOT EXISTS (SELECT 1 FROM retention_decisions d "
            "WHERE d.record_id = t.id AND d.decision = 'delete')"
        )
    expression = review_due_sql(record_type, anchor, "t.handling_code")
    return f"UPDATE {table} AS t SET review_due = {expression}{where}"  # noqa: S608 - no input
