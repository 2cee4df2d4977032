"""What a user asks the batch for, validated before any notebook runs, and the jobs it
expands into.

A request comes from `omg reports` options or a named parameter set (`params/*.yaml`)
with the same keys: `notebook`, `kommune`, `area`, `year`, `format`, `data`, `volumes`,
`boundaries`, `cases` (case-level file with reasons and follow-up), `action_plan` (the
kommune's handleplan), `alerts` (the kommune's alert rules for the running figures of
a register, YAML), `areas` (the kommune's own groups of provisions, YAML, usable in
`area`), `mask_cpr`, `tiles` (the tile map instead of the kommune
boundaries, for the reports with a map) and, for the briefing, `recommendation` (the
administration's own answer per area, which replaces the rule's suggestion in the
Indstilling: a mapping `{voksenhandicap: handleplan}` or "område=svar" texts). Lists or
"all" are allowed where a batch makes sense. Every problem is
collected and reported together, with the library's own messages ("Ukendt kommune
'Arhus' – mente du Aarhus (751)?").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

from omglib import recommendation, registry
from omglib.dataset import Dataset
from omglib.errors import DataError, OmgError, Problem
from omglib.inputs import use_areas
from omglib.names import fold
from omglib.reports.inputfiles import INPUT_KEYS, Inputs

T = TypeVar("T")

#: The report notebooks and what one report of each covers.
NOTEBOOKS = {
    "kommunerapport": "én kommune, ét område, ét år",
    "udvalgsbriefing": "én kommune, alle valgte områder, ét år",
    "danmarkskort": "hele landet, ét område, ét år",
    "opfoelgning": "én kommune, ét område, ét år: årsager, hjemvisninger, vidensbank, handleplan",
}
#: Notebooks that read the case-level file and the action plan.
LEARNING_NOTEBOOKS = ("opfoelgning", "udvalgsbriefing")
#: The input files each notebook takes as parameters (`<key>_file`).
NOTEBOOK_INPUTS = {
    "kommunerapport": ("data", "volumes", "boundaries", "areas"),
    "danmarkskort": ("data", "volumes", "boundaries", "areas"),
    "udvalgsbriefing": ("data", "volumes", "boundaries", "cases", "action_plan", "alerts", "areas"),
    "opfoelgning": ("data", "volumes", "cases", "action_plan", "alerts", "areas"),
}
#: Notebooks whose reports cover one area (their folder is the area's).
SINGLE_AREA = ("kommunerapport", "danmarkskort", "opfoelgning")
FORMATS = ("html", "pdf")
KEYS = (
    "notebook",
    "kommune",
    "area",
    "year",
    "format",
    *INPUT_KEYS,
    "mask_cpr",
    "tiles",
    "recommendation",
    "assets",
)
#: `assets`: each report one self-contained file, or the Vega JavaScript and the map's
#: shapes in files shared by the reports of the output folder (`reports.assets`).
ASSET_MODES = ("inline", "shared")
#: Notebooks that draw the Danmarkskort (and so take `tiles`).
MAP_NOTEBOOKS = ("kommunerapport", "danmarkskort")
ALL = "all"


@dataclass(frozen=True)
class Job:
    """One report: a notebook with its parameters and where its files go."""

    notebook: str
    year: int
    areas: tuple[str, ...]
    formats: tuple[str, ...]
    kommunekode: int | None = None
    mask_cpr: bool = False
    recommendations: tuple[tuple[str, str], ...] = ()
    tiles: bool = False
    shared_assets: bool = False

    def parameters(self, inputs: Inputs) -> dict[str, Any]:
        """The notebook's papermill parameters."""
        taken = {f"{key}_file" for key in NOTEBOOK_INPUTS[self.notebook]}
        files = {k: v for k, v in inputs.notebook_parameters().items() if k in taken}
        chosen: dict[str, Any] = {"year": self.year, **files}
        # The learning notebooks always state it; the others only when a user asks for
        # masking (their footers list the parameters, unchanged for unmasked runs).
        if self.mask_cpr or self.notebook in LEARNING_NOTEBOOKS:
            chosen["mask_cpr"] = self.mask_cpr
        if self.kommunekode is not None:
            chosen["kommune"] = self.kommunekode
        if self.tiles:  # only when asked for: other reports keep their parameters
            chosen["tiles"] = True
        if self.notebook == "udvalgsbriefing":
            chosen["areas"] = list(self.areas)
            if self.recommendations:  # only when given: other briefings keep their bytes
                chosen["recommendations"] = dict(self.recommendations)
        else:
            chosen["area"] = self.areas[0]
        return chosen

    @property
    def stem(self) -> Path:
        """Where the report goes under the output directory, without suffix:
        `<aar>/<omraade>/<kommunekode>-<navn>` (`-opfoelgning` added for the follow-up
        report, `udvalgsbriefing/` as folder for briefings)."""
        folder = _slug(self.areas[0] if self.notebook in SINGLE_AREA else self.notebook)
        if self.kommunekode is None:
            return Path(str(self.year), folder, "danmarkskort")
        name = _slug(registry.kommune_name(self.kommunekode))
        suffix = "-opfoelgning" if self.notebook == "opfoelgning" else ""
        return Path(str(self.year), folder, f"{self.kommunekode}-{name}{suffix}")

    @property
    def title(self) -> str:
        """The report's title (the HTML `<title>` and the PDF's document title)."""
        where = (
            "Hele landet"
            if self.kommunekode is None
            else f"{registry.kommune_name(self.kommunekode)} Kommune"
        )
        if self.notebook == "udvalgsbriefing":
            return f"Udvalgsbriefing om omgørelser {self.year} – {where}"
        what = registry.area_text(self.areas[0])
        if self.notebook == "opfoelgning":
            return f"Opfølgning på omgørelser {self.year}: {what} – {where}"
        return f"Omgørelser {self.year}: {what} – {where}"


def _slug(text: str) -> str:
    """ASCII file-name part: "Lyngby-Taarbæk" → "lyngby-taarbaek", "SEL § 41" → "sel-41"."""
    words = re.split(r"[^0-9A-Za-zÆØÅæøåÉéÜü]+", text)
    return "-".join(fold(word) for word in words if fold(word))


@dataclass(frozen=True)
class Request:
    """A validated request: which reports, in which formats, from which inputs."""

    notebook: str
    kommuner: tuple[int, ...]
    areas: tuple[str, ...]
    years: tuple[int, ...]
    formats: tuple[str, ...]
    inputs: Inputs
    mask_cpr: bool = False
    recommendations: tuple[tuple[str, str], ...] = ()
    tiles: bool = False
    shared_assets: bool = False

    def jobs(self) -> list[Job]:
        """One job per report, in a stable order."""
        if self.notebook == "danmarkskort":
            return [
                Job(
                    self.notebook,
                    year,
                    (area,),
                    self.formats,
                    mask_cpr=self.mask_cpr,
                    tiles=self.tiles,
                    shared_assets=self.shared_assets,
                )
                for year in self.years
                for area in self.areas
            ]
        if self.notebook == "udvalgsbriefing":
            return [
                Job(
                    self.notebook,
                    year,
                    self.areas,
                    self.formats,
                    code,
                    self.mask_cpr,
                    self.recommendations,
                    shared_assets=self.shared_assets,
                )
                for year in self.years
                for code in self.kommuner
            ]
        return [
            Job(
                self.notebook,
                year,
                (area,),
                self.formats,
                code,
                self.mask_cpr,
                tiles=self.tiles and self.notebook in MAP_NOTEBOOKS,
                shared_assets=self.shared_assets,
            )
            for year in self.years
            for area in self.areas
            for code in self.kommuner
        ]


class _Collector:
    """Collects every problem in a request, so the user fixes them in one go."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def each(self, key: str, values: Iterable[Any], convert: Callable[[Any], T]) -> list[T]:
        kept = []
        for value in values:
            try:
                kept.append(convert(value))
            except OmgError as error:
                self.add(key, value, str(error))
        return kept

    def add(self, key: str, value: Any, message: str) -> None:
        where = f"nøgle '{key}'" if value is None else f"nøgle '{key}' = '{value}'"
        self.problems.append(Problem(self.source, None, None, None, f"{where}: {message}"))


def build_request(
    options: dict[str, Any], source: str, read: Callable[[Path | None], Dataset]
) -> Request:
    """Validate `options` (keys as in `KEYS`) against the data `read` returns.

    `source` names where the options came from (a parameter file or "kommandolinjen")
    for the messages."""
    problems = _Collector(source)
    for key in sorted(set(options) - set(KEYS)):
        problems.add(key, None, f"ukendt nøgle – forventede en af {', '.join(KEYS)}")
    notebook = str(options.get("notebook") or "kommunerapport")
    if notebook not in NOTEBOOKS:
        problems.add("notebook", notebook, f"ukendt rapport – vælg en af {', '.join(NOTEBOOKS)}")
    inputs = _inputs(options, problems)
    data = read(inputs.data) if inputs is not None else None
    groups = _area_groups(inputs, problems)
    kommuner = _kommuner(options, notebook, problems)
    areas = _areas(options, data, groups, problems) if data is not None else []
    years = _years(options, data, problems) if data is not None else []
    formats = _formats(options, problems)
    mask_cpr = _flag(options, "mask_cpr", problems)
    recommendations = _recommendations(options, notebook, areas, problems)
    tiles = _flag(options, "tiles", problems)
    if tiles and notebook not in MAP_NOTEBOOKS:
        problems.add("tiles", None, f"gælder kun rapporter med kort ({', '.join(MAP_NOTEBOOKS)})")
    if tiles and options.get("boundaries"):
        problems.add("tiles", None, "vælg enten en grænsefil (boundaries) eller flisekortet")
    shared_assets = _shared_assets(options, problems)
    if inputs is not None and inputs.alerts is not None:
        _check_alert_rules(inputs.alerts, notebook, problems)
    if problems.problems or inputs is None:
        raise DataError(problems.problems)
    return Request(
        notebook,
        tuple(kommuner),
        tuple(areas),
        tuple(years),
        tuple(formats),
        inputs,
        mask_cpr,
        recommendations,
        tiles,
        shared_assets,
    )


def _inputs(options: dict[str, Any], problems: _Collector) -> Inputs | None:
    """The input files with their hashes, or None when one of them is missing."""
    paths: dict[str, Path | None] = {}
    missing = False
    for key in INPUT_KEYS:
        value = options.get(key)
        path = None if value in (None, "") else Path(value)
        if path is not None and not path.is_file():
            problems.add(key, value, "filen findes ikke")
            missing = True
        paths[key] = path
    if missing:
        return None
    return Inputs.of(**paths)


def _check_alert_rules(path: Path, notebook: str, problems: _Collector) -> None:
    """The alert rules are read before any report runs: a mistake in them is one
    message, not one failed report per kommune."""
    from omglib.learning.alerts import read_alert_rules  # reads scipy: only when given

    if notebook not in LEARNING_NOTEBOOKS:
        problems.add("alerts", str(path), f"gælder kun {' og '.join(LEARNING_NOTEBOOKS)}")
        return
    try:
        read_alert_rules(path)
    except OmgError as error:
        problems.add("alerts", str(path), str(error))


def _shared_assets(options: dict[str, Any], problems: _Collector) -> bool:
    """`assets: shared` (files shared by the output folder's reports) or the default,
    `inline` (each report one self-contained file)."""
    value = options.get("assets") or "inline"
    if value not in ASSET_MODES:
        problems.add("assets", value, f"forventede {' eller '.join(ASSET_MODES)}")
    return value == "shared"


def _flag(options: dict[str, Any], key: str, problems: _Collector) -> bool:
    value = options.get(key, False)
    if not isinstance(value, bool):
        problems.add(key, value, "forventede true eller false")
        return False
    return value


def _recommendations(
    options: dict[str, Any], notebook: str, areas: list[str], problems: _Collector
) -> tuple[tuple[str, str], ...]:
    """The administration's own answers per area for the briefing's Indstilling, as
    (area id, "handleplan" | "ingen"); given as a mapping or as "område=svar" texts."""
    value = options.get("recommendation")
    if value in (None, "", [], {}):
        return ()
    if notebook != "udvalgsbriefing":
        problems.add(
            "recommendation", None, "gælder kun udvalgsbriefingen (notebook: udvalgsbriefing)"
        )
        return ()
    written = value if isinstance(value, dict) else dict(_pairs(_listed(value), problems))
    try:
        answers = recommendation.parse_overrides(written, areas)
    except OmgError as error:
        problems.add("recommendation", None, str(error))
        return ()
    return tuple((area, "handleplan" if wanted else "ingen") for area, wanted in answers.items())


def _pairs(items: list[Any], problems: _Collector) -> list[tuple[str, str]]:
    """ "voksenhandicap=handleplan" → ("voksenhandicap", "handleplan")."""
    pairs = []
    for item in items:
        area, equals, answer = str(item).partition("=")
        if not equals:
            problems.add(
                "recommendation", item, "forventede område=svar, fx voksenhandicap=handleplan"
            )
            continue
        pairs.append((area.strip(), answer.strip()))
    return pairs


def _listed(value: Any) -> list[Any]:
    """A YAML list, a single value, or a comma-separated string as a list."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    return [
        part.strip() if isinstance(part, str) else part
        for item in items
        for part in (item.split(",") if isinstance(item, str) else [item])
        if part != ""
    ]


def _is_all(values: list[Any]) -> bool:
    return [str(v).casefold() for v in values] == [ALL]


def _kommuner(options: dict[str, Any], notebook: str, problems: _Collector) -> list[int]:
    values = _listed(options.get("kommune"))
    if notebook == "danmarkskort":
        if values:
            problems.add(
                "kommune",
                ", ".join(map(str, values)),
                "danmarkskortet dækker hele landet – udelad kommune",
            )
        return []
    if not values:
        problems.add("kommune", None, "mangler – angiv kommuner (navn eller kode) eller 'all'")
        return []
    if _is_all(values):
        return registry.all_kommune_codes()
    return _unique(problems.each("kommune", values, registry.kommune_code))


def _area_groups(inputs: Inputs | None, problems: _Collector) -> list[str]:
    """The kommune's own groups of provisions (`areas`), put in use so `area` may name
    them; their ids."""
    try:
        return list(use_areas(inputs.areas if inputs is not None else None))
    except OmgError as error:
        problems.add("areas", str(inputs.areas if inputs else ""), str(error))
        return []


def _areas(
    options: dict[str, Any], data: Dataset, groups: list[str], problems: _Collector
) -> list[str]:
    """The areas asked for; 'all' is the data's areas and the kommune's own groups."""
    values = _listed(options.get("area"))
    if not values:
        problems.add("area", None, "mangler – angiv områder eller 'all'")
        return []
    if _is_all(values):
        return [*data.areas(), *groups]

    def in_data(value: Any) -> str:
        area = registry.resolve_area(value)
        if area in registry.areas() and area not in data.areas():
            raise OmgError(f"findes ikke i datafilen (den har {', '.join(data.areas())})")
        return area

    return _unique(problems.each("area", values, in_data))


def _years(options: dict[str, Any], data: Dataset, problems: _Collector) -> list[int]:
    values = _listed(options.get("year"))
    available = data.years()
    if not values:
        problems.add("year", None, "mangler – angiv år eller 'all'")
        return []
    if _is_all(values):
        return available

    def in_data(value: Any) -> int:
        text = str(value)
        if not re.fullmatch(r"\d{4}", text):
            raise OmgError("forventede et årstal som 2024")
        if int(text) not in available:
            raise OmgError(f"findes ikke i datafilen (den har {available[0]}–{available[-1]})")
        return int(text)

    return _unique(problems.each("year", values, in_data))


def _formats(options: dict[str, Any], problems: _Collector) -> list[str]:
    values = _listed(options.get("format")) or ["html"]

    def known(value: Any) -> str:
        text = str(value).casefold()
        if text not in FORMATS:
            raise OmgError(f"ukendt format – vælg blandt {', '.join(FORMATS)}")
        return text

    return _unique(problems.each("format", values, known))


def _unique(values: list[T]) -> list[T]:
    return list(dict.fromkeys(values))


def read_parameter_file(path: Path) -> dict[str, Any]:
    """A named parameter set: a YAML mapping with the keys in `KEYS`. Relative input
    paths are relative to the parameter file, so a set works from any directory."""
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise OmgError(f"{path}: parameterfilen kan ikke læses ({error.strerror})") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" i linje {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "ukendt fejl"
        raise OmgError(f"{path}: ikke gyldig YAML{where} ({problem})") from error
    if not isinstance(loaded, dict):
        raise OmgError(f"{path}: forventede nøgler som 'kommune:', 'area:' og 'year:'")
    for key in INPUT_KEYS:
        if loaded.get(key):
            loaded[key] = str((path.parent / str(loaded[key])).resolve())
    return loaded
