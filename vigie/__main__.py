"""`python -m vigie`: administration commands.

    python -m vigie users add NAME --role ROLE [--password-stdin]
    python -m vigie users list
    python -m vigie enrich --all       run enrichment again over every stored post
    python -m vigie backup PATH        online copy of the database (SQLite backup API)
    python -m vigie report sitrep --format pdf|md --out PATH [--since ISO] [--until ISO]
    python -m vigie export posts|claims|roads|map --format csv|xlsx|geojson|hxl --out PATH
                           [--since ISO] [--until ISO] [--with-authors]
    python -m vigie export cap --message ID --out PATH
    python -m vigie export claimreview --claim ID --out PATH
"""

from __future__ import annotations

import argparse
import getpass
import sqlite3
import sys
import time
from pathlib import Path

from vigie import auth, exports, reports
from vigie.exports.datasets import DATASETS
from vigie.models import parse_time
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
    _report_parsers(commands)
    return parser


def _period(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", type=_iso, help="start of the period (ISO 8601; default: "
                        "the active incident's start for reports, everything for exports)")
    parser.add_argument("--until", type=_iso, help="end of the period (ISO 8601; default: now)")


def _iso(value: str) -> str:
    parsed = parse_time(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {value!r}")
    return parsed


def _report_parsers(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser("report", help="situation reports").add_subparsers(
        dest="action", required=True)
    sitrep = report.add_parser("sitrep", help="the point de situation (PDF or Markdown)")
    sitrep.add_argument("--format", required=True, choices=reports.FORMATS)
    sitrep.add_argument("--out", required=True, type=Path)
    _period(sitrep)
    export = commands.add_parser("export", help="data for partners").add_subparsers(
        dest="action", required=True)
    for name in DATASETS:
        sub = export.add_parser(name, help=f"{name} as CSV, XLSX, GeoJSON or HXL")
        sub.add_argument("--format", required=True, choices=exports.FORMATS)
        sub.add_argument("--out", required=True, type=Path)
        _period(sub)
        sub.add_argument("--with-authors", action="store_true",
                         help="keep authors' names (default: pseudonymised)")
    cap = export.add_parser("cap", help="an approved message as CAP 1.2 XML")
    cap.add_argument("--message", required=True, type=int)
    cap.add_argument("--out", required=True, type=Path)
    review = export.add_parser("claimreview", help="a debunk as ClaimReview JSON-LD")
    review.add_argument("--claim", required=True, type=int)
    review.add_argument("--out", required=True, type=Path)


def _report(store: Store, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    written, built = reports.write(store, args.format, args.out, since=args.since,
                                   until=args.until)
    for path in written:
        print(path)
    print(f"{built.sitrep.figures['posts']} posts, {time.perf_counter() - started:.2f} s",
          file=sys.stderr)
    return 0


def _export(store: Store, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if args.action in ("cap", "claimreview"):
        from vigie.exports import outgoing

        try:
            path = (outgoing.write_cap(store, args.message, args.out)
                    if args.action == "cap"
                    else outgoing.write_claimreview(store, args.claim, args.out))
        except (LookupError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(path)
        return 0
    result = exports.export(store, args.action, args.format, args.out, since=args.since,
                            until=args.until, with_authors=args.with_authors)
    store.audit("cli", "export", args.action, None,
                after={"format": args.format, "since": args.since, "until": args.until,
                       "with_authors": args.with_authors, "rows": result.rows,
                       "path": str(result.path)})
    print(result.path)
    print(f"{result.rows} rows, {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return 0


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
    if args.command == "report":
        return _report(store, args)
    if args.command == "export":
        return _export(store, args)
    if args.command == "users" and args.action == "list":
        for u in store.list_users():
            state = "" if u["active"] else " (disabled)"
            print(f"{u['username']:<20} {u['role']:<12} last login {u['last_login_at'] or '-'}"
                  f"{state}")
        return 0
    if args.command == "backup":
        from vigie.store.backup import backup

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
