"""Secure exchange between ncen nodes: keys, signed and encrypted record bundles, peers.

The package reads in four layers, each a subpackage:

- `exchange.crypto`: the bundle format and its cryptography (canonical JSON, keys, key sets, key
  store, signing, sealing, header, container, originator statements, bundle sealing and
  opening). It imports nothing from `ncen`, `web` or the database, so that it can be reviewed,
  tested against fixed vectors and reimplemented by a foreign node from
  `docs/exchange-protocol.md` alone (tests/unit/test_layering.py holds it to that);
- `exchange.records`: what a bundle carries, mapped to and from ncen's records (the record-set
  schema, export of seizures, import of foreign records, links to foreign records);
- `exchange.network`: moving bundles between nodes (outbox, delivery, inbox, transport, pull,
  worker, ledger, offline sending and receiving, the node context, the message protocol);
- `exchange.services`: the exchange's business rules and features (sharing policy,
  distribution, peer trust, retractions, RFIs, hit checks, CEN export, desk, admission).

Shared by all of them and kept here: `errors` (the exchange's exceptions), `models` and
`netmodels` (its tables, on ncen's metadata), and the command line (`cli`, `netcli`).
The database-backed parts build on `exchange.crypto` and implement its `interfaces` protocols.
"""
