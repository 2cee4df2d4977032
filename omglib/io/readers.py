"""Public readers: a user's file in, a validated canonical table out, or a DataError
listing every problem in the file.

Three kinds of input: aggregated counts (`read_counts`), case-level partial decisions
(`read_cases`, collapsed and counted by `cases_to_dataset`) and the kommune's own volumes
(`read_volumes`). `read_data` takes either of the first two.

Every reader searches the whole file for CPR numbers before it reads a value
(`omglib.io.privacy`): one found is a problem naming file, row and column, unless
`mask_cpr`, which replaces each by a pseudonym first.

Each table's provenance names its file, SHA-256, whether it is synthetic and the extract
date the file states in a line outside its table (`omglib.io.sources.vintage`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from omglib import registry
from omglib.dataset import Dataset, Provenance, Volumes, is_marked_synthetic
from omglib.formats import format_count, plural
from omglib.io import casedetails, consistency, privacy, schema
from omglib.io.sources import SourceTable, read_source
from omglib.memo import read_once
from omglib.names import fold
from omglib.outcomes import COUNT_COLUMNS, DETAIL_COLUMNS, collapse, count_outcomes


@read_once("path", "extra_reasons")
def read_data(
    path: str | Path, extra_reasons: str | Path | None = None, mask_cpr: bool = False
) -> Dataset:
    """Aggregated counts or case-level partial decisions, whichever the file holds
    (`extra_reasons` as for `read_cases`; `mask_cpr` as for every reader)."""
    source = read_source(path)
    if "udfald" in source.frame.columns:
        return cases_to_dataset(_cases_from_source(source, extra_reasons, mask_cpr))
    return _counts_from_source(source, mask_cpr)


@read_once("path")
def read_counts(path: str | Path, mask_cpr: bool = False) -> Dataset:
    """An aggregated table: counts per year, kommune, area (and provision). A CPR
    number in it is an error unless `mask_cpr` (see the module docstring)."""
    return _counts_from_source(read_source(path), mask_cpr)


def _provenance(source: SourceTable) -> Provenance:
    return Provenance(
        file=source.name,
        sha256=source.sha256,
        synthetic=is_marked_synthetic(source.title),
        extract_date=source.vintage.date,
    )


def _notes(source: SourceTable, masked: str | None) -> tuple[str, ...]:
    notes = [f"Kolonnen '{title}' bruges ikke" for title in source.ignored_columns]
    notes += [f"Note under tabellen (ikke data): {text}" for text in source.notes]
    notes += source.vintage.notes
    notes += [masked] if masked else []
    return tuple(notes)


def _counts_from_source(source: SourceTable, mask_cpr: bool) -> Dataset:
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
    masked = privacy.protect(checker, mask_cpr)

    frame = pd.DataFrame({"aar": schema.parse_year(checker)})
    kommuner = schema.parse_kommune(checker)
    frame["kommunekode"] = kommuner.codes
    if "omraade" in columns:
        frame["omraade"] = schema.parse_area(checker)
    total_subject = pd.Series(False, index=frame.index)
    outside_registry: dict[str, str] = {}
    if "paragraf" in columns:
        total_subject = source.frame["paragraf"].map(registry.is_total_label).astype(bool)
        provisions = schema.parse_provision(checker, frame["aar"], skip=total_subject)
        frame["paragraf"] = provisions.ids
        outside_registry = provisions.outside_registry
    for column in [*COUNT_COLUMNS, *DETAIL_COLUMNS, "i_alt", "realitetsbehandlede"]:
        if column in columns:
            frame[column] = schema.parse_count(checker, column)
    if has_detail:
        _combine_detail(checker, frame)
    _check_totals(checker, frame)
    key = [c for c in ("aar", "kommunekode", "omraade", "paragraf") if c in frame.columns]
    if "kvartal" in columns:
        frame["kvartal"] = source.frame["kvartal"]
        key.append("kvartal")
    _check_total_rows(checker, frame, kommuner, total_subject, key)
    counted = ~(kommuner.set_aside | total_subject).to_numpy()
    national_as_zero = frame["kommunekode"].mask(kommuner.national, 0)
    keys = frame[key].assign(kommunekode=national_as_zero)[counted]
    schema.flag_duplicates(checker, keys.reindex(frame.index), key[-1])
    checker.raise_if_any()

    national = kommuner.national.to_numpy() & counted
    frame = frame.drop(columns=["kvartal", *_CHECKED_TOTALS], errors="ignore")
    national_rows = _whole_numbers(frame[national].drop(columns="kommunekode"))
    kommune_rows = _whole_numbers(frame[counted & ~national])
    if "omraade" not in frame.columns:
        national_rows, kommune_rows = _with_areas(national_rows), _with_areas(kommune_rows)
    notes = (
        *_set_aside_notes(source, kommuner, total_subject),
        *_outside_registry_notes(outside_registry),
        *_notes(source, masked),
    )
    return Dataset(
        counts=_sum_quarters(kommune_rows),
        national=_sum_quarters(national_rows),
        provenance=_provenance(source),
        notes=notes,
        provision_labels=outside_registry,
    )


#: Totals a file may state beside the counts: each is checked against the counts and
#: then dropped (omglib computes every figure from the counts).
_CHECKED_TOTALS: tuple[str, ...] = ("i_alt", "realitetsbehandlede")


def _check_totals(checker: schema.Checker, frame: pd.DataFrame) -> None:
    """Stated totals and percentages on each row against the row's counts."""
    if "i_alt" in frame.columns:
        parts = {c: frame[c] for c in COUNT_COLUMNS if c in frame.columns}
        schema.flag_total(checker, frame["i_alt"], parts, "i_alt")
    if "realitetsbehandlede" in frame.columns:
        consistency.flag_on_merits_total(checker, frame)
    consistency.flag_percentages(checker, frame)


def _check_total_rows(
    checker: schema.Checker,
    frame: pd.DataFrame,
    kommuner: schema.KommuneColumn,
    total_subject: pd.Series,
    key: list[str],
) -> None:
    """ "I alt" as instance must be the sum of the other instances with the same subject
    and period (kommuner, regions, fællesskaber; not "Hele landet"); "I alt" as subject
    the sum of the same instance's provisions."""
    numbers = [c for c in frame.columns if c not in key and c in checker.source.frame]
    instance = _instance_key(checker.source, kommuner)
    subject = frame["paragraf"].where(~total_subject, _TOTAL) if "paragraf" in frame else None
    period = [c for c in key if c not in ("kommunekode", "paragraf")]
    keyed = frame[[*period, *numbers]].assign(_instans=instance)
    if subject is not None:
        keyed["_emne"] = subject
    total_instance = kommuner.not_kommune == "i_alt"
    consistency.flag_total_rows(
        checker,
        keyed.drop(columns="_instans"),
        total=total_instance,
        parts=~total_instance & ~kommuner.national,
        key=[c for c in keyed.columns if c not in numbers and c != "_instans"],
        what="instanser",
    )
    if subject is not None:
        consistency.flag_total_rows(
            checker,
            keyed.drop(columns="_emne"),
            total=total_subject & ~total_instance,
            parts=~total_subject,
            key=[c for c in keyed.columns if c not in numbers and c != "_emne"],
            what="sagsemner",
        )


_TOTAL = "\x00i alt"


def _instance_key(source: SourceTable, kommuner: schema.KommuneColumn) -> pd.Series:
    """Which instance a row is for: the kommunekode, or the folded name of a row that is
    not a kommune (a region, "Hele landet", "I alt")."""
    names = source.frame[schema.kommune_column(source.frame)].map(fold)
    return kommuner.codes.astype(object).where(kommuner.codes.notna(), names).astype(str)


def _set_aside_notes(
    source: SourceTable, kommuner: schema.KommuneColumn, total_subject: pd.Series
) -> list[str]:
    """One line saying which rows were set aside as not kommuner, and why."""
    kinds = kommuner.not_kommune.mask(kommuner.not_kommune.eq("") & total_subject, "i_alt")
    counts = kinds[kinds != ""].value_counts()
    if counts.empty:
        return []
    described = ", ".join(
        format_count(int(counts[kind]), *_SET_ASIDE[kind]) for kind in _SET_ASIDE if kind in counts
    )
    return [f"Lagt til side (ikke kommuner eller paragraffer, ikke talt med): {described}"]


#: The kinds of rows set aside, each as (singular, plural).
_SET_ASIDE = {
    "regioner": ("række for en region", "rækker for regioner"),
    "faellesskaber": ("række for et kommunalt fællesskab", "rækker for kommunale fællesskaber"),
    "i_alt": (
        "'I alt'-række (en sum, som kontrolleres mod sine dele)",
        "'I alt'-rækker (summer, som kontrolleres mod deres dele)",
    ),
}


def _outside_registry_notes(labels: dict[str, str]) -> list[str]:
    """Provisions outside the registry: counted in socialområdet only."""
    if not labels:
        return []
    listed = ", ".join(f"{p} ({label})" if label else p for p, label in labels.items())
    count = len(labels)
    noun = plural(count, "paragraf", "paragraffer")
    return [f"{count} {noun} uden for registret er kun talt med i socialområdet: {listed}"]


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
    the learning-loop details of `omglib.io.casedetails` (reasons, follow-up, ...)."""

    partial_decisions: pd.DataFrame
    provenance: Provenance
    notes: tuple[str, ...] = ()
    #: Provisions outside the registry → the subject text the file gave them.
    provision_labels: dict[str, str] = field(default_factory=dict)


@read_once("path", "extra_reasons")
def read_cases(
    path: str | Path, extra_reasons: str | Path | None = None, mask_cpr: bool = False
) -> CaseTable:
    """A case-level file: one row per partial decision.

    `extra_reasons` is a kommune's own list of reasons for overturning (YAML, as
    `data/laering.yaml`). A CPR number anywhere in the file (a learning point, a family
    key, a case id) is an error unless `mask_cpr`, which replaces each by a pseudonym
    before anything else sees the text."""
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
    masked = privacy.protect(checker, mask_cpr)

    frame = pd.DataFrame({"sag_id": schema.parse_text(checker, "sag_id", "sags-id")})
    kommuner = schema.parse_kommune(checker)
    kommune_column = schema.kommune_column(source.frame)
    message = "en sag hører til én kommune – 'Hele landet' kan ikke bruges her"
    checker.flag(kommuner.national, kommune_column, message)
    schema.flag_not_kommune(checker, kommuner, "en sag hører til én kommune")
    frame["kommunekode"] = kommuner.codes
    year_column = "aar" if "aar" in columns else "afgoerelsesdato"
    dates = schema.parse_date(checker, "afgoerelsesdato") if "afgoerelsesdato" in columns else None
    if year_column == "aar":
        frame["aar"] = schema.parse_year(checker)
    elif dates is not None:
        frame["aar"] = dates.dt.year.astype("Int64")
    provisions = schema.parse_provision(checker, frame["aar"])
    frame["paragraf"] = provisions.ids
    frame["udfald"] = schema.parse_outcome(checker)
    if "omraade" in columns:
        frame["omraade"] = schema.parse_area(checker)
    _flag_split_case(checker, frame, "kommunekode", kommune_column, "en anden kommune")
    _flag_split_case(checker, frame, "aar", year_column, "et andet år")
    if dates is not None:
        frame["afgoerelsesdato"] = dates
    frame = pd.concat([frame, casedetails.parse_details(checker, extra_reasons)], axis=1)
    collapsible = frame.dropna(subset=["aar", "paragraf"])
    casedetails.check_cases(checker, frame, cases_per_area(collapsible), dates)
    checker.raise_if_any()
    notes = (*_outside_registry_notes(provisions.outside_registry), *_notes(source, masked))
    return CaseTable(_whole_numbers(frame), _provenance(source), notes, provisions.outside_registry)


def _flag_split_case(
    checker: schema.Checker, frame: pd.DataFrame, column: str, shown: str, what: str
) -> None:
    """A case's partial decisions must share kommune and year."""
    first = frame.groupby("sag_id", sort=False)[column].transform("first")
    differs = (frame[column] != first).fillna(False)
    checker.flag(differs, shown, f"sagens første delafgørelse har {what}")


def cases_to_dataset(cases: CaseTable) -> Dataset:
    """Count the cases per year, kommune, area and provision: each case once per area it
    touches, with the outcome that takes precedence within that area (`cases_per_area`)."""
    counts = count_outcomes(
        cases_per_area(cases.partial_decisions), ["aar", "kommunekode", "omraade", "paragraf"]
    )
    empty_national = counts.iloc[0:0].drop(columns="kommunekode")
    return Dataset(
        counts, empty_national, cases.provenance, cases.notes, dict(cases.provision_labels)
    )


def cases_per_area(partial_decisions: pd.DataFrame) -> pd.DataFrame:
    """One row per case and area it counts in, collapsed by precedence within the area.

    Every partial decision counts in socialområdet, and also in the handicap area of its
    provision that year (or the area the file gives it). Ankestyrelsen registers a case on
    its most far-reaching outcome; applied per area, a case with an ændring under SEL § 52,
    stk. 3 and a hjemvisning under SEL § 41 is ændret in socialområdet and hjemvist in
    børnehandicapområdet, and a remand never falls out of an area it touches. Applying
    the rule per area is this project's reading: Ankestyrelsen's tables count each area
    for itself, and no published source states how a case spanning areas is counted."""
    rows = partial_decisions_by_area(partial_decisions)
    return collapse(rows, by=("sag_id", "omraade"))


def partial_decisions_by_area(partial_decisions: pd.DataFrame) -> pd.DataFrame:
    """Each partial decision in socialområdet and, when its provision belongs to one that
    year (or the file says so), in its handicap area."""
    frame = partial_decisions
    if "omraade" in frame.columns:
        handicap = frame["omraade"].where(frame["omraade"] != registry.SOCIAL_AREA)
    else:
        handicap = _handicap_areas(frame["paragraf"], frame["aar"])
    social = frame.assign(omraade=registry.SOCIAL_AREA)
    in_handicap = frame.assign(omraade=handicap)[handicap.notna()]
    return pd.concat([social, in_handicap], ignore_index=True)


# --- kommune volumes -------------------------------------------------------------------


@read_once("path")
def read_volumes(path: str | Path, mask_cpr: bool = False) -> Volumes:
    """Kommune volumes: the number of decisions (and complaints) per year and area. A
    CPR number in the file is an error unless `mask_cpr` (see the module docstring)."""
    source = read_source(path)
    checker = schema.Checker(source)
    columns = source.frame.columns
    checker.require("aar", "omraade", "afgoerelser_i_alt")
    if "kommunekode" not in columns and "kommune" not in columns:
        checker.require("kommune")
    checker.raise_if_any()
    privacy.protect(checker, mask_cpr)
    frame = pd.DataFrame({"aar": schema.parse_year(checker)})
    kommuner = schema.parse_kommune(checker)
    message = "kommunens egne tal skal stå pr. kommune, ikke for 'Hele landet'"
    checker.flag(kommuner.national, schema.kommune_column(source.frame), message)
    schema.flag_not_kommune(checker, kommuner, "kommunens egne tal skal stå pr. kommune")
    frame["kommunekode"] = kommuner.codes
    frame["omraade"] = schema.parse_area(checker)
    for column in ("afgoerelser_i_alt", "klager_modtaget"):
        if column in columns:
            frame[column] = schema.parse_count(checker, column)
    schema.flag_duplicates(checker, frame[["aar", "kommunekode", "omraade"]], "omraade")
    checker.raise_if_any()
    return Volumes(_whole_numbers(frame), _provenance(source))
