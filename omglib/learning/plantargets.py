"""The figures a handleplan's targets can name, measured for a kommune, and the verdict
on each target: reached, not reached or cannot tell yet (judged on the 95 % interval).

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

Outcome = Literal["reached", "not_reached", "undecided"]
VERDICT_LABELS: Final[dict[Outcome, str]] = {
    "reached": "nået",
    "not_reached": "ikke nået",
    "undecided": "kan ikke afgøres endnu",
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
    measured, and `note` then says why in Danish; `interval` is the 95 % interval of a
    rate (None for an exact count); `counts` is what the value rests on ("9 af 14 sager",
    "29 klager modtaget")."""

    year: int
    value: float | None
    interval: tuple[float, float] | None
    counts: str
    note: str = ""


MeasureFunction = Callable[[MeasureContext, str, int], Measurement]
"""Measures a figure for `(context, area, year)`."""


@dataclass(frozen=True)
class MeasurableFigure:
    """A figure a target can name: its Danish label, whether it is a rate (a share with
    an interval) or a count, and the function that measures it."""

    name: str
    label: str
    kind: Kind
    measure: MeasureFunction


FIGURES: dict[str, MeasurableFigure] = {}
"""The registry of figures by name, in the order they were registered."""


def register_figure(name: str, label: str, kind: Kind, function: MeasureFunction) -> None:
    """Make a figure available to targets (`tal: name` in the YAML file).

    A module defining a figure calls this when imported, e.g. with a function of
    `context.cases` that counts remands with a given reason; import that module before
    reading plans that name the figure. Names are unique."""
    if name in FIGURES:
        raise ValueError(f"figure {name!r} is already registered")
    if kind not in ("rate", "count"):
        raise ValueError(f"kind must be 'rate' or 'count', got {kind!r}")
    FIGURES[name] = MeasurableFigure(name, label, kind, function)


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
        return f"Datafilen har endnu ingen tal for {year} (den går til {years[-1]})."
    span = f"{years[0]}–{years[-1]}" if years else "ingen år"
    return f"Datafilen har ingen tal for {year} (den har {span})."


def _rate(outcomes: tuple[str, ...]) -> MeasureFunction:
    """A rate over realitetsbehandlede sager with the given outcomes in the numerator."""

    def measure(context: MeasureContext, area: str, year: int) -> Measurement:
        data = context.data
        if year not in data.years():
            return Measurement(year, None, None, "", missing_year_note(data, year))
        if area not in data.areas():
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
        return Measurement(year, None, None, "", note)
    count = int(rows["klager"].iloc[0])
    received = f"{danish.format_count(count, 'klage', 'klager')} modtaget"
    return Measurement(year, float(count), None, received)


register_figure("omgoerelsesprocent", "Omgørelsesprocent", "rate", _rate(OVERTURNED_COUNTS))
register_figure("hjemvisningsprocent", "Hjemvisningsprocent", "rate", _rate(("hjemvist",)))
register_figure(
    "aendringsprocent", "Ændrings-/ophævelsesprocent", "rate", _rate(("aendret_ophaevet",))
)
register_figure("klager_modtaget", "Klager modtaget", "count", _complaints)


def _reason_count(reason: str) -> MeasureFunction:
    """Overturned cases in the case file that name `reason` (e.g. fewer remands for an
    insufficient information basis)."""

    def measure(context: MeasureContext, area: str, year: int) -> Measurement:
        table = context.cases
        if table is None or "aarsag" not in table.partial_decisions.columns:
            note = "Kræver en sagsfil med årsager til omgørelse (cases_file)."
            return Measurement(year, None, None, "", note)
        cases = analyses.learning_cases(table)
        if not (cases.frame["aar"] == year).any():
            return Measurement(year, None, None, "", f"Sagsfilen har ingen sager fra {year}.")
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
    )


def format_threshold(target: Target) -> str:
    """ "40 %" for a rate, "30" for a count."""
    if FIGURES[target.figure].kind == "count":
        return danish.format_int(int(target.threshold))
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
    """Whether a target was reached, with one Danish sentence saying why."""

    outcome: Outcome
    reason: str

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.outcome]

    def __str__(self) -> str:
        return f"{self.label.capitalize()}. {self.reason}"


def assess(target: Target, measurement: Measurement) -> Verdict:
    """Reached, not reached, or cannot tell yet.

    A rate is judged on its 95 % interval, since a kommune's rate often rests on a
    handful of cases: the whole interval on the target's side of the threshold is
    "nået", the whole interval on the other side "ikke nået", and an interval reaching
    both sides "kan ikke afgøres endnu" (the numbers cannot tell). An exact count is
    compared directly. Without a value for the target year (not published yet, no
    cases) the verdict is "kan ikke afgøres endnu" with the measurement's reason."""
    if measurement.value is None:
        return Verdict("undecided", measurement.note)
    threshold = format_threshold(target)
    if measurement.interval is None:
        return _assess_count(target, measurement.value, threshold)
    lower, upper = measurement.interval
    below, above = upper < target.threshold, lower > target.threshold
    interval = f"95 %-intervallet ({danish.format_interval(lower, upper)})"
    if below or above:
        reached = below if target.direction == "under" else above
        side = "under" if below else "over"
        return Verdict(
            "reached" if reached else "not_reached", f"Hele {interval} ligger {side} {threshold}."
        )
    reason = (
        f"Målt {danish.format_pct(measurement.value)} ({measurement.counts}), men {interval} "
        f"rækker både under og over {threshold}, så tallene kan ikke afgøre det."
    )
    return Verdict("undecided", reason)


def _assess_count(target: Target, value: float, threshold: str) -> Verdict:
    """An exact count against its threshold (no interval: nothing to be unsure of)."""
    below, above = value < target.threshold, value > target.threshold
    reached = below if target.direction == "under" else above
    measured = danish.format_number(value, decimals=0)
    link = "og" if reached else "men"
    reason = f"Målt {measured}, {link} målet var {target.direction} {threshold}."
    return Verdict("reached" if reached else "not_reached", reason)


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
