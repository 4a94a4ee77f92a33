"""Duplicate persons and companies: candidates, the decision ledger, reversible merges."""
