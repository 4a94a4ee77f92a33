"""Run the README's "Two nodes" section as written, in a fresh clone.

Usage: ``python3 .ci/readme_two_nodes.py [--repo PATH] [--keep]``

1. ``git clone`` the repository (default: the one this script is in, its committed HEAD) into a
   temporary folder: nothing of the working copy (``.venv``, ``nodes/``, ``web/node_modules``)
   comes along, as for a newcomer.
2. Read ``README.md`` of the clone, take the fenced ``sh`` blocks of the "Two nodes" section
   (`readme_blocks`), and run their commands in order: a ``# terminal N`` comment switches
   terminal; each terminal keeps its ``export`` lines and shell variables (``REF=$(...)``) for its
   later commands, as a shell would; ``ncen serve`` runs in the background (as in its own
   terminal) and the script waits until it answers. The only change to the commands: the ports
   8001 and 8002 become free ports of this machine, everywhere they occur.
3. Check what the README promises along the way (the ledger shows the delivery accepted, the
   ledgers agree, the retraction is opened) and stop every server it started (SIGTERM, which
   also stops each node's embedded PostgreSQL).

Exit status 0 when every command succeeded and every check held. Takes several minutes (``make
setup assets``, two embedded databases, ``serve --demo`` loading the demo data). The suite's
``tests/unit/test_readme_two_nodes.py`` checks the section's structure and that every ``ncen``
command in it parses; this script is the end-to-end run the issue asks for.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

SECTION = "## Two nodes"
TERMINAL = re.compile(r"^#\s*terminal\s+(\d+)\s*$")
ASSIGNMENT = re.compile(r"^(export\s+)?[A-Za-z_][A-Za-z0-9_]*=")
# What the README says will happen, checked on the output of the command that shows it.
CHECKS = {
    "exchange ledger --peer de-ncen": "online accepted",
    "exchange reconcile de-ncen": "the ledgers agree",
    "exchange open nodes/retraction.ncb": "retracted by fr-ncen",
}


def readme_blocks(readme: str) -> list[str]:
    """The fenced ``sh`` blocks of the "Two nodes" section of ``readme``, in order."""
    start = readme.index(SECTION)
    end = readme.find("\n## ", start + len(SECTION))
    section = readme[start : end if end != -1 else None]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)


@dataclass
class Step:
    """One command of the section: the terminal it runs in, the command line."""

    terminal: str
    command: str

    @property
    def serves(self) -> bool:
        return " serve" in self.command and "/ncen serve" in self.command


def steps(blocks: list[str]) -> list[Step]:
    """Every command of ``blocks`` with its terminal ("setup" before any ``# terminal``)."""
    found = []
    for block in blocks:
        terminal = "setup"
        for raw in block.splitlines():
            line = raw.strip()
            marker = TERMINAL.match(line)
            if marker:
                terminal = marker.group(1)
                continue
            if not line or line.startswith("#"):
                continue
            found.append(Step(terminal, line))
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Runner:
    """Runs the steps in the clone, one shell state per terminal."""

    clone: Path
    ports: dict[str, str]
    state: dict[str, list[str]] = field(default_factory=dict)
    servers: list[tuple[subprocess.Popen[bytes], Path]] = field(default_factory=list)

    def _ported(self, command: str) -> str:
        for old, new in self.ports.items():
            command = command.replace(old, new)
        return command

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NCEN_")}
        env.pop("VIRTUAL_ENV", None)
        return env

    def run(self, step: Step) -> None:
        command = self._ported(step.command)
        prefix = "".join(f"{line}\n" for line in self.state.get(step.terminal, []))
        print(f"[terminal {step.terminal}] $ {step.command}", flush=True)
        if step.serves:
            self._serve(step.terminal, prefix, command)
            return
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", prefix + command],
            cwd=self.clone,
            env=self._env(),
            capture_output=True,
            text=True,
            check=False,
        )
        output = done.stdout + done.stderr
        print(_indent(output), flush=True)
        if done.returncode != 0:
            raise SystemExit(f"FAILED (exit {done.returncode}): {step.command}")
        for needle, expected in CHECKS.items():
            if needle in step.command and expected not in output:
                raise SystemExit(f"FAILED: {step.command!r} did not say {expected!r}")
        if ASSIGNMENT.match(step.command):
            self.state.setdefault(step.terminal, []).append(command)

    def _serve(self, terminal: str, prefix: str, command: str) -> None:
        log = self.clone / f"serve-terminal-{terminal}.log"
        script = prefix + "exec " + command
        with log.open("wb") as sink:
            process = subprocess.Popen(
                ["bash", "-e", "-c", script],
                cwd=self.clone,
                env=self._env(),
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.servers.append((process, log))
        port = self._port_of(script)
        deadline = time.monotonic() + 1800  # `serve --demo` loads the demo data first
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"FAILED: the server exited:\n{log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/auth/sign-in", timeout=2):
                    break
            except OSError:
                time.sleep(1)
        else:
            raise SystemExit(f"FAILED: nothing answers on port {port}")
        print(_indent(log.read_text(errors="replace")), flush=True)

    def _port_of(self, script: str) -> str:
        ports = re.findall(r"NCEN_PORT=(\d+)", script)
        if not ports:
            raise SystemExit("FAILED: a serve step without NCEN_PORT in its terminal")
        return ports[-1]

    def stop(self) -> None:
        for process, _ in self.servers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process, log in self.servers:
            try:
                process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)
                print(f"warning: a server had to be killed; see {log}")


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.rstrip().splitlines())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--keep", action="store_true", help="Keep the clone (for a post-mortem).")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ncen-readme-"))
    clone = folder / "ncen"
    subprocess.run(["git", "clone", "--quiet", str(args.repo), str(clone)], check=True)
    blocks = readme_blocks((clone / "README.md").read_text(encoding="utf-8"))
    ports = {"8001": str(free_port()), "8002": str(free_port())}
    runner = Runner(clone, ports)
    started = time.monotonic()
    try:
        for step in steps(blocks):
            runner.run(step)
    finally:
        runner.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"README 'Two nodes' ran as written in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
