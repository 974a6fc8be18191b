"""Read the CrisisLexT26 labelled tweets (Olteanu, Vieweg, Castillo, CSCW 2015).

Files are `<event>-tweets_labeled.csv`, UTF-8, RFC-4180 quoted, header
`Tweet ID, Tweet Text, Information Source, Information Type, Informativeness` with a leading
space before each name after the first, and label values that may be padded: both are stripped.
The folder is `../shared/data/labelled/crisislex_t26/` from the repository root by default
(or one level higher, for a git worktree);
`--data PATH` or the `VIGIE_LABELLED` environment variable override it.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_REL = Path("shared") / "data" / "labelled" / "crisislex_t26"
DEFAULT_DIR = ROOT.parent / _REL
# A git worktree sits one level deeper (…/wt/<name>): look beside its parent too.
FALLBACK_DIRS = (ROOT.parent.parent / _REL,)
SUFFIX = "-tweets_labeled.csv"

TYPES = (
    "Affected individuals",
    "Infrastructure and utilities",
    "Donations and volunteering",
    "Caution and advice",
    "Sympathy and support",
    "Other Useful Information",
)
INFORMATIVE = "Related and informative"
NOT_INFORMATIVE = ("Related - but not informative", "Not related")


@dataclass(frozen=True)
class Tweet:
    event: str
    id: str
    text: str
    source: str
    type: str
    informativeness: str

    @property
    def has_type(self) -> bool:
        """A type label among the six (not `Not labeled` / `Not applicable`)."""
        return self.type in TYPES

    @property
    def has_informativeness(self) -> bool:
        return self.informativeness == INFORMATIVE or self.informativeness in NOT_INFORMATIVE


class DataMissing(FileNotFoundError):
    pass


def resolve_dir(path: str | os.PathLike | None = None) -> Path:
    """--data first, then $VIGIE_LABELLED, then the shared default; clear error if absent."""
    explicit = path or os.environ.get("VIGIE_LABELLED")
    chosen = Path(explicit) if explicit else DEFAULT_DIR
    if not explicit and not chosen.is_dir():
        chosen = next((d for d in FALLBACK_DIRS if d.is_dir()), DEFAULT_DIR)
    if not chosen.is_dir() or not any(chosen.glob(f"*{SUFFIX}")):
        raise DataMissing(
            f"CrisisLexT26 files (*{SUFFIX}) not found in {chosen}. Point --data or "
            "VIGIE_LABELLED at the folder that holds them (shared/data/labelled/crisislex_t26)."
        )
    return chosen


def read_event(path: Path) -> list[Tweet]:
    event = path.name[: -len(SUFFIX)]
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader)]
        col = {name: i for i, name in enumerate(header)}
        needed = ("Tweet ID", "Tweet Text", "Information Source", "Information Type",
                  "Informativeness")
        missing = [n for n in needed if n not in col]
        if missing:
            raise ValueError(f"{path.name}: missing columns {missing}")
        out = []
        for row in reader:
            if len(row) != len(header):
                raise ValueError(f"{path.name}: row with {len(row)} fields: {row[:1]}")
            out.append(Tweet(
                event=event,
                id=row[col["Tweet ID"]].strip(),
                text=row[col["Tweet Text"]],
                source=row[col["Information Source"]].strip(),
                type=row[col["Information Type"]].strip(),
                informativeness=row[col["Informativeness"]].strip(),
            ))
    return out


def load(path: str | os.PathLike | None = None) -> dict[str, list[Tweet]]:
    """Every event in the folder: {event name: tweets}."""
    folder = resolve_dir(path)
    return {p.name[: -len(SUFFIX)]: read_event(p) for p in sorted(folder.glob(f"*{SUFFIX}"))}
