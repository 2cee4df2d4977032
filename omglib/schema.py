"""Parsing and validating the three kinds of input, collecting every problem in a file.

Like pandera's lazy validation, each check runs over the whole column at once and adds
its failing rows to one list, so the user gets every problem (capped per check) in one
error instead of one per run. Each problem names the file, the row as the user sees it,
the column by the user's own title, the value and what was expected. Nothing is dropped
or coerced: a file with any problem raises DataError.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cache

import numpy as np
import pandas as pd

from omglib import registry
from omglib.errors import DataError, OmgError, Problem
from omglib.names import fold
from omglib.outcomes import OUTCOMES
from omglib.sources import SourceTable

MIN_YEAR = 2007
PROBLEMS_PER_CHECK = 50

Message = str | pd.Series | Callable[[str], str]


class Checker:
    """Collects the problems of one source table."""

    def __init__(self, source: SourceTable) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def flag(self, mask: pd.Series | np.ndarray, column: str | None, message: Message) -> None:
        """Record a problem for every row where `mask` is true (at most PROBLEMS_PER_CHECK)."""
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        frame = self.source.frame
        for position in positions[:PROBLEMS_PER_CHECK]:
            value = str(frame[column].iat[position]) if column in frame.columns else None
            self.problems.append(
                self.source.problem(position, column, value, _text(message, position, value or ""))
            )
        if len(positions) > PROBLEMS_PER_CHECK:
            rest = len(positions) - PROBLEMS_PER_CHECK
            first = _text(message, positions[0], "")
            self.problems.append(
                self.source.problem(None, column, None, f"{rest} rækker mere med: {first}")
            )

    def require(self, *columns: str) -> None:
        """A file-level problem for each required column the file lacks."""
        for column in columns:
            if column not in self.source.frame.columns:
                self.problems.append(Problem(self.source.name, None, None, None, _missing(column)))

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataError(self.problems)


def _text(message: Message, position: int, value: str) -> str:
    if isinstance(message, str):
        return message
    if isinstance(message, pd.Series):
        return str(message.iat[position])
    return message(value)


@cache
def _column_titles() -> dict[str, str]:
    return {canonical: variants[0] for canonical, variants in registry.aliases()["columns"].items()}


def _missing(column: str) -> str:
    return f"mangler kolonnen '{_column_titles().get(column, column)}'"


# --- single columns --------------------------------------------------------------------


def parse_count(checker: Checker, column: str) -> pd.Series:
    """A column of case counts: whole, non-negative numbers in Danish or plain notation
    ("1.234", "12", "12,0")."""
    raw = checker.source.frame[column]
    number = _danish_number(raw)
    empty = raw == ""
    checker.flag(empty, column, "mangler et antal (skriv 0, hvis der ingen sager er)")
    checker.flag(~empty & number.isna(), column, "er ikke et tal – forventede et antal sager")
    checker.flag(
        number.notna() & (number % 1 != 0),
        column,
        "er ikke et helt tal – forventede et antal sager",
    )
    checker.flag(number < 0, column, "er negativ – forventede et antal på 0 eller mere")
    return number.fillna(0).round().astype("int64")


def _danish_number(raw: pd.Series) -> pd.Series:
    text = raw.str.replace(r"[\s\u00a0]", "", regex=True)
    thousands = text.str.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?")
    text = text.where(~thousands, text.str.replace(".", "", regex=False))
    return pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")


def parse_year(checker: Checker, column: str = "aar") -> pd.Series:
    """A year between MIN_YEAR (the kommunalreform) and the current year."""
    raw = checker.source.frame[column]
    number = _danish_number(raw)
    last = dt.date.today().year
    expected = f"forventede et årstal fra {MIN_YEAR} til {last}"
    checker.flag(raw == "", column, f"mangler årstal – {expected}")
    valid = number.notna() & (number % 1 == 0)
    checker.flag((raw != "") & ~valid, column, f"er ikke et årstal – {expected}")
    checker.flag(
        valid & ((number < MIN_YEAR) | (number > last)),
        column,
        f"er uden for perioden – {expected}",
    )
    return number.where(valid, 0).astype("int64")


_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y")


def parse_date(checker: Checker, column: str) -> pd.Series:
    """A date written as 2024-03-01, 01-03-2024, 01.03.2024 or 01/03/2024."""
    raw = checker.source.frame[column]
    parsed = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    for date_format in _DATE_FORMATS:
        attempt = pd.to_datetime(raw, format=date_format, errors="coerce")
        parsed = parsed.fillna(attempt)
    checker.flag(
        parsed.isna(), column, "er ikke en dato – forventede fx 2024-03-01 eller 01-03-2024"
    )
    return parsed


def parse_kommune(checker: Checker) -> tuple[pd.Series, pd.Series]:
    """Kommunekoder (<NA> on "Hele landet" rows) and a mask of the national rows.

    The kommune can be given by code or by name; when a file has both, they must agree."""
    frame = checker.source.frame
    column = "kommunekode" if "kommunekode" in frame.columns else "kommune"
    raw = frame[column]
    national = raw.map({v: registry.is_national(v) for v in pd.unique(raw)}).astype(bool)
    codes = registry.kommune_codes(raw)
    checker.flag(raw == "", column, "mangler kommune")
    unknown = codes.isna() & ~national & (raw != "")
    checker.flag(unknown, column, lambda value: f"ukendt kommune – {registry.kommune_hint(value)}")
    if column == "kommunekode" and "kommune" in frame.columns:
        named = registry.kommune_codes(frame["kommune"])
        disagree = named.notna() & codes.notna() & (named != codes)
        message = codes.map(lambda c: f"passer ikke med kommunekoden {_label(c)}")
        checker.flag(disagree.fillna(False), "kommune", message)
    return codes, national


def _label(code: int | None) -> str:
    return "" if code is None or pd.isna(code) else f"{code} ({registry.kommune_name(int(code))})"


def parse_area(checker: Checker, column: str = "omraade") -> pd.Series:
    """Area ids from the users' area names."""
    raw = checker.source.frame[column]
    areas = raw.map({v: registry.area_id(v) for v in pd.unique(raw)})
    known = ", ".join(area.name for area in registry.areas().values())
    checker.flag(areas.isna(), column, f"ukendt område – forventede et af: {known}")
    return areas.fillna("")


def parse_provision(checker: Checker, years: pd.Series, column: str = "paragraf") -> pd.Series:
    """Canonical provision ids, each checked against the registry for its year."""
    raw = checker.source.frame[column]
    pairs = pd.DataFrame({"text": raw, "year": years})
    results = {
        (text, year): _provision_or_problem(text, int(year))
        for text, year in pairs.drop_duplicates().itertuples(index=False)
    }
    resolved = pd.Series([results[key] for key in zip(raw, years, strict=True)], index=raw.index)
    is_problem = resolved.str.startswith("!")
    checker.flag(is_problem, column, resolved.str.removeprefix("!"))
    return resolved.where(~is_problem, "")


def _provision_or_problem(text: str, year: int) -> str:
    if not text:
        return "!mangler paragraf"
    try:
        return registry.provision_id(text, year)
    except OmgError as error:
        return "!" + _lowercase_first(str(error))


def _lowercase_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@cache
def _outcome_labels() -> dict[str, str]:
    labels = registry.aliases()["outcomes"]
    return {fold(v): outcome for outcome, variants in labels.items() for v in [outcome, *variants]}


def parse_outcome(checker: Checker, column: str = "udfald") -> pd.Series:
    """Outcome ids (aendret, ophaevet, hjemvist, stadfaestet, afvist)."""
    raw = checker.source.frame[column]
    outcome = raw.map({v: _outcome_labels().get(fold(v)) for v in pd.unique(raw)})
    expected = "forventede Ændring, Ophævelse, Hjemvisning, Stadfæstelse eller Afvisning/henvisning"
    checker.flag(outcome.isna(), column, f"ukendt udfald – {expected}")
    return outcome.fillna(OUTCOMES[-1])


def parse_text(checker: Checker, column: str, what: str) -> pd.Series:
    """A required free-text column such as a case id."""
    raw = checker.source.frame[column]
    checker.flag(raw == "", column, f"mangler {what}")
    return raw


# --- whole-table checks --------------------------------------------------------------------


def flag_duplicates(checker: Checker, key: pd.DataFrame, described_as: str, column: str) -> None:
    """Two rows for the same key: each later row names the first."""
    lines = pd.Series(checker.source.lines, index=key.index)
    first = lines.groupby([key[c] for c in key.columns], sort=False).transform("first")
    repeated = key.duplicated(keep="first")
    message = first.map(
        lambda line: f"samme {described_as} som række {line} – hver nøgle må kun stå én gang"
    )
    checker.flag(repeated, column, message)


def flag_total(
    checker: Checker, stated: pd.Series, parts: Sequence[pd.Series], column: str, what: str
) -> None:
    """A stated total that does not equal the sum of its parts."""
    computed = sum(parts[1:], parts[0])
    message = computed.map(lambda total: f"passer ikke med summen af {what} ({total})")
    checker.flag(stated != computed, column, message)
