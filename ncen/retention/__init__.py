"""Retention review (EU CIS style): review dates, the supervisor's queue, keep or delete.

`policy` holds the rules (one table of periods by record type and handling code); `dates` gives
records their review dates as they are written; `queries` lists what is due; `services` keeps
or deletes a due record, and `erasure` removes a deleted record's nominal content, leaving the
tombstone of `models`. Propagating a deletion to peers is the composition layer's job (``web``),
since ``ncen`` does not know the exchange.
"""
