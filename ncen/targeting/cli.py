"""``ncen targeting``: risk profiles, back-tests and hits at the console (``--json`` on each).

- ``profiles list|show ID|validate FILE|import FILE --owner USER|export ID``
- ``backtest FILE_OR_ID [--from DATE --to DATE]``
- ``hits [--profile ID] [--status S]``

The console acts as the node itself (it may read hits); profiles imported here are drafts
owned by ``--owner`` (an existing profile of the same name gets a new version). The file
format is `ncen.targeting.files`.
"""

from __future__ import annotations

import json
import sys
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import click
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import User
from ncen.clitools import database, fail_on_ncen_errors
from ncen.errors import NotFoundError, ValidationError
from ncen.targeting import hits as hit_services
from ncen.targeting import profiles as profile_services
from ncen.targeting.backtest import run_backtest
from ncen.targeting.files import export_profile, read_profiles
from ncen.targeting.models import RiskProfile
from ncen.targeting.validation import validate_expression

CONSOLE = Actor.system("cli")


def _emit(document: Any, as_json: bool, text: str) -> None:
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(text)


def _json_option(func: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")(func)


def _profile(session: Session, raw: str) -> RiskProfile:
    try:
        profile_id = uuid.UUID(raw)
    except ValueError:
        found = session.execute(
            select(RiskProfile).where(RiskProfile.name == raw)
        ).scalar_one_or_none()
        if found is None:
            raise NotFoundError("profile", raw) from None
        return found
    return profile_services.get_profile(session, CONSOLE, profile_id)


@click.group("targeting")
def targeting_group() -> None:
    """Risk profiles, back-tests and hits."""


@targeting_group.group("profiles")
def profiles_group() -> None:
    """List, show, validate, import and export risk profiles (and, with the exchange: send,
    received, adopt, feedback)."""


@profiles_group.command("list")
@_json_option
@click.pass_context
@fail_on_ncen_errors
def profiles_list(ctx: click.Context, as_json: bool) -> None:
    """Every profile with its effective status."""
    with database(ctx) as engine, Session(engine) as session, session.begin():
        rows = [
            {
                "id": str(p.id),
                "name": p.name,
                "status": profile_services.effective_status(p).value,
                "lane": p.lane.value,
                "score": p.score,
                "version": p.current_version.number if p.current_version else None,
                "review_due": profile_services.review_due(p),
            }
            for p in profile_services.list_profiles(session, CONSOLE)
        ]
    text = "\n".join(
        f"{r['id']}  {r['status']:<9} {r['lane']:<6} {r['score']:>3}  {r['name']}"
        + ("  [review due]" if r["review_due"] else "")
        for r in rows
    )
    _emit({"profiles": rows}, as_json, text or "no profile")


@profiles_group.command("show")
@click.argument("profile")
@_json_option
@click.pass_context
@fail_on_ncen_errors
def profiles_show(ctx: click.Context, profile: str, as_json: bool) -> None:
    """One profile (by id or name) with its versions and statistics."""
    with database(ctx) as engine, Session(engine) as session, session.begin():
        found = _profile(session, profile)
        document = export_profile(found)
        document["effective_status"] = profile_services.effective_status(found).value
        document["statistics"] = hit_services.profile_statistics(session, found.id)
    _emit(document, as_json, yaml.safe_dump(document, allow_unicode=True, sort_keys=False))


@profiles_group.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_json_option
@click.pass_context
def profiles_validate(ctx: click.Context, file: Path, as_json: bool) -> None:
    """Check a profile file (syntax, fields, types, codes, lists); exit 1 on the first error."""
    results: list[dict[str, Any]] = []
    ok = True
    with database(ctx) as engine, Session(engine) as session, session.begin():
        try:
            items = read_profiles(file)
        except ValidationError as exc:
            items, ok = [], False
            results.append({"name": None, "ok": False, "errors": dict(exc.errors)})
        for item in items:
            try:
                profile_services.read_profile(session, item)
                results.append({"name": item.get("name"), "ok": True, "errors": {}})
            except ValidationError as exc:
                ok = False
                results.append({"name": item.get("name"), "ok": False, "errors": dict(exc.errors)})
    text = "\n".join(
        f"{r['name']}: ok"
        if r["ok"]
        else f"{r['name']}: " + "; ".join(f"{k}: {v}" for k, v in r["errors"].items())
        for r in results
    )
    _emit({"valid": ok, "profiles": results}, as_json, text)
    if not ok:
        sys.exit(1)


@profiles_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--owner", required=True, help="Username who owns new profiles (an analyst).")
@_json_option
@click.pass_context
@fail_on_ncen_errors
def profiles_import(ctx: click.Context, file: Path, owner: str, as_json: bool) -> None:
    """Import the file's profiles as drafts (a new version for a profile of the same name),
    all or nothing."""
    items = read_profiles(file)
    done: list[dict[str, Any]] = []
    with database(ctx) as engine, Session(engine) as session, session.begin():
        user = session.execute(select(User).where(User.username == owner)).scalar_one_or_none()
        if user is None:
            raise ValidationError({"owner": f"no user named {owner}"})
        actor = Actor.of(user)
        for item in items:
            existing = session.execute(
                select(RiskProfile).where(RiskProfile.name == item.get("name"))
            ).scalar_one_or_none()
            if existing is None:
                made = profile_services.create_profile(session, actor, item)
                done.append({"id": str(made.id), "name": made.name, "created": True})
            else:
                profile_services.update_profile(
                    session, actor, existing.id, expected_version=existing.version, data=item
                )
                done.append({"id": str(existing.id), "name": existing.name, "created": False})
    text = "\n".join(
        f"{'created' if d['created'] else 'updated'} {d['id']} {d['name']}" for d in done
    )
    _emit({"imported": done}, as_json, text)


@profiles_group.command("export")
@click.argument("profile")
@_json_option
@click.pass_context
@fail_on_ncen_errors
def profiles_export(ctx: click.Context, profile: str, as_json: bool) -> None:
    """Print a profile in the file format (YAML; JSON with --json), ready to import."""
    with database(ctx) as engine, Session(engine) as session, session.begin():
        document = export_profile(_profile(session, profile))
    _emit(document, as_json, yaml.safe_dump(document, allow_unicode=True, sort_keys=False))


def _day(raw: str | None, name: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: "give a date as YYYY-MM-DD"}) from None


@targeting_group.command("backtest")
@click.argument("source")
@click.option("--from", "start", help="First day (YYYY-MM-DD).")
@click.option("--to", "end", help="Last day (YYYY-MM-DD).")
@_json_option
@click.pass_context
@fail_on_ncen_errors
def backtest_command(
    ctx: click.Context, source: str, start: str | None, end: str | None, as_json: bool
) -> None:
    """Back-test a profile file or a stored profile (id or name) over the seizures."""
    first, last = _day(start, "from"), _day(end, "to")
    with database(ctx) as engine, Session(engine) as session, session.begin():
        path = Path(source)
        if path.is_file():
            items = read_profiles(path)
            expression = str(items[0].get("expression", ""))
        else:
            found = _profile(session, source)
            assert found.current_version is not None
            expression = found.current_version.expression
        validate_expression(session, expression)
        result = run_backtest(session, CONSOLE, expression, start=first, end=last)
        document = {
            **result.summary(),
            "seconds": round(result.seconds, 3),
            "traits": result.traits,
            "sample": [{**s, "seizure_id": str(s["seizure_id"])} for s in result.sample],
        }
    text = (
        f"seizures: {result.total}\nhits: {result.hits} ({result.share:.2%})\n"
        f"validated hits: {result.validated}\ntime: {result.seconds:.3f} s\n"
        + "\n".join(
            f"{dim}: " + ", ".join(f"{v} ({n})" for v, n in values)
            for dim, values in result.traits.items()
        )
    )
    _emit(document, as_json, text)


@targeting_group.command("hits")
@click.option("--profile", "profile", help="Profile id or name.")
@click.option("--status", type=click.Choice(["new", "confirmed", "dismissed"]))
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 10000))
@_json_option
@click.pass_context
@fail_on_ncen_errors
def hits_command(
    ctx: click.Context, profile: str | None, status: str | None, limit: int, as_json: bool
) -> None:
    """The hits, highest score first (audited as a read)."""
    with database(ctx) as engine, Session(engine) as session, session.begin():
        profile_id = _profile(session, profile).id if profile else None
        rows, total = hit_services.list_hits(
            session, CONSOLE, status=status, profile_id=profile_id, limit=limit
        )
        document = {
            "total": total,
            "hits": [
                {
                    "id": str(r.hit.id),
                    "profile": r.profile_name,
                    "seizure": r.reference,
                    "score": r.hit.score,
                    "lane": r.hit.lane.value,
                    "status": r.hit.status.value,
                    "created_at": r.hit.created_at.isoformat(),
                    "explanation": r.hit.explanation,
                }
                for r in rows
            ],
        }
    hits: list[dict[str, Any]] = document["hits"]  # type: ignore[assignment]
    text = "\n".join(
        f"{h['score']:>3} {h['status']:<9} {h['seizure']}  {h['profile']}  "
        + "; ".join(e["criterion"] for e in h["explanation"])
        for h in hits
    )
    _emit(document, as_json, text or "no hit")
