"""Timetabler-facing messages in Dutch (default) and English."""

from __future__ import annotations

from typing import Any

# Each requirement kind has a sentence per language; ``{name}`` is the thing it is about.
_REQUIREMENTS: dict[str, dict[str, str]] = {
    "scheduled": {
        "nl": "les {name} moet {count} keer per week ingeroosterd worden",
        "en": "lesson {name} must be scheduled {count} times a week",
    },
    "allowed_times": {
        "nl": "les {name} mag alleen op de toegestane tijden",
        "en": "lesson {name} may only take place at its allowed times",
    },
    "pinned": {
        "nl": "les {name} staat vast op het vastgezette tijdstip",
        "en": "lesson {name} is pinned to its fixed time",
    },
    "teacher_available": {
        "nl": "docent {name} is niet beschikbaar op de opgegeven tijden",
        "en": "teacher {name} is unavailable at the given times",
    },
    "student_available": {
        "nl": "leerling {name} is niet beschikbaar op de opgegeven tijden",
        "en": "student {name} is unavailable at the given times",
    },
    "group_available": {
        "nl": "groep {name} is niet beschikbaar op de opgegeven tijden",
        "en": "group {name} is unavailable at the given times",
    },
    "room_available": {
        "nl": "lokaal {name} is niet beschikbaar op de opgegeven tijden",
        "en": "room {name} is unavailable at the given times",
    },
    "teacher_clash": {
        "nl": "docent {name} kan geen twee lessen tegelijk geven",
        "en": "teacher {name} cannot teach two lessons at once",
    },
    "student_clash": {
        "nl": "leerling {name} kan niet in twee lessen tegelijk zitten",
        "en": "student {name} cannot attend two lessons at once",
    },
    "group_clash": {
        "nl": "groep {name} kan niet in twee lessen tegelijk zitten",
        "en": "group {name} cannot attend two lessons at once",
    },
    "room_clash": {
        "nl": "lokaal {name} kan maar voor één les tegelijk gebruikt worden",
        "en": "room {name} can host only one lesson at a time",
    },
    "teacher_max_day": {
        "nl": "docent {name} geeft hoogstens {count} uur per dag",
        "en": "teacher {name} teaches at most {count} periods a day",
    },
    "student_max_day": {
        "nl": "leerling {name} heeft hoogstens {count} uur per dag",
        "en": "student {name} has at most {count} periods a day",
    },
    "student_gaps": {
        "nl": "leerling {name} mag geen tussenuren hebben",
        "en": "student {name} may have no idle periods",
    },
    "spread": {
        "nl": "de lessen {name} moeten op verschillende dagen vallen",
        "en": "the lessons {name} must fall on different days",
    },
    "travel": {
        "nl": "{name} heeft reistijd nodig tussen de locaties",
        "en": "{name} needs travel time between locations",
    },
    "section_capacity": {
        "nl": "de clusters van {name} mogen niet voller zijn dan hun capaciteit",
        "en": "the sections of {name} may not exceed their capacity",
    },
    "section_balance": {
        "nl": "de clusters van {name} moeten ongeveer even groot zijn (verschil hoogstens {count})",
        "en": "the sections of {name} must have similar sizes (difference at most {count})",
    },
}

_FACTS: dict[str, dict[str, str]] = {
    "teacher_load": {
        "nl": "docent {name} heeft {load} lesuren maar is maar {available} uren beschikbaar",
        "en": "teacher {name} has {load} lesson periods but is available {available} periods",
    },
    "student_load": {
        "nl": "leerling {name} heeft {load} lesuren maar is maar {available} uren beschikbaar",
        "en": "student {name} has {load} lesson periods but is available {available} periods",
    },
    "group_load": {
        "nl": "groep {name} heeft {load} lesuren maar is maar {available} uren beschikbaar",
        "en": "group {name} has {load} lesson periods but is available {available} periods",
    },
    "room_load": {
        "nl": "lokaal {name} is het enige lokaal voor {load} lesuren maar is maar "
        "{available} uren beschikbaar",
        "en": "room {name} is the only room for {load} lesson periods but is available "
        "{available} periods",
    },
    "no_room": {
        "nl": "les {name} vindt geen lokaal met {features} voor {count} deelnemers",
        "en": "lesson {name} finds no room with {features} for {count} participants",
    },
    "no_start": {
        "nl": "les {name} ({count} uur) past op geen enkel toegestaan tijdstip",
        "en": "lesson {name} ({count} periods) fits no allowed start time",
    },
    "spread_days": {
        "nl": "les {name} moet {count} keer op verschillende dagen, maar de week heeft "
        "{available} dagen",
        "en": "lesson {name} must fall on {count} different days but the week has {available} days",
    },
    "section_seats": {
        "nl": "cursus {name} heeft {count} leerlingen maar de clusters bieden {available} plaatsen",
        "en": "course {name} has {count} students but its sections offer {available} seats",
    },
    "timeout": {
        "nl": "binnen de tijdslimiet is geen rooster gevonden en ook niet bewezen dat het "
        "onmogelijk is",
        "en": "no timetable was found within the time limit, nor was it proven impossible",
    },
    "unexplained": {
        "nl": "er is geen rooster mogelijk, maar de oorzaak kon niet verder ingeperkt worden",
        "en": "no timetable exists, but the cause could not be narrowed down further",
    },
    "intro": {
        "nl": "Deze eisen kunnen niet allemaal tegelijk gelden:",
        "en": "These requirements cannot all hold at the same time:",
    },
}


def requirement(kind: str, language: str, **values: Any) -> str:
    """Return the sentence for a requirement kind in a language."""
    return _REQUIREMENTS[kind][_lang(language)].format(**values)


def fact(kind: str, language: str, **values: Any) -> str:
    """Return the sentence for a counted fact that already makes a timetable impossible."""
    return _FACTS[kind][_lang(language)].format(**values)


def _lang(language: str) -> str:
    """Return a supported language code, falling back to Dutch."""
    return language if language in ("nl", "en") else "nl"
