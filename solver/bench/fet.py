"""FET benchmark: ``fet-cl`` and our solver on the same .fet files, side by side.

For every file and seed the two run one after the other on the same machine with the same
time limit. FET's time is the wall time of ``fet-cl`` until it has written a complete
timetable; ours is the time from reading the file to the first timetable that passed both
independent checkers (:mod:`solver.verify` and :mod:`solver.fet.check`). A run that finds
nothing counts as not found; per file the median over seeds is reported (a file counts as
solved when at least half of its runs were). After the first timetable our solver spends
at most ``OPTIMISE_SECONDS`` on the soft goals, so the soft cost is the one reached then.

Examples::

    python -m solver.bench fet FILE.fet ... --time-limit 60 --seeds 3 --json fet.json
    python -m solver.bench fet --official --time-limit 300 --seeds 3
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from solver.bench.report import Row, median, print_table
from solver.fet.reader import FetError, read_fet
from solver.fet.run import solve_fet_file

EXAMPLES = Path("/usr/share/doc/fet-data/examples")
OFFICIAL = EXAMPLES / "FET-5-official"
OPTIMISE_SECONDS = 10.0
COLUMNS = ["file", "activities", "fet_s", "fet_solved", "ours_s", "ours_solved", "soft", "ratio"]

# Every timetable format FET can write is switched off except the XML one: the benchmark
# times the search, not HTML rendering.
_QUIET = [
    "--htmllevel=0",
    "--writetimetableconflicts=true",
    "--writetimetablesstatistics=false",
    "--writetimetablesxml=true",
    "--writetimetablesdayshorizontal=false",
    "--writetimetablesdaysvertical=false",
    "--writetimetablestimehorizontal=false",
    "--writetimetablestimevertical=false",
    "--writetimetablessubgroups=false",
    "--writetimetablesgroups=false",
    "--writetimetablesyears=false",
    "--writetimetablesteachers=false",
    "--writetimetablesteachersfreeperiods=false",
    "--writetimetablesrooms=false",
    "--writetimetablessubjects=false",
    "--writetimetablesactivitytags=false",
    "--writetimetablesactivities=false",
    "--warnifusingnotperfectconstraints=false",
    "--warnifusingstudentsminhoursdailywithallowemptydays=false",
    "--warnifusinggroupactivitiesininitialorder=false",
    "--warnsubgroupswiththesameactivities=false",
]


def setup_fet() -> str:
    """Return the path of ``fet-cl``; install ``fet`` and ``fet-data`` when root may.

    CI starts from a clean machine: as root this installs Debian's packages, otherwise it
    says which command to run and stops.
    """
    found = shutil.which("fet-cl")
    if found is not None and OFFICIAL.is_dir():
        return found
    if os.geteuid() != 0:
        raise SystemExit("fet-cl or fet-data is missing: run 'apt-get install -y fet fet-data'")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "fet", "fet-data"], check=True, env=env)
    found = shutil.which("fet-cl")
    if found is None:
        raise SystemExit("apt-get installed fet but fet-cl is still not on PATH")
    return found


def official_files() -> tuple[list[Path], int]:
    """Return the FET-5-official files whose hard constraints are all supported, and the total."""
    files = sorted(OFFICIAL.rglob("*.fet"))
    supported = []
    for path in files:
        try:
            if read_fet(path).fully_supported:
                supported.append(path)
        except FetError:
            continue
    return supported, len(files)


def run_fet(fet_cl: str, path: Path, time_limit: float, seed: int) -> float | None:
    """Run fet-cl once; return its wall seconds to a complete timetable, or None."""
    with tempfile.TemporaryDirectory(prefix="fet-bench-") as out:
        seeds = [f"--randomseeds{k}={seed + i + 1}" for i, k in enumerate((10, 11, 12, 20, 21, 22))]
        command = [
            fet_cl,
            f"--inputfile={path}",
            f"--outputdir={out}",
            f"--timelimitseconds={max(1, math.ceil(time_limit))}",
            *_QUIET,
            *seeds,
        ]
        started = time.perf_counter()
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=time_limit + 60, check=False
            )
        except subprocess.TimeoutExpired:
            return None
        elapsed = time.perf_counter() - started
        log = Path(out, "logs", "result.txt")
        text = done.stdout + (log.read_text(errors="replace") if log.exists() else "")
        return elapsed if "Simulation successful" in text else None


def run_ours(
    path: Path, time_limit: float, seed: int, workers: int
) -> tuple[float | None, int | None]:
    """Solve once; return seconds to the first verified timetable and its final soft cost."""
    report = solve_fet_file(
        path, time_limit=time_limit, seed=seed, workers=workers, optimise_seconds=OPTIMISE_SECONDS
    )
    if not report["verified"]:
        return None, None
    return report["timings"]["first_verified"], report["soft"]


def _solved_median(times: list[float | None]) -> float | None:
    """Return the median time with failures counted as infinite; None when that is infinite."""
    middle = statistics.median(math.inf if t is None else t for t in times)
    return None if math.isinf(middle) else middle


def run_fet_mode(args: argparse.Namespace) -> list[Row]:
    """Benchmark FET against our solver on the given files (or the official set)."""
    fet_cl = setup_fet()
    files = [Path(f) for f in args.files]
    if getattr(args, "official", False):
        supported, total = official_files()
        print(f"FET-5-official: {len(supported)} of {total} files: all hard constraints supported")
        files += supported
    if not files:
        raise SystemExit("give .fet files or --official")

    rows: list[Row] = []
    for path in files:
        rows.append(_bench_file(fet_cl, path, args))
        print_table(rows[-1:], COLUMNS)
        sys.stdout.flush()

    ratios = [r["ratio"] for r in rows if isinstance(r["ratio"], float)]
    summary: Row = {
        "file": "MEDIAN ours/FET",
        "activities": None,
        "fet_solved": sum(1 for r in rows if r["fet_s"] is not None),
        "ours_solved": sum(1 for r in rows if r["ours_s"] is not None),
        "ratio": median(ratios),
    }
    print()
    print_table([*rows, summary], COLUMNS)
    return [*rows, summary]


def _bench_file(fet_cl: str, path: Path, args: argparse.Namespace) -> Row:
    """Run FET and ours alternately for every seed on one file; return the file's row."""
    fet = read_fet(path)
    fet_times: list[float | None] = []
    our_times: list[float | None] = []
    softs: list[int | None] = []
    for seed in range(args.seeds):
        fet_times.append(run_fet(fet_cl, path, args.time_limit, seed))
        ours, soft = run_ours(path, args.time_limit, seed, args.workers)
        our_times.append(ours)
        softs.append(soft)

    fet_s, ours_s = _solved_median(fet_times), _solved_median(our_times)
    return {
        "file": str(path.relative_to(OFFICIAL)) if path.is_relative_to(OFFICIAL) else str(path),
        "activities": len(fet.activities),
        "fully_supported": fet.fully_supported,
        "fet_s": fet_s,
        "fet_solved": f"{sum(t is not None for t in fet_times)}/{args.seeds}",
        "ours_s": ours_s,
        "ours_solved": f"{sum(t is not None for t in our_times)}/{args.seeds}",
        "soft": median(softs),
        "ratio": ours_s / fet_s if fet_s and ours_s is not None else None,
        "fet_runs": fet_times,
        "our_runs": our_times,
    }
