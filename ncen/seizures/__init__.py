"""Seizures (cases), their items, and their links to persons, companies and conveyances."""
