"""Reference data: the code lists every coded field points at, and parsers for official files.

`codes` holds the built-in lists (CEN enforcement areas and commodity groups, detection and
concealment methods, transport modes, roles, units, HS 2022 sections and chapters) as immutable
Python data that a migration seeds. `loaders` parses the large lists that administrations
download themselves (HS subheadings, UN/LOCODE) for ``ncen reference load``. `models` maps the
tables. `translations` and `hs_translations` hold the French and Russian labels a migration seeds
into ``reference_labels``; `labels` names codes in a reader's language (CLDR for countries,
currencies and languages) and sorts labels for that reader. Nothing in this package's data
modules touches a database.
"""
