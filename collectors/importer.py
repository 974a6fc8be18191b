"""`python -m collectors import FILE`: bring another tool's export into Vigie.

Rows stream from the file (never read whole), go through the same pipeline as
collected posts (enrichment, idempotent insert) in chunks, and each bad row is
reported with its line number and skipped.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from collectors.base import Batch, ParseError
from collectors.fileimport import read_posts
from vigie.pipeline import Enricher, StoreEnricher, ingest
from vigie.store import Store

CHUNK = 1000


@dataclass
class ImportSummary:
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.imported} imported, {self.duplicates} duplicates, "
                f"{self.rejected} rejected ({self.read} rows read)")


class ImportRefused(Exception):
    """The import cannot go where it was asked to (nothing was read)."""


def import_file(store: Store, path: str | Path, *, fmt: str | None = None,
                source: str = "import", mapping: dict[str, str] | None = None,
                enricher: Enricher | None = None,
                progress: Callable[[ImportSummary], None] | None = None,
                report: TextIO | None = None, exercise: bool = False) -> ImportSummary:
    """Stream the file through the pipeline. Imported posts are real data: they join the
    newest open real incident (or none), never an exercise running beside it, so purging
    the exercise cannot take them; `exercise=True` (an inject for a drill) joins the
    running exercise instead, and refuses if none runs."""
    summary = ImportSummary()
    enricher = enricher or StoreEnricher(store)
    pending: list = []
    incident = store.running_exercise() if exercise else store.active_real_incident()
    if exercise and incident is None:
        raise ImportRefused("no exercise is running: start one before importing an inject")
    incident_id = incident["id"] if incident else None

    def flush() -> None:
        if not pending:
            return
        result = ingest(store, Batch(posts=list(pending)), collector=f"import:{source}",
                        incident_id=incident_id, enricher=enricher)
        summary.imported += result.posts_added
        summary.duplicates += len(pending) - result.posts_added
        pending.clear()
        if progress:
            progress(summary)

    for row in read_posts(str(path), fmt=fmt, source=source, mapping=mapping):
        summary.read += 1
        if row.error or row.post is None:
            summary.rejected += 1
            message = f"line {row.line}: {row.error or 'unreadable'}"
            if len(summary.errors) < 1000:
                summary.errors.append(message)
            if report:
                print(message, file=report)
            continue
        pending.append(row.post)
        if len(pending) >= CHUNK:
            flush()
    flush()
    return summary


def main(args) -> int:
    """Entry for the `import` sub-command (arguments parsed in collectors.__main__)."""
    from vigie.store import default_db_path

    store = Store(args.db or default_db_path())
    mapping = dict(m.split("=", 1) for m in args.map or [])

    def progress(s: ImportSummary) -> None:
        print(f"\r{s.read} rows read, {s.imported} imported…", end="", file=sys.stderr,
              flush=True)

    try:
        summary = import_file(store, args.file, fmt=args.format, source=args.source,
                              mapping=mapping or None, progress=progress, report=sys.stderr,
                              exercise=args.exercise)
    except (ParseError, OSError, ImportRefused) as exc:
        print(f"\nerror: {exc}", file=sys.stderr)
        return 2
    print(file=sys.stderr)
    print(summary.line())
    return 0 if summary.imported or not summary.rejected else 1
