"""Public readers: a user's file in, a validated canonical table out, or a DataError
listing every problem in the file.

Three kinds of input: aggregated counts (`read_counts`), case-level partial decisions
(`read_cases`, collapsed and counted by `cases_to_dataset`) and the kommune's own volumes
(`read_volumes`). `read_data` takes either of the first two.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from omglib import casedetails, registry, schema
from omglib.dataset import Dataset, Provenance
from omglib.names import fold
from omglib.outcomes import COUNT_COLUMNS, DETAIL_COLUMNS, collapse, count_outcomes
from omglib.sources import SourceTable, read_source

_SYNTHETIC_MARK = "syntetisk"


def read_data(
    path: str | Path, extra_reasons: str | Path | None = None, mask_cpr: bool = False
) -> Dataset:
    """Aggregated counts or case-level partial decisions, whichever the file holds
    (`extra_reasons` and `mask_cpr` as for `read_cases`)."""
    source = read_source(path)
    if "udfald" in source.frame.columns:
        return cases_to_dataset(_cases_from_source(source, extra_reasons, mask_cpr))
    return _counts_from_source(source)


def read_counts(path: str | Path) -> Dataset:
    """An aggregated table: counts per year, kommune, area (and provision)."""
    return _counts_from_source(read_source(path))


def _provenance(source: SourceTable) -> Provenance:
    synthetic = any(_SYNTHETIC_MARK in fold(line) for line in source.title)
    return Provenance(file=source.name, sha256=source.sha256, synthetic=synthetic)


def _notes(source: SourceTable) -> tuple[str, ...]:
    notes = [f"Kolonnen '{title}' bruges ikke" for title in source.ignored_columns]
    notes += [f"Note under tabellen (ikke data): {text}" for text in source.notes]
    return tuple(notes)


def _counts_from_source(source: SourceTable) -> Dataset:
    checker = schema.Checker(source)
    columns = source.frame.columns
    has_detail = {"aendret", "ophaevet"} <= set(columns)
    checker.require("aar", "stadfaestet", "hjemvist")
    if "kommunekode" not in columns and "kommune" not in columns:
        checker.require("kommune")
    if "omraade" not in columns and "paragraf" not in columns:
        checker.require("omraade")
    if "aendret_ophaevet" not in columns and not has_detail:
        checker.require("aendret_ophaevet")
    checker.raise_if_any()

    frame = pd.DataFrame({"aar": schema.parse_year(checker)})
    codes, national = schema.parse_kommune(checker)
    frame["kommunekode"] = codes
    if "omraade" in columns:
        frame["omraade"] = schema.parse_area(checker)
    if "paragraf" in columns:
        frame["paragraf"] = schema.parse_provision(checker, frame["aar"])
    for column in [*COUNT_COLUMNS, *DETAIL_COLUMNS, "i_alt"]:
        if column in columns:
            frame[column] = schema.parse_count(checker, column)
    if has_detail:
        _combine_detail(checker, frame)
    if "i_alt" in columns:
        parts = {c: frame[c] for c in COUNT_COLUMNS if c in frame.columns}
        schema.flag_total(checker, frame.pop("i_alt"), parts, "i_alt")
    key = [c for c in ("aar", "kommunekode", "omraade", "paragraf") if c in frame.columns]
    if "kvartal" in columns:
        frame["kvartal"] = source.frame["kvartal"]
        key.append("kvartal")
    national_as_zero = frame["kommunekode"].mask(national, 0)
    schema.flag_duplicates(checker, frame[key].assign(kommunekode=national_as_zero), key[-1])
    checker.raise_if_any()

    frame = frame.drop(columns=["kvartal"], errors="ignore")
    national_rows = _whole_numbers(frame[national.to_numpy()].drop(columns="kommunekode"))
    kommune_rows = _whole_numbers(frame[~national.to_numpy()])
    if "omraade" not in frame.columns:
        national_rows, kommune_rows = _with_areas(national_rows), _with_areas(kommune_rows)
    return Dataset(
        counts=_sum_quarters(kommune_rows),
        national=_sum_quarters(national_rows),
        provenance=_provenance(source),
        notes=_notes(source),
    )


def _whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Validated nullable integer columns (no <NA> left) as plain int64."""
    nullable = [c for c in frame.columns if str(frame[c].dtype) == "Int64"]
    return frame.astype(dict.fromkeys(nullable, "int64"))


def _combine_detail(checker: schema.Checker, frame: pd.DataFrame) -> None:
    parts = {"aendret": frame["aendret"], "ophaevet": frame["ophaevet"]}
    if "aendret_ophaevet" in frame.columns:
        schema.flag_total(checker, frame["aendret_ophaevet"], parts, "aendret_ophaevet")
    else:
        frame["aendret_ophaevet"] = frame["aendret"] + frame["ophaevet"]


def _sum_quarters(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per key: a file given per quarter is summed to years."""
    key = [c for c in ("aar", "kommunekode", "omraade", "paragraf") if c in frame.columns]
    counts = [c for c in frame.columns if c not in key]
    return frame.groupby(key, sort=True)[counts].sum().reset_index()


def _with_areas(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows per provision without an area: each counts in socialområdet, and also in its
    handicap area when the provision belongs to one that year."""
    handicap = _handicap_areas(frame["paragraf"], frame["aar"])
    social = frame.assign(omraade=registry.SOCIAL_AREA)
    in_handicap = frame.assign(omraade=handicap)[handicap.notna()]
    return pd.concat([social, in_handicap], ignore_index=True)


def _handicap_areas(provisions: pd.Series, years: pd.Series) -> pd.Series:
    pairs = pd.DataFrame({"p": provisions, "y": years}).drop_duplicates()
    lookup = {(p, y): registry.handicap_area(p, int(y)) for p, y in pairs.itertuples(index=False)}
    return pd.Series(
        [lookup[key] for key in zip(provisions, years, strict=True)], index=provisions.index
    )


# --- case level -----------------------------------------------------------------------


@dataclass(frozen=True)
class CaseTable:
    """Partial decisions (delafgørelser), one row each: `sag_id`, `kommunekode`, `aar`,
    `paragraf`, `udfald` and, when the file gives them, `omraade`, `afgoerelsesdato` and
    the learning-loop details of `omglib.casedetails` (reasons, follow-up, ...)."""

    partial_decisions: pd.DataFrame
    provenance: Provenance
    notes: tuple[str, ...] = ()


def read_cases(
    path: str | Path, extra_reasons: str | Path | None = None, mask_cpr: bool = False
) -> CaseTable:
    """A case-level file: one row per partial decision.

    `extra_reasons` is a kommune's own list of reasons for overturning (YAML, as
    `data/laering.yaml`). A CPR number in free text is an error unless `mask_cpr`, which
    replaces each by a pseudonym before anything else sees the text."""
    return _cases_from_source(read_source(path), extra_reasons, mask_cpr)


def _cases_from_source(
    source: SourceTable, extra_reasons: str | Path | None, mask_cpr: bool
) -> CaseTable:
    checker = schema.Checker(source)
    columns = source.frame.columns
    checker.require("sag_id", "paragraf", "udfald")
    if "kommunekode" not in columns and "kommune" not in columns:
        checker.require("kommune")
    if "aar" not in columns and "afgoerelsesdato" not in columns:
        checker.require("aar")
    checker.raise_if_any()
    casedetails.protect_text(checker, mask_cpr)

    frame = pd.DataFrame({"sag_id": schema.parse_text(checker, "sag_id", "sags-id")})
    codes, national = schema.parse_kommune(checker)
    kommune_column = schema.kommune_column(source.frame)
    message = "en sag hører til én kommune – 'Hele landet' kan ikke bruges her"
    checker.flag(national, kommune_column, message)
    frame["kommunekode"] = codes
    year_column = "aar" if "aar" in columns else "afgoerelsesdato"
    dates = schema.parse_date(checker, "afgoerelsesdato") if "afgoerelsesdato" in columns else None
    if year_column == "aar":
        frame["aar"] = schema.parse_year(checker)
    elif dates is not None:
        frame["aar"] = dates.dt.year.astype("Int64")
    frame["paragraf"] = schema.parse_provision(checker, frame["aar"])
    frame["udfald"] = schema.parse_outcome(checker)
    if "omraade" in columns:
        frame["omraade"] = schema.parse_area(checker)
    _flag_split_case(checker, frame, "kommunekode", kommune_column, "en anden kommune")
    _flag_split_case(checker, frame, "aar", year_column, "et andet år")
    if dates is not None:
        frame["afgoerelsesdato"] = dates
    frame = pd.concat([frame, casedetails.parse_details(checker, extra_reasons)], axis=1)
    decided = collapse(frame.assign(paragraf=frame["paragraf"].fillna("")))
    casedetails.check_cases(checker, frame, decided, dates)
    checker.raise_if_any()
    return CaseTable(_whole_numbers(frame), _provenance(source), _notes(source))


def _flag_split_case(
    checker: schema.Checker, frame: pd.DataFrame, column: str, shown: str, what: str
) -> None:
    """A case's partial decisions must share kommune and year."""
    first = frame.groupby("sag_id", sort=False)[column].transform("first")
    differs = (frame[column] != first).fillna(False)
    checker.flag(differs, shown, f"sagens første delafgørelse har {what}")


def cases_to_dataset(cases: CaseTable) -> Dataset:
    """Collapse partial decisions to cases by precedence and count them per year,
    kommune, area and provision (the case's area follows from its provision and year,
    unless the file gives one)."""
    collapsed = collapse(cases.partial_decisions)
    by_area = case_areas(collapsed)
    counts = count_outcomes(by_area, ["aar", "kommunekode", "omraade", "paragraf"])
    empty_national = counts.iloc[0:0].drop(columns="kommunekode")
    return Dataset(counts, empty_national, cases.provenance, cases.notes)


def case_areas(cases: pd.DataFrame) -> pd.DataFrame:
    if "omraade" in cases.columns:
        handicap = cases["omraade"].where(cases["omraade"] != registry.SOCIAL_AREA)
    else:
        handicap = _handicap_areas(cases["paragraf"], cases["aar"])
    social = cases.assign(omraade=registry.SOCIAL_AREA)
    in_handicap = cases.assign(omraade=handicap)[handicap.notna()]
    return pd.concat([social, in_handicap], ignore_index=True)


# --- kommune volumes -------------------------------------------------------------------


@dataclass(frozen=True)
class Volumes:
    """The kommune's own totals: `aar`, `kommunekode`, `omraade`, `afgoerelser_i_alt`
    (all first-instance decisions) and, when given, `klager_modtaget`."""

    frame: pd.DataFrame
    provenance: Provenance


def read_volumes(path: str | Path) -> Volumes:
    """Kommune volumes: the number of decisions (and complaints) per year and area."""
    source = read_source(path)
    checker = schema.Checker(source)
    columns = source.frame.columns
    checker.require("aar", "omraade", "afgoerelser_i_alt")
    if "kommunekode" not in columns and "kommune" not in columns:
        checker.require("kommune")
    checker.raise_if_any()
    frame = pd.DataFrame({"aar": schema.parse_year(checker)})
    codes, national = schema.parse_kommune(checker)
    message = "kommunens egne tal skal stå pr. kommune, ikke for 'Hele landet'"
    checker.flag(national, schema.kommune_column(source.frame), message)
    frame["kommunekode"] = codes
    frame["omraade"] = schema.parse_area(checker)
    for column in ("afgoerelser_i_alt", "klager_modtaget"):
        if column in columns:
            frame[column] = schema.parse_count(checker, column)
    schema.flag_duplicates(checker, frame[["aar", "kommunekode", "omraade"]], "omraade")
    checker.raise_if_any()
    return Volumes(_whole_numbers(frame), _provenance(source))
