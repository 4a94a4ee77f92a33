"""User accounts, roles and the acting-user value that every service receives."""
