"""`python -m vigie`: administration commands.

    python -m vigie users add NAME --role ROLE [--password-stdin]
    python -m vigie users list
    python -m vigie enrich --all       run enrichment again over every stored post
    python -m vigie backup PATH        online copy of the database (SQLite backup API)
"""

from __future__ import annotations

import argparse
import getpass
import sqlite3
import sys

from vigie import auth
from vigie.store import Store, default_db_path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m vigie", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="database path (default $VIGIE_DB or data/vigie.db)")
    commands = parser.add_subparsers(dest="command", required=True)
    users = commands.add_parser("users", help="accounts").add_subparsers(dest="action",
                                                                        required=True)
    add = users.add_parser("add", help="create an account")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=auth.ROLES)
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input instead of a prompt")
    users.add_parser("list", help="list accounts")
    copy = commands.add_parser("backup", help="online copy of the database")
    copy.add_argument("path", help="where to write the copy")
    enrich = commands.add_parser("enrich", help="run enrichment again over stored posts")
    enrich.add_argument("--all", action="store_true", required=True,
                        help="every post (rebuilds the near-duplicate index)")
    return parser


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise ValueError("the two passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    store = Store(args.db or default_db_path())
    if args.command == "users" and args.action == "add":
        try:
            auth.add_user(store, args.name, _read_password(args.password_stdin), args.role)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"user {args.name} created with role {args.role}")
        return 0
    if args.command == "users" and args.action == "list":
        for u in store.list_users():
            state = "" if u["active"] else " (disabled)"
            print(f"{u['username']:<20} {u['role']:<12} last login {u['last_login_at'] or '-'}"
                  f"{state}")
        return 0
    if args.command == "backup":
        from vigie.backup import backup

        try:
            report = backup(store.path, args.path)
        except (RuntimeError, sqlite3.Error, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"backup written to {report['path']}: integrity {report['integrity']}, "
              f"{report['posts']} posts")
        return 0
    if args.command == "enrich":
        from vigie.reenrich import reenrich_all

        def progress(done: int, total: int) -> None:
            print(f"\r{done}/{total} posts enriched", end="", file=sys.stderr, flush=True)

        count = reenrich_all(store, progress)
        print(file=sys.stderr)
        print(f"{count} posts enriched")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
