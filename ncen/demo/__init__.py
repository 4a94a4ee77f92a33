"""Synthetic demonstration data: realistic multi-script persons, companies, conveyances and
seizures, loaded in bulk with PostgreSQL COPY. Nothing here describes real people."""
