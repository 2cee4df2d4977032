"""Parsing and validating the three kinds of input, collecting every problem in a file.

Like pandera's lazy validation, each check runs over the whole column at once and adds
its failing rows to one list, so the user gets every problem (capped per check) in one
error instead of one per run. Each problem names the file, the row as the user sees it,
the column by the user's own title, the value and what was expected. Nothing is dropped
or coerced: a file with any problem raises DataError.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import Final

import numpy as np
import pandas as pd

from omglib import registry
from omglib.errors import DataError, OmgError, Problem
from omglib.formats import format_count
from omglib.io.sources import SourceTable
from omglib.names import fold
from omglib.outcomes import OUTCOMES

MIN_YEAR = 2007
#: How Ankestyrelsen's statistics write a cell with no cases (or no rate).
NO_CASES = "."
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
            more = f"{format_count(rest, 'række', 'rækker')} mere med: {first}"
            summary = self.source.problem(None, column, None, more)
            self.problems.append(replace(summary, more_rows=rest - 1))

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


def column_title(column: str) -> str:
    """A canonical column's header as Ankestyrelsen and kommuner write it: the first
    spelling in `data/aliaser.yaml` ("hjemvist" -> "Hjemvisning")."""
    return _column_titles().get(column, column)


def outcome_title(outcome: str) -> str:
    """An outcome id as case-level files write it: the first spelling in
    `data/aliaser.yaml` ("hjemvist" -> "Hjemvisning")."""
    return str(registry.aliases()["outcomes"][outcome][0])


def _missing(column: str) -> str:
    return f"mangler kolonnen '{column_title(column)}'"


# --- single columns --------------------------------------------------------------------


def parse_count(checker: Checker, column: str) -> pd.Series:
    """A column of case counts: whole, non-negative numbers in Danish or plain notation
    ("1.234", "12", "12,0"), and "." for no cases as Ankestyrelsen's tables write it;
    <NA> where the value is a problem (already recorded)."""
    raw = checker.source.frame[column]
    raw = raw.where(raw != NO_CASES, "0")
    number = _danish_number(raw)
    empty = raw == ""
    checker.flag(empty, column, "mangler et antal (skriv 0, hvis der ingen sager er)")
    checker.flag(~empty & number.isna(), column, "er ikke et tal – forventede et antal sager")
    checker.flag(
        number.notna() & (number % 1 != 0),
        column,
        "er ikke et helt tal – forventede et antal sager",
    )
    negative = number < 0
    checker.flag(negative, column, "er negativ – forventede et antal på 0 eller mere")
    valid = number.notna() & (number % 1 == 0) & ~negative
    return number.where(valid).astype("Int64")


def _danish_number(raw: pd.Series) -> pd.Series:
    """Numbers written the Danish way ("1.234", "12,5") or plainly; NaN where not a
    number. Parsed once per distinct value: count columns repeat the same few values."""
    distinct = pd.Series(raw.unique(), dtype=raw.dtype)
    text = distinct.str.replace(r"[\s\u00a0]", "", regex=True)
    thousands = text.str.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?")
    text = text.where(~thousands, text.str.replace(".", "", regex=False))
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    lookup = dict(zip(distinct, numbers.astype("float64"), strict=True))
    return raw.map(lookup).astype("float64")


_PERCENT_SIGN = re.compile(r"\s*(%|pct\.?|procent)\s*$", re.IGNORECASE)


def parse_percent(checker: Checker, column: str) -> tuple[pd.Series, pd.Series]:
    """A column of percentages as written ("47,5", "47,5 %", "47 pct."): the numbers
    (NaN where the file gives no rate, "." or empty) and how many decimals each was
    written with, so a check can allow for the file's own rounding."""
    raw = checker.source.frame[column]
    text = raw.str.replace(_PERCENT_SIGN, "", regex=True).str.strip()
    no_rate = text.isin(["", NO_CASES])
    number = _danish_number(text)
    checker.flag(
        ~no_rate & number.isna(),
        column,
        "er ikke en procentsats – forventede fx 47,5 eller 47,5 % ('.' når der ingen sager er)",
    )
    decimals = text.str.extract(r"[.,](\d+)$", expand=False).str.len().fillna(0)
    return number.where(~no_rate), decimals.astype("int64")


def parse_year(checker: Checker, column: str = "aar") -> pd.Series:
    """A year between MIN_YEAR (the kommunalreform) and the current year; <NA> where the
    value is a problem (already recorded)."""
    raw = checker.source.frame[column]
    number = _danish_number(raw)
    last = dt.date.today().year
    expected = f"forventede et årstal fra {MIN_YEAR} til {last}"
    checker.flag(raw == "", column, f"mangler årstal – {expected}")
    valid = number.notna() & (number % 1 == 0)
    checker.flag((raw != "") & ~valid, column, f"er ikke et årstal – {expected}")
    out_of_range = valid & ((number < MIN_YEAR) | (number > last))
    checker.flag(out_of_range, column, f"er uden for perioden – {expected}")
    return number.where(valid & ~out_of_range).astype("Int64")


DATE_FORMATS: Final = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y")
"""How dates may be written, in every file a user gives (data files, handleplans)."""


def parse_date(checker: Checker, column: str, required: bool = True) -> pd.Series:
    """A date written as 2024-03-01, 01-03-2024, 01.03.2024 or 01/03/2024 (NaT where an
    optional date is left empty)."""
    raw = checker.source.frame[column]
    parsed = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    for date_format in DATE_FORMATS:
        attempt = pd.to_datetime(raw, format=date_format, errors="coerce")
        parsed = parsed.fillna(attempt)
    checker.flag(
        parsed.isna() & (required | (raw != "")),
        column,
        "er ikke en dato – forventede fx 2024-03-01 eller 01-03-2024",
    )
    return parsed


def kommune_column(frame: pd.DataFrame) -> str:
    """The column that names the kommune: the code when the file has one, else the name."""
    return "kommunekode" if "kommunekode" in frame.columns else "kommune"


@dataclass(frozen=True)
class KommuneColumn:
    """A parsed kommune column: kommunekoder (<NA> on rows that are not a kommune and on
    unknown kommuner), a mask of the national rows ("Hele landet") and, per row, the kind
    of a row that names no kommune but is no mistake (`regioner`, `faellesskaber`,
    `i_alt`, else empty)."""

    codes: pd.Series
    national: pd.Series
    not_kommune: pd.Series

    @property
    def set_aside(self) -> pd.Series:
        return self.not_kommune != ""


def parse_kommune(checker: Checker) -> KommuneColumn:
    """The kommune of each row, given by code or by name; when a file has both, they must
    agree, and a row with an empty code is read from the name ("Hele landet" and regions
    included)."""
    frame = checker.source.frame
    column = kommune_column(frame)
    codes, national, not_kommune = _kommune_values(frame[column])
    raw = frame[column]
    shown = pd.Series(column, index=raw.index)
    if column == "kommunekode" and "kommune" in frame.columns:
        named, named_national, named_not_kommune = _kommune_values(frame["kommune"])
        disagree = (named.notna() & codes.notna() & (named != codes)).fillna(False)
        message = codes.map(lambda c: f"passer ikke med kommunekoden {_label(c)}")
        checker.flag(disagree, "kommune", message)
        from_name = raw == ""
        codes = codes.where(~from_name, named)
        national = national | (from_name & named_national)
        not_kommune = not_kommune.where(~from_name, named_not_kommune)
        raw = raw.where(~from_name, frame["kommune"])
        shown = shown.where(~from_name, "kommune")
    unknown = codes.isna() & ~national & (not_kommune == "") & (raw != "")
    for title in pd.unique(shown):
        here = shown == title
        checker.flag(here & (raw == ""), title, "mangler kommune")
        checker.flag(
            here & unknown, title, lambda v: f"ukendt kommune – {registry.kommune_hint(v)}"
        )
    return KommuneColumn(codes, national, not_kommune)


def flag_not_kommune(checker: Checker, kommuner: KommuneColumn, what: str) -> None:
    """Rows for a region, the kommunale fællesskaber or "I alt" where only a kommune will
    do (a case, the kommune's own volumes)."""
    column = kommune_column(checker.source.frame)
    checker.flag(kommuner.set_aside, column, f"er ikke en kommune – {what}")


def _kommune_values(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    distinct = pd.unique(raw)
    national = raw.map({v: registry.is_national(v) for v in distinct}).astype(bool)
    kinds = {v: registry.not_kommune_kind(v) or "" for v in distinct}
    return registry.kommune_codes(raw), national, raw.map(kinds).astype(object)


def _label(code: int | None) -> str:
    return "" if code is None or pd.isna(code) else f"{code} ({registry.kommune_name(int(code))})"


def parse_area(checker: Checker, column: str = "omraade") -> pd.Series:
    """Area ids from the users' area names."""
    raw = checker.source.frame[column]
    areas = raw.map({v: registry.area_id(v) for v in pd.unique(raw)})
    known = ", ".join(area.name for area in registry.areas().values())
    checker.flag(areas.isna(), column, f"ukendt område – forventede et af: {known}")
    return areas


@dataclass(frozen=True)
class ProvisionColumn:
    """A parsed provision column: canonical ids (<NA> where the value is a problem) and
    the provisions outside the registry with the label the file gave them (often empty)."""

    ids: pd.Series
    outside_registry: dict[str, str]


def parse_provision(
    checker: Checker,
    years: pd.Series,
    column: str = "paragraf",
    skip: pd.Series | None = None,
) -> ProvisionColumn:
    """Canonical provision ids, each checked for its year (rows whose year is itself a
    problem are not checked again), with the law from a separate law column (`lov`,
    "Lovgrundlag") when the file has one. Rows marked in `skip` (total rows, "I alt")
    are not provisions: their id is <NA> and they are no problem."""
    frame = checker.source.frame
    raw = frame[column]
    if skip is not None:
        years = years.mask(skip.to_numpy(dtype=bool))
    laws = frame["lov"] if "lov" in frame.columns else pd.Series("", index=raw.index)
    pairs = pd.DataFrame({"text": raw, "year": years.fillna(0).astype("int64"), "law": laws})
    results = {
        (text, year, law): _provision_or_problem(text, int(year), law) if year else text
        for text, year, law in pairs.drop_duplicates().itertuples(index=False)
    }
    keys = zip(raw, pairs["year"], laws, strict=True)
    resolved = [results[key] for key in keys]
    problems = pd.Series(
        [r if isinstance(r, str) else "" for r in resolved], index=raw.index, dtype=object
    )
    is_problem = problems.str.startswith("!")
    checker.flag(is_problem, column, problems.str.removeprefix("!"))
    ids = pd.Series(
        [r.id if isinstance(r, registry.Provision) else None for r in resolved],
        index=raw.index,
        dtype=object,
    )
    return ProvisionColumn(ids.where(~is_problem), _outside_registry(results.values()))


def _outside_registry(resolved: Iterable[registry.Provision | str]) -> dict[str, str]:
    """Provisions the registry does not know → the first non-empty label written for
    each, in id order."""
    labels: dict[str, str] = {}
    for provision in resolved:
        if not isinstance(provision, registry.Provision) or provision.in_registry:
            continue
        if not labels.get(provision.id):
            labels[provision.id] = provision.label
    return dict(sorted(labels.items()))


def _provision_or_problem(text: str, year: int, law: str) -> registry.Provision | str:
    if not text:
        return "!mangler paragraf"
    try:
        return registry.resolve_provision(text, year, law)
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


def flag_duplicates(checker: Checker, key: pd.DataFrame, column: str) -> None:
    """Two rows for the same key: each later row names the first. Rows whose key holds a
    problem already recorded (<NA>) are left out, so two unknown kommuner are not a
    duplicate. `key` columns are canonical names; the message uses the file's titles."""
    usable = key.notna().all(axis=1).to_numpy()
    valid = key[usable]
    described = ", ".join(_title(checker.source, c) for c in key.columns)
    lines = pd.Series(checker.source.lines[usable], index=valid.index)
    first = lines.groupby([valid[c] for c in valid.columns], sort=False).transform("first")
    repeated = valid.duplicated(keep="first").reindex(key.index, fill_value=False)
    message = first.reindex(key.index).map(
        lambda line: f"samme {described} som række {line} – hver nøgle må kun stå én gang"
    )
    checker.flag(repeated, column, message)


def _title(source: SourceTable, column: str) -> str:
    """The file's own title for a canonical column (the kommune by code or by name)."""
    if column == "kommunekode":
        column = kommune_column(source.frame)
    return source.headers.get(column, column)


def flag_total(
    checker: Checker, stated: pd.Series, parts: dict[str, pd.Series], column: str
) -> None:
    """A stated total that does not equal the sum of its parts (`parts` maps canonical
    column names to values). Rows where a value is itself a problem are left out."""
    values = list(parts.values())
    computed = sum(values[1:], values[0])
    checkable = (stated.notna() & computed.notna()).to_numpy(dtype=bool)
    names = " + ".join(_title(checker.source, name) for name in parts)
    title = _title(checker.source, column)
    message = computed.map(lambda total: f"{title} passer ikke med {names}, som giver {total}")
    checker.flag(
        checkable & (stated != computed).fillna(False).to_numpy(dtype=bool), column, message
    )
