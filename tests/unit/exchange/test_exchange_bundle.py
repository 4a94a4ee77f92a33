"""Bundles end to end: round trips, and every error produced by a realistic attack."""

from __future__ import annotations

import hashlib
import io
import struct
from datetime import timedelta

import pytest
from exchange_testkit import CREATED, KEY_END, NOW, SCHEMA, Layout, Network, records

from exchange.crypto.bundle import RecordSet, inspect_bundle
from exchange.crypto.canonical import DOMAIN_BUNDLE_HEADER, canonical_json
from exchange.crypto.container import WrappedKey, build_signed_region
from exchange.crypto.header import BundleHeader, RecipientEntry
from exchange.crypto.interfaces import PeerTrust
from exchange.crypto.keys import generate_identity
from exchange.crypto.keysets import (
    make_revocation,
    rotate_identity,
    verify_keyset,
    verify_revocation,
)
from exchange.crypto.sealing import (
    encrypt_stream,
    nonce_prefix,
    unwrap_content_key,
    wrap_content_key,
)
from exchange.crypto.signing import sign
from exchange.errors import (
    DecryptionError,
    DigestMismatchError,
    ExpiredError,
    FormatError,
    KeyExpiredError,
    NotARecipientError,
    ReplayError,
    RevokedKeyError,
    SchemaError,
    SequenceError,
    SignatureError,
    SizeLimitError,
    TruncatedError,
    UnknownSenderError,
)


class _Pipe(io.RawIOBase):
    """A non-seekable stream, like a socket or a pipe, that returns short reads."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self._data.read(min(len(buffer), 1000))
        buffer[: len(chunk)] = chunk
        return len(chunk)


# --- round trips -----------------------------------------------------------------------------


def test_round_trip_with_attachments(net: Network) -> None:
    pictures = [b"", b"\xff\xd8jpeg" * 30_000, bytes(range(256)) * 256]
    data = net.seal("fr", to=["de"], attachments=pictures)
    opened = net.open("de", data)
    assert opened.record_sets[0].data == records()
    assert opened.record_sets[0].records["records"][0]["reference"] == "FR-2025-00000"
    assert opened.record_sets[0].originator.originator_node_id == "fr"
    assert opened.record_sets[0].originator_verified
    assert [a.read_bytes() for a in opened.attachments] == pictures
    assert all(a.path.stat().st_mode & 0o777 == 0o600 for a in opened.attachments)
    assert opened.recipient.node_id == "de"
    assert opened.recipient.sequence == 1
    assert opened.header.handling_codes == ("H1",)


def test_round_trip_to_several_recipients_including_hybrid_kem(net: Network) -> None:
    data = net.seal("fr", to=["de", "it"], attachments=[b"x" * 70_000])
    for name in ("de", "it"):
        opened = net.open(name, data)
        assert opened.attachments[0].read_bytes() == b"x" * 70_000
        assert opened.recipient.node_id == name
    assert len(net["it"].identity.current_encryption_key.public.raw) == 1216


def test_open_from_a_non_seekable_stream_with_short_reads(net: Network) -> None:
    data = net.seal("fr", to=["de"], attachments=[b"y" * 200_000])
    opened = net.open("de", io.BufferedReader(_Pipe(data)))
    assert opened.attachments[0].size == 200_000


def test_inspect_reads_the_header_without_keys(net: Network) -> None:
    data = net.seal("fr", to=["de", "it"])
    inspected = inspect_bundle(io.BytesIO(data))
    assert not inspected.verified
    assert [r.node_id for r in inspected.header.recipients] == ["de", "it"]
    assert inspected.total_length == len(data)
    verified = inspect_bundle(io.BytesIO(data), trust=net["de"].trust)
    assert verified.verified
    with pytest.raises(UnknownSenderError):
        inspect_bundle(io.BytesIO(data), trust=net["fr"].trust)  # fr does not pin itself


def test_sealing_refuses_non_canonical_records(net: Network) -> None:
    with pytest.raises(FormatError):
        net.seal("fr", to=["de"], record_sets=[RecordSet("seizures", b'{"b":1, "a":2}')])


def test_sealing_refuses_an_expired_own_key(net: Network) -> None:
    with pytest.raises(KeyExpiredError):
        net.seal("fr", to=["de"], created=KEY_END + timedelta(days=1))


# --- attacks, one per error -----------------------------------------------------------------


def test_replayed_bundle_is_refused(net: Network) -> None:
    data = net.seal("fr", to=["de"])
    net.open("de", data)
    with pytest.raises(ReplayError) as caught:
        net.open("de", data)
    assert caught.value.generic_reason == "rejected"


def test_older_sequence_number_is_refused(net: Network) -> None:
    first = net.seal("fr", to=["de"], sequence=7)
    stale = net.seal("fr", to=["de"], sequence=7)  # a new bundle id, but no progress
    net.open("de", first)
    with pytest.raises(SequenceError):
        net.open("de", stale)


def test_bundle_for_another_node_is_refused(net: Network) -> None:
    data = net.seal("fr", to=["it"])
    with pytest.raises(NotARecipientError):
        net.open("de", data)


def test_recipient_re_encrypting_to_a_third_node_fails_the_signature(net: Network) -> None:
    """de receives a bundle from fr and tries to pass it off to it as if fr had sent it."""
    data = net.seal("fr", to=["de"])
    layout = Layout.parse(data)
    header = BundleHeader.from_bytes(layout.header)
    header_hash = hashlib.sha256(layout.header).digest()
    wrapped = next(r for r in layout.regions if r.name == "wrapped_key")
    de_key = net["de"].identity.current_encryption_key
    content_key = unwrap_content_key(data[wrapped.start : wrapped.end], de_key, header_hash)
    it_key = net["it"].identity.current_encryption_key.public
    forged = BundleHeader(
        **{
            **header.__dict__,
            "recipients": (RecipientEntry("it", it_key.key_id, it_key.algorithm, 1),),
        }
    )
    forged_bytes = forged.to_bytes()
    forged_hash = hashlib.sha256(forged_bytes).digest()
    new_wrapped = [WrappedKey(it_key.key_id, wrap_content_key(content_key, it_key, forged_hash))]
    region = build_signed_region("fr", header.sender_key_id, forged_bytes, new_wrapped)
    signature = data[layout.signed_region_end() : layout.signed_region_end() + 64]
    with pytest.raises(SignatureError):
        net.open("it", region + signature + data[layout.sections[0][0] :])
    # Leaving the header alone and only adding a key-block entry fails the same way.
    extra = WrappedKey(it_key.key_id, wrap_content_key(content_key, it_key, header_hash))
    original = WrappedKey(de_key.public.key_id, data[wrapped.start : wrapped.end])
    region = build_signed_region("fr", header.sender_key_id, layout.header, [original, extra])
    with pytest.raises(SignatureError):
        net.open("it", region + signature + data[layout.sections[0][0] :])


def test_expired_bundle_is_refused(net: Network) -> None:
    data = net.seal("fr", to=["de"], expires=CREATED + timedelta(days=1))
    with pytest.raises(ExpiredError):
        net.open("de", data, now=CREATED + timedelta(days=2))


def test_bundle_from_the_future_and_overlong_lifetime_are_refused(net: Network) -> None:
    future = net.seal("fr", to=["de"], created=NOW + timedelta(days=1))
    with pytest.raises(ExpiredError):
        net.open("de", future)
    forever = net.seal("fr", to=["de"], expires=CREATED + timedelta(days=3650))
    with pytest.raises(ExpiredError):
        net.open("de", forever)


def test_revoked_sender_key_is_refused(net: Network) -> None:
    data = net.seal("fr", to=["de"])
    fr_signing = net["fr"].identity.signing
    revocation = make_revocation(
        fr_signing,
        node_id="fr",
        key_id=fr_signing.public.key_id,
        revoked_at=NOW,
        reason="compromised",
    )
    revoked = verify_revocation(revocation, fr_signing.public)
    net["de"].trust.revoke("fr", revoked.key_id)
    with pytest.raises(RevokedKeyError):
        net.open("de", data)


def test_key_used_outside_its_pinned_window_is_refused(net: Network) -> None:
    data = net.seal("fr", to=["de"])
    peer = net["de"].trust.peers["fr"]
    pinned = peer.signing_keys[0]
    shortened = type(pinned)(pinned.key, pinned.not_before, CREATED - timedelta(days=1))
    net["de"].trust.peers["fr"] = PeerTrust("fr", True, (shortened,))
    with pytest.raises(KeyExpiredError):
        net.open("de", data)


def test_rotated_keys_still_open_old_bundles(net: Network) -> None:
    """fr and de both rotate while a bundle is in transit; it still opens, new ones too."""
    in_transit = net.seal("fr", to=["de"])
    rotation_time = CREATED + timedelta(minutes=5)
    old_fr_key = net["fr"].identity.signing.public
    new_fr, statement = rotate_identity(
        net["fr"].identity, now=rotation_time, not_after=KEY_END, serial=2
    )
    keyset = verify_keyset(statement, old_fr_key)  # de accepts: signed by the pinned key
    assert keyset.supersedes == old_fr_key.key_id
    net["fr"].identity = new_fr
    net["de"].trust.pin("fr", new_fr.signing)
    new_de, _ = rotate_identity(net["de"].identity, now=rotation_time, not_after=KEY_END, serial=2)
    net["de"].identity = new_de
    assert net.open("de", in_transit).record_sets[0].data == records()
    fresh = net.seal("fr", to=["de"], created=rotation_time + timedelta(minutes=1))
    opened = net.open("de", fresh, now=rotation_time + timedelta(minutes=2))
    assert opened.header.sender_key_id == new_fr.signing.public.key_id


def test_unknown_sender_is_refused(net: Network, tmp_path: object) -> None:
    stranger = generate_identity("xx", not_before=CREATED, not_after=KEY_END)
    net["de"].trust.peers.pop("it")
    data = net.seal("it", to=["de"])
    with pytest.raises(UnknownSenderError):
        net.open("de", data)
    impostor = net.seal("fr", to=["de"], identity=stranger)  # claims node "xx"
    with pytest.raises(UnknownSenderError):
        net.open("de", impostor)


def test_impersonation_with_own_key_is_refused(net: Network) -> None:
    """it signs a bundle with its own (pinned) key but names fr as the sender."""
    data = net.seal("fr", to=["de"])
    layout = Layout.parse(data)
    it_signing = net["it"].identity.signing
    header = BundleHeader.from_bytes(layout.header)
    forged = BundleHeader(**{**header.__dict__, "sender_key_id": it_signing.public.key_id})
    wrapped = [
        WrappedKey(header.recipients[0].key_id, data[r.start : r.end])
        for r in layout.regions
        if r.name == "wrapped_key"
    ]
    region = build_signed_region("fr", it_signing.public.key_id, forged.to_bytes(), wrapped)
    signature = sign(it_signing, DOMAIN_BUNDLE_HEADER, region)
    with pytest.raises(UnknownSenderError):
        net.open("de", region + signature + data[layout.sections[0][0] :])


def test_schema_violation_in_a_validly_signed_bundle_leaves_nothing_behind(net: Network) -> None:
    bad = RecordSet("seizures", canonical_json({"records": [{"no_reference": 1}]}))
    data = net.seal("fr", to=["de"], record_sets=[bad], attachments=[b"p" * 100_000])
    with pytest.raises(SchemaError):
        net.open("de", data)
    assert net.inbox_files("de") == []
    assert not net["de"].inbox.bundle_ids


def test_co_recipient_substituting_content_fails_the_digest(net: Network) -> None:
    """de and it both hold the content key; de re-encrypts other records for it."""
    data = net.seal("fr", to=["de", "it"])
    layout = Layout.parse(data)
    header_hash = hashlib.sha256(layout.header).digest()
    wrapped = next(r for r in layout.regions if r.name == "wrapped_key")
    key = unwrap_content_key(
        data[wrapped.start : wrapped.end], net["de"].identity.current_encryption_key, header_hash
    )
    substitute = canonical_json({"records": [{"reference": "FR-2025-99999", "q": 12345678}]})
    substitute = substitute[: len(records())].ljust(len(records()), b" ")
    sink = io.BytesIO()
    encrypt_stream(
        io.BytesIO(substitute),
        sink,
        key=key,
        prefix=nonce_prefix(0),
        aad=header_hash,
        size=len(substitute),
    )
    start, length = layout.sections[0]
    tampered = data[:start] + sink.getvalue() + data[start + length :]
    with pytest.raises(DigestMismatchError):
        net.open("it", tampered)
    assert net.open("it", data).record_sets[0].data == records()


def test_interrupted_transfer_is_truncated(net: Network) -> None:
    data = net.seal("fr", to=["de"], attachments=[b"z" * 150_000])
    with pytest.raises(TruncatedError):
        net.open("de", data[:-20_000])
    with pytest.raises(TruncatedError):
        net.open("de", io.BufferedReader(_Pipe(data[:-20_000])))
    assert net.inbox_files("de") == []


def test_flipped_ciphertext_bit_fails_decryption(net: Network) -> None:
    data = bytearray(net.seal("fr", to=["de"], attachments=[b"q" * 1000]))
    data[-10] ^= 0x01
    with pytest.raises(DecryptionError):
        net.open("de", bytes(data))


def test_size_limits_apply_before_anything_else(net: Network) -> None:
    from exchange.crypto.container import Limits

    data = net.seal("fr", to=["de"], attachments=[b"a" * 5000])
    with pytest.raises(SizeLimitError) as caught:
        net.open("de", data, limits=Limits(max_bundle_bytes=1000))
    assert caught.value.generic_reason == "too large"
    with pytest.raises(SizeLimitError):
        net.open("de", data, limits=Limits(max_header_bytes=100))
    with pytest.raises(SizeLimitError):
        net.open("de", data, limits=Limits(max_attachment_bytes=4999))
    oversized = bytearray(data)
    layout = Layout.parse(data)
    start = next(r.start for r in layout.regions if r.name == "header_len")
    oversized[start : start + 4] = struct.pack(">I", 2**31)
    with pytest.raises(SizeLimitError):
        net.open("de", bytes(oversized))


def test_not_a_bundle_and_trailing_data_are_format_errors(net: Network) -> None:
    with pytest.raises(FormatError) as caught:
        net.open("de", b"PK\x03\x04" + bytes(200))
    assert caught.value.generic_reason == "malformed"
    data = net.seal("fr", to=["de"])
    with pytest.raises(FormatError):
        net.open("de", data + b"\x00")


def test_forwarded_record_set_keeps_its_originator_signature(net: Network) -> None:
    """fr -> de, then de forwards the same records to it; it can still check fr made them."""
    original = net.open("de", net.seal("fr", to=["de"]))
    received = original.record_sets[0]
    forwarded = RecordSet(received.name, received.data, received.originator_statement)
    opened = net.open("it", net.seal("de", to=["it"], record_sets=[forwarded]))
    assert opened.header.sender_node_id == "de"
    assert opened.record_sets[0].originator.originator_node_id == "fr"
    assert opened.record_sets[0].originator_verified
    # A node that does not know fr still gets the statement, marked unverified.
    net["it"].trust.peers.pop("fr")
    again = net.open("it", net.seal("de", to=["it"], record_sets=[forwarded]))
    assert not again.record_sets[0].originator_verified


def test_forged_originator_statement_is_refused(net: Network) -> None:
    """de claims fr originated records that de made up: fr's key does not verify it."""
    made_up = canonical_json({"records": [{"reference": "FR-FAKE"}]})
    received = net.open("de", net.seal("fr", to=["de"])).record_sets[0]
    statement = received.originator_statement
    body = {
        **statement.statement,
        "sha256": hashlib.sha256(made_up).hexdigest(),
        "size": len(made_up),
    }
    forged = type(statement)(body, statement.signer_key_id, statement.signature)
    with pytest.raises(SignatureError):
        net.open("it", net.seal("de", to=["it"], record_sets=[RecordSet("x", made_up, forged)]))
    with pytest.raises(DigestMismatchError):
        net.seal("de", to=["it"], record_sets=[RecordSet("x", made_up, statement)])


def test_schema_version_is_part_of_the_signed_header(net: Network) -> None:
    data = net.seal("fr", to=["de"])
    assert BundleHeader.from_bytes(Layout.parse(data).header).records_schema == SCHEMA
