"""`python -m collectors`: the collectors process.

    python -m collectors                 run forever (holds the per-database lock)
    python -m collectors --once          one pass over every enabled source, then exit
                                         (sources: the file seeds the database's table;
                                         sources added in the Admin page run too)
    python -m collectors --config PATH   another sources file (default $VIGIE_SOURCES
                                         or data/sources.toml)
    python -m collectors import FILE [--format csv|jsonl] [--source NAME] [--map FIELD=COLUMN]
                                         import an export of posts, then exit
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from collectors.config import ConfigError, load_sources
from collectors.runner import Runner
from vigie.process import CollectorsLock
from vigie.secrets import SecretsFile, load_secrets
from vigie.store import Store, default_db_path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m collectors", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--once", action="store_true", help="one pass, then exit")
    parser.add_argument("--config", help="sources file (TOML)")
    parser.add_argument("--db", help="database path (default $VIGIE_DB or data/vigie.db)")
    return parser


def build_import_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m collectors import",
                                     description="Import a CSV or JSON Lines export of posts.")
    parser.add_argument("file", help="the file to import")
    parser.add_argument("--format", choices=("csv", "jsonl"),
                        help="default: from the file name, else from the content")
    parser.add_argument("--source", default="import", help="source name stored with each post")
    parser.add_argument("--map", action="append", metavar="FIELD=COLUMN",
                        help="column for a Vigie field (text, id, author, created_at, url, "
                             "lat, lon, lang); repeatable")
    parser.add_argument("--exercise", action="store_true",
                        help="attach the posts to the running exercise (an inject); by "
                             "default they are real and join the open real incident")
    parser.add_argument("--db", help="database path (default $VIGIE_DB or data/vigie.db)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["import"]:
        from collectors.importer import main as import_main

        return import_main(build_import_parser().parse_args(argv[1:]))
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s collectors %(message)s")
    log = logging.getLogger("vigie.collectors")
    try:
        sources = load_sources(args.config)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    db_path = args.db or default_db_path()
    store = Store(db_path)
    if args.once:
        runner = Runner(store, sources, secrets=load_secrets(), retire_missing=False)
        failed = 0
        for outcome in runner.run_once():
            status = "ok" if outcome.ok else f"FAILED ({outcome.error})"
            print(f"{outcome.source}: {status}, {outcome.items} new, {outcome.rejected} rejected")
            failed += not outcome.ok
        return 1 if failed else 0
    lock = CollectorsLock(db_path)
    if not lock.acquire():
        print("collectors already running for this database; not starting a second one",
              file=sys.stderr)
        return 0
    # Only the process that holds the lock applies the sources file to the table.
    runner = Runner(store, sources, secrets=SecretsFile())

    def stop(*_: object) -> None:
        # Leave at once, even in the middle of a long run: the write in progress rolls
        # back (every write is one transaction) and what was committed stays.
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("collecting %d source(s) into %s (the sources table: the file's and the Admin "
             "page's)", len(runner.sources), db_path)
    try:
        runner.run_forever()
    finally:
        lock.release()
    return 0


if __name__ == "__main__":
    sys.exit(main())
