"""docs/exchange-protocol.md and the code agree: the document's normative tables are parsed and
compared with the code's constants, so that a change to either side without the other fails.

Covered: the algorithms and HPKE ids (section 2), the nesting depth (3), every signing domain
(4, against every ``DOMAIN_*`` constant found anywhere in exchange/), the record-set content
types (8.4), the error codes (12), the limits (13), the key-import constants of the recipes
(14), the key files (15), the closed vocabularies of the record schemas (19.2-19.7, against
exchange/records/recordschema.py), and X-Wing's key expansion against its draft's first test
vector.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, x25519
from exchange_conformance import KEYS_FILE
from exchange_testkit import KEY_END, T0

from exchange import errors
from exchange.crypto import keydir, keystore
from exchange.crypto.canonical import MAX_DEPTH
from exchange.crypto.container import DEFAULT_LIMITS, MAGIC
from exchange.crypto.keys import EncryptionKeyPair, KemAlgorithm
from exchange.crypto.sealing import (
    CHUNK_SIZE,
    HPKE_AEAD_ID,
    HPKE_KDF_ID,
    WRAP_INFO_PREFIX,
    hpke_suite,
)
from exchange.network.protocol import MESSAGE_SCHEMA, MESSAGE_SET
from exchange.records import recordschema
from exchange.records.recordschema import RECORDS_SCHEMAS

ROOT = Path(__file__).resolve().parents[3]
DOCUMENT = (ROOT / "docs" / "exchange-protocol.md").read_text()
KEYS = json.loads(KEYS_FILE.read_text())["nodes"]
CODE = re.compile(r"`([^`]+)`")


def section(number: str) -> str:
    """The text of ``## <number>.`` (or ``### <number>``) up to the next heading of its level."""
    level = "###" if "." in number else "##"
    match = re.search(
        rf"^{level} {re.escape(number)}\.? .*?$(.*?)(?=^{level} |\Z)", DOCUMENT, re.M | re.S
    )
    assert match, f"section {number} is missing"
    return match.group(1)


def table(text: str, first_header: str) -> list[list[str]]:
    """The body rows of the Markdown table whose first header cell is ``first_header``."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == first_header:
            rows = []
            for body in lines[index + 2 :]:
                if not body.startswith("|"):
                    break
                rows.append([cell.strip() for cell in body.strip().strip("|").split(" | ")])
            return rows
    raise AssertionError(f"no table starting with {first_header!r}")


def test_section_2_algorithms_and_hpke_ids() -> None:
    rows = {row[0]: row for row in table(section("2"), "Purpose")}
    assert "`x25519`, HPKE KEM id `0x0020`" in rows["Key encapsulation, default"][2]
    hybrid = rows["Key encapsulation, post-quantum hybrid"]
    assert "X-Wing" in hybrid[1]
    assert "draft-connolly-cfrg-xwing-kem-10" in hybrid[1]
    assert f"`{KemAlgorithm.MLKEM768_X25519.value}`, HPKE KEM id `0x647a`" in hybrid[2]
    assert KemAlgorithm.X25519.hpke_kem_id == 0x0020
    assert KemAlgorithm.MLKEM768_X25519.hpke_kem_id == 0x647A
    assert f"`0x{HPKE_KDF_ID:04x}`" in rows["HPKE KDF"][2]
    assert f"`0x{HPKE_AEAD_ID:04x}`" in rows["HPKE AEAD"][2]
    assert hpke_suite(KemAlgorithm.X25519) is not None
    assert "`(0x0020, 0x0001, 0x0003)` and\n`(0x647a, 0x0001, 0x0003)`" in section("2")


def test_section_3_nesting_depth_and_section_10_chunks() -> None:
    assert f"Nesting depth at most {MAX_DEPTH}" in section("3")
    assert f"chunks of exactly {CHUNK_SIZE:,} bytes" in section("10")
    assert f"magic `{MAGIC.decode()}`" in section("7")
    assert f'info        = "{WRAP_INFO_PREFIX.decode()}" || header_hash || kid' in section("9")


def _code_domains() -> set[str]:
    """Every ``DOMAIN_* = b"..."`` constant in exchange/: a new one must join the table."""
    found = set()
    for path in (ROOT / "exchange").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            else:
                continue
            for target in targets:
                if isinstance(target, ast.Name) and target.id.startswith("DOMAIN_"):
                    assert isinstance(value, ast.Constant), (path, target.id)
                    assert isinstance(value.value, bytes), (path, target.id)
                    found.add(value.value.decode("ascii"))
    return found


def test_section_4_lists_every_signing_domain_of_the_code() -> None:
    rows = table(section("4"), "Domain (ASCII)")
    documented = {CODE.search(row[0]).group(1) for row in rows}  # type: ignore[union-attr]
    assert documented == _code_domains()
    assert len(documented) == 6
    assert f"`{WRAP_INFO_PREFIX.decode()}`" in section("4")


def test_section_8_4_record_set_content_types() -> None:
    rows = table(section("8.4"), "Record set name")
    assert rows[0][0] == f"`{MESSAGE_SET}`"
    assert rows[0][1] == f"`{MESSAGE_SCHEMA}`"
    assert rows[1][0] == "any other name"
    assert set(re.findall(r"`(ncen-records/\d)`", rows[1][1])) == set(RECORDS_SCHEMAS)
    header_row = next(r for r in table(section("8"), "Member") if r[0] == "`records_schema`")
    assert set(re.findall(r'`"(ncen-records/\d)"`', header_row[2])) == set(RECORDS_SCHEMAS)


def test_section_12_error_codes_match_the_error_classes() -> None:
    rows = table(section("12"), "Code")
    documented = {
        (CODE.search(row[0]).group(1), CODE.search(row[1]).group(1), CODE.search(row[2]).group(1))  # type: ignore[union-attr]
        for row in rows
    }
    assert documented == {(cls.code, cls.__name__, cls.generic_reason) for cls in errors.ALL_ERRORS}
    prose = " ".join(section("12").split())
    for cls in (errors.PeerError, errors.PolicyError, errors.RecordImportError):
        assert f"`{cls.code}` (`{cls.__name__}`" in prose


_UNITS = {"GiB": 1024**3, "MiB": 1024**2, "bytes": 1, "": 1}


def _limit(text: str) -> object:
    number, _, unit = text.partition(" ")
    if unit == "days":
        return timedelta(days=int(number))
    if unit == "minutes":
        return timedelta(minutes=int(number))
    return int(number) * _UNITS[unit]


def test_section_13_limits_match_the_defaults() -> None:
    rows = table(section("13"), "Limit")
    documented = {CODE.search(row[2]).group(1): _limit(row[1]) for row in rows}  # type: ignore[union-attr]
    assert documented == {
        name: getattr(DEFAULT_LIMITS, name) for name in DEFAULT_LIMITS.__dataclass_fields__
    }


def test_section_14_pkcs8_prefixes_import_the_published_test_keys() -> None:
    text = section("14")
    x_prefix = re.search(r"`([0-9a-f]{32}) \|\| sk`", text).group(1)  # type: ignore[union-attr]
    ed_prefix = re.search(r"`([0-9a-f]{32}) \|\| seed`", text).group(1)  # type: ignore[union-attr]
    for entry in KEYS.values():
        for key in entry["encryption_keys"]:
            if key["algorithm"] != "x25519":
                continue
            der = bytes.fromhex(x_prefix + key["private_hex"])
            private = serialization.load_der_private_key(der, password=None)
            assert isinstance(private, x25519.X25519PrivateKey)
            assert private.public_key().public_bytes_raw().hex() == key["public_hex"]
        signing = entry["signing_key"]
        der = bytes.fromhex(ed_prefix + signing["private_hex"])
        private_ed = serialization.load_der_private_key(der, password=None)
        assert isinstance(private_ed, ed25519.Ed25519PrivateKey)
        assert private_ed.public_key().public_bytes_raw().hex() == signing["public_hex"]


def test_section_15_key_files_match_the_key_store() -> None:
    text = section("15")
    assert f"`<instance>/{keydir.KEYS_FOLDER}/`" in text
    assert f"`{keydir.IDENTITY_FILE}`" in text
    assert f"`{keydir.PASSPHRASE_VARIABLE}`" in text
    assert f"`{keydir.PASSPHRASE_FILE_VARIABLE}`" in text
    assert f"Unencrypted form `{keystore.PLAIN_FORMAT}`" in text
    assert f"Encrypted form `{keystore.ENCRYPTED_FORMAT}`" in text
    defaults = keystore.KdfParameters()
    examples = [json.loads(block) for block in re.findall(r"```json\n(.*?)\n```", text, re.S)]
    plain, encrypted = examples
    assert encrypted["kdf"]["memory_cost_kib"] == defaults.memory_cost_kib
    assert encrypted["kdf"]["iterations"] == defaults.iterations
    assert encrypted["kdf"]["lanes"] == defaults.lanes
    assert f"1 to {keystore._MAX_MEMORY_KIB:,}" in text
    # The documented member names are exactly those the key store writes.
    seed = base64.b64encode(b"s" * 32).decode()
    example = {
        **plain,
        "signing_key": {**plain["signing_key"], "seed": seed},
        "encryption_keys": [{**plain["encryption_keys"][0], "seed": seed}],
    }
    written = keystore.identity_to_json(keystore.identity_from_json(example))
    assert set(written) == set(plain)
    assert set(written["signing_key"]) == set(plain["signing_key"])
    assert set(written["encryption_keys"][0]) == set(plain["encryption_keys"][0])


def test_x25519_private_key_is_the_raw_scalar_as_section_5_says() -> None:
    for entry in KEYS.values():
        key = entry["encryption_keys"][0]
        if key["algorithm"] == "x25519":
            raw = bytes.fromhex(key["private_hex"])
            public = x25519.X25519PrivateKey.from_private_bytes(raw).public_key()
            assert public.public_bytes_raw().hex() == key["public_hex"]


def test_x_wing_key_expansion_matches_the_drafts_first_test_vector() -> None:
    """draft-connolly-cfrg-xwing-kem-10 (and -05 to -09), test vector 1: seed and SHA-256 of
    the 1216-byte public key (the vector itself is not copied here)."""
    seed = bytes.fromhex("7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26")
    pair = EncryptionKeyPair(KemAlgorithm.MLKEM768_X25519, seed, T0, KEY_END)
    assert len(pair.public.raw) == 1216
    assert hashlib.sha256(pair.public.raw).hexdigest() == (
        "2e816deebcd76c5c80d0cd2d174478871658e8e2ff42bc9d4a6e486372e856bb"
    )


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_section_14_webcrypto_chunk_recipe_decrypts_a_kit_bundle(tmp_path: Path) -> None:
    """Run the document's own `decryptChunk` (WebCrypto, Node.js) on the conformance kit."""
    import exchange_conformance as kit

    from exchange.crypto.container import read_envelope
    from exchange.crypto.header import BundleHeader
    from exchange.crypto.sealing import TAG_LENGTH, unwrap_content_key

    recipe = re.search(r"(async function decryptChunk.*?\n\}\n)", section("14"), re.S).group(1)  # type: ignore[union-attr]
    data = (kit.KIT / kit.RECORDS_BUNDLE).read_bytes()
    envelope = read_envelope(__import__("io").BytesIO(data))
    header = BundleHeader.from_bytes(envelope.header_bytes)
    header_hash = hashlib.sha256(envelope.header_bytes).digest()
    key = unwrap_content_key(
        envelope.wrapped_keys[0].wrapped, kit.identity("de").current_encryption_key, header_hash
    )
    start = envelope.length + sum(
        entry.size + TAG_LENGTH for entry in header.contents[:2]
    )  # records and message are one chunk each; the attachment (section 2) follows
    step = CHUNK_SIZE + TAG_LENGTH
    chunks = [data[start : start + step], data[start + step :]]
    script = tmp_path / "recipe.mjs"
    script.write_text(
        'import { readFileSync } from "node:fs";\n'
        + recipe
        + "const input = JSON.parse(readFileSync(0, 'utf8'));\n"
        + "const hex = (h) => Uint8Array.from(Buffer.from(h, 'hex'));\n"
        + "const out = [];\n"
        + "for (const [i, c] of input.chunks.entries()) {\n"
        + "  const p = await decryptChunk(hex(input.key), 2, i, i === input.chunks.length - 1,"
        + " hex(c), hex(input.aad));\n"
        + "  out.push(Buffer.from(p).toString('hex'));\n"
        + "}\n"
        + "console.log(out.join(''));\n"
    )
    argument = json.dumps(
        {"key": key.hex(), "aad": header_hash.hex(), "chunks": [c.hex() for c in chunks]}
    )
    result = subprocess.run(
        [shutil.which("node") or "node", str(script)],
        input=argument,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    png = (kit.KIT / "expected" / "records-fr-to-de-it" / "attachment-0-tiles.png").read_bytes()
    assert bytes.fromhex(result.stdout.strip()) == png


# The closed vocabularies of section 19, in the order the document states them: (section, the
# member whose values are listed, the constant of exchange/records/recordschema.py).
VOCABULARIES = [
    ("19.2", "handling_code", "HANDLING_CODES"),
    ("19.3", "status", "SEIZURE_STATUSES"),
    ("19.3", "direction", "DIRECTIONS"),
    ("19.3", "source_reliability", "SOURCE_RELIABILITIES"),
    ("19.3", "level", "DISTRIBUTION_LEVELS"),
    ("19.4", "gender", "GENDERS"),
    ("19.4", "kind", "NAME_KINDS"),
    ("19.4", "doc_type", "DOCUMENT_TYPES"),
    ("19.4", "kind", "CONTACT_KINDS"),
    ("19.5", "aeo_status", "AEO_STATUSES"),
    ("19.6", "kind", "CONVEYANCE_KINDS"),
    ("19.6", "kind", "IDENTIFIER_KINDS"),
    ("19.7", "media_type", "PICTURE_TYPES"),
]
# `member` one of `a`, `b` or `c` (", or null" may follow) / (`H0`, `H1` or `H3`) after a member.
ONE_OF = re.compile(r"`(\w+)`\s+(?:one of\s+|\()((?:`[^`]+`(?:,\s*|\s+or\s+|\s*,\s*or\s+)?)+)")
# "member": "a"|"b" | "c" (the list may break across lines).
ALTERNATIVES = re.compile(r'"(\w+)":\s*((?:"[^"]+"\s*\|\s*)+"[^"]+")')


def vocabularies(number: str) -> list[tuple[str, frozenset[str]]]:
    """The closed value lists of section ``number``, in document order, with their member."""
    text = section(number)
    found = [
        (m.start(), m.group(1), frozenset(CODE.findall(m.group(2)))) for m in ONE_OF.finditer(text)
    ]
    found += [
        (m.start(), m.group(1), frozenset(re.findall(r'"([^"]+)"', m.group(2))))
        for m in ALTERNATIVES.finditer(text)
    ]
    return [(member, values) for _, member, values in sorted(found)]


def test_section_19_closed_vocabularies_match_the_record_schema() -> None:
    documented = [
        (number, member, values)
        for number in dict.fromkeys(number for number, _, _ in VOCABULARIES)
        for member, values in vocabularies(number)
    ]
    assert [(n, m) for n, m, _ in documented] == [(n, m) for n, m, _ in VOCABULARIES]
    for (number, member, values), (_, _, constant) in zip(documented, VOCABULARIES, strict=True):
        assert values == getattr(recordschema, constant), f"section {number}: `{member}`"


def test_every_closed_vocabulary_of_the_record_schema_is_documented() -> None:
    """Every ``_one_of(CONSTANT)`` the record schema checks is one of the lists compared above:
    a vocabulary added to the code without the document fails here."""
    tree = ast.parse(Path(recordschema.__file__).read_text())
    checked = {
        node.args[0].id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_one_of"
        and isinstance(node.args[0], ast.Name)
    }
    assert checked == {constant for _, _, constant in VOCABULARIES}
