"""Secure exchange between ncen nodes: keys, signed and encrypted record bundles, peers.

This package's pure cryptographic core (`errors`, `canonical`, `keys`, `keysets`, `keystore`,
`signing`, `sealing`, `header`, `container`, `originator`, `interfaces`, `bundle`, `opening`)
imports nothing from `ncen`, `web` or the database, so that it can be reviewed, tested against
fixed vectors and reimplemented by a foreign node from `docs/exchange-protocol.md` alone. The
database-backed parts (peer registry, outbox/inbox, records import) build on it and implement its
`interfaces` protocols.
"""
