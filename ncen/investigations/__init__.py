"""Investigations: case files that group records, with a team, a workflow, tasks and notes."""
