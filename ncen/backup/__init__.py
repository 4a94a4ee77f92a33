"""Backup and restore of a whole node: database, pictures and instance secrets in one archive.

`ncen.backup.backup.write_backup` writes an encrypted archive (`ncen.backup.container`) holding
a tar stream (`ncen.backup.archive`) of a ``pg_dump`` snapshot, the pictures that snapshot
refers to, and the instance files listed in `ncen.backup.contents`;
`ncen.backup.restore.restore_backup` verifies a whole archive before it writes anything, then
rebuilds the node and verifies its audit chain. The commands are in `ncen.backup.cli`.
"""
