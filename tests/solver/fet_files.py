"""The hand-written FET test files and a helper to derive variants of them."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
TINY = DATA / "tiny-school.fet"

# Switch on the file's inactive "max days per week" constraint, which the solver lacks.
MAX_DAYS_ON = (
    "<Max_Days_Per_Week>2</Max_Days_Per_Week>\n\t<Active>false</Active>",
    "<Max_Days_Per_Week>2</Max_Days_Per_Week>\n\t<Active>true</Active>",
)


def tiny_variant(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """Write a copy of the tiny school with each (old, new) text replaced once."""
    text = TINY.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "variant.fet"
    path.write_text(text, encoding="utf-8")
    return path
