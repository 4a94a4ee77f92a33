"""Create the whole schema: extensions, reference tables, records, links, history, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 05:12:48.847444
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


EXTENSIONS = ("pg_trgm", "unaccent", "fuzzystrmatch")

# The audit trail is append-only: the database itself refuses to change or remove a row, so even
# a bug or a careless SQL session cannot rewrite history without dropping the trigger (which
# needs the table owner and is visible in the DDL log).
AUDIT_GUARD = """
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP;
END $$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
"""


def upgrade() -> None:
    for extension in EXTENSIONS:
        op.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
    op.execute("CREATE SEQUENCE seizure_reference_seq")
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_name", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("record_type", sa.String(length=32), nullable=True),
        sa.Column("record_id", sa.String(length=64), nullable=True),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("prev_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_action"), "audit_events", ["action"], unique=False)
    op.create_index(op.f("ix_audit_events_actor_id"), "audit_events", ["actor_id"], unique=False)
    op.create_index(
        op.f("ix_audit_events_occurred_at"), "audit_events", ["occurred_at"], unique=False
    )
    op.create_index(op.f("ix_audit_events_record_id"), "audit_events", ["record_id"], unique=False)
    op.create_table(
        "company_roles",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_company_roles")),
    )
    op.create_table(
        "concealment_methods",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_concealment_methods")),
    )
    op.create_table(
        "conveyance_roles",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_conveyance_roles")),
    )
    op.create_table(
        "countries",
        sa.Column("alpha3", sa.String(length=3), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_countries")),
    )
    op.create_table(
        "currencies",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_currencies")),
    )
    op.create_table(
        "detection_methods",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_detection_methods")),
    )
    op.create_table(
        "detection_techniques",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_detection_techniques")),
    )
    op.create_table(
        "enforcement_areas",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_enforcement_areas")),
    )
    op.create_table(
        "hs_sections",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_hs_sections")),
    )
    op.create_table(
        "location_types",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_location_types")),
    )
    op.create_table(
        "person_company_roles",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_person_company_roles")),
    )
    op.create_table(
        "person_roles",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_person_roles")),
    )
    op.create_table(
        "quantity_units",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_quantity_units")),
    )
    op.create_table(
        "record_versions",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("record_type", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "create",
                "update",
                "delete",
                "restore",
                "link",
                "unlink",
                "status",
                name="changekind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by_id", sa.Uuid(), nullable=True),
        sa.Column("changed_by_name", sa.String(length=64), nullable=False),
        sa.Column("changes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("snapshot", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_versions")),
    )
    op.create_index(
        op.f("ix_record_versions_record_id"), "record_versions", ["record_id"], unique=False
    )
    op.create_table(
        "transport_modes",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_transport_modes")),
    )
    op.create_table(
        "users",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("locale", sa.String(length=8), server_default="en", nullable=False),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "commodity_groups",
        sa.Column("parent", sa.String(length=32), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["parent"],
            ["enforcement_areas.code"],
            name=op.f("fk_commodity_groups_parent_enforcement_areas"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_commodity_groups")),
    )
    op.create_table(
        "companies",
        sa.Column("country", sa.String(length=32), nullable=True),
        sa.Column("registration_number", sa.String(length=64), nullable=True),
        sa.Column("registration_number_norm", sa.String(length=64), nullable=True),
        sa.Column("tax_number", sa.String(length=64), nullable=True),
        sa.Column("tax_number_norm", sa.String(length=64), nullable=True),
        sa.Column(
            "aeo_status",
            sa.Enum(
                "none",
                "aeo_c",
                "aeo_s",
                "aeo_f",
                "suspended",
                name="aeostatus",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("address_line", sa.String(length=300), nullable=True),
        sa.Column("address_city", sa.String(length=120), nullable=True),
        sa.Column("address_country", sa.String(length=32), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "handling_code",
            sa.Enum(
                "H0",
                "H1",
                "H2",
                "H3",
                name="handlingcode",
                native_enum=False,
                create_constraint=True,
            ),
            server_default="H0",
            nullable=False,
        ),
        sa.Column("handling_restrictions", sa.Text(), nullable=True),
        sa.Column("origin_node", sa.String(length=64), nullable=True),
        sa.Column("origin_id", sa.String(length=128), nullable=True),
        sa.Column("received_bundle_id", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["address_country"],
            ["countries.code"],
            name=op.f("fk_companies_address_country_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["country"], ["countries.code"], name=op.f("fk_companies_country_countries")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_companies_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companies")),
    )
    op.create_index(op.f("ix_companies_country"), "companies", ["country"], unique=False)
    op.create_index(op.f("ix_companies_origin_node"), "companies", ["origin_node"], unique=False)
    op.create_index(
        op.f("ix_companies_registration_number_norm"),
        "companies",
        ["registration_number_norm"],
        unique=False,
    )
    op.create_index(
        op.f("ix_companies_tax_number_norm"), "companies", ["tax_number_norm"], unique=False
    )
    op.create_table(
        "conveyances",
        sa.Column(
            "kind",
            sa.Enum(
                "vehicle",
                "trailer",
                "vessel",
                "aircraft",
                "container",
                "rail_wagon",
                "postal_item",
                "express_item",
                name="conveyancekind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("flag", sa.String(length=32), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "handling_code",
            sa.Enum(
                "H0",
                "H1",
                "H2",
                "H3",
                name="handlingcode",
                native_enum=False,
                create_constraint=True,
            ),
            server_default="H0",
            nullable=False,
        ),
        sa.Column("handling_restrictions", sa.Text(), nullable=True),
        sa.Column("origin_node", sa.String(length=64), nullable=True),
        sa.Column("origin_id", sa.String(length=128), nullable=True),
        sa.Column("received_bundle_id", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_conveyances_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["flag"], ["countries.code"], name=op.f("fk_conveyances_flag_countries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conveyances")),
    )
    op.create_index(op.f("ix_conveyances_kind"), "conveyances", ["kind"], unique=False)
    op.create_index(
        op.f("ix_conveyances_origin_node"), "conveyances", ["origin_node"], unique=False
    )
    op.create_table(
        "customs_offices",
        sa.Column("country", sa.String(length=32), nullable=False),
        sa.Column("locode", sa.String(length=5), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["country"], ["countries.code"], name=op.f("fk_customs_offices_country_countries")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_customs_offices")),
    )
    op.create_table(
        "hs_chapters",
        sa.Column("parent", sa.String(length=32), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["parent"], ["hs_sections.code"], name=op.f("fk_hs_chapters_parent_hs_sections")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_hs_chapters")),
    )
    op.create_table(
        "persons",
        sa.Column(
            "gender",
            sa.Enum("F", "M", "X", "U", name="gender", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("birth_year", sa.SmallInteger(), nullable=True),
        sa.Column("birth_month", sa.SmallInteger(), nullable=True),
        sa.Column("birth_day", sa.SmallInteger(), nullable=True),
        sa.Column("birth_place", sa.String(length=200), nullable=True),
        sa.Column("birth_country", sa.String(length=32), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "handling_code",
            sa.Enum(
                "H0",
                "H1",
                "H2",
                "H3",
                name="handlingcode",
                native_enum=False,
                create_constraint=True,
            ),
            server_default="H0",
            nullable=False,
        ),
        sa.Column("handling_restrictions", sa.Text(), nullable=True),
        sa.Column("origin_node", sa.String(length=64), nullable=True),
        sa.Column("origin_id", sa.String(length=128), nullable=True),
        sa.Column("received_bundle_id", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("birth_day BETWEEN 1 AND 31", name=op.f("ck_persons_birth_day_range")),
        sa.CheckConstraint(
            "birth_day IS NULL OR birth_month IS NOT NULL", name=op.f("ck_persons_day_needs_month")
        ),
        sa.CheckConstraint(
            "birth_month BETWEEN 1 AND 12", name=op.f("ck_persons_birth_month_range")
        ),
        sa.CheckConstraint(
            "birth_month IS NULL OR birth_year IS NOT NULL",
            name=op.f("ck_persons_month_needs_year"),
        ),
        sa.ForeignKeyConstraint(
            ["birth_country"], ["countries.code"], name=op.f("fk_persons_birth_country_countries")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_persons_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
    )
    op.create_index(op.f("ix_persons_birth_year"), "persons", ["birth_year"], unique=False)
    op.create_index(op.f("ix_persons_origin_node"), "persons", ["origin_node"], unique=False)
    op.create_table(
        "pictures",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("mime_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("phash", sa.String(length=16), nullable=False),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.Column("concealment_method", sa.String(length=32), nullable=True),
        sa.Column("uploaded_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["concealment_method"],
            ["concealment_methods.code"],
            name=op.f("fk_pictures_concealment_method_concealment_methods"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_pictures_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pictures")),
        sa.UniqueConstraint("sha256", name=op.f("uq_pictures_sha256")),
    )
    op.create_index(op.f("ix_pictures_phash"), "pictures", ["phash"], unique=False)
    op.create_table(
        "un_locodes",
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("country", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_ascii", sa.String(length=200), nullable=False),
        sa.Column("subdivision", sa.String(length=3), nullable=True),
        sa.Column("function", sa.String(length=8), nullable=False),
        sa.Column("coordinates", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["country"], ["countries.code"], name=op.f("fk_un_locodes_country_countries")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_un_locodes")),
    )
    op.create_index(op.f("ix_un_locodes_country"), "un_locodes", ["country"], unique=False)
    op.create_table(
        "user_roles",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "investigator",
                "analyst",
                "supervisor",
                "exchange_officer",
                "administrator",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_roles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_roles")),
    )
    op.create_table(
        "company_names",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "primary",
                "alias",
                "former",
                "transliteration",
                name="namekind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("script", sa.String(length=4), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_company_names_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_names")),
    )
    op.create_index(
        op.f("ix_company_names_company_id"), "company_names", ["company_id"], unique=False
    )
    op.create_table(
        "conveyance_identifiers",
        sa.Column("conveyance_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "plate",
                "vin",
                "imo",
                "mmsi",
                "call_sign",
                "aircraft_registration",
                "flight",
                "container",
                "awb",
                "bill_of_lading",
                "postal_item",
                name="identifierkind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("country", sa.String(length=32), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conveyance_id"],
            ["conveyances.id"],
            name=op.f("fk_conveyance_identifiers_conveyance_id_conveyances"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["country"],
            ["countries.code"],
            name=op.f("fk_conveyance_identifiers_country_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conveyance_identifiers")),
        sa.UniqueConstraint(
            "conveyance_id",
            "kind",
            "value",
            name=op.f("uq_conveyance_identifiers_conveyance_id_kind_value"),
        ),
    )
    op.create_index(
        op.f("ix_conveyance_identifiers_conveyance_id"),
        "conveyance_identifiers",
        ["conveyance_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_conveyance_identifiers_value"), "conveyance_identifiers", ["value"], unique=False
    )
    op.create_table(
        "hs_subheadings",
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("chapter", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chapter"], ["hs_chapters.code"], name=op.f("fk_hs_subheadings_chapter_hs_chapters")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_hs_subheadings")),
    )
    op.create_index(op.f("ix_hs_subheadings_chapter"), "hs_subheadings", ["chapter"], unique=False)
    op.create_table(
        "identity_documents",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column(
            "doc_type",
            sa.Enum(
                "passport",
                "national_id",
                "residence_permit",
                "driving_licence",
                "seaman_book",
                "tax_id",
                "other",
                name="documenttype",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("number_norm", sa.String(length=40), nullable=False),
        sa.Column("issuing_country", sa.String(length=32), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["issuing_country"],
            ["countries.code"],
            name=op.f("fk_identity_documents_issuing_country_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_identity_documents_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_documents")),
    )
    op.create_index(
        op.f("ix_identity_documents_number_norm"),
        "identity_documents",
        ["number_norm"],
        unique=False,
    )
    op.create_index(
        op.f("ix_identity_documents_person_id"), "identity_documents", ["person_id"], unique=False
    )
    op.create_table(
        "person_addresses",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("line", sa.String(length=300), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("postcode", sa.String(length=20), nullable=True),
        sa.Column("country", sa.String(length=32), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["country"], ["countries.code"], name=op.f("fk_person_addresses_country_countries")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_person_addresses_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_addresses")),
    )
    op.create_index(
        op.f("ix_person_addresses_person_id"), "person_addresses", ["person_id"], unique=False
    )
    op.create_table(
        "person_companies",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_person_companies_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_person_companies_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role"],
            ["person_company_roles.code"],
            name=op.f("fk_person_companies_role_person_company_roles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_companies")),
        sa.UniqueConstraint(
            "person_id",
            "company_id",
            "role",
            name=op.f("uq_person_companies_person_id_company_id_role"),
        ),
    )
    op.create_index(
        op.f("ix_person_companies_company_id"), "person_companies", ["company_id"], unique=False
    )
    op.create_index(
        op.f("ix_person_companies_person_id"), "person_companies", ["person_id"], unique=False
    )
    op.create_table(
        "person_contacts",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "phone",
                "email",
                name="contactkind",
                native_enum=False,
                create_constraint=True,
                length=8,
            ),
            nullable=False,
        ),
        sa.Column("value", sa.String(length=254), nullable=False),
        sa.Column("value_norm", sa.String(length=254), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_person_contacts_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_contacts")),
    )
    op.create_index(
        op.f("ix_person_contacts_person_id"), "person_contacts", ["person_id"], unique=False
    )
    op.create_index(
        op.f("ix_person_contacts_value_norm"), "person_contacts", ["value_norm"], unique=False
    )
    op.create_table(
        "person_names",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "primary",
                "alias",
                "former",
                "transliteration",
                name="namekind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("full_name", sa.String(length=300), nullable=False),
        sa.Column("given_names", sa.String(length=200), nullable=True),
        sa.Column("family_name", sa.String(length=200), nullable=True),
        sa.Column("patronymic", sa.String(length=200), nullable=True),
        sa.Column("script", sa.String(length=4), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_person_names_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_names")),
    )
    op.create_index(op.f("ix_person_names_person_id"), "person_names", ["person_id"], unique=False)
    op.create_table(
        "person_nationalities",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("country", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["country"], ["countries.code"], name=op.f("fk_person_nationalities_country_countries")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_person_nationalities_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "country", name=op.f("pk_person_nationalities")),
    )
    op.create_table(
        "seizures",
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("office_code", sa.String(length=32), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("locode", sa.String(length=5), nullable=True),
        sa.Column("location_type", sa.String(length=32), nullable=True),
        sa.Column(
            "direction",
            sa.Enum(
                "import",
                "export",
                "transit",
                "domestic",
                name="direction",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("transport_mode", sa.String(length=32), nullable=True),
        sa.Column("detection_method", sa.String(length=32), nullable=True),
        sa.Column("detection_technique", sa.String(length=32), nullable=True),
        sa.Column("concealment_description", sa.Text(), nullable=True),
        sa.Column("departure_country", sa.String(length=32), nullable=True),
        sa.Column("destination_country", sa.String(length=32), nullable=True),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "validated",
                name="seizurestatus",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "source_reliability",
            sa.Enum(
                "A",
                "B",
                "C",
                "X",
                name="sourcereliability",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("information_grade", sa.SmallInteger(), nullable=False),
        sa.Column("validated_by_id", sa.Uuid(), nullable=True),
        sa.Column("validated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "handling_code",
            sa.Enum(
                "H0",
                "H1",
                "H2",
                "H3",
                name="handlingcode",
                native_enum=False,
                create_constraint=True,
            ),
            server_default="H0",
            nullable=False,
        ),
        sa.Column("handling_restrictions", sa.Text(), nullable=True),
        sa.Column("origin_node", sa.String(length=64), nullable=True),
        sa.Column("origin_id", sa.String(length=128), nullable=True),
        sa.Column("received_bundle_id", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "information_grade BETWEEN 1 AND 4", name=op.f("ck_seizures_information_grade_range")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_seizures_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["departure_country"],
            ["countries.code"],
            name=op.f("fk_seizures_departure_country_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["destination_country"],
            ["countries.code"],
            name=op.f("fk_seizures_destination_country_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["detection_method"],
            ["detection_methods.code"],
            name=op.f("fk_seizures_detection_method_detection_methods"),
        ),
        sa.ForeignKeyConstraint(
            ["detection_technique"],
            ["detection_techniques.code"],
            name=op.f("fk_seizures_detection_technique_detection_techniques"),
        ),
        sa.ForeignKeyConstraint(
            ["location_type"],
            ["location_types.code"],
            name=op.f("fk_seizures_location_type_location_types"),
        ),
        sa.ForeignKeyConstraint(
            ["office_code"],
            ["customs_offices.code"],
            name=op.f("fk_seizures_office_code_customs_offices"),
        ),
        sa.ForeignKeyConstraint(
            ["transport_mode"],
            ["transport_modes.code"],
            name=op.f("fk_seizures_transport_mode_transport_modes"),
        ),
        sa.ForeignKeyConstraint(
            ["validated_by_id"], ["users.id"], name=op.f("fk_seizures_validated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizures")),
        sa.UniqueConstraint("reference", name=op.f("uq_seizures_reference")),
    )
    op.create_index(op.f("ix_seizures_occurred_at"), "seizures", ["occurred_at"], unique=False)
    op.create_index(op.f("ix_seizures_origin_node"), "seizures", ["origin_node"], unique=False)
    op.create_index(op.f("ix_seizures_status"), "seizures", ["status"], unique=False)
    op.create_table(
        "picture_links",
        sa.Column("picture_id", sa.Uuid(), nullable=False),
        sa.Column("seizure_id", sa.Uuid(), nullable=True),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("company_id", sa.Uuid(), nullable=True),
        sa.Column("conveyance_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "num_nonnulls(seizure_id, person_id, company_id, conveyance_id) = 1",
            name=op.f("ck_picture_links_exactly_one_record"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_picture_links_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["conveyance_id"],
            ["conveyances.id"],
            name=op.f("fk_picture_links_conveyance_id_conveyances"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_picture_links_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["picture_id"],
            ["pictures.id"],
            name=op.f("fk_picture_links_picture_id_pictures"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seizure_id"],
            ["seizures.id"],
            name=op.f("fk_picture_links_seizure_id_seizures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_picture_links")),
    )
    op.create_index(
        op.f("ix_picture_links_company_id"), "picture_links", ["company_id"], unique=False
    )
    op.create_index(
        op.f("ix_picture_links_conveyance_id"), "picture_links", ["conveyance_id"], unique=False
    )
    op.create_index(
        op.f("ix_picture_links_person_id"), "picture_links", ["person_id"], unique=False
    )
    op.create_index(
        op.f("ix_picture_links_picture_id"), "picture_links", ["picture_id"], unique=False
    )
    op.create_index(
        op.f("ix_picture_links_seizure_id"), "picture_links", ["seizure_id"], unique=False
    )
    op.create_table(
        "seizure_companies",
        sa.Column("seizure_id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_seizure_companies_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role"], ["company_roles.code"], name=op.f("fk_seizure_companies_role_company_roles")
        ),
        sa.ForeignKeyConstraint(
            ["seizure_id"],
            ["seizures.id"],
            name=op.f("fk_seizure_companies_seizure_id_seizures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_companies")),
        sa.UniqueConstraint(
            "seizure_id",
            "company_id",
            "role",
            name=op.f("uq_seizure_companies_seizure_id_company_id_role"),
        ),
    )
    op.create_index(
        op.f("ix_seizure_companies_company_id"), "seizure_companies", ["company_id"], unique=False
    )
    op.create_index(
        op.f("ix_seizure_companies_seizure_id"), "seizure_companies", ["seizure_id"], unique=False
    )
    op.create_table(
        "seizure_concealments",
        sa.Column("seizure_id", sa.Uuid(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["method"],
            ["concealment_methods.code"],
            name=op.f("fk_seizure_concealments_method_concealment_methods"),
        ),
        sa.ForeignKeyConstraint(
            ["seizure_id"],
            ["seizures.id"],
            name=op.f("fk_seizure_concealments_seizure_id_seizures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seizure_id", "method", name=op.f("pk_seizure_concealments")),
    )
    op.create_table(
        "seizure_conveyances",
        sa.Column("seizure_id", sa.Uuid(), nullable=False),
        sa.Column("conveyance_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conveyance_id"],
            ["conveyances.id"],
            name=op.f("fk_seizure_conveyances_conveyance_id_conveyances"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role"],
            ["conveyance_roles.code"],
            name=op.f("fk_seizure_conveyances_role_conveyance_roles"),
        ),
        sa.ForeignKeyConstraint(
            ["seizure_id"],
            ["seizures.id"],
            name=op.f("fk_seizure_conveyances_seizure_id_seizures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_conveyances")),
        sa.UniqueConstraint(
            "seizure_id",
            "conveyance_id",
            "role",
            name=op.f("uq_seizure_conveyances_seizure_id_conveyance_id_role"),
        ),
    )
    op.create_index(
        op.f("ix_seizure_conveyances_conveyance_id"),
        "seizure_conveyances",
        ["conveyance_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_seizure_conveyances_seizure_id"),
        "seizure_conveyances",
        ["seizure_id"],
        unique=False,
    )
    op.create_table(
        "seizure_items",
        sa.Column("seizure_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("commodity_group", sa.String(length=32), nullable=False),
        sa.Column("hs_code", sa.String(length=6), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("brand", sa.String(length=200), nullable=True),
        sa.Column("quantity", sa.Numeric(precision=18, scale=3), nullable=True),
        sa.Column("unit", sa.String(length=32), nullable=True),
        sa.Column("estimated_value", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=32), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "hs_code ~ '^[0-9]{6}$'", name=op.f("ck_seizure_items_hs_code_six_digits")
        ),
        sa.CheckConstraint(
            "estimated_value >= 0", name=op.f("ck_seizure_items_value_not_negative")
        ),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_seizure_items_quantity_not_negative")),
        sa.ForeignKeyConstraint(
            ["commodity_group"],
            ["commodity_groups.code"],
            name=op.f("fk_seizure_items_commodity_group_commodity_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["currency"], ["currencies.code"], name=op.f("fk_seizure_items_currency_currencies")
        ),
        sa.ForeignKeyConstraint(
            ["seizure_id"],
            ["seizures.id"],
            name=op.f("fk_seizure_items_seizure_id_seizures"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit"], ["quantity_units.code"], name=op.f("fk_seizure_items_unit_quantity_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_items")),
        sa.UniqueConstraint(
            "seizure_id", "position", name=op.f("uq_seizure_items_seizure_id_position")
        ),
    )
    op.create_index(
        op.f("ix_seizure_items_commodity_group"), "seizure_items", ["commodity_group"], unique=False
    )
    op.create_index(op.f("ix_seizure_items_hs_code"), "seizure_items", ["hs_code"], unique=False)
    op.create_index(
        op.f("ix_seizure_items_seizure_id"), "seizure_items", ["seizure_id"], unique=False
    )
    op.create_table(
        "seizure_persons",
        sa.Column("seizure_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_seizure_persons_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role"], ["person_roles.code"], name=op.f("fk_seizure_persons_role_person_roles")
        ),
        sa.ForeignKeyConstraint(
            ["seizure_id"],
            ["seizures.id"],
            name=op.f("fk_seizure_persons_seizure_id_seizures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_persons")),
        sa.UniqueConstraint(
            "seizure_id",
            "person_id",
            "role",
            name=op.f("uq_seizure_persons_seizure_id_person_id_role"),
        ),
    )
    op.create_index(
        op.f("ix_seizure_persons_person_id"), "seizure_persons", ["person_id"], unique=False
    )
    op.create_index(
        op.f("ix_seizure_persons_seizure_id"), "seizure_persons", ["seizure_id"], unique=False
    )
    op.create_table(
        "seizure_transit_countries",
        sa.Column("seizure_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["country"],
            ["countries.code"],
            name=op.f("fk_seizure_transit_countries_country_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["seizure_id"],
            ["seizures.id"],
            name=op.f("fk_seizure_transit_countries_seizure_id_seizures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "seizure_id", "position", name=op.f("pk_seizure_transit_countries")
        ),
    )
    op.create_index(
        op.f("ix_seizure_transit_countries_country"),
        "seizure_transit_countries",
        ["country"],
        unique=False,
    )
    op.execute(AUDIT_GUARD)


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_events_no_truncate ON audit_events")
    op.execute("DROP TRIGGER audit_events_no_update ON audit_events")
    op.execute("DROP FUNCTION audit_events_append_only()")
    op.drop_index(
        op.f("ix_seizure_transit_countries_country"), table_name="seizure_transit_countries"
    )
    op.drop_table("seizure_transit_countries")
    op.drop_index(op.f("ix_seizure_persons_seizure_id"), table_name="seizure_persons")
    op.drop_index(op.f("ix_seizure_persons_person_id"), table_name="seizure_persons")
    op.drop_table("seizure_persons")
    op.drop_index(op.f("ix_seizure_items_seizure_id"), table_name="seizure_items")
    op.drop_index(op.f("ix_seizure_items_hs_code"), table_name="seizure_items")
    op.drop_index(op.f("ix_seizure_items_commodity_group"), table_name="seizure_items")
    op.drop_table("seizure_items")
    op.drop_index(op.f("ix_seizure_conveyances_seizure_id"), table_name="seizure_conveyances")
    op.drop_index(op.f("ix_seizure_conveyances_conveyance_id"), table_name="seizure_conveyances")
    op.drop_table("seizure_conveyances")
    op.drop_table("seizure_concealments")
    op.drop_index(op.f("ix_seizure_companies_seizure_id"), table_name="seizure_companies")
    op.drop_index(op.f("ix_seizure_companies_company_id"), table_name="seizure_companies")
    op.drop_table("seizure_companies")
    op.drop_index(op.f("ix_picture_links_seizure_id"), table_name="picture_links")
    op.drop_index(op.f("ix_picture_links_picture_id"), table_name="picture_links")
    op.drop_index(op.f("ix_picture_links_person_id"), table_name="picture_links")
    op.drop_index(op.f("ix_picture_links_conveyance_id"), table_name="picture_links")
    op.drop_index(op.f("ix_picture_links_company_id"), table_name="picture_links")
    op.drop_table("picture_links")
    op.drop_index(op.f("ix_seizures_status"), table_name="seizures")
    op.drop_index(op.f("ix_seizures_origin_node"), table_name="seizures")
    op.drop_index(op.f("ix_seizures_occurred_at"), table_name="seizures")
    op.drop_table("seizures")
    op.drop_table("person_nationalities")
    op.drop_index(op.f("ix_person_names_person_id"), table_name="person_names")
    op.drop_table("person_names")
    op.drop_index(op.f("ix_person_contacts_value_norm"), table_name="person_contacts")
    op.drop_index(op.f("ix_person_contacts_person_id"), table_name="person_contacts")
    op.drop_table("person_contacts")
    op.drop_index(op.f("ix_person_companies_person_id"), table_name="person_companies")
    op.drop_index(op.f("ix_person_companies_company_id"), table_name="person_companies")
    op.drop_table("person_companies")
    op.drop_index(op.f("ix_person_addresses_person_id"), table_name="person_addresses")
    op.drop_table("person_addresses")
    op.drop_index(op.f("ix_identity_documents_person_id"), table_name="identity_documents")
    op.drop_index(op.f("ix_identity_documents_number_norm"), table_name="identity_documents")
    op.drop_table("identity_documents")
    op.drop_index(op.f("ix_hs_subheadings_chapter"), table_name="hs_subheadings")
    op.drop_table("hs_subheadings")
    op.drop_index(op.f("ix_conveyance_identifiers_value"), table_name="conveyance_identifiers")
    op.drop_index(
        op.f("ix_conveyance_identifiers_conveyance_id"), table_name="conveyance_identifiers"
    )
    op.drop_table("conveyance_identifiers")
    op.drop_index(op.f("ix_company_names_company_id"), table_name="company_names")
    op.drop_table("company_names")
    op.drop_table("user_roles")
    op.drop_index(op.f("ix_un_locodes_country"), table_name="un_locodes")
    op.drop_table("un_locodes")
    op.drop_index(op.f("ix_pictures_phash"), table_name="pictures")
    op.drop_table("pictures")
    op.drop_index(op.f("ix_persons_origin_node"), table_name="persons")
    op.drop_index(op.f("ix_persons_birth_year"), table_name="persons")
    op.drop_table("persons")
    op.drop_table("hs_chapters")
    op.drop_table("customs_offices")
    op.drop_index(op.f("ix_conveyances_origin_node"), table_name="conveyances")
    op.drop_index(op.f("ix_conveyances_kind"), table_name="conveyances")
    op.drop_table("conveyances")
    op.drop_index(op.f("ix_companies_tax_number_norm"), table_name="companies")
    op.drop_index(op.f("ix_companies_registration_number_norm"), table_name="companies")
    op.drop_index(op.f("ix_companies_origin_node"), table_name="companies")
    op.drop_index(op.f("ix_companies_country"), table_name="companies")
    op.drop_table("companies")
    op.drop_table("commodity_groups")
    op.drop_table("users")
    op.drop_table("transport_modes")
    op.drop_index(op.f("ix_record_versions_record_id"), table_name="record_versions")
    op.drop_table("record_versions")
    op.drop_table("quantity_units")
    op.drop_table("person_roles")
    op.drop_table("person_company_roles")
    op.drop_table("location_types")
    op.drop_table("hs_sections")
    op.drop_table("enforcement_areas")
    op.drop_table("detection_techniques")
    op.drop_table("detection_methods")
    op.drop_table("currencies")
    op.drop_table("countries")
    op.drop_table("conveyance_roles")
    op.drop_table("concealment_methods")
    op.drop_table("company_roles")
    op.drop_index(op.f("ix_audit_events_record_id"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_occurred_at"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_actor_id"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_action"), table_name="audit_events")
    op.drop_table("audit_events")
    op.execute("DROP SEQUENCE seizure_reference_seq")
    for extension in reversed(EXTENSIONS):
        op.execute(f"DROP EXTENSION IF EXISTS {extension}")
