"""Shared helpers of the benchmark modes: rows, medians and plain-text tables."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence

# One line of a benchmark table; values are JSON-serialisable (str, int, float, bool, None).
Row = dict[str, object]


def median(values: Iterable[float | int | None]) -> float | None:
    """Return the median of the values that are not None, or None when there are none."""
    present = [float(v) for v in values if v is not None]
    return statistics.median(present) if present else None


def print_table(rows: Sequence[Row], columns: Sequence[str]) -> None:
    """Print rows as an aligned table with the given columns."""
    cells = [[_cell(row.get(column)) for column in columns] for row in rows]
    widths = [max([len(c)] + [len(line[i]) for line in cells]) for i, c in enumerate(columns)]
    print("  ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True)))
    for line in cells:
        print("  ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)))


def _cell(value: object) -> str:
    """Format one table cell: floats with one decimal, None as a dash."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
