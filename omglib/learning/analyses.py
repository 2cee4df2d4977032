"""The learning loop: why cases were overturned, what happened after remands, and the
complaints behind the figures.

Kommuner do not only report a rate: they analyse their overturned cases (this project's
assumption about practice; the duty to discuss the map is retssikkerhedslovens § 79 b).
Everything here works on `LearningCases` — one row per case of a case-level file, with
the optional details of `omglib.io.casedetails` — and returns small values with the
numbers as a table and a Danish sentence, so the notebooks only narrate. Every share
comes with its counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pandas as pd

from omglib import registry
from omglib.dataset import Provenance, Volumes
from omglib.errors import OmgError
from omglib.io.casedetails import details_per_case
from omglib.io.readers import CaseTable, cases_per_area
from omglib.outcomes import OVERTURNED
from omglib.present import danish, sentences

NOT_RECORDED: Final = "Ikke registreret"
"""Follow-up column label for remands without a recorded follow-up."""

ENDED_AS: Final[dict[str, str]] = {
    "Ny afgørelse til fordel for borgeren": "med en ny afgørelse til fordel for borgeren",
    "Ansøgning trukket tilbage": "med at ansøgningen blev trukket tilbage",
    "Afgørelse fastholdt": "med samme afgørelse",
    "Påklaget igen": "med en ny klage til Ankestyrelsen",
}
"""How a remand ended, as the end of "Af 14 hjemviste sager endte 5 ...", for each
follow-up label of `data/laering.yaml` that closes the remand."""

STILL_OPEN: Final[dict[str, str]] = {
    "Afventer": "afventer en ny afgørelse",
    NOT_RECORDED: "har ingen registreret opfølgning",
}
"""Remands not closed yet, worded after their count ("1 afventer ..."), for the labels
that do not end a remand."""


@dataclass(frozen=True)
class LearningCases:
    """One row per case and area it counts in (a børnehandicap case also counts in
    socialområdet): `sag_id`, `kommunekode`, `aar`, `omraade`, `paragraf`, `udfald` and
    the details the file has (`aarsag` as a tuple of labels, `kun_delvis`, `familie`,
    `opfoelgning`, `opfoelgningsdato`, `laeringspunkt`, `afgoerelsesdato`)."""

    frame: pd.DataFrame
    provenance: Provenance

    def has(self, column: str) -> bool:
        return column in self.frame.columns

    def select(self, kommune: int | str, area: str, year: int | None = None) -> pd.DataFrame:
        """The kommune's cases in `area` (and `year`)."""
        code = registry.kommune_code(kommune)
        frame = self.frame
        chosen = (frame["kommunekode"] == code) & (frame["omraade"] == registry.resolve_area(area))
        if year is not None:
            chosen &= frame["aar"] == year
        return frame[chosen]

    def overturned(self, kommune: int | str, area: str, year: int | None = None) -> pd.DataFrame:
        cases = self.select(kommune, area, year)
        return cases[cases["udfald"].astype(str).isin(OVERTURNED)]

    def remands(self, kommune: int | str, area: str, year: int | None = None) -> pd.DataFrame:
        cases = self.select(kommune, area, year)
        return cases[cases["udfald"].astype(str) == "hjemvist"]


def learning_cases(table: CaseTable) -> LearningCases:
    """Cases with their details, from a case-level file read by `read_cases`."""
    partial = table.partial_decisions
    cases = cases_per_area(partial)
    details = details_per_case(partial)
    merged = cases.drop(columns=[c for c in details.columns if c != "sag_id"], errors="ignore")
    merged = merged.merge(details, on="sag_id", how="left", validate="many_to_one")
    return LearningCases(merged, table.provenance)


def _require(cases: LearningCases, column: str, what: str) -> None:
    if not cases.has(column):
        title = registry.aliases()["columns"][column][0]
        raise OmgError(f"{cases.provenance.file} har ingen kolonne '{title}' – {what} kræver den")


# --- reasons ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReasonRanking:
    """Reasons for overturning, most frequent first (a Pareto table).

    `table`: `aarsag`, `sager` (overturned cases naming it), `andel` (of the overturned
    cases with a recorded reason; a case may name several, so shares can add up to more
    than 100 %), `kumuleret` (cumulative share of all reasons named)."""

    table: pd.DataFrame
    overturned: int
    without_reason: int

    @property
    def text(self) -> str:
        if self.overturned == 0:
            return "Ingen sager blev omgjort."
        if self.table.empty and self.overturned == 1:
            return "Den omgjorte sag har ingen registreret årsag."
        if self.table.empty:
            return (
                f"Ingen af de {danish.format_int(self.overturned)} omgjorte sager har en "
                "registreret årsag."
            )
        top = self.table.iloc[0]
        with_reason = self.overturned - self.without_reason
        sentence = (
            f"Den hyppigste årsag til omgørelse var {str(top['aarsag']).lower()}: "
            f"{danish.format_int(int(top['sager']))} af {danish.format_int(with_reason)} "
            f"omgjorte sager med registreret årsag ({danish.format_pct(top['andel'])})."
        )
        if self.without_reason:
            cases = danish.format_count(self.without_reason, "omgjort sag", "omgjorte sager")
            sentence += f" {cases} har ingen registreret årsag."
        return sentence


def reasons_ranked(
    cases: LearningCases, kommune: int | str, area: str, year: int | None = None
) -> ReasonRanking:
    """Reasons for overturning in the kommune's `area` (and `year`), ranked."""
    _require(cases, "aarsag", "en opgørelse af årsager")
    overturned = cases.overturned(kommune, area, year)
    named = overturned["aarsag"].map(len) > 0
    mentions = overturned.loc[named, "aarsag"].explode()
    counts = mentions.value_counts(sort=False)
    order = sorted(counts.index, key=lambda label: (-counts[label], str(label)))
    table = pd.DataFrame({"aarsag": order, "sager": [int(counts[label]) for label in order]})
    with_reason = int(named.sum())
    table["andel"] = table["sager"] / with_reason if with_reason else []
    table["kumuleret"] = table["sager"].cumsum() / table["sager"].sum() if len(table) else []
    return ReasonRanking(table, len(overturned), len(overturned) - with_reason)


# --- remands ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    """What happened after the remands (hjemvisninger) of one year.

    `table`: `opfoelgning` in the coded order (plus "Ikke registreret" when some remands
    have none), `sager`, `andel` of all remands."""

    table: pd.DataFrame
    remands: int

    def count(self, label: str) -> int:
        rows = self.table.loc[self.table["opfoelgning"] == label, "sager"]
        return int(rows.iloc[0]) if len(rows) else 0

    @property
    def text(self) -> str:
        """Every remand accounted for, in the coded order: "Af 14 hjemviste sager endte 5
        med en ny afgørelse til fordel for borgeren, 1 med at ansøgningen blev trukket
        tilbage og 8 med samme afgørelse." and then those still open ("; 2 afventer en ny
        afgørelse"). Outcomes with no cases are left out, never written as "0"."""
        if self.remands == 0:
            return "Ingen sager blev hjemvist."
        ended = [
            f"{danish.format_int(self.count(label))} {phrase}"
            for label, phrase in ENDED_AS.items()
            if self.count(label)
        ]
        still_open = [
            f"{danish.format_int(self.count(label))} {phrase}"
            for label, phrase in STILL_OPEN.items()
            if self.count(label)
        ]
        if not ended and self.remands == 1:
            phrase = next(p for label, p in STILL_OPEN.items() if self.count(label))
            return f"Den ene hjemviste sag {phrase}."
        if not ended:
            return (
                f"Ingen af de {danish.format_int(self.remands)} hjemviste sager er afgjort igen "
                f"endnu: {danish.listed(still_open, 'og')}."
            )
        of_all = f"Af {danish.format_count(self.remands, 'hjemvist sag', 'hjemviste sager')}"
        sentence = f"{of_all} endte {danish.listed(ended, 'og')}"
        if still_open:
            sentence += f", mens {danish.listed(still_open, 'og')}"
        return sentence + "."


def follow_up(
    cases: LearningCases, kommune: int | str, area: str, year: int | None = None
) -> FollowUp:
    """The follow-up of the kommune's remands in `area` (and `year`)."""
    _require(cases, "opfoelgning", "opfølgning på hjemvisninger")
    remands = cases.remands(kommune, area, year)
    recorded = remands["opfoelgning"].fillna(NOT_RECORDED)
    labels = registry.follow_up_labels() + (
        [NOT_RECORDED] if (recorded == NOT_RECORDED).any() else []
    )
    counts = recorded.value_counts()
    table = pd.DataFrame({"opfoelgning": labels})
    table["sager"] = [int(counts.get(label, 0)) for label in labels]
    table["andel"] = table["sager"] / len(remands) if len(remands) else float("nan")
    return FollowUp(table, len(remands))


@dataclass(frozen=True)
class RemandProfile:
    """How much of the overturned work is partial, and how many families it concerns."""

    remands: int
    partial: int
    partial_known: int
    overturned: int
    families: int
    without_family: int

    @property
    def text(self) -> str:
        parts = []
        known = danish.format_int(self.partial_known)
        if self.partial_known == 1:
            scope = "kun en del af" if self.partial else "hele"
            parts.append(f"Den ene hjemvisning, hvor det er oplyst, gjaldt {scope} afgørelsen.")
        elif self.partial_known and not self.partial:
            parts.append(f"Alle {known} hjemvisninger, hvor det er oplyst, gjaldt hele afgørelsen.")
        elif self.partial_known:
            share = danish.format_pct(self.partial / self.partial_known)
            parts.append(
                f"Af de {known} hjemvisninger, hvor det er oplyst, gjaldt "
                f"{danish.format_int(self.partial)} ({share}) kun en del af afgørelsen."
            )
        if self.overturned:
            which = (
                "Den omgjorte sag"
                if self.overturned == 1
                else f"De {danish.format_int(self.overturned)} omgjorte sager"
            )
            sentence = (
                f"{which} vedrører {danish.format_count(self.families, 'familie', 'familier')}"
            )
            if self.without_family:
                unknown = danish.format_count(
                    self.without_family, "sag uden familienøgle", "sager uden familienøgle"
                )
                sentence += f" ({unknown})"
            parts.append(sentence + ".")
        return " ".join(parts) or "Ingen omgjorte sager."


def remand_profile(
    cases: LearningCases, kommune: int | str, area: str, year: int | None = None
) -> RemandProfile:
    """Partial remands and distinct families behind the overturned cases."""
    remands = cases.remands(kommune, area, year)
    overturned = cases.overturned(kommune, area, year)
    partial = remands["kun_delvis"] if cases.has("kun_delvis") else pd.Series(dtype="boolean")
    family = overturned["familie"] if cases.has("familie") else pd.Series([None] * len(overturned))
    return RemandProfile(
        remands=len(remands),
        partial=int(partial.fillna(False).sum()),
        partial_known=int(partial.notna().sum()),
        overturned=len(overturned),
        families=int(family.dropna().nunique()) if cases.has("familie") else 0,
        without_family=int(family.isna().sum()) if cases.has("familie") else len(overturned),
    )


def provision_drilldown(
    cases: LearningCases, kommune: int | str, area: str, year: int | None = None
) -> pd.DataFrame:
    """Per provision: realitetsbehandlede, omgjort, hjemvist and the most frequent reason,
    most overturned first."""
    chosen = cases.select(kommune, area, year)
    outcome = chosen["udfald"].astype(str)
    on_merits = chosen[outcome != "afvist"]
    grouped = on_merits.groupby("paragraf", sort=True)
    table = pd.DataFrame(
        {
            "realitetsbehandlede": grouped.size(),
            "omgjort": grouped["udfald"].agg(lambda o: int(o.astype(str).isin(OVERTURNED).sum())),
            "hjemvist": grouped["udfald"].agg(lambda o: int((o.astype(str) == "hjemvist").sum())),
        }
    )
    if cases.has("aarsag"):
        table["hyppigste_aarsag"] = grouped["aarsag"].agg(_most_frequent_reason)
    table = table.reset_index()
    return table.sort_values(
        ["omgjort", "realitetsbehandlede", "paragraf"], ascending=[False, False, True]
    ).reset_index(drop=True)


def _most_frequent_reason(reasons: pd.Series) -> str:
    named = reasons.explode().dropna()
    if named.empty:
        return ""
    counts = named.value_counts()
    return str(min(counts.index, key=lambda label: (-counts[label], str(label))))


# --- complaints -----------------------------------------------------------------------


@dataclass(frozen=True)
class Complaints:
    """Complaints the kommune received per year in an area (from its own volumes), with
    the change from the year before: `aar`, `klager`, `aendring` (count), `aendring_pct`."""

    table: pd.DataFrame

    def text(self, year: int) -> str:
        """E.g. "Kommunen modtog 8 klager i 2024 mod 15 i 2023 (-47 %)."."""
        rows = self.table.set_index("aar")["klager"].astype(int).to_dict()
        if year not in rows:
            return f"Ingen tal for modtagne klager i {year}."
        return (
            f"Kommunen modtog {sentences.complaints_change(rows[year], rows.get(year - 1), year)}."
        )


def complaints(volumes: Volumes, kommune: int | str, area: str) -> Complaints:
    """The kommune's complaints received per year in `area`."""
    frame = volumes.frame
    if "klager_modtaget" not in frame.columns:
        raise OmgError(
            f"{volumes.provenance.file} har ingen kolonne 'Klager modtaget' – "
            "antallet af klager kræver den"
        )
    code = registry.kommune_code(kommune)
    rows = frame[(frame["kommunekode"] == code) & (frame["omraade"] == registry.resolve_area(area))]
    table = (
        rows[["aar", "klager_modtaget"]]
        .rename(columns={"klager_modtaget": "klager"})
        .sort_values("aar")
        .reset_index(drop=True)
    )
    consecutive = table["aar"].diff() == 1
    previous = table["klager"].shift()
    table["aendring"] = (table["klager"] - previous).where(consecutive)
    table["aendring_pct"] = ((table["klager"] - previous) / previous.where(previous > 0)).where(
        consecutive
    )
    return Complaints(table)
