"""The date of the extract a file was made from, as the file itself states it.

Ankestyrelsen revises past figures, so a report must say which extract it rests on. A
file says so, if at all, in a line outside its table: a title line above the header or
a source line below the table ("Kilde: Ankestyrelsen (ANKEAST3, udtrukket 1. marts
2024)", as the statistics portal writes it). A date in such a line is the extract date

- when it follows a word that says so: "udtræk" (udtrækket, udtræksdato), "udtrukket",
  "trukket", "opgjort" or "pr.", with nothing between but "pr.", "per", "den", "d.",
  ":" or "," ("Kilde: Ankestyrelsen, udtræk pr. 7. februar 2023", "Opgjort pr. 7.
  februar 2023", "Data trukket 2023-02-07", "Udtræksdato: 7/2-2023"); or
- when it is the whole line ("07.02.2023"; in Excel also a date cell alone in its row).

Dates are read as Danish readers write them: "7. februar 2023" (also "7 feb. 2023" and
the other abbreviations in `_MONTHS`), ISO "2023-02-07", and day first with a four-digit
year: "07.02.2023", "7.2.2023", "07-02-2023", "7/2-2023", "7/2 2023".

Nothing is guessed. An extract date that does not exist ("31. februar 2023") or reads
two ways ("7/2/2023": day or month first; "7.2.23": which century) is a problem naming
the file, the line and the date, and so are two different extract dates in one file. A
date that is not in an extract date's place (a period, "1.1.2023–31.12.2023") is not
the extract date and is not checked; when the file gives no extract date, each line
with such a date (or with one of the words but no date after it) gives a note, so the
user sees why none was read. A note quotes only the date or the word, never the line:
lines outside the table are not searched for CPR numbers (`omglib.io.privacy`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final, NamedTuple

from omglib.errors import DataError, Problem
from omglib.formats import MONTHS

_ABBREVIATIONS: Final = {
    "jan": 1,
    "feb": 2,
    "febr": 2,
    "mar": 3,
    "mart": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "nov": 11,
    "dec": 12,
}
#: Month names and their abbreviations (lower case) → month number.
_MONTHS: Final = {name: number for number, name in enumerate(MONTHS, 1)} | _ABBREVIATIONS
_MONTH_WORDS: Final = "|".join(sorted(_MONTHS, key=len, reverse=True))
_BEFORE: Final = r"(?<![\w./-])"
_AFTER: Final = r"(?![\w/-]|[.-]\d)"
_LONG: Final = re.compile(
    rf"{_BEFORE}(?P<day>\d{{1,2}})\.?\s*(?P<month>{_MONTH_WORDS})(?![a-zæøå])\.?\s+"
    rf"(?P<year>\d{{4}}){_AFTER}",
    re.IGNORECASE,
)
_ISO: Final = re.compile(
    rf"{_BEFORE}(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}}){_AFTER}"
)
_NUMERIC: Final = re.compile(
    rf"{_BEFORE}(?P<day>\d{{1,2}})(?P<first>[./-])(?P<month>\d{{1,2}})(?P<last>[./ -])"
    rf"(?P<year>\d{{4}}|\d{{2}}){_AFTER}"
)
#: The separators of a numeric date (between day and month, between month and year)
#: that are read: 7.2.2023, 7-2-2023, 7/2-2023 and 7/2 2023. 7/2/2023 reads two ways.
_READ_SEPARATORS: Final = {(".", "."), ("-", "-"), ("/", "-"), ("/", " ")}
#: A word saying that the date after it is the extract's, with what may stand between.
_MARKER: Final = re.compile(
    r"\b(?:udtr(?:æ|ae)k\w*|udtrukket|trukket|opgjort|pr\.)"
    r"(?:\s|[:,]|\bpr\.|\bper\b|\bden\b|\bd\.)*$",
    re.IGNORECASE,
)
#: The words alone (not "pr.", which also means "per": "Omgørelser pr. kommune").
_MARKER_WORD: Final = re.compile(
    r"\b(?:udtr(?:æ|ae)k\w*|udtrukket|trukket|opgjort)\b", re.IGNORECASE
)
#: What an extract date should look like, for every problem with one.
_EXPECTED: Final = "forventede en dato som 7. februar 2023, 07.02.2023 eller 2023-02-07"
#: How a file states its extract date, for the note on a line that does not.
_HOW: Final = (
    "en dato er udtrækkets, når den står efter fx 'udtrukket' eller 'opgjort pr.' eller "
    "alene på linjen, som 7. februar 2023 eller 2023-02-07"
)


class TextLine(NamedTuple):
    """A line outside a file's table: its line (text file) or row (Excel), 1-based, and
    its text."""

    number: int
    text: str


@dataclass(frozen=True)
class Vintage:
    """The extract date a file states (None: it states none) and, when it states none,
    notes on its lines that mention a date or an extract without giving its date."""

    date: dt.date | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Written:
    """A date as written in a line: where, the text, and the date or why it is none."""

    start: int
    text: str
    date: dt.date | None
    problem: str


def read_vintage(file: str, lines: Iterable[TextLine]) -> Vintage:
    """The extract date stated in `lines` (the file's lines outside its table), or a
    DataError naming `file`, line and date (see the module docstring)."""
    found: list[tuple[TextLine, _Written]] = []
    unread: list[str] = []
    for line in lines:
        written = list(_dates(line.text))
        stated = [w for w in written if _is_extract_date(line.text, w)]
        found += [(line, w) for w in stated]
        unread += [] if stated else _unread(line, written)
    problems = [
        Problem(file, line.number, None, w.text, w.problem) for line, w in found if w.problem
    ]
    problems += _disagreements(file, [(line, w) for line, w in found if not w.problem])
    if problems:
        raise DataError(problems)
    if found:
        return Vintage(found[0][1].date)
    return Vintage(notes=tuple(f"Ingen udtræksdato læst i {what} – {_HOW}" for what in unread))


def _unread(line: TextLine, written: list[_Written]) -> list[str]:
    """Why a line without an extract date may look as if it had one: a date elsewhere in
    it, or a word for an extract with no date after it (nothing: neither)."""
    marker = _MARKER_WORD.search(line.text)
    if written:
        return [f"række {line.number}: '{written[0].text}' står ikke som udtrækkets dato"]
    if marker:
        return [f"række {line.number}: '{marker.group()}' står uden en dato efter sig"]
    return []


def _dates(text: str) -> Iterator[_Written]:
    """Every date written in `text`, in order, none overlapping another."""
    matches = sorted(
        (m for pattern in (_LONG, _ISO, _NUMERIC) for m in pattern.finditer(text)),
        key=lambda m: m.start(),
    )
    end = 0
    for match in matches:
        if match.start() >= end:
            end = match.end()
            yield _written(match)


def _written(match: re.Match[str]) -> _Written:
    """A date found by one of the patterns, read, or with the reason it cannot be."""
    parts = match.groupdict()
    problem = _numeric_problem(parts) if "first" in parts else ""
    if problem:
        return _Written(match.start(), match.group(), None, problem)
    month = parts["month"]
    number = int(month) if month.isdigit() else _MONTHS[month.lower()]
    try:
        date = dt.date(int(parts["year"]), number, int(parts["day"]))
    except ValueError:
        return _Written(match.start(), match.group(), None, _NO_SUCH_DATE)
    return _Written(match.start(), match.group(), date, "")


def _numeric_problem(parts: dict[str, str]) -> str:
    """Why a numeric date cannot be read as one date ("" when it can)."""
    separators = (parts["first"], parts["last"])
    if separators == ("/", "/"):
        return _TWO_WAYS
    if separators not in _READ_SEPARATORS:
        return _MIXED
    if len(parts["year"]) == 2:
        return _SHORT_YEAR
    return ""


_NO_SUCH_DATE: Final = f"udtrækkets dato findes ikke i kalenderen – {_EXPECTED}"
_TWO_WAYS: Final = (
    "udtrækkets dato kan læses både som dag/måned/år og måned/dag/år – "
    f"{_EXPECTED} (dag først, fx 7/2-2023)"
)
_SHORT_YEAR: Final = f"udtrækkets dato har kun to cifre i årstallet – {_EXPECTED}"
_MIXED: Final = f"udtrækkets dato blander skilletegn – {_EXPECTED}"


def _is_extract_date(text: str, written: _Written) -> bool:
    """Whether a date in `text` is in an extract date's place: after a word that says
    so, or alone on its line."""
    alone = text.strip().rstrip(".") == written.text.rstrip(".")
    return alone or _MARKER.search(text[: written.start]) is not None


def _disagreements(file: str, stated: list[tuple[TextLine, _Written]]) -> list[Problem]:
    """A problem at each extract date that differs from the first one stated."""
    if not stated:
        return []
    first_line, first = stated[0]
    return [
        Problem(
            file,
            line.number,
            None,
            written.text,
            f"filen angiver to forskellige udtræksdatoer: denne og '{first.text}' i række "
            f"{first_line.number} – forventede én udtræksdato",
        )
        for line, written in stated[1:]
        if written.date != first.date
    ]
