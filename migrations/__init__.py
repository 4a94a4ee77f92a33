"""Alembic migrations: the only authority over the database schema (DESIGN.md convention 5)."""
