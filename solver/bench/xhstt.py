"""The ``xhstt`` benchmark: hard and soft cost per archive instance at fixed time limits.

One run per instance and seed lasts the longest time limit; the best solution held at each
shorter limit is kept on the way (see ``checkpoints`` in :func:`solve_xhstt`), so a 60 s and a
300 s figure cost one 300 s run. Every reported cost comes from the archive evaluator, which
shares no code with the CP model.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from solver.bench.report import Row, median, print_table
from solver.xhstt.archive import read_archive
from solver.xhstt.evaluate import evaluate
from solver.xhstt.model import solve_xhstt

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "xhstt"

# Best known (hard, soft) costs, as given in issue 4.
BEST_KNOWN = {
    "BrazilInstance1": (0, 41),
    "FinlandHighSchool": (0, 0),
    "SouthAfricaWoodlands2009": (0, 0),
    "ArtificialSudoku4x4": (0, 0),
}

# The instances small enough for the "soft within 10% in 300 s" target.
SMALL = frozenset({"BrazilInstance1", "ArtificialSudoku4x4"})


def run_xhstt_mode(args: argparse.Namespace) -> list[Row]:
    """Solve every given archive file per seed; print and return one row per time limit."""
    files = [Path(f) for f in args.files] or sorted(DATA.glob("*.xml"))
    limits = sorted({args.time_limit, *args.checkpoints})
    rows: list[Row] = []
    columns = ["instance", "seed", "limit_s", "verified", "hard", "soft", "best_soft", "first_s"]
    for path in files:
        instance = read_archive(path).instances[0]
        for seed in range(args.seeds):
            result = solve_xhstt(
                instance,
                time_limit=max(limits),
                workers=args.workers,
                seed=seed,
                checkpoints=limits[:-1],
            )
            for limit in limits:
                solution = result.snapshots.get(limit, result.solution)
                row: Row = {
                    "mode": "xhstt",
                    "instance": path.stem,
                    "seed": seed,
                    "limit_s": limit,
                    "verified": False,
                    "hard": None,
                    "soft": None,
                    "best_hard": BEST_KNOWN.get(path.stem, (None, None))[0],
                    "best_soft": BEST_KNOWN.get(path.stem, (None, None))[1],
                    "first_s": result.first_solution,
                    "unsupported": result.unsupported,
                }
                if solution is not None:
                    evaluation = evaluate(instance, solution)
                    row["hard"], row["soft"] = evaluation.hard, evaluation.soft
                    row["verified"] = evaluation.hard == 0 and not evaluation.unsupported
                rows.append(row)
                print_table([row], columns)

    print(f"\nmedians over {args.seeds} seed(s):")
    summary = []
    for path in files:
        for limit in limits:
            runs = [r for r in rows if r["instance"] == path.stem and r["limit_s"] == limit]
            summary.append(_median_row(path.stem, limit, runs))
    print_table(summary, [*columns, "target"])
    return rows


def _median_row(name: str, limit: float, runs: list[Row]) -> Row:
    """Return the median hard and soft cost of one instance at one limit, with the target."""
    hard = median(r["hard"] for r in runs if isinstance(r["hard"], int))
    soft = median(r["soft"] for r in runs if isinstance(r["soft"], int))
    best = BEST_KNOWN.get(name, (None, None))[1]
    verified = sum(1 for r in runs if r["verified"])
    target = "-"
    if limit <= 60:
        target = "met" if verified == len(runs) else "missed"
    elif name in SMALL and best is not None:
        within = verified == len(runs) and soft is not None and soft <= best * 1.1
        target = "met" if within else "missed"
    return {
        "instance": name,
        "seed": "med",
        "limit_s": limit,
        "verified": f"{verified}/{len(runs)}",
        "hard": hard,
        "soft": soft,
        "best_soft": best,
        "first_s": median(r["first_s"] for r in runs if isinstance(r["first_s"], float)),
        "target": target,
    }
