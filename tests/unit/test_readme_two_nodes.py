"""The README's "Two nodes" section, read the way `.ci/readme_two_nodes.py` runs it: it starts
from a fresh clone's set-up, every ``ncen`` command in it exists and parses with its options,
and the files it names are bundle files (``.ncb``). The end-to-end run is the script's."""

from __future__ import annotations

import importlib.util
import shlex
import sys
from pathlib import Path
from types import ModuleType

import click
import pytest

from web.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "readme_two_nodes", ROOT / ".ci/readme_two_nodes.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses resolve annotations through it
    spec.loader.exec_module(module)
    return module


def _ncen_arguments(command: str) -> list[str] | None:
    """The arguments of the ``ncen`` call in one command line (inside ``$(...)`` too), or None."""
    if "$(" in command:
        command = command[command.index("$(") + 2 : command.rindex(")")]
    words = shlex.split(command.replace('"$REF"', "DEMO-A-01"), comments=True)
    for stop in ("|", ">"):
        if stop in words:
            words = words[: words.index(stop)]
    if not words or not words[0].endswith("/ncen"):
        return None
    return words[1:]


def test_the_section_starts_from_a_fresh_clone_and_uses_bundle_files() -> None:
    script = _script()
    steps = script.steps(script.readme_blocks((ROOT / "README.md").read_text(encoding="utf-8")))
    assert steps[0].command == "make setup assets"
    assert {s.terminal for s in steps} == {"setup", "1", "2"}
    assert sum(s.serves for s in steps) == 2
    text = " ".join(s.command for s in steps)
    assert ".ncen " not in text
    assert ".ncb" in text
    # A script cannot answer the fingerprint question: every `peers add` says --yes.
    assert all("--yes" in s.command for s in steps if "peers add" in s.command)


def test_every_ncen_command_of_the_section_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = _script()
    steps = script.steps(script.readme_blocks((ROOT / "README.md").read_text(encoding="utf-8")))
    # The files that earlier steps would have written (click checks that inputs exist).
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nodes").mkdir()
    for name in ("fr-ncen.json", "de-ncen.json", "case.ncb", "de-ledger.json", "retraction.ncb"):
        (tmp_path / "nodes" / name).write_text("{}")
    parsed = 0
    for step in steps:
        arguments = _ncen_arguments(step.command)
        if arguments is None:
            continue
        command: click.Command = cli
        path = ["ncen"]
        while isinstance(command, click.Group):
            name, arguments = arguments[0], arguments[1:]
            found = command.get_command(click.Context(command), name)
            assert found is not None, f"no command {' '.join([*path, name])}"
            command, path = found, [*path, name]
        command.make_context(" ".join(path), list(arguments))
        parsed += 1
    assert parsed >= 20
