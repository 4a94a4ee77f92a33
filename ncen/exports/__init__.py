"""Exports: records out of the node, as CSV, XLSX, FollowTheMoney entities and the node's own
format (docs/exports.md).

- `tables` turns records into a `Table` (columns named after the records' fields);
- `service` picks the records of a list (its filters), of a search (ids in ranking order) or
  of a saved link chart, checks the policy, caps the size and audits the export;
  `streaming` does the same for an uncapped list, batch by batch (the console);
- `cells` and `cells_format` make the cells (code and label, locale numbers, neutralised text),
  `handling` the banner of H2/H3 records; `csvfile`, `xlsxfile` and `ftm` write the files;
- `nodeformat` writes everything in the node's own format and `restore` reads it back into an
  empty node; `cli` holds ``ncen export`` and ``ncen import ncen``.

An investigation (issue 10) becomes one more source in `service`: a function that gathers its
records and calls ``_audited``, as `service.export_chart` does.
"""
