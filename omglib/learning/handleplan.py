"""A kommune's handleplan (action plan) as data: read from YAML with every problem
reported at once, and which actions are overdue. Its targets are measured and judged in
`omglib.learning.plantargets`, and shown in `omglib.learning.planview`.

Since 1 July 2022 the kommunalbestyrelse must decide whether a handleplan is needed
(retssikkerhedslovens § 79 b); kommuner show it as a table of Emne, Mål, Hvad, Hvornår,
Ansvarlig and Status. This module holds that plan as data, so a report can say which
actions are overdue and whether the plan's targets were reached.

The file format (UTF-8 YAML)::

    kommune: Norddjurs        # required: code (707) or any name the registry knows
    omraade: boernehandicap   # optional: the area the plan covers (omitted: all areas)
    vedtaget: 2024-03-12      # optional: date the council adopted the plan
    kilde: "Børne- og Ungeudvalget, 12. marts 2024, pkt. 5"   # optional
    handlinger:               # required: one or more actions
      - emne: Oplysningsgrundlag                  # required
        maal: Færre hjemvisninger på grund af ...   # required
        hvad:                                    # required: a text or a list of texts
          - Tjekliste for lægeerklæringer
        fra: 2024-04-01                          # date; with `til`, or use `hvornaar`
        til: 2024-12-31                          # date, not before `fra`
        hvornaar: efteråret 2024  # optional: when, in words ("løbende"); instead of
                                  # or beside `fra`/`til` (shown instead of the dates)
        ansvarlig: Afdelingsleder, Børn og Familie   # required
        status: i gang            # required: ikke startet | i gang | gennemført | forsinket
        maalepunkt:               # optional measurable target
          tal: omgoerelsesprocent # a name in plantargets.FIGURES (see `register_figure`)
          omraade: boernehandicap # optional when the plan has an omraade
          aar: 2025
          under: 40 %             # exactly one of `under` and `over`

Keys, statuses, figure names and areas are matched with omglib's one folding rule
(`names.fold`): case, spaces and punctuation do not matter and æ, ø, å may be written
ae, oe, aa, so `mål:`, `Status: Gennemfoert` and `tal: Omgørelsesprocent` are all read;
anything else gets a "mente du ...?" suggestion. Dates are written 2024-04-01,
01-04-2024, 01.04.2024 or 01/04/2024 (`io.schema.DATE_FORMATS`). A rate threshold is read as a percentage when written with
"%" or "pct." ("40 %", "12,5 %") or as a number from 1 to 100 (40); a plain number
below 1 is a share (0.4 is 40 %), so write "0,5 %" for half a percent. It must lie
strictly between 0 % and 100 %. A count threshold is a whole number (30).

An action has dates (`fra` and `til`), a time in words (`hvornaar`), or both. Only an
action with an end date can be overdue: "løbende" never is.

The plan's start year, around which `before_after` compares, is the year it was
adopted (`vedtaget`), or without that the year its first dated action starts (None
when the plan has neither).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Final, Literal

from yaml.nodes import Node, SequenceNode

from omglib import registry
from omglib.dataset import Provenance, is_marked_synthetic
from omglib.errors import DataError, OmgError
from omglib.formats import listed
from omglib.io.yamlfile import Field, Fields, LineProblem, YamlReader, compose
from omglib.learning import plantargets
from omglib.learning.plantargets import Kind, format_threshold
from omglib.names import fold
from omglib.present import danish

DEMO_FILE: Final = "handleplan-norddjurs.yaml"

STATUS_CLASSES: Final[dict[str, str]] = {
    "ikke startet": "omg-status-not-started",
    "i gang": "omg-status-in-progress",
    "gennemført": "omg-status-done",
    "forsinket": "omg-status-delayed",
}
"""The statuses an action can have, in order, with the CSS class that colours each."""
STATUSES: Final = tuple(STATUS_CLASSES)
DONE: Final = "gennemført"
OVERDUE_LABEL: Final = "Frist overskredet"


Direction = Literal["under", "over"]

_PLAN_FIELDS: Final = ("kommune", "omraade", "vedtaget", "kilde", "handlinger")
_ACTION_FIELDS: Final = (
    "emne",
    "maal",
    "hvad",
    "fra",
    "til",
    "hvornaar",
    "ansvarlig",
    "status",
    "maalepunkt",
)
_REQUIRED_ACTION_FIELDS: Final = ("emne", "maal", "hvad", "ansvarlig", "status")
_TARGET_FIELDS: Final = ("tal", "omraade", "aar", "under", "over")
_THRESHOLD = re.compile(r"(?P<number>-?\d+(?:[.,]\d+)?)\s*(?P<percent>%|pct\.?|procent)?", re.I)


# --- the plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A measurable target: `figure` (a name in `plantargets.FIGURES`) for the plan's kommune in
    `area` and `year` must be under or over `threshold` (a share for rates)."""

    figure: str
    area: str
    year: int
    direction: Direction
    threshold: float
    line: int

    def describe(self) -> str:
        """ "under 40 % i 2025"."""
        return f"{self.direction} {format_threshold(self)} i {self.year}"


@dataclass(frozen=True)
class Action:
    """One row of the plan; `line` is where it starts in the YAML file. `start` and
    `end` are None for an action timed only in words (`when`, e.g. "løbende")."""

    number: int
    topic: str
    goal: str
    activities: tuple[str, ...]
    start: dt.date | None
    end: dt.date | None
    responsible: str
    status: str
    target: Target | None
    line: int
    when: str = ""


@dataclass(frozen=True)
class ActionPlan:
    """A kommune's handleplan as read from its YAML file."""

    kommune: int
    area: str | None
    adopted: dt.date | None
    source: str
    actions: tuple[Action, ...]
    provenance: Provenance

    @property
    def kommune_name(self) -> str:
        return registry.kommune_name(self.kommune)

    @property
    def start_year(self) -> int | None:
        """The year the plan was adopted, else the year its first dated action starts;
        None when it has neither."""
        if self.adopted is not None:
            return self.adopted.year
        starts = [action.start for action in self.actions if action.start is not None]
        return min(starts).year if starts else None


def demo_file() -> Path:
    """The packaged synthetic demo plan for Norddjurs (børnehandicap, adopted 2024)."""
    return Path(str(resources.files("omglib").joinpath("demo", DEMO_FILE)))


# --- reading and validating -------------------------------------------------------------


class _Reader(YamlReader):
    """Reads a handleplan's values: the generic ones of `YamlReader`, and statuses,
    areas, figures, kommuner, years and thresholds."""

    def status(self, field: Field) -> str | None:
        known = {fold(status): status for status in STATUSES}
        expected = f"Forventede {listed(STATUSES, 'eller')}"
        return self.choice(field, known, "status", expected)

    def figure(self, field: Field) -> str | None:
        known = {fold(name): name for name in plantargets.FIGURES}
        known.update({fold(figure.label): name for name, figure in plantargets.FIGURES.items()})
        return self.choice(field, known, "tal", f"Kendte tal: {_known_figures()}")

    def kommune(self, field: Field) -> int | None:
        written = self.text(field)
        if written is None:
            return None
        try:
            return registry.kommune_code(written)
        except OmgError:
            hint = registry.kommune_hint(written)
            self.flag(field[1], field[0].value, f"ukendt kommune '{written}' – {hint}")
            return None

    def threshold(self, field: Field, kind: Kind | None) -> float | None:
        written = self.text(field)
        if written is None:
            return None
        try:
            return parse_threshold(written, kind)
        except ValueError as error:
            self.flag(field[1], field[0].value, f"'{written}' {error}")
            return None


def read_action_plan(path: str | Path, mask_cpr: bool = False) -> ActionPlan:
    """Read and validate a handleplan (format in the module docstring).

    Raises DataError listing every problem in the file, each with its line number and
    field, so the user can fix them all at once. A CPR number in any value is such a
    problem unless `mask_cpr`, which replaces it by a pseudonym ("[CPR 1]") as in a
    case file (`omglib.io.privacy`)."""
    path = Path(path)
    if not path.is_file():
        raise DataError([LineProblem(str(path), None, None, None, "filen findes ikke")])
    raw = path.read_bytes()
    reader = _Reader(path.name, mask_cpr)
    root = compose(raw, path.name)
    fields = reader.fields(root, _PLAN_FIELDS, "en handleplan") if root is not None else None
    if fields is None:
        message = "filen er tom – forventede felter som 'kommune:' og 'handlinger:'"
        raise DataError(reader.problems or [LineProblem(path.name, None, None, None, message)])
    reader.missing(fields, ("kommune", "handlinger"), "handleplanen")
    kommune = fields.parse("kommune", reader.kommune)
    area = fields.parse("omraade", reader.area)
    adopted = fields.parse("vedtaget", reader.date)
    source = fields.parse("kilde", reader.text) or ""
    has_area = "omraade" in fields
    actions = fields.parse("handlinger", lambda field: _actions(reader, field, area, has_area))
    if reader.problems or kommune is None or actions is None:
        raise DataError(reader.problems)
    provenance = Provenance(path.name, hashlib.sha256(raw).hexdigest(), _is_synthetic(raw))
    return ActionPlan(kommune, area, adopted, source, actions, provenance)


def _is_synthetic(raw: bytes) -> bool:
    """Whether the file's opening comment says it is synthetic (like the demo CSVs)."""
    lines = raw.decode("utf-8-sig").splitlines()
    comments = [line for line in lines[:5] if line.lstrip().startswith("#")]
    return is_marked_synthetic(comments)


def _actions(
    reader: _Reader, field: Field, plan_area: str | None, plan_has_area: bool
) -> tuple[Action, ...] | None:
    """The actions; `plan_area` is the targets' default area (None when the plan has
    none, or when `plan_has_area` and it is a problem already reported)."""
    key, node = field
    if not isinstance(node, SequenceNode) or not node.value:
        message = "forventede en liste af handlinger, hver begyndende med '- emne:'"
        reader.flag(node, key.value, message)
        return None
    parsed = [
        _action(reader, i, item, plan_area, plan_has_area) for i, item in enumerate(node.value, 1)
    ]
    actions = [action for action in parsed if action is not None]
    return tuple(actions) if len(actions) == len(parsed) else None


def _action(
    reader: _Reader, number: int, node: Node, plan_area: str | None, plan_has_area: bool
) -> Action | None:
    fields = reader.fields(node, _ACTION_FIELDS, f"handling {number}")
    if fields is None:
        return None
    topic = fields.parse("emne", reader.text)
    who = f"handling {number} ('{topic}')" if topic else f"handling {number} (uden emne)"
    reader.missing(fields, _REQUIRED_ACTION_FIELDS, who)
    goal = fields.parse("maal", reader.text)
    activities = fields.parse("hvad", reader.texts)
    period = _period(reader, fields, who)
    when = fields.parse("hvornaar", reader.text) if "hvornaar" in fields else ""
    responsible = fields.parse("ansvarlig", reader.text)
    status = fields.parse("status", reader.status)
    target = fields.parse(
        "maalepunkt", lambda field: _target(reader, field, plan_area, plan_has_area)
    )
    if topic is None or goal is None or activities is None or period is None or when is None:
        return None
    if responsible is None or status is None or ("maalepunkt" in fields and target is None):
        return None
    line = node.start_mark.line + 1
    start, end = period
    return Action(
        number, topic, goal, activities, start, end, responsible, status, target, line, when
    )


_NO_DATES: Final = (None, None)


def _period(
    reader: _Reader, fields: Fields, who: str
) -> tuple[dt.date, dt.date] | tuple[None, None] | None:
    """The action's dates: both `fra` and `til`, or neither when `hvornaar` says when in
    words; None (flagged) for anything else."""
    dated = [name for name in ("fra", "til") if name in fields or name in fields.guessed]
    if not dated:
        if "hvornaar" not in fields and "hvornaar" not in fields.guessed:
            message = f"{who} mangler 'fra' og 'til' eller 'hvornaar' – forventede datoer eller en tekst som 'løbende'"
            reader.flag(fields.node, None, message)
            return None
        return _NO_DATES
    if len(dated) == 1:
        other = "til" if dated == ["fra"] else "fra"
        reader.flag(fields.node, None, f"{who} mangler '{other}' – angiv både 'fra' og 'til'")
        return None
    start, end = fields.parse("fra", reader.date), fields.parse("til", reader.date)
    if start is None or end is None:
        return None
    if end < start:
        key, node = fields.found["til"]
        message = (
            f"slutdatoen {danish.format_date(end)} ligger før "
            f"startdatoen {danish.format_date(start)} – 'til' skal være efter 'fra'"
        )
        reader.flag(node, key.value, message)
        return None
    return start, end


def _target(
    reader: _Reader, field: Field, plan_area: str | None, plan_has_area: bool
) -> Target | None:
    fields = reader.fields(field[1], _TARGET_FIELDS, "et målepunkt", at=field[0])
    if fields is None:
        return None
    required = ["tal", "aar"] + ([] if plan_has_area else ["omraade"])
    reader.missing(fields, required, "målepunktet")
    figure = fields.parse("tal", reader.figure)
    area = fields.parse("omraade", reader.area) if "omraade" in fields else plan_area
    year = fields.parse("aar", reader.year)
    directions: list[Direction] = [d for d in ("under", "over") if d in fields]
    if len(directions) != 1:
        given = "både 'under' og 'over'" if directions else "hverken 'under' eller 'over'"
        message = f"målepunktet har {given} – angiv præcis én af dem, fx 'under: 40 %'"
        reader.flag(fields.node, None, message)
        return None
    kind = None if figure is None else plantargets.FIGURES[figure].kind
    threshold = fields.parse(directions[0], lambda value: reader.threshold(value, kind))
    if figure is None or area is None or year is None or threshold is None:
        return None
    line = fields.node.start_mark.line + 1
    return Target(figure, area, year, directions[0], threshold, line)


def parse_threshold(text: str, kind: Kind | None) -> float:
    """A target's threshold: a share for a rate, a whole number for a count (the
    accepted forms are in the module docstring); ValueError with a Danish message.
    Without a kind (the figure is unknown) only that it is a number is checked."""
    match = _THRESHOLD.fullmatch(text.strip())
    if kind == "count":
        if match is None or match["percent"] or not match["number"].isdigit():
            raise ValueError("er ikke et helt antal – forventede fx 30 (uden %)")
        return float(match["number"])
    if match is None:
        raise ValueError("er ikke et tal – forventede en procent, fx 40 % (eller 40 eller 0,4)")
    number = float(match["number"].replace(",", "."))
    share = number / 100 if match["percent"] or number >= 1 else number
    if kind == "rate" and not 0 < share < 1:
        raise ValueError("skal ligge mellem 0 % og 100 % – forventede fx 40 %")
    return share


def _known_figures() -> str:
    return ", ".join(
        f"{name} ({figure.label.lower()})" for name, figure in plantargets.FIGURES.items()
    )


# --- overdue actions --------------------------------------------------------------------


def is_overdue(action: Action, today: dt.date) -> bool:
    """An action whose end date has passed without it being done (one without an end
    date, timed in words, never is)."""
    return action.end is not None and action.end < today and action.status != DONE


def overdue_actions(plan: ActionPlan, today: dt.date) -> list[Action]:
    """The plan's overdue actions, in plan order (for a summary line or a count)."""
    return [action for action in plan.actions if is_overdue(action, today)]
