"""Keep the solver tests independent of Django.

The repository root is put on ``sys.path`` so ``solver`` imports without pytest-django, and
the platform's autouse database fixture is overridden with a no-op: the solver never touches
a database, so its tests also run with ``-p no:django``.
"""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _public_schema_after_test() -> Iterator[None]:
    """Override the platform's schema reset; solver tests use no database."""
    yield
