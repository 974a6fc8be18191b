"""`python -m bench <subcommand> [options]`: one module per subcommand, each with `main(argv)`.

Subcommands register here by module path, so that a new benchmark (ingest, pages, load...) is
one line; each module parses its own options (`python -m bench quality --help`).
"""

from __future__ import annotations

import importlib
import sys

SUBCOMMANDS: dict[str, str] = {
    "quality": "bench.quality",
    "enrich": "bench.enrich_speed",
    "train-model": "bench.train_model",
    "ingest": "bench.ingest",
    "report": "bench.report_speed",
    "pages": "bench.pages",
    "load": "bench.load",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in SUBCOMMANDS:
        names = ", ".join(sorted(SUBCOMMANDS))
        print(f"usage: python -m bench {{{names}}} [options]", file=sys.stderr)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    module = importlib.import_module(SUBCOMMANDS[argv[0]])
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
