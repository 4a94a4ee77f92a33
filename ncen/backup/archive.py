"""The tar stream inside a backup's encryption: its members, their order, and their names.

Members, in this order (PAX format, regular files and folders only)::

    database/part-000000, part-000001, ...   the pg_dump custom-format output, cut into parts
                                             of at most 16 MiB (tar needs each size up front,
                                             and this keeps memory bounded without writing
                                             the plaintext dump to disk)
    pictures/<kind>/<ab>/<cd>/<sha256>       the picture store files of the dumped pictures
    instance/<item>[/...]                    the instance files of `ncen.backup.contents`
    manifest.json                            what the archive holds (`Manifest`), always last

`check_member` is the gate for restore: every name must have one of these shapes, so that no
member can be written outside the folder it belongs in, whatever the archive holds.
"""

from __future__ import annotations

import json
import re
import tarfile
from dataclasses import asdict, dataclass, field
from pathlib import PurePosixPath
from typing import Any, Final

from ncen.backup.contents import INSTANCE_ITEMS
from ncen.backup.errors import AlteredBackupError

FORMAT: Final = "ncen-backup-v1"
PART_SIZE: Final = 16 * 1024 * 1024
DATABASE_PREFIX: Final = "database/part-"
PICTURES: Final = "pictures"
INSTANCE: Final = "instance"
MANIFEST: Final = "manifest.json"
MAX_MANIFEST_BYTES: Final = 64 * 1024 * 1024
_PART: Final = re.compile(r"database/part-(\d{6})")
_PICTURE: Final = re.compile(
    r"pictures/(originals|display|thumbs)/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})"
)


def part_name(index: int) -> str:
    """Name of the ``index``-th database part."""
    return f"{DATABASE_PREFIX}{index:06d}"


@dataclass
class Manifest:
    """Facts about one backup, written last and shown by restore."""

    format: str
    created_at: str
    node_id: str
    database_revision: str | None
    pg_dump_version: str
    database_parts: int
    database_bytes: int
    pictures: int
    missing_pictures: list[str] = field(default_factory=list)
    altered_pictures: list[str] = field(default_factory=list)
    instance_files: dict[str, str] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        """Stable JSON."""
        return json.dumps(asdict(self), sort_keys=True, indent=1).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        """Parse a manifest; raises `AlteredBackupError` if it is not one of ours."""
        try:
            raw: Any = json.loads(data)
            manifest = cls(**raw)
        except (ValueError, TypeError) as error:
            raise AlteredBackupError("the archive's manifest is not readable") from error
        if manifest.format != FORMAT:
            raise AlteredBackupError(f"the archive's manifest has format {manifest.format!r}")
        return manifest


@dataclass(frozen=True)
class Member:
    """What a checked tar member is: a database part, a picture file, or an instance file."""

    kind: str  # "part", "picture", "instance" or "manifest"
    relative: PurePosixPath  # below its section's folder
    secret: bool = False  # an instance item restored owner-only
    part: int = -1
    sha256: str = ""
    original: bool = False


def _instance_member(name: str, info: tarfile.TarInfo) -> Member | None:
    path = PurePosixPath(name)
    if path.parts[0] != INSTANCE or len(path.parts) < 2:
        return None
    relative = PurePosixPath(*path.parts[1:])
    if any(part in {"", ".", ".."} for part in relative.parts) or name.endswith("/"):
        return None
    for item in INSTANCE_ITEMS:
        root = PurePosixPath(item.path)
        if relative == root or root in relative.parents:
            if relative != root and not (info.isfile() or info.isdir()):
                return None
            return Member("instance", relative, secret=item.secret)
    return None


def check_member(info: tarfile.TarInfo) -> Member:
    """Classify a tar member, or raise `AlteredBackupError` for anything unexpected.

    Only regular files (and folders under ``instance/``) with the names listed in the module
    docstring pass; links, devices, absolute paths and ``..`` never do.
    """
    name = info.name
    if info.isfile():
        if match := _PART.fullmatch(name):
            return Member("part", PurePosixPath(name), part=int(match.group(1)))
        if match := _PICTURE.fullmatch(name):
            kind, first, second, sha256 = match.groups()
            if sha256[:2] == first and sha256[2:4] == second:
                relative = PurePosixPath(name).relative_to(PICTURES)
                return Member("picture", relative, sha256=sha256, original=kind == "originals")
        if name == MANIFEST:
            return Member("manifest", PurePosixPath(name))
    if info.isfile() or info.isdir():
        member = _instance_member(name, info)
        if member is not None:
            return member
    raise AlteredBackupError(f"the archive holds an unexpected entry {name!r}; it is refused")
