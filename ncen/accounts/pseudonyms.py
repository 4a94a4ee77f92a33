"""Keyed digests of user names that may be secrets (a password typed in the name field).

A failed sign-in under a name that matches no account is audited, but what was typed is often
a password typed in the wrong field, so the audit keeps `name_digest` of it, never the text: an
HMAC-SHA256 under a key held outside the database (the node's secret key), truncated to 128
bits. The same name always gives the same digest under one key, so repeated attempts with one
name can be told apart from a spray of names, and an auditor who is told a name can check it;
without the key, nobody can test guesses against the stored digests.
"""

from __future__ import annotations

import functools
import hmac
import secrets

# Domain separation: these digests can never collide with another use of the same key.
_CONTEXT = b"ncen sign-in name\x00"
DIGEST_CHARS = 32  # hex characters kept: 128 bits


@functools.cache
def _process_key() -> bytes:
    # Used only when the caller has no key: still a keyed hash, never the text, but it
    # cannot be compared across processes.
    return secrets.token_bytes(32)


def name_digest(name: str, key: bytes | None) -> str:
    """The hex HMAC-SHA256 of ``name`` under ``key`` (a random per-process key if None)."""
    mac = hmac.new(key or _process_key(), _CONTEXT + name.encode("utf-8", "replace"), "sha256")
    return mac.hexdigest()[:DIGEST_CHARS]
