"""The aggregated data every report is made from, and where it came from.

A Dataset holds ordinary DataFrames with documented canonical columns (no hidden state):

- `counts`: one row per `aar`, `kommunekode`, `omraade` (and `paragraf` when the file
  breaks areas down by provision) with the counts `stadfaestet`, `hjemvist`,
  `aendret_ophaevet` and, when given, `afvist`, `aendret`, `ophaevet`. Rows of different
  areas may overlap: socialområdet contains the handicap areas' cases too, as in
  Ankestyrelsen's own tables.
- `national`: the same columns without `kommunekode`, from rows for "Hele landet".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from omglib import registry
from omglib.errors import OmgError
from omglib.memo import derived
from omglib.names import fold
from omglib.outcomes import sum_counts

#: The word that marks a file as synthetic in its title line (or a plan's opening
#: comment); every reader recognises synthetic data by it (`is_marked_synthetic`).
SYNTHETIC_MARK = "syntetisk"


def is_marked_synthetic(lines: Iterable[str]) -> bool:
    """Whether any of a file's title lines (or opening comments) says it is synthetic."""
    return any(SYNTHETIC_MARK in fold(line) for line in lines)


@dataclass(frozen=True)
class Provenance:
    """Which file a table came from: its name, SHA-256, whether it is synthetic and the
    date of the extract it holds, when the file states one (None: it states none).
    Ankestyrelsen revises past figures, so the same year's numbers differ between
    extracts; every report names the extract date beside the file."""

    file: str
    sha256: str
    synthetic: bool = False
    extract_date: dt.date | None = None


@dataclass(frozen=True)
class Dataset:
    """Aggregated counts per kommune (and national rows when the file has them)."""

    counts: pd.DataFrame
    national: pd.DataFrame
    provenance: Provenance
    notes: tuple[str, ...] = field(default=())
    #: Provisions outside the registry → the subject text the file gave them ("" if none).
    provision_labels: dict[str, str] = field(default_factory=dict)

    def provision_label(self, provision: str) -> str:
        """A provision's description: the registry's, else the file's own subject text."""
        return registry.provision_label(provision) or self.provision_labels.get(provision, "")

    @derived
    def select(self, area: str, year: int | None = None) -> pd.DataFrame:
        """The kommune counts for one area (or single provision), summed per kommune and
        year; one year when `year` is given."""
        return select_area(self.counts, area, year, by=("aar", "kommunekode"))

    def years(self) -> list[int]:
        return sorted(int(y) for y in self.counts["aar"].unique())

    def areas(self) -> list[str]:
        return sorted(self.counts["omraade"].unique())

    def covers(self, area: str) -> bool:
        """Whether the data can give figures for `area`: one of the ministry's areas in
        the file, or a provision or group of provisions in a file per provision."""
        if area in registry.areas():
            return area in self.areas()
        return "paragraf" in self.counts.columns


@dataclass(frozen=True)
class Volumes:
    """The kommune's own totals: `aar`, `kommunekode`, `omraade`, `afgoerelser_i_alt`
    (all first-instance decisions) and, when given, `klager_modtaget`."""

    frame: pd.DataFrame
    provenance: Provenance


def select_area(
    counts: pd.DataFrame, area: str, year: int | None, by: tuple[str, ...]
) -> pd.DataFrame:
    """Counts for an area id, a kommune's group of provisions in use or a canonical
    provision, summed over `by`.

    A provision follows its series across a move between laws (`registry.series`), and
    each is taken from the smallest area that holds it (`_provision_rows`); a group is
    the sum of its provisions in each year (`registry.group`)."""
    rows = counts if year is None else counts[counts["aar"] == year]
    if area in registry.areas():
        chosen = rows[rows["omraade"] == area]
    elif "paragraf" in rows.columns:
        chosen = _provision_rows(rows_of_provisions(rows, area))
    else:
        raise OmgError(
            f"Data har ingen opdeling på paragraf, så '{registry.area_name(area)}' kan ikke "
            "vises for sig – vælg et område (socialomraadet, boernehandicap, voksenhandicap)"
        )
    return sum_counts(chosen, by)


def rows_of_provisions(rows: pd.DataFrame, area: str) -> pd.DataFrame:
    """The rows (with `aar` and `paragraf`) under the provisions that make up a
    provision's series or a kommune's group in their year (`registry.area_provisions`):
    one rule for counts and for the cases of a register."""
    pairs = [
        (year, provision)
        for year in rows["aar"].unique()
        for provision in registry.area_provisions(area, int(year))
    ]
    held = pd.DataFrame(pairs, columns=["aar", "paragraf"]).astype({"aar": rows["aar"].dtype})
    return rows.merge(held, on=["aar", "paragraf"])


def _provision_rows(matching: pd.DataFrame) -> pd.DataFrame:
    """Rows of provisions (`rows_of_provisions`), each provision's from the smallest area
    that holds it: its handicap area when it has one, else socialområdet. In a table of counts
    both areas hold the same figures; counted from cases, a case's decisive partial
    decision is the one within the area (see `readers.cases_per_area`), so the handicap
    area's rows keep a remand under the provision that socialområdet's more far-reaching
    ændring elsewhere would hide."""
    preference = (matching["omraade"] == registry.SOCIAL_AREA).astype(int)
    key = [c for c in ("aar", "kommunekode", "paragraf") if c in matching.columns]
    ordered = matching.assign(_preference=preference).sort_values([*key, "_preference"])
    return ordered.drop_duplicates(key).drop(columns="_preference")
