"""Interoperability: independent implementations read what we write, and we pass the vectors.

- the ``openssl`` command-line tool verifies a bundle's header signature;
- the independent ``pyhpke`` library unwraps the content key (and wraps one we unwrap);
- the official RFC 9180 vectors (and the draft-ietf-hpke-pq vectors for MLKEM768-X25519) that
  the ``cryptography-vectors`` package ships run through our key import and unwrap code.

The bundle is sliced here with ``struct`` following docs/exchange-protocol.md, not with
``exchange.crypto.container``, as a foreign implementer would.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import cryptography_vectors
import pyhpke
import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from exchange_testkit import T0, Layout, Network, records

from exchange.crypto.canonical import DOMAIN_BUNDLE_HEADER
from exchange.crypto.keys import EncryptionKeyPair, EncryptionPublicKey, KemAlgorithm
from exchange.crypto.sealing import (
    HPKE_AEAD_ID,
    HPKE_KDF_ID,
    hpke_open,
    unwrap_content_key,
    wrap_info,
)

OPENSSL = shutil.which("openssl")
BASH = shutil.which("bash")
PROTOCOL_DOC = Path(__file__).resolve().parents[3] / "docs" / "exchange-protocol.md"


def _vectors(name: str) -> list[dict[str, Any]]:
    path = Path(cryptography_vectors.__file__).parent / "HPKE" / name
    with path.open() as handle:
        result: list[dict[str, Any]] = json.load(handle)
    return result


def test_openssl_verifies_the_header_signature(net: Network, tmp_path: Path) -> None:
    data = net.seal("fr", to=["de", "it"])
    layout = Layout.parse(data)
    end = layout.signed_region_end()
    (tmp_path / "signed.bin").write_bytes(DOMAIN_BUNDLE_HEADER + b"\x00" + data[:end])
    (tmp_path / "signature.bin").write_bytes(data[end : end + 64])
    (tmp_path / "fr.pem").write_bytes(net["fr"].identity.signing.public.to_pem())
    command = [
        str(OPENSSL), "pkeyutl", "-verify", "-pubin", "-inkey", "fr.pem", "-rawin",
        "-in", "signed.bin", "-sigfile", "signature.bin",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Signature Verified Successfully" in result.stdout
    # One changed byte in the signed region and openssl refuses too.
    tampered = bytearray((tmp_path / "signed.bin").read_bytes())
    tampered[-1] ^= 1
    (tmp_path / "signed.bin").write_bytes(bytes(tampered))
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode != 0


def test_the_documented_stock_tools_recipe_verifies_a_bundle(net: Network, tmp_path: Path) -> None:
    """Run the shell block of docs/exchange-protocol.md section 14 as written."""
    text = PROTOCOL_DOC.read_text()
    recipe = text.split("<!-- openssl-recipe -->\n```sh\n", 1)[1].split("```", 1)[0]
    (tmp_path / "bundle.ncb").write_bytes(net.seal("fr", to=["de", "it"], attachments=[b"x"]))
    (tmp_path / "sender.pem").write_bytes(net["fr"].identity.signing.public.to_pem())
    result = subprocess.run(
        [str(BASH), "-euo", "pipefail", "-c", recipe],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Signature Verified Successfully" in result.stdout
    (tmp_path / "sender.pem").write_bytes(net["de"].identity.signing.public.to_pem())
    result = subprocess.run(
        [str(BASH), "-c", recipe], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0


def test_pyhpke_unwraps_the_content_key_and_decrypts_a_chunk(net: Network) -> None:
    data = net.seal("fr", to=["de"])
    layout = Layout.parse(data)
    header_hash = hashlib.sha256(layout.header).digest()
    wrapped_region = next(r for r in layout.regions if r.name == "wrapped_key")
    wrapped = data[wrapped_region.start : wrapped_region.end]
    de_key = net["de"].identity.current_encryption_key
    suite = pyhpke.CipherSuite.new(
        pyhpke.KEMId.DHKEM_X25519_HKDF_SHA256,
        pyhpke.KDFId(HPKE_KDF_ID),
        pyhpke.AEADId(HPKE_AEAD_ID),
    )
    private = suite.kem.deserialize_private_key(de_key.seed)
    info = b"ncen-bundle-v1" + header_hash + bytes.fromhex(de_key.public.key_id)
    assert info == wrap_info(header_hash, de_key.public.key_id)
    recipient = suite.create_recipient_context(wrapped[:32], private, info=info)
    content_key = recipient.open(wrapped[32:], aad=b"")
    # With the content key, the STREAM nonce rule of the spec decrypts the record set.
    start, length = layout.sections[0]
    nonce = (0).to_bytes(7, "big") + (0).to_bytes(4, "big") + b"\x01"
    plaintext = AESGCM(content_key).decrypt(nonce, data[start : start + length], header_hash)
    assert plaintext == records()


def test_content_key_wrapped_by_pyhpke_unwraps_with_our_code(net: Network) -> None:
    de_key = net["de"].identity.current_encryption_key
    suite = pyhpke.CipherSuite.new(
        pyhpke.KEMId.DHKEM_X25519_HKDF_SHA256,
        pyhpke.KDFId(HPKE_KDF_ID),
        pyhpke.AEADId(HPKE_AEAD_ID),
    )
    header_hash = hashlib.sha256(b"some header").digest()
    public = suite.kem.deserialize_public_key(de_key.public.raw)
    enc, sender = suite.create_sender_context(
        public, info=wrap_info(header_hash, de_key.public.key_id)
    )
    content_key = bytes(range(32))
    wrapped = enc + sender.seal(content_key, aad=b"")
    assert unwrap_content_key(wrapped, de_key, header_hash) == content_key


def _our_suite(vector: dict[str, Any], kem_id: int) -> bool:
    return (vector["mode"], vector["kem_id"], vector["kdf_id"], vector["aead_id"]) == (
        0,
        kem_id,
        HPKE_KDF_ID,
        HPKE_AEAD_ID,
    )


@pytest.mark.parametrize(
    ("file_name", "kem"),
    [
        ("test-vectors.json", KemAlgorithm.X25519),
        ("hpke-pq-test-vectors.json", KemAlgorithm.MLKEM768_X25519),
    ],
)
def test_official_hpke_vectors_through_our_key_import_and_unwrap(
    file_name: str, kem: KemAlgorithm
) -> None:
    vectors = [v for v in _vectors(file_name) if _our_suite(v, kem.hpke_kem_id)]
    assert vectors, f"no vector for our suite in {file_name}"
    for vector in vectors:
        key_pair = EncryptionKeyPair(
            kem, bytes.fromhex(vector["skRm"]), not_before=T0, not_after=T0
        )
        # Our seed derivation yields the vector's public key, and our validation accepts it.
        assert key_pair.public.raw.hex() == vector["pkRm"]
        assert EncryptionPublicKey.from_raw(kem, bytes.fromhex(vector["pkRm"])) == key_pair.public
        # Single-shot Open handles the first encryption (sequence number 0) of the context.
        first = vector["encryptions"][0]
        wrapped = bytes.fromhex(vector["enc"]) + bytes.fromhex(first["ct"])
        plaintext = hpke_open(
            kem,
            key_pair.private_key(),
            wrapped,
            bytes.fromhex(vector["info"]),
            bytes.fromhex(first["aad"]),
        )
        assert plaintext.hex() == first["pt"]
