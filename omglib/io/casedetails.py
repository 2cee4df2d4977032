"""The optional learning-loop columns of a case-level file, parsed and checked.

A kommune that analyses its overturned cases adds, per case: why it was overturned
(`aarsag`, one or more reasons from the coded list in `data/laering.yaml`, separated by
"|", "," or ";"), whether a remand concerned only part of the decision (`kun_delvis`,
ja/nej), a family or household key (`familie`), what happened after a remand
(`opfoelgning`, with `opfoelgningsdato`) and a short learning point (`laeringspunkt`).

A case has several rows (one per partial decision); its details may stand on any of
them, but the same field must not say two different things. Details must fit the
outcome: reasons only on overturned cases, follow-up only on remands. CPR numbers are
kept out before these columns are read (`omglib.io.privacy`, for every file).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from omglib import registry
from omglib.io import schema
from omglib.names import fold
from omglib.outcomes import OVERTURNED

DETAIL_COLUMNS: Final = (
    "aarsag",
    "kun_delvis",
    "familie",
    "opfoelgning",
    "opfoelgningsdato",
    "laeringspunkt",
)
_SEPARATORS: Final = re.compile(r"\s*[|,;]\s*")
_YES: Final = frozenset({"ja", "j", "x", "1", "sand", "true", "yes"})
_NO: Final = frozenset({"nej", "n", "0", "falsk", "false", "no"})


def parse_details(checker: schema.Checker, extra_reasons: str | Path | None = None) -> pd.DataFrame:
    """The detail columns the file has, parsed (missing ones are absent)."""
    columns = checker.source.frame.columns
    parsed = pd.DataFrame(index=checker.source.frame.index)
    if "aarsag" in columns:
        parsed["aarsag"] = _reasons(checker, str(extra_reasons or ""))
    if "kun_delvis" in columns:
        parsed["kun_delvis"] = _yes_no(checker, "kun_delvis")
    if "opfoelgning" in columns:
        parsed["opfoelgning"] = _coded(checker, "opfoelgning", registry.follow_ups(), "opfølgning")
    if "opfoelgningsdato" in columns:
        parsed["opfoelgningsdato"] = schema.parse_date(checker, "opfoelgningsdato", required=False)
    for column in ("familie", "laeringspunkt"):
        if column in columns:
            raw = checker.source.frame[column].str.strip()
            parsed[column] = raw.where(raw != "")
    return parsed


def _reasons(checker: schema.Checker, extra_file: str) -> pd.Series:
    lookup = registry.reasons(extra_file)
    raw = checker.source.frame["aarsag"]
    problems: dict[int, str] = {}
    values = []
    for position, text in enumerate(raw):
        labels = []
        for part in (p for p in _SEPARATORS.split(text.strip()) if p):
            label = lookup.get(fold(part))
            if label is None:
                problems[position] = registry.unknown_label_message(part, lookup, "årsag")
            else:
                labels.append(label)
        values.append(tuple(dict.fromkeys(labels)))
    _flag_positions(checker, "aarsag", problems)
    return pd.Series(values, index=raw.index, dtype=object)


def _coded(checker: schema.Checker, column: str, lookup: dict[str, str], what: str) -> pd.Series:
    raw = checker.source.frame[column].str.strip()
    labels = raw.map(lambda text: lookup.get(fold(text)) if text else None)
    problems = {
        int(i): registry.unknown_label_message(str(raw.iat[int(i)]), lookup, what)
        for i in np.flatnonzero((raw != "") & labels.isna())
    }
    _flag_positions(checker, column, problems)
    return labels.astype(object)


def _yes_no(checker: schema.Checker, column: str) -> pd.Series:
    folded = checker.source.frame[column].map(fold)
    known = folded.isin(_YES | _NO) | (folded == "")
    checker.flag(~known, column, "forventede ja eller nej (eller tomt, hvis det ikke vides)")
    return folded.map(lambda v: True if v in _YES else (False if v in _NO else pd.NA)).astype(
        "boolean"
    )


def _flag_positions(checker: schema.Checker, column: str, messages: dict[int, str]) -> None:
    mask = np.zeros(len(checker.source.frame), dtype=bool)
    mask[list(messages)] = True
    by_position = pd.Series(
        [messages.get(i, "") for i in range(len(mask))], index=checker.source.frame.index
    )
    checker.flag(mask, column, by_position)


def check_cases(
    checker: schema.Checker, rows: pd.DataFrame, cases: pd.DataFrame, dates: pd.Series | None
) -> None:
    """Details that contradict each other or the case's outcome.

    `rows` are the partial decisions with their details, `cases` the cases collapsed per
    area (`sag_id`, `omraade`, `udfald`; see `readers.cases_per_area`), `dates` the
    decision date per row when the file has one. A case's outcome is its outcome in
    socialområdet, which holds every case; a remand-only detail needs the case to be
    remanded in at least one area. Rows whose case could not be collapsed (its rows have
    problems already recorded) are not checked."""
    social = cases[cases["omraade"] == registry.SOCIAL_AREA].set_index("sag_id")["udfald"]
    outcome = rows["sag_id"].map(social.astype(str))
    known = outcome.notna()
    remanded_cases = set(cases.loc[cases["udfald"].astype(str) == "hjemvist", "sag_id"])
    remanded = rows["sag_id"].isin(remanded_cases)
    overturned = outcome.isin(OVERTURNED)
    shown = outcome.map(schema.outcome_title, na_action="ignore")
    for column in ("kun_delvis", "familie", "opfoelgning", "opfoelgningsdato", "laeringspunkt"):
        if column in rows.columns:
            _flag_disagreement(checker, rows, column)
    if "aarsag" in rows.columns:
        given = rows["aarsag"].map(len) > 0
        message = shown.map(
            lambda o: f"årsag til omgørelse er angivet, men sagen er {o.lower()}",
            na_action="ignore",
        )
        checker.flag(known & given & ~overturned, "aarsag", message)
    remand_only = {"kun_delvis": "delvis hjemvisning", "opfoelgning": "opfølgning"}
    for column, what in remand_only.items():
        if column in rows.columns:
            given = rows[column].notna()
            message = shown.map(
                lambda o, w=what: f"{w} gælder kun hjemviste sager – sagen er {o.lower()}",
                na_action="ignore",
            )
            checker.flag(known & given & ~remanded, column, message)
    if dates is not None and "opfoelgningsdato" in rows.columns:
        early = rows["opfoelgningsdato"] < dates
        checker.flag(early, "opfoelgningsdato", "ligger før Ankestyrelsens afgørelse")


def _flag_disagreement(checker: schema.Checker, rows: pd.DataFrame, column: str) -> None:
    values = rows[column].astype(object).where(rows[column].notna())
    first = values.groupby(rows["sag_id"], sort=False).transform("first")
    differs = values.notna() & first.notna() & (values != first)
    checker.flag(
        differs.to_numpy(dtype=bool),
        column,
        "sagens rækker siger noget forskelligt – skriv det samme på alle sagens rækker",
    )


def _all_reasons(parts: pd.Series) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r for reasons in parts for r in reasons))


def details_per_case(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per case: its reasons (all of its rows together) and its other details
    (the first row that gives them)."""
    present = [c for c in DETAIL_COLUMNS if c in rows.columns]
    grouped = rows.groupby("sag_id", sort=False)
    result = pd.DataFrame(index=grouped.size().index)
    for column in present:
        if column == "aarsag":
            result[column] = grouped[column].agg(_all_reasons)
        else:
            result[column] = grouped[column].first()
    return result.reset_index()
