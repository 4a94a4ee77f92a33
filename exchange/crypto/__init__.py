"""The bundle format and its cryptography, pure: no `ncen`, no `web`, no database.

Canonical JSON (`canonical`), node keys and identities (`keys`), published key sets
(`keysets`), the encrypted identity file and the node's key directory (`keystore`, `keydir`),
signed statements (`signing`), streaming encryption (`sealing`), the bundle header and
container layout (`header`, `container`), originator statements (`originator`), what opening
needs from the node (`interfaces`), and sealing/opening whole bundles (`bundle`, `opening`).
Modules here import only each other and `exchange.errors` (tests/unit/test_layering.py).
"""
