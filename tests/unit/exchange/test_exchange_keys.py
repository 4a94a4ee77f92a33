"""Key ids, fingerprints, public key validation and the key set statements."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import timedelta

import pytest
from exchange_testkit import KEY_END, T0

from exchange.crypto.keys import (
    EncryptionPublicKey,
    KemAlgorithm,
    SigningPublicKey,
    compute_key_id,
    format_fingerprint,
    generate_identity,
)
from exchange.crypto.keysets import (
    make_revocation,
    parse_keyset,
    publish_keyset,
    rotate_identity,
    verify_keyset,
    verify_revocation,
)
from exchange.crypto.signing import SignedStatement, sign, verify
from exchange.errors import FormatError, InvalidPublicKeyError, SignatureError

P = 2**255 - 19
# Small-order X25519 points (RFC 7748 section 6.1 and the literature on contributory behaviour):
# 0, 1, the two points of order 8, and non-canonical encodings of the same points.
SMALL_ORDER_X25519 = [
    bytes(32),
    (1).to_bytes(32, "little"),
    bytes.fromhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
    bytes.fromhex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
    (P - 1).to_bytes(32, "little"),
    P.to_bytes(32, "little"),
    (P + 1).to_bytes(32, "little"),
]


def test_key_id_hashes_the_algorithm_name_and_the_raw_key() -> None:
    identity = generate_identity("fr", not_before=T0, not_after=KEY_END)
    raw = identity.signing.public.raw
    assert identity.signing.public.key_id == hashlib.sha256(b"ed25519\x00" + raw).hexdigest()
    assert compute_key_id("x25519", raw) != compute_key_id("ed25519", raw)
    fingerprint = format_fingerprint(identity.signing.public.key_id)
    lines = fingerprint.split("\n")
    assert len(lines) == 2
    assert all(len(group) == 4 for line in lines for group in line.split(" "))
    assert fingerprint.replace(" ", "").replace("\n", "").lower() == identity.signing.public.key_id
    with pytest.raises(FormatError):
        format_fingerprint("not-a-key-id")


@pytest.mark.parametrize("raw", SMALL_ORDER_X25519)
def test_small_order_x25519_keys_are_refused(raw: bytes) -> None:
    with pytest.raises(InvalidPublicKeyError):
        EncryptionPublicKey.from_raw(KemAlgorithm.X25519, raw)


def test_wrong_lengths_and_bad_hybrid_keys_are_refused() -> None:
    good = generate_identity(
        "it", not_before=T0, not_after=KEY_END, kem=KemAlgorithm.MLKEM768_X25519
    )
    raw = good.current_encryption_key.public.raw
    assert EncryptionPublicKey.from_raw(KemAlgorithm.MLKEM768_X25519, raw).raw == raw
    for algorithm, bad in [
        (KemAlgorithm.X25519, bytes(31)),
        (KemAlgorithm.X25519, raw[-32:] + b"\x00"),
        (KemAlgorithm.MLKEM768_X25519, raw[:-1]),
        (KemAlgorithm.MLKEM768_X25519, raw[:-32] + bytes(32)),  # weak X25519 half
        (KemAlgorithm.MLKEM768_X25519, b"\xff" * 1184 + raw[-32:]),  # coefficients >= q
        (KemAlgorithm.X25519, raw),
    ]:
        with pytest.raises(InvalidPublicKeyError):
            EncryptionPublicKey.from_raw(algorithm, bad)


def test_weak_ed25519_keys_are_refused() -> None:
    identity_point = (1).to_bytes(32, "little")
    order_four = bytes(32)  # y = 0
    order_two = (P - 1).to_bytes(32, "little")  # y = -1
    non_canonical = P.to_bytes(32, "little")
    for bad in (identity_point, order_four, order_two, non_canonical, bytes(31)):
        with pytest.raises(InvalidPublicKeyError):
            SigningPublicKey.from_raw(bad)
    good = generate_identity("fr", not_before=T0, not_after=KEY_END).signing.public
    assert SigningPublicKey.from_raw(good.raw) == good


def test_private_material_stays_out_of_repr() -> None:
    identity = generate_identity("fr", not_before=T0, not_after=KEY_END)
    text = repr(identity)
    assert identity.signing.seed.hex() not in text
    assert repr(identity.signing.seed) not in text
    assert "seed" not in text


def test_sign_and_verify_with_domain_separation() -> None:
    key = generate_identity("fr", not_before=T0, not_after=KEY_END).signing
    signature = sign(key, b"ncen-keyset-v1", b"message")
    verify(key.public, b"ncen-keyset-v1", b"message", signature)
    with pytest.raises(SignatureError):
        verify(key.public, b"ncen-revocation-v1", b"message", signature)
    with pytest.raises(SignatureError):
        verify(key.public, b"ncen-keyset-v1", b"message!", signature)
    with pytest.raises(SignatureError):
        verify(key.public, b"ncen-keyset-v1", b"message", signature[:-1])


def test_rotation_is_signed_by_the_current_key_and_keeps_old_decryption_keys() -> None:
    old = generate_identity("fr", not_before=T0, not_after=KEY_END)
    first = publish_keyset(old, signer=old.signing, serial=1, issued=T0)
    assert verify_keyset(first, old.signing.public).serial == 1
    now = T0 + timedelta(days=100)
    new, statement = rotate_identity(old, now=now, not_after=KEY_END, serial=2)
    keyset = verify_keyset(statement, old.signing.public)
    assert keyset.signing_key == new.signing.public
    assert keyset.supersedes == old.signing.public.key_id
    assert [k.key for k in keyset.encryption_keys] == [new.current_encryption_key.public]
    old_key_id = old.current_encryption_key.public.key_id
    assert new.decryption_key(old_key_id) is not None  # archived, still decrypts
    # A rotation signed by anyone but the pinned key is refused.
    with pytest.raises(SignatureError):
        verify_keyset(statement, new.signing.public)
    attacker = generate_identity("fr", not_before=T0, not_after=KEY_END)
    forged = publish_keyset(attacker, signer=attacker.signing, serial=3, issued=now)
    with pytest.raises(SignatureError):
        verify_keyset(forged, old.signing.public)
    # Changing the statement after signing breaks it.
    body = {**statement.statement, "serial": 9}
    with pytest.raises(SignatureError):
        verify_keyset(replace(statement, statement=body), old.signing.public)


def test_key_set_parsing_validates_keys_and_ids() -> None:
    identity = generate_identity("fr", not_before=T0, not_after=KEY_END)
    signed = publish_keyset(identity, signer=identity.signing, serial=1, issued=T0)
    round_tripped = SignedStatement.from_json(signed.to_json())
    assert parse_keyset(round_tripped).node_id == "fr"
    entry = {**signed.statement["encryption_keys"][0], "public_key": "A" * 43 + "="}
    weak = replace(signed, statement={**signed.statement, "encryption_keys": [entry]})
    with pytest.raises(InvalidPublicKeyError):
        parse_keyset(weak)
    entry = {**signed.statement["encryption_keys"][0], "key_id": "0" * 64}
    with pytest.raises(FormatError):
        parse_keyset(replace(signed, statement={**signed.statement, "encryption_keys": [entry]}))


def test_revocation_statement() -> None:
    identity = generate_identity("fr", not_before=T0, not_after=KEY_END)
    key_id = identity.current_encryption_key.public.key_id
    signed = make_revocation(
        identity.signing, node_id="fr", key_id=key_id, revoked_at=T0, reason="retired"
    )
    revocation = verify_revocation(
        SignedStatement.from_json(signed.to_json()), identity.signing.public
    )
    assert (revocation.key_id, revocation.reason) == (key_id, "retired")
    other = generate_identity("fr", not_before=T0, not_after=KEY_END)
    with pytest.raises(SignatureError):
        verify_revocation(signed, other.signing.public)
    with pytest.raises(ValueError, match="reason"):
        make_revocation(identity.signing, node_id="fr", key_id=key_id, revoked_at=T0, reason="x")
