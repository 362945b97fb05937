"""The hand-written FET test files and a helper to derive variants of them."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
TINY = DATA / "tiny-school.fet"

# Switch on the file's inactive "interval max days per week" rule, which the solver lacks.
INTERVAL_ON = (
    "<Max_Days_Per_Week>1</Max_Days_Per_Week>\n\t<Active>false</Active>",
    "<Max_Days_Per_Week>1</Max_Days_Per_Week>\n\t<Active>true</Active>",
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


def extra_time_constraints(*elements: str) -> tuple[str, str]:
    """Return a change that appends constraint elements to the time constraint list."""
    end = "</Time_Constraints_List>"
    return end, "\n".join(elements) + "\n" + end


def constraint(tag: str, *fields: str) -> str:
    """Return a hard, active FET constraint element with the given child elements."""
    body = "".join(f"\t{f}\n" for f in fields)
    return (
        f"<{tag}>\n\t<Weight_Percentage>100</Weight_Percentage>\n{body}"
        f"\t<Active>true</Active>\n</{tag}>"
    )
