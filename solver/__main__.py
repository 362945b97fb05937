"""Command line: ``python -m solver solve FILE --time-limit SECONDS``.

Solves one XHSTT archive (.xml) or FET file (.fet) and prints the result as JSON on stdout.
The top-level ``verified`` is true only when the independent checker found no hard violation.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def solve_file(path: Path, time_limit: float, seed: int = 0, workers: int = 2) -> dict[str, Any]:
    """Solve a file and return a JSON-serialisable report."""
    if path.suffix.lower() == ".fet":
        from solver.fet.run import solve_fet_file

        return solve_fet_file(path, time_limit=time_limit, seed=seed, workers=workers)
    return solve_xhstt_file(path, time_limit=time_limit, seed=seed, workers=workers)


def solve_xhstt_file(
    path: Path, *, time_limit: float, seed: int = 0, workers: int = 2
) -> dict[str, Any]:
    """Solve the first instance of an XHSTT archive and evaluate the timetable."""
    from solver.xhstt.archive import read_archive
    from solver.xhstt.evaluate import evaluate
    from solver.xhstt.model import solve_xhstt

    instance = read_archive(path).instances[0]
    result = solve_xhstt(instance, time_limit=time_limit, seed=seed, workers=workers)
    report: dict[str, Any] = {
        "file": str(path),
        "format": "xhstt",
        "instance": instance.id,
        "status": result.status,
        "verified": False,
        "hard": None,
        "soft": None,
        "objective": result.objective,
        "bound": result.bound,
        "timings": {
            "build": result.build_seconds,
            "first_solution": result.first_solution,
            "best_solution": result.best_solution,
            "total": result.total_seconds,
        },
        "unsupported": result.unsupported,
        "events": [],
    }
    if result.solution is not None:
        evaluation = evaluate(instance, result.solution)
        report["hard"] = evaluation.hard
        report["soft"] = evaluation.soft
        report["verified"] = evaluation.hard == 0 and not evaluation.unsupported
        report["unsupported"] = sorted(set(result.unsupported) | set(evaluation.unsupported))
        report["events"] = [
            {"event": e.event, "time": e.time, "duration": e.duration, "resources": e.resources}
            for e in result.solution.events
        ]
    return report


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, solve, print JSON; exit 0 when a verified timetable was found."""
    parser = argparse.ArgumentParser(prog="python -m solver")
    commands = parser.add_subparsers(dest="command", required=True)
    solve = commands.add_parser("solve", help="solve a FET or XHSTT file")
    solve.add_argument("file", type=Path)
    solve.add_argument("--time-limit", type=float, default=60.0)
    solve.add_argument("--seed", type=int, default=0)
    solve.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    report = solve_file(args.file, args.time_limit, args.seed, args.workers)
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0 if report["verified"] else 1


if __name__ == "__main__":
    sys.exit(main())
