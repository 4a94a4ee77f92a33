"""The error hierarchy of the exchange package.

Every failure in `exchange` raises an `ExchangeError` subclass. Each class carries two views of
the same failure:

- ``str(error)`` is the *detail* for the local log and the operator (which key, which field,
  which byte offset). It may reveal how verification works and must not be sent to a peer.
- ``generic_reason`` is what a peer may be told. Verification failures all read ``"rejected"``
  so that a peer cannot use our answers as an oracle (convention 8: tell peers only *that*
  something failed); only failures that reveal nothing about our keys or state are more precise.

``code`` is a stable, machine-readable name of the failure (see the table of error reasons in
`docs/exchange-protocol.md`); ledgers store it, translations key on it. Callers chain causes with
``raise ... from``.
"""

from __future__ import annotations

from typing import ClassVar


class ExchangeError(Exception):
    """Base class for every error raised by the `exchange` package."""

    code: ClassVar[str] = "exchange-error"
    generic_reason: ClassVar[str] = "rejected"


class SizeLimitError(ExchangeError):
    """A bundle, header, section or count exceeds a configured limit (checked before parsing)."""

    code = "size-limit"
    generic_reason = "too large"


class FormatError(ExchangeError):
    """Bytes break the documented format (bad magic, version, framing, non-canonical JSON)."""

    code = "format"
    generic_reason = "malformed"


class TruncatedError(ExchangeError):
    """The input ended early: a short read, or a chunked stream without its final chunk."""

    code = "truncated"
    generic_reason = "malformed"


class SignatureError(ExchangeError):
    """A signature does not verify under the pinned key, or was made by a key that is not pinned."""

    code = "signature"


class UnknownSenderError(ExchangeError):
    """The sender node (or the signing key it names) is not a known, active, pinned peer."""

    code = "unknown-sender"


class RevokedKeyError(ExchangeError):
    """A key involved (the sender's signing key, an originator's key) has been revoked."""

    code = "revoked-key"


class KeyExpiredError(ExchangeError):
    """A key was used outside its validity window (not_before/not_after)."""

    code = "key-expired"


class NotARecipientError(ExchangeError):
    """The bundle does not name this node with one of its encryption keys as a recipient."""

    code = "not-a-recipient"


class ExpiredError(ExchangeError):
    """The bundle is past its ``expires`` time, or claims a creation time in the future."""

    code = "expired"


class ReplayError(ExchangeError):
    """A bundle with this id was already accepted."""

    code = "replay"


class SequenceError(ExchangeError):
    """The per sender-to-recipient sequence number does not increase."""

    code = "sequence"


class DecryptionError(ExchangeError):
    """Key unwrap or an AEAD chunk failed: tampering, reordering, duplication or a wrong key."""

    code = "decryption"


class DigestMismatchError(ExchangeError):
    """Decrypted content does not match the sha256 or size that the signed manifest declares."""

    code = "digest-mismatch"


class SchemaError(ExchangeError):
    """Records inside a validly signed and decrypted bundle do not follow the records schema."""

    code = "schema"


class KeyStoreError(ExchangeError):
    """A local key file cannot be used: loose permissions, wrong passphrase, corrupt content."""

    code = "key-store"


class InvalidPublicKeyError(ExchangeError):
    """A public key has the wrong length, does not decode, or is a small-order/all-zero point."""

    code = "invalid-public-key"


# Local failures of this node's own exchange operations (registry, sharing policy, import).
# They are not reasons of the protocol's error table and are therefore not in ALL_ERRORS.


class PeerError(ExchangeError):
    """A peer registry operation is refused: an unknown or duplicate peer, a key set or
    revocation that is not for this peer, not newer, or not signed by its pinned key."""

    code = "peer"


class PolicyError(ExchangeError):
    """The sharing policy refuses to send a record to a recipient (e.g. a received H2 record to
    a node that is not its originator)."""

    code = "policy"


class RecordImportError(ExchangeError):
    """Verified records cannot be imported: they break a rule of the domain layer, refer to an
    attachment the bundle does not carry, or come from an originator this node cannot verify."""

    code = "import"


ALL_ERRORS: tuple[type[ExchangeError], ...] = (
    SizeLimitError,
    FormatError,
    TruncatedError,
    SignatureError,
    UnknownSenderError,
    RevokedKeyError,
    KeyExpiredError,
    NotARecipientError,
    ExpiredError,
    ReplayError,
    SequenceError,
    DecryptionError,
    DigestMismatchError,
    SchemaError,
    KeyStoreError,
    InvalidPublicKeyError,
)
"""Every concrete error class, in the order of the spec's table (used by tests and docs)."""
