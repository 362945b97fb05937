"""Parse untrusted XML without DTDs: files that declare a DOCTYPE or ENTITY are refused."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

# ElementTree does not fetch external entities, but it does expand internal ones ("billion
# laughs"); timetable files never need a DTD, so any declaration is refused up front.
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class UnsafeXMLError(ValueError):
    """Raise when an XML document contains a DOCTYPE or ENTITY declaration."""


def parse_bytes(data: bytes) -> ET.Element:
    """Return the root element of a document after refusing DTD declarations."""
    if _DECLARATION.search(data):
        raise UnsafeXMLError("XML with DOCTYPE or ENTITY declarations is not accepted")
    return ET.fromstring(data)


def parse_file(path: str | Path) -> ET.Element:
    """Return the root element of an XML file after refusing DTD declarations."""
    return parse_bytes(Path(path).read_bytes())
