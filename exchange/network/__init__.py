"""Moving bundles between nodes, online and offline.

The node's exchange context (`node`), the signed messages nodes exchange (`protocol`), the
durable outbox (`outbox`) and its delivery worker (`delivery`, `worker`) over HTTPS
(`transport`), pull requests (`pulling`), the inbox that accepts bundles (`inbox`), the ledger
of what was sent and received (`ledger`, `store`), and the offline file path (`sending`,
`receiving`).
"""
