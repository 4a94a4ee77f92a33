"""Exports: records out of the node, as CSV, XLSX, FollowTheMoney entities and the node's own
format (docs/exports.md).

- `tables` turns records into a `Table` (columns named after the records' fields);
- `selection` picks the records of a list (its filters), a person search or a link chart,
  checking the policy and auditing the export (`service`);
- `csvfile`, `xlsxfile` and `ftm` write a selection; `nodeformat` writes everything and
  `restore` reads it back into an empty node.

An investigation (issue 10) becomes one more `Source` in `selection` when it exists.
"""
