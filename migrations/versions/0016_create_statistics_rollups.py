"""Statistics: unit families and factors, per-seizure facts, a daily rollup and its change queue.

Triggers (SECURITY INVOKER: they run as the application role, which needs only INSERT and
UPDATE on ``stat_dirty``) mark a seizure dirty in the same transaction as any change that can
move its statistics: the seizure's own dimensions or deletion, its items, transit countries,
concealment methods and linked persons, a linked person's deletion or nationalities, and a
unit's conversion. `ncen.analysis.rollups.refresh_statistics` then recomputes the dirty seizures; no
materialised view is used, because the application role may not own or refresh one.
Every existing seizure is marked dirty here, so the first refresh fills the tables.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ncen.reference.codes import UNIT_CONVERSIONS

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ON_CONFLICT = "ON CONFLICT (seizure_id) DO UPDATE SET marked_at = stat_dirty.marked_at"

# Bulk writes (the demo loader's COPY, an import, the ORM's multi-row INSERT) mark once per
# statement from its transition tables; updates restricted to some columns need a row trigger
# (PostgreSQL has no transition tables for column-specific triggers).
# table -> the set-based marking function of its rows
_STATEMENT_TRIGGERS = {
    "seizures": "stat_mark_seizures",
    "seizure_items": "stat_mark_children",
    "seizure_transit_countries": "stat_mark_children",
    "seizure_concealments": "stat_mark_children",
    "seizure_persons": "stat_mark_children",
    "person_nationalities": "stat_mark_nationalities",
}
# (table, event, function(argument)) of the row triggers
_ROW_TRIGGERS = (
    (
        "seizures",
        "UPDATE OF occurred_at, office_code, transport_mode, detection_method,"
        " departure_country, destination_country, origin_node, deleted_at",
        "stat_mark_seizure()",
    ),
    ("persons", "UPDATE OF deleted_at", "stat_mark_person()"),
    ("quantity_units", "UPDATE OF family, factor", "stat_mark_unit()"),
)


def _set_based(name: str, select_new: str, select_old: str) -> str:
    """A statement trigger function marking the seizures of its transition tables (only those
    the firing event has: new_rows for INSERT/UPDATE, old_rows for UPDATE/DELETE; PL/pgSQL
    plans a statement when it first runs it, so the other branch never names a missing one)."""
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO stat_dirty (seizure_id) {select_new} {_ON_CONFLICT};
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO stat_dirty (seizure_id) {select_old} {_ON_CONFLICT};
  END IF;
  RETURN NULL;
END $$;
"""


def _via_person(rows: str) -> str:
    return (
        f"SELECT DISTINCT sp.seizure_id FROM {rows} r"  # noqa: S608 - a transition table name
        " JOIN seizure_persons sp ON sp.person_id = r.person_id"
    )


# A mark that finds the seizure already queued still updates (locks) the queued row, never DO
# NOTHING: a refresher takes queued rows FOR UPDATE SKIP LOCKED, so it either skips a seizure
# whose writer has not committed, or makes that writer wait until the refresher has removed the
# row and then queue it again. With DO NOTHING a change committed while a refresher was busy
# with the same seizure could be lost.
_FUNCTIONS = (
    _set_based(
        "stat_mark_seizures",
        "SELECT DISTINCT id FROM new_rows",
        "SELECT DISTINCT id FROM old_rows",
    ),
    _set_based(
        "stat_mark_children",
        "SELECT DISTINCT seizure_id FROM new_rows",
        "SELECT DISTINCT seizure_id FROM old_rows",
    ),
    _set_based("stat_mark_nationalities", _via_person("new_rows"), _via_person("old_rows")),
    """
CREATE FUNCTION stat_mark_seizure() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stat_dirty (seizure_id) VALUES (OLD.id)
  ON CONFLICT (seizure_id) DO UPDATE SET marked_at = stat_dirty.marked_at;
  RETURN NULL;
END $$;
""",
    """
CREATE FUNCTION stat_mark_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stat_dirty (seizure_id)
  SELECT DISTINCT seizure_id FROM seizure_persons WHERE person_id = NEW.id
  ON CONFLICT (seizure_id) DO UPDATE SET marked_at = stat_dirty.marked_at;
  RETURN NULL;
END $$;
""",
    """
CREATE FUNCTION stat_mark_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stat_dirty (seizure_id)
  SELECT DISTINCT seizure_id FROM seizure_items WHERE unit = NEW.code
  ON CONFLICT (seizure_id) DO UPDATE SET marked_at = stat_dirty.marked_at;
  RETURN NULL;
END $$;
""",
)
_FUNCTION_NAMES = (
    "stat_mark_seizures",
    "stat_mark_children",
    "stat_mark_nationalities",
    "stat_mark_seizure",
    "stat_mark_person",
    "stat_mark_unit",
)
_REFERENCING = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}


def upgrade() -> None:
    op.add_column("quantity_units", sa.Column("family", sa.String(length=32), nullable=True))
    op.add_column("quantity_units", sa.Column("factor", sa.Numeric(), nullable=True))
    op.create_foreign_key(
        op.f("fk_quantity_units_family_quantity_units"),
        "quantity_units",
        "quantity_units",
        ["family"],
        ["code"],
    )
    for code, (family, factor) in UNIT_CONVERSIONS.items():
        op.execute(
            sa.text(
                "UPDATE quantity_units SET family = :family, factor = CAST(:factor AS numeric)"
                " WHERE code = :code"
            ).bindparams(code=code, family=family, factor=factor)
        )
    op.create_table(
        "stat_facts",
        sa.Column("seizure_id", sa.Uuid(), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.Numeric(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_foreign", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint(
            "seizure_id", "dimension", "value", "measure", name=op.f("pk_stat_facts")
        ),
    )
    op.create_index(
        "ix_stat_facts_dimension_value", "stat_facts", ["dimension", "value", "seizure_id"]
    )
    op.create_index(
        "ix_stat_facts_total_day",
        "stat_facts",
        ["day"],
        postgresql_where=sa.text("dimension = 'total' AND measure = ''"),
    )
    op.create_table(
        "stat_rollup",
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("is_foreign", sa.Boolean(), nullable=False),
        sa.Column("amount", sa.Numeric(), nullable=False),
        sa.PrimaryKeyConstraint(
            "dimension", "value", "measure", "month", "is_foreign", name=op.f("pk_stat_rollup")
        ),
    )
    op.create_table(
        "stat_dirty",
        sa.Column("seizure_id", sa.Uuid(), nullable=False),
        sa.Column(
            "marked_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("clock_timestamp()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("seizure_id", name=op.f("pk_stat_dirty")),
    )
    op.create_index(op.f("ix_stat_dirty_marked_at"), "stat_dirty", ["marked_at"])
    for function in _FUNCTIONS:
        op.execute(sa.text(function))
    for table, function in _STATEMENT_TRIGGERS.items():
        for event, referencing in _REFERENCING.items():
            op.execute(
                sa.text(
                    f"CREATE TRIGGER stat_mark_{event.lower()} AFTER {event} ON {table}"
                    f" {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
                )
            )
    for table, event, call in _ROW_TRIGGERS:
        op.execute(
            sa.text(
                f"CREATE TRIGGER stat_mark_row AFTER {event} ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION {call}"
            )
        )
    op.execute(sa.text("INSERT INTO stat_dirty (seizure_id) SELECT id FROM seizures"))


def downgrade() -> None:
    for table in _STATEMENT_TRIGGERS:
        for event in _REFERENCING:
            op.execute(sa.text(f"DROP TRIGGER stat_mark_{event.lower()} ON {table}"))
    for table, _event, _call in _ROW_TRIGGERS:
        op.execute(sa.text(f"DROP TRIGGER stat_mark_row ON {table}"))
    for function in _FUNCTION_NAMES:
        op.execute(sa.text(f"DROP FUNCTION {function}()"))
    op.drop_index(op.f("ix_stat_dirty_marked_at"), table_name="stat_dirty")
    op.drop_table("stat_dirty")
    op.drop_table("stat_rollup")
    op.drop_index("ix_stat_facts_total_day", table_name="stat_facts")
    op.drop_index("ix_stat_facts_dimension_value", table_name="stat_facts")
    op.drop_table("stat_facts")
    op.drop_constraint(
        op.f("fk_quantity_units_family_quantity_units"), "quantity_units", type_="foreignkey"
    )
    op.drop_column("quantity_units", "factor")
    op.drop_column("quantity_units", "family")
