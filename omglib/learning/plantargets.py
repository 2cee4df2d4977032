"""The figures a handleplan's targets can name, measured for a kommune, and the verdict
on each target: reached or not (judged on the measured figure, with whether the
difference from the target is larger than chance), or cannot tell yet (no figures for
the year yet).

A module can add a figure with `register_figure`; the built-in ones are the rates,
complaints received and overturned cases per coded reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

import pandas as pd

from omglib import registry
from omglib.dataset import Dataset, Volumes
from omglib.io.readers import CaseTable
from omglib.learning import analyses
from omglib.names import fold
from omglib.outcomes import ON_MERITS_COUNTS, OVERTURNED_COUNTS, rate_with_interval
from omglib.present import danish

if TYPE_CHECKING:
    from omglib.learning.handleplan import Action, ActionPlan, Target

Kind = Literal["rate", "count"]

Outcome = Literal["reached", "not_reached", "undecided", "unmeasured"]
VERDICT_LABELS: Final[dict[Outcome, str]] = {
    "reached": "nået",
    "not_reached": "ikke nået",
    "undecided": "kan ikke afgøres endnu",
    "unmeasured": "kan ikke opgøres",
}
"""A target's verdict in plain Danish; its CSS class is `omg-verdict-<outcome>`."""


# --- figures a target can name ----------------------------------------------------------


@dataclass(frozen=True)
class MeasureContext:
    """What a measurement may draw on: the aggregated data, the kommune's own volumes
    and its case-level table (each optional except the data), for one kommune."""

    data: Dataset
    volumes: Volumes | None
    cases: CaseTable | None
    kommune: int


@dataclass(frozen=True)
class Measurement:
    """A figure for one kommune, area and year. `value` is None when it cannot be
    measured, and `note` then says why in Danish, with `pending` when that is because
    the year's figures are not out yet; `interval` is the 95 % interval of a rate (None
    for an exact count); `counts` is what the value rests on ("9 af 14 sager",
    "29 klager modtaget")."""

    year: int
    value: float | None
    interval: tuple[float, float] | None
    counts: str
    note: str = ""
    pending: bool = False


MeasureFunction = Callable[[MeasureContext, str, int], Measurement]
"""Measures a figure for `(context, area, year)`."""


@dataclass(frozen=True)
class MeasurableFigure:
    """A figure a target can name: its Danish label, whether it is a rate (a share with
    an interval) or a count, the function that measures it, and for a count what it
    counts ("klager"), so a threshold reads "under 30 klager"."""

    name: str
    label: str
    kind: Kind
    measure: MeasureFunction
    unit: str = ""


FIGURES: dict[str, MeasurableFigure] = {}
"""The registry of figures by name, in the order they were registered."""


def register_figure(
    name: str, label: str, kind: Kind, function: MeasureFunction, unit: str = ""
) -> None:
    """Make a figure available to targets (`tal: name` in the YAML file); `unit` names
    what a count counts, in the plural ("klager").

    A module defining a figure calls this when imported, e.g. with a function of
    `context.cases` that counts remands with a given reason; import that module before
    reading plans that name the figure. Names are unique."""
    if name in FIGURES:
        raise ValueError(f"figure {name!r} is already registered")
    if kind not in ("rate", "count"):
        raise ValueError(f"kind must be 'rate' or 'count', got {kind!r}")
    FIGURES[name] = MeasurableFigure(name, label, kind, function, unit)


def outcome_counts(data: Dataset, kommune: int, area: str, year: int) -> pd.Series:
    """The kommune's summed counts for an area and year (zeros when it had no cases)."""
    rows = data.select(area, year)
    rows = rows[rows["kommunekode"] == kommune]
    columns = list(ON_MERITS_COUNTS)
    return rows[columns].sum().astype("int64")


def missing_year_note(data: Dataset, year: int) -> str:
    """Why the data has no figure for `year`: not published yet, or outside its years."""
    years = data.years()
    if years and year > years[-1]:
        return f"Datafilen går kun til og med {years[-1]}, så der er ingen tal for {year}."
    span = f"{years[0]}–{years[-1]}" if years else "ingen år"
    return f"Datafilen har ingen tal for {year} (den har {span})."


def _rate(outcomes: tuple[str, ...]) -> MeasureFunction:
    """A rate over realitetsbehandlede sager with the given outcomes in the numerator."""

    def measure(context: MeasureContext, area: str, year: int) -> Measurement:
        data = context.data
        if year not in data.years():
            pending = not data.years() or year > data.years()[-1]
            return Measurement(year, None, None, "", missing_year_note(data, year), pending)
        if not data.covers(area):
            note = f"Datafilen har ingen tal for {registry.area_text(area)}."
            return Measurement(year, None, None, "", note)
        counts = outcome_counts(data, context.kommune, area, year)
        total, part = int(counts.sum()), int(counts[list(outcomes)].sum())
        if total == 0:
            note = f"Ingen realitetsbehandlede sager i {year}, så der er ingen procent."
            return Measurement(year, None, None, danish.format_counts(0, 0), note)
        rate, interval = rate_with_interval(part, total)
        return Measurement(year, rate, interval, danish.format_counts(part, total))

    return measure


def _complaints(context: MeasureContext, area: str, year: int) -> Measurement:
    """Complaints the kommune received (its own volumes file, `klager_modtaget`)."""
    volumes = context.volumes
    if volumes is None or "klager_modtaget" not in volumes.frame.columns:
        note = "Kommunens egne tal for modtagne klager (volumenfilen) er ikke indlæst."
        return Measurement(year, None, None, "", note)
    table = analyses.complaints(volumes, context.kommune, area).table
    rows = table[table["aar"] == year]
    if rows.empty:
        note = f"Volumenfilen har ingen tal for {registry.area_text(area)} {year}."
        pending = bool(volumes.frame["aar"].max() < year)
        return Measurement(year, None, None, "", note, pending)
    count = int(rows["klager"].iloc[0])
    received = f"{danish.format_count(count, 'klage', 'klager')} modtaget"
    return Measurement(year, float(count), None, received)


register_figure("omgoerelsesprocent", "Omgørelsesprocent", "rate", _rate(OVERTURNED_COUNTS))
register_figure("hjemvisningsprocent", "Hjemvisningsprocent", "rate", _rate(("hjemvist",)))
register_figure(
    "aendringsprocent", "Ændrings-/ophævelsesprocent", "rate", _rate(("aendret_ophaevet",))
)
register_figure("klager_modtaget", "Klager modtaget", "count", _complaints, unit="klager")


def _reason_count(reason: str) -> MeasureFunction:
    """Overturned cases in the case file that name `reason` (e.g. fewer remands for an
    insufficient information basis)."""

    def measure(context: MeasureContext, area: str, year: int) -> Measurement:
        table = context.cases
        if table is None or "aarsag" not in table.partial_decisions.columns:
            note = "Kræver en sagsfil med årsager til omgørelse."
            return Measurement(year, None, None, "", note)
        cases = analyses.learning_cases(table)
        if not (cases.frame["aar"] == year).any():
            pending = bool(cases.frame["aar"].max() < year)
            note = f"Sagsfilen har ingen sager fra {year}."
            return Measurement(year, None, None, "", note, pending)
        overturned = cases.overturned(context.kommune, area, year)
        count = int(overturned["aarsag"].map(lambda named: reason in named).sum())
        counts = (
            f"{danish.format_int(count)} af {danish.format_int(len(overturned))} omgjorte sager"
        )
        return Measurement(year, float(count), None, counts)

    return measure


def reason_figure(reason: str) -> str:
    """The figure name for overturned cases with a coded reason:
    "Utilstrækkeligt oplysningsgrundlag" → "omgjorte_utilstraekkeligt_oplysningsgrundlag"."""
    words = re.split(r"[^0-9a-zæøå]+", reason.casefold())
    return "omgjorte_" + "_".join(fold(word) for word in words if word)


for _reason in dict.fromkeys(registry.reasons().values()):
    register_figure(
        reason_figure(_reason),
        f"Omgjorte sager med årsagen {_reason.lower()}",
        "count",
        _reason_count(_reason),
        unit="omgjorte sager",
    )


def format_threshold(target: Target) -> str:
    """ "40 %" for a rate, "30 klager" for a count."""
    figure = FIGURES[target.figure]
    if figure.kind == "count":
        return f"{danish.format_int(int(target.threshold))} {figure.unit}".rstrip()
    whole = float(round(100 * target.threshold, 6)).is_integer()
    return danish.format_pct(target.threshold, decimals=0 if whole else 1)


def measure(target: Target, context: MeasureContext) -> Measurement:
    """The target's figure, measured for the context's kommune, the target's area and year."""
    return FIGURES[target.figure].measure(context, target.area, target.year)


def measured_text(measurement: Measurement) -> str:
    """ "64,3 % (9 af 14 sager; 95 %-interval 38,8 %–83,7 %)", "29 klager modtaget", or
    "–" when nothing could be measured."""
    if measurement.value is None:
        return danish.NO_VALUE
    if measurement.interval is None:
        return measurement.counts or danish.format_number(measurement.value, decimals=0)
    interval = danish.format_interval(*measurement.interval)
    share = danish.format_pct(measurement.value)
    return f"{share} ({measurement.counts}; 95 %-interval {interval})"


# --- verdicts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """Whether a target was reached: the outcome, the measured figure against the target
    ("64,3 % mod målet under 35 %"; empty when nothing was measured) and one Danish
    sentence: whether the difference is larger than chance, or why there is no figure."""

    outcome: Outcome
    comparison: str
    reason: str

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.outcome]

    @property
    def headline(self) -> str:
        """ "Ikke nået (64,3 % mod målet under 35 %)", "Kan ikke afgøres endnu"."""
        label = self.label.capitalize()
        return f"{label} ({self.comparison})" if self.comparison else label

    def __str__(self) -> str:
        return f"{self.headline}. {self.reason}".rstrip()


def assess(target: Target, measurement: Measurement) -> Verdict:
    """Reached or not reached, judged on the measured figure, and for a rate whether the
    difference from the target is larger than chance; or cannot tell.

    A year whose figures are out is judged on them: "Ikke nået (64,3 % mod målet under
    35 %)". Since a kommune's rate often rests on a handful of cases, the verdict then
    says whether its 95 % interval lies wholly on one side of the target ("forskellen er
    statistisk sikker") or reaches both ("kan skyldes tilfældigheder"). A count is exact
    and compared directly. "Kan ikke afgøres endnu" is only for a year without figures
    yet; a figure that cannot be measured at all (no cases that year, no volumes file)
    is "kan ikke opgøres", with the measurement's reason."""
    if measurement.value is None:
        outcome: Outcome = "undecided" if measurement.pending else "unmeasured"
        return Verdict(outcome, "", measurement.note)
    value, threshold = measurement.value, format_threshold(target)
    reached = value < target.threshold if target.direction == "under" else value > target.threshold
    result: Outcome = "reached" if reached else "not_reached"
    if measurement.interval is None:
        measured = danish.format_number(value, decimals=0)
        return Verdict(result, f"{measured} mod målet {target.direction} {threshold}", "")
    lower, upper = measurement.interval
    comparison = f"{danish.format_pct(value)} mod målet {target.direction} {threshold}"
    interval = f"95 %-interval {danish.format_interval(lower, upper)}"
    if upper < target.threshold or lower > target.threshold:
        return Verdict(result, comparison, f"Forskellen er statistisk sikker ({interval}).")
    return Verdict(result, comparison, f"Forskellen kan skyldes tilfældigheder ({interval}).")


@dataclass(frozen=True)
class TargetResult:
    """One action's target, what was measured and the verdict."""

    action: Action
    target: Target
    measurement: Measurement
    verdict: Verdict


def evaluate_targets(
    plan: ActionPlan, data: Dataset, volumes: Volumes | None = None, cases: CaseTable | None = None
) -> list[TargetResult]:
    """Every target of the plan measured for the plan's kommune and assessed."""
    context = MeasureContext(data, volumes, cases, plan.kommune)
    results = []
    for action in plan.actions:
        if action.target is not None:
            measurement = measure(action.target, context)
            verdict = assess(action.target, measurement)
            results.append(TargetResult(action, action.target, measurement, verdict))
    return results
