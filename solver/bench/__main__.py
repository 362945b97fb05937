"""Benchmarks: ``python -m solver.bench MODE [options]``.

Each mode prints a table and returns its rows; ``--json FILE`` writes the rows as well.
Examples::

    python -m solver.bench school --students 100 300 1000 --time-limit 60 --seeds 3
    python -m solver.bench xhstt --time-limit 300 --checkpoints 60 --seeds 3
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from solver.bench.fet import run_fet_mode
from solver.bench.report import Row
from solver.bench.school import run_school_mode
from solver.bench.xhstt import run_xhstt_mode

Mode = Callable[[argparse.Namespace], list[Row]]

# The benchmark modes. A mode is a function that takes the parsed arguments (all options
# below; ``files`` holds the positional paths), prints its table and returns its rows, whose
# values must be JSON-serialisable. Add a mode with one line here, e.g.
#     "fet": run_fet_mode,   (from solver.bench.fet)
MODES: dict[str, Mode] = {
    "fet": run_fet_mode,
    "school": run_school_mode,
    "xhstt": run_xhstt_mode,
}


def parser() -> argparse.ArgumentParser:
    """Return the argument parser shared by all modes."""
    parse = argparse.ArgumentParser(prog="python -m solver.bench", description=__doc__)
    parse.add_argument("mode", choices=sorted(MODES))
    parse.add_argument("files", nargs="*", help="input files (xhstt: default the shared data)")
    parse.add_argument("--time-limit", type=float, default=60.0, help="seconds per run")
    parse.add_argument("--seeds", type=int, default=3, help="runs per input, seeds 0..N-1")
    parse.add_argument("--workers", type=int, default=2, help="CP-SAT search workers")
    parse.add_argument("--json", type=Path, help="also write the rows to this file")
    parse.add_argument(
        "--checkpoints",
        type=float,
        nargs="*",
        default=[],
        help="xhstt: also report the best solution held at these seconds of the run",
    )
    parse.add_argument("--official", action="store_true", help="fet: add supported official files")
    parse.add_argument("--students", type=int, nargs="+", default=[100, 300, 1000])
    parse.add_argument("--locations", type=int, choices=(2, 3), default=2)
    parse.add_argument(
        "--sections",
        choices=("model", "fixed"),
        default="fixed",
        help="school: let CP-SAT assign course sections, or assign them before solving",
    )
    return parse


def main(argv: list[str] | None = None) -> int:
    """Run one benchmark mode; write its rows as JSON when asked."""
    args = parser().parse_args(argv)
    rows = MODES[args.mode](args)
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
