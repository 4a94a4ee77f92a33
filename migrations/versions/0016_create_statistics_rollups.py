"""Statistics: unit families and factors, per-seizure facts, a daily rollup and its change queue.

Triggers (SECURITY INVOKER: they run as the application role, which needs only INSERT on
``stat_dirty``) mark a seizure dirty in the same transaction as any change that can move its
statistics: the seizure's own dimensions or deletion, its items, transit countries, concealment
methods and linked persons, a linked person's deletion or nationalities, and a unit's
conversion. `ncen.analysis.rollups.refresh_statistics` then recomputes the dirty seizures; no
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

# (table, column holding the seizure id, trigger timing/events)
_SEIZURE_TRIGGERS = (
    (
        "seizures",
        "id",
        "INSERT OR DELETE OR UPDATE OF occurred_at, office_code, transport_mode,"
        " detection_method, departure_country, destination_country, origin_node, deleted_at",
    ),
    ("seizure_items", "seizure_id", "INSERT OR UPDATE OR DELETE"),
    ("seizure_transit_countries", "seizure_id", "INSERT OR UPDATE OR DELETE"),
    ("seizure_concealments", "seizure_id", "INSERT OR UPDATE OR DELETE"),
    ("seizure_persons", "seizure_id", "INSERT OR UPDATE OR DELETE"),
)
_PERSON_TRIGGERS = (
    ("persons", "id", "UPDATE OF deleted_at"),
    ("person_nationalities", "person_id", "INSERT OR UPDATE OR DELETE"),
)

# A mark that finds the seizure already queued still updates (locks) the queued row, never DO
# NOTHING: a refresher takes queued rows FOR UPDATE SKIP LOCKED, so it either skips a seizure
# whose writer has not committed, or makes that writer wait until the refresher has removed the
# row and then queue it again. With DO NOTHING a change committed while a refresher was busy
# with the same seizure could be lost.
_FUNCTIONS = (
    """
CREATE FUNCTION stat_mark_seizure() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The column named by the trigger's argument holds the seizure id (id or seizure_id).
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO stat_dirty (seizure_id) VALUES ((to_jsonb(OLD) ->> TG_ARGV[0])::uuid)
    ON CONFLICT (seizure_id) DO UPDATE SET marked_at = stat_dirty.marked_at;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO stat_dirty (seizure_id) VALUES ((to_jsonb(NEW) ->> TG_ARGV[0])::uuid)
    ON CONFLICT (seizure_id) DO UPDATE SET marked_at = stat_dirty.marked_at;
  END IF;
  RETURN NULL;
END $$;
""",
    """
CREATE FUNCTION stat_mark_person() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  person uuid;
BEGIN
  IF TG_OP = 'DELETE' THEN
    person := (to_jsonb(OLD) ->> TG_ARGV[0])::uuid;
  ELSE
    person := (to_jsonb(NEW) ->> TG_ARGV[0])::uuid;
  END IF;
  INSERT INTO stat_dirty (seizure_id)
  SELECT DISTINCT seizure_id FROM seizure_persons WHERE person_id = person
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
    op.create_index("ix_stat_facts_dimension_day", "stat_facts", ["dimension", "measure", "day"])
    op.create_table(
        "stat_rollup",
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_foreign", sa.Boolean(), nullable=False),
        sa.Column("amount", sa.Numeric(), nullable=False),
        sa.PrimaryKeyConstraint(
            "dimension", "value", "measure", "day", "is_foreign", name=op.f("pk_stat_rollup")
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
    for table, column, events in _SEIZURE_TRIGGERS:
        op.execute(
            sa.text(
                f"CREATE TRIGGER stat_mark AFTER {events} ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION stat_mark_seizure('{column}')"
            )
        )
    for table, column, events in _PERSON_TRIGGERS:
        op.execute(
            sa.text(
                f"CREATE TRIGGER stat_mark AFTER {events} ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION stat_mark_person('{column}')"
            )
        )
    op.execute(
        sa.text(
            "CREATE TRIGGER stat_mark AFTER UPDATE OF family, factor ON quantity_units"
            " FOR EACH ROW EXECUTE FUNCTION stat_mark_unit()"
        )
    )
    op.execute(sa.text("INSERT INTO stat_dirty (seizure_id) SELECT id FROM seizures"))


def downgrade() -> None:
    for table, _column, _events in (*_SEIZURE_TRIGGERS, *_PERSON_TRIGGERS):
        op.execute(sa.text(f"DROP TRIGGER stat_mark ON {table}"))
    op.execute(sa.text("DROP TRIGGER stat_mark ON quantity_units"))
    for function in ("stat_mark_seizure", "stat_mark_person", "stat_mark_unit"):
        op.execute(sa.text(f"DROP FUNCTION {function}()"))
    op.drop_index(op.f("ix_stat_dirty_marked_at"), table_name="stat_dirty")
    op.drop_table("stat_dirty")
    op.drop_table("stat_rollup")
    op.drop_index("ix_stat_facts_dimension_day", table_name="stat_facts")
    op.drop_index("ix_stat_facts_dimension_value", table_name="stat_facts")
    op.drop_table("stat_facts")
    op.drop_constraint(
        op.f("fk_quantity_units_family_quantity_units"), "quantity_units", type_="foreignkey"
    )
    op.drop_column("quantity_units", "factor")
    op.drop_column("quantity_units", "family")
