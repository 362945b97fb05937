"""Walk every URL pattern of a URL configuration, with the view each one resolves to."""

import re
from collections.abc import Callable, Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def walk(urlconf: str) -> Iterator[tuple[str, Callable[..., Any]]]:
    """Yield (route, view) for every pattern, routes of includes joined to their prefix."""
    yield from _walk(get_resolver(urlconf).url_patterns, "")


def _walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, Callable[..., Any]]]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def fill(route: str, student_id: int, other: int = 999_999) -> str:
    """Turn a route into a path: ``student_id`` for that name, ``other`` or 'x' elsewhere."""

    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        if converter == "int":
            return str(student_id if name == "student_id" else other)
        return "x"

    return "/" + CONVERTER.sub(value, route).lstrip("^").rstrip("$")
