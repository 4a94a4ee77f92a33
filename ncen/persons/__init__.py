"""Suspect persons: names in any script, identity documents, addresses and contacts."""
