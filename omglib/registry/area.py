"""The areas omglib reports on, and which provisions make up each in a given year.

Socialområdet is every provision; the handicap areas (børnehandicap, voksenhandicap)
are the provisions `data/paragraffer.csv` assigns them, which change with the year a
provision moves between laws. A user may name an area as written in
`data/omraader.yaml`, give a single provision ("SEL § 41") instead, or one of the
kommune's own groups of provisions in use (`registry.group`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from omglib.errors import OmgError
from omglib.names import fold
from omglib.registry.data import _provision_table, area_file
from omglib.registry.group import area_group, area_groups, group_id
from omglib.registry.provision import provision_id
from omglib.registry.series import provisions_in_year, series_note

SOCIAL_AREA = "socialomraadet"


@dataclass(frozen=True)
class Area:
    """An area as omglib reports it: an id, its Danish name and whether it is all provisions."""

    id: str
    name: str
    short_name: str
    description: str
    all_provisions: bool


def areas() -> dict[str, Area]:
    """The areas by id (socialomraadet, boernehandicap, voksenhandicap), in a dict of the
    caller's own."""
    return dict(_areas())


@cache
def _areas() -> Mapping[str, Area]:
    return MappingProxyType(
        {
            area_id: Area(
                id=area_id,
                name=spec["navn"],
                short_name=spec["kort"],
                description=spec["beskrivelse"],
                all_provisions=bool(spec["alle_paragraffer"]),
            )
            for area_id, spec in area_file().items()
        }
    )


@cache
def _area_names() -> Mapping[str, str]:
    lookup = {}
    for area_id, spec in area_file().items():
        for variant in [area_id, spec["navn"], spec["kort"], *spec["aliaser"]]:
            lookup[fold(variant)] = area_id
    return MappingProxyType(lookup)


def area_id(value: object) -> str | None:
    """The area id for a written area name ("Børnehandicapområdet"), or None."""
    return _area_names().get(fold(value))


def resolve_area(value: object) -> str:
    """An area id ("boernehandicap"), the id of a group in use ("botilbud_bpa") or a
    canonical provision ("SEL § 41") from what a user typed ("Børnehandicapområdet",
    "Botilbud, BPA og kontanttilskud", "serviceloven § 41")."""
    area = area_id(value) or group_id(value)
    if area is not None:
        return area
    if "§" in str(value):
        return provision_id(value)
    known = ", ".join([*_areas(), *area_groups()])
    raise OmgError(
        f"Ukendt område '{value}' – forventede et af {known}, en paragraf som 'SEL § 41' "
        "eller et fagområde fra kommunens fil med egne fagområder"
    )


def area_name(area: str) -> str:
    """The Danish display name of an area id, group id or provision."""
    known = _areas()
    group = area_group(area)
    return known[area].name if area in known else group.name if group else area


def area_text(area: str) -> str:
    """An area in running text: "børnehandicapområdet", but a provision keeps its case
    ("SEL § 159", never "sel § 159"), and a kommune's group its own name."""
    name = area_name(area)
    return name.lower() if area in _areas() else name


def area_provisions(area: str, year: int) -> tuple[str, ...]:
    """The provisions whose figures make up a provision's series (`registry.series`) or
    a kommune's group in `year`; for the ministry's areas, see `handicap_area`."""
    group = area_group(area)
    return group.provisions_in(year) if group is not None else provisions_in_year(area, year)


def area_series_note(area: str, years: Iterable[int]) -> str:
    """Where the figures of a provision or group over `years` come from another
    provision after a move between laws ("fra 2024: BL § 86"; for a group each of its
    provisions that moved, by name); "" for an area, or when none moved."""
    if area in _areas():
        return ""
    group = area_group(area)
    if group is None:
        return series_note(area, years)
    notes = []
    for member in group.members:
        counted = [year for year in years if member.counts_in(year)]
        note = series_note(member.provision, counted)
        if note:
            notes.append(f"{member.provision} {note}")
    return "; ".join(notes)


def handicap_area(provision: str, year: int) -> str | None:
    """The handicap area a provision belongs to in `year`, or None (socialområdet only)."""
    registry = _provision_table()
    row = registry[
        (registry["paragraf"] == provision)
        & (registry["fra_aar"] <= year)
        & (registry["til_aar"] >= year)
    ]
    areas_found = sorted(set(row["omraade"]) - {""})
    return areas_found[0] if areas_found else None
