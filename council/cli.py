"""The `council` command: serve, migrate, check, demo, create-user, invite, backup, restore,
purge-sessions.

Every refusal or failure an operator can meet (settings that do not parse, a database that is
not there or not migrated, a busy port, a file that is not a backup) is one line on standard
error saying what to do, and a non-zero exit: 2 for settings, 1 for the rest. Tracebacks are
left for what is a bug.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import select

from council import demo
from council.actions import ActionError, accounts, invites
from council.actions import oidc as oidc_actions
from council.auth import sessions
from council.db import Database
from council.models import Ministry, Role
from council.ops import OpsError, checks, migrations
from council.ops import backup as backups
from council.settings import InsecureSettings, Settings, describe_invalid


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from council.ops import serve

    db = Database(settings.database_url)
    try:
        problems = checks.problems(settings, db)
    finally:
        db.dispose()
    if problems:
        for problem in problems:
            print(problem.line, file=sys.stderr)
        print("council serve did not start.", file=sys.stderr)
        return 1
    serve.run(
        args.host,
        args.port,
        args.workers,
        # uvicorn's own protocol, plus TCP_NODELAY, which --workers N loses (see the module).
        http="council.ops.http_protocol:NoDelayH11Protocol",
        timeout_worker_healthcheck=settings.worker_healthcheck_seconds,
        proxy_headers=args.proxy_headers,
        forwarded_allow_ips=args.forwarded_allow_ips,
        server_header=False,
        access_log=False,  # access logs would hold members' addresses
    )
    return 0


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    folder = checks.sqlite_folder_problems(settings.database_url)
    if folder:
        raise OpsError(folder[0].line)
    migrations.upgrade(settings.database_url, args.revision)
    print("The database is up to date.")
    return 0


def _check(settings: Settings, args: argparse.Namespace) -> int:
    db = Database(settings.database_url)
    try:
        problems = checks.problems(settings, db)
    finally:
        db.dispose()
    for problem in problems:
        print(problem.line, file=sys.stderr)
    if problems:
        return 1
    print("All is well: settings, files, translations, database and schema.")
    return 0


def _ready_database(settings: Settings) -> Database:
    """The database, once it answers and is migrated (else one line saying what to do)."""
    db = Database(settings.database_url)
    try:
        checks.require_database(db)
    except OpsError:
        db.dispose()
        raise
    return db


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    if settings.env == "production":
        raise OpsError(
            "council demo loads accounts with a published passphrase and sign-in code secret; "
            "it does not run with COUNCIL_ENV=production."
        )
    db = _ready_database(settings)
    try:
        if demo.has_data(db):
            if not args.if_empty:
                print("The database already has accounts; demo data was not loaded.")
            print(demo.SIGN_INS)
            return 0
        demo.load(db, settings)
        print("Demo data loaded.")
        print(demo.SIGN_INS)
        return 0
    finally:
        db.dispose()


def _read_passphrase() -> str:
    from_env = os.environ.get("COUNCIL_NEW_PASSPHRASE")
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Passphrase: ")
    if first != getpass.getpass("Passphrase again: "):
        raise ActionError("The two passphrases are not the same.")
    return first


def _create_user(settings: Settings, args: argparse.Namespace) -> int:
    db = _ready_database(settings)
    try:
        if args.oidc_sub:
            with db.write() as session:
                user = oidc_actions.register_oidc_user(
                    session,
                    None,
                    settings,
                    name=args.name,
                    sub=args.oidc_sub,
                    ministry=args.ministry or "",
                    role=args.role,
                )
            print(f"Created {user.role} {user.name}, who signs in with their ministry account.")
            return 0
        passphrase = _read_passphrase()
        with db.write() as session:
            ministry_id = None
            if args.ministry:
                ministry = session.execute(
                    select(Ministry).where(Ministry.name == args.ministry)
                ).scalar_one_or_none()
                if ministry is None:
                    ministry = Ministry(name=args.ministry)
                    session.add(ministry)
                    session.flush()
                ministry_id = ministry.id
            user = accounts.create_user(
                session,
                name=args.name,
                role=args.role,
                passphrase=passphrase,
                settings=settings,
                ministry_id=ministry_id,
            )
        print(f"Created {user.role} {user.name}.")
        if user.is_staff:
            print("They set up sign-in codes (TOTP) the first time they sign in.")
        return 0
    except ActionError as error:
        print(error.message, file=sys.stderr)
        return 1
    finally:
        db.dispose()


def _invite(settings: Settings, args: argparse.Namespace) -> int:
    db = _ready_database(settings)
    try:
        with db.write() as session:
            invite, token = invites.create_invite(session, None, settings, note=args.note)
        print(f"{settings.base_url.rstrip('/')}/join/{token}")
        print(f"Single use; expires {invite.expires_at:%Y-%m-%d %H:%M} UTC.", file=sys.stderr)
        return 0
    finally:
        db.dispose()


def _backup(settings: Settings, args: argparse.Namespace) -> int:
    backups.backup(settings.database_url, Path(args.path))
    print(f"Backup written to {args.path}.")
    return 0


def _purge_sessions(settings: Settings, args: argparse.Namespace) -> int:
    """Delete ended sessions (sign-in purges them too; run this from cron on a quiet site)."""
    db = Database(settings.database_url)
    try:
        with db.write() as session:
            count = sessions.purge_expired(session)
        print(f"{count} ended sessions deleted.")
        return 0
    finally:
        db.dispose()


def _restore(settings: Settings, args: argparse.Namespace) -> int:
    backups.restore(settings.database_url, Path(args.path))
    print(f"Restored from {args.path}.")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="council", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the site")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-* from --forwarded-allow-ips (behind a proxy)",
    )
    serve.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    serve.set_defaults(run=_serve)

    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    migrate.add_argument("--revision", default="head")
    migrate.set_defaults(run=_migrate)

    check = commands.add_parser(
        "check",
        help="check settings, database, schema and translations; one line per problem",
    )
    check.set_defaults(run=_check)

    demo_cmd = commands.add_parser("demo", help="load demo data into an empty database")
    demo_cmd.add_argument(
        "--if-empty", action="store_true", help="quietly do nothing when accounts exist"
    )
    demo_cmd.set_defaults(run=_demo)

    create = commands.add_parser(
        "create-user",
        help="create an account (passphrase from COUNCIL_NEW_PASSPHRASE, stdin or a prompt)",
    )
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--ministry", help="the ministry of an official (created if new)")
    create.add_argument(
        "--oidc-sub",
        help="sign in with the ministry's OpenID Connect provider as this `sub` (no passphrase)",
    )
    create.set_defaults(run=_create_user)

    invite = commands.add_parser("invite", help="print a single-use invite link for a member")
    invite.add_argument("--note", default="")
    invite.set_defaults(run=_invite)

    backup = commands.add_parser("backup", help="write a consistent backup while the site runs")
    backup.add_argument("path")
    backup.set_defaults(run=_backup)

    purge = commands.add_parser("purge-sessions", help="delete sessions that have ended")
    purge.set_defaults(run=_purge_sessions)

    restore = commands.add_parser("restore", help="replace the database with a backup")
    restore.add_argument("path")
    restore.set_defaults(run=_restore)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        for line in describe_invalid(error):
            print(line, file=sys.stderr)
        return 2
    for warning in settings.warnings():
        print(f"Warning: {warning}", file=sys.stderr)
    try:
        if args.command != "check":  # check reports what production refuses, among the rest
            settings.check_safe_to_start()
        return int(args.run(settings, args))
    except InsecureSettings as error:
        print(error, file=sys.stderr)
        return 2
    except OpsError as error:
        print(error.message, file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        print(checks.unreachable(settings.database_url, error), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
