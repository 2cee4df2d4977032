"""A handleplan in the reports and on the command line: the plan's table, its targets
against what was measured, before and after the plan, and plain text for
`omg handleplan`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Final

from markupsafe import Markup

from omglib import registry, stats
from omglib.dataset import Dataset, Volumes
from omglib.errors import OmgError
from omglib.io.readers import CaseTable
from omglib.learning import plantargets
from omglib.learning.handleplan import (
    OVERDUE_LABEL,
    STATUS_CLASSES,
    Action,
    ActionPlan,
    Target,
    is_overdue,
    overdue_actions,
)
from omglib.learning.plantargets import (
    TargetResult,
    Verdict,
    evaluate_targets,
    measured_text,
    missing_year_note,
    outcome_counts,
)
from omglib.outcomes import OVERTURNED_COUNTS
from omglib.present import danish
from omglib.present.display import Html, Markdown
from omglib.present.html import render

# --- rendering ----------------------------------------------------------------------------


def plan_heading(plan: ActionPlan) -> str:
    """ "Handleplan for Norddjurs Kommune, børnehandicapområdet, vedtaget 12. marts 2024"."""
    parts = [f"Handleplan for {plan.kommune_name} Kommune"]
    if plan.area is not None:
        parts.append(registry.area_text(plan.area))
    if plan.adopted is not None:
        parts.append(f"vedtaget {danish.format_date(plan.adopted)}")
    return ", ".join(parts)


def plan_table(plan: ActionPlan, today: dt.date) -> Html:
    """The plan as the report's table: Emne, Mål, Hvad, Hvornår, Ansvarlig, Status.

    The status is always written out (its colour only repeats it), and an action past
    its end date and not done says "Frist overskredet" in words. `today` is the report date
    (`narrative.report_date()` in reports)."""
    rows = [
        [
            action.topic,
            action.goal,
            _activities_html(action.activities),
            when_text(action),
            action.responsible,
            _status_html(action, today),
        ]
        for action in plan.actions
    ]
    head = ["Emne", "Mål", "Hvad", "Hvornår", "Ansvarlig", "Status"]
    return Html(
        render(
            "plan_table.html.j2",
            caption=plan_heading(plan),
            columns=head,
            rows=rows,
            css="omg-plan",
            source=plan.source or None,
        )
    )


def targets_table(
    plan: ActionPlan, data: Dataset, volumes: Volumes | None = None, cases: CaseTable | None = None
) -> Html:
    """The plan's measurable targets against what was measured: Mål, Tal, Målt (with
    counts and 95 % interval), Vurdering (in words, with the reason)."""
    rows = [
        [
            f"{result.action.topic}: {result.target.describe()}",
            _figure_text(result.target),
            measured_text(result.measurement),
            _verdict_html(result.verdict),
        ]
        for result in evaluate_targets(plan, data, volumes, cases)
    ]
    return Html(
        render(
            "table.html.j2",
            caption=f"Handleplanens mål – {plan.kommune_name} Kommune",
            columns=["Mål", "Tal", "Målt", "Vurdering"],
            rows=rows,
            css="omg-plan-targets",
        )
    )


def _figure_text(target: Target) -> str:
    return f"{plantargets.FIGURES[target.figure].label}, {registry.area_text(target.area)}"


def _activities_html(activities: tuple[str, ...]) -> Markup:
    return render("plan_activities.html.j2", activities=activities)


def _status_html(action: Action, today: dt.date) -> Markup:
    return render(
        "plan_status.html.j2",
        css=STATUS_CLASSES[action.status],
        status=action.status.capitalize(),
        overdue=is_overdue(action, today),
        overdue_label=OVERDUE_LABEL,
    )


def _verdict_html(verdict: Verdict) -> Markup:
    return render(
        "plan_verdict.html.j2",
        outcome=verdict.outcome,
        label=verdict.label.capitalize(),
        comparison=verdict.comparison,
        reason=verdict.reason,
    )


# --- in one sentence ----------------------------------------------------------------------


#: How a target's outcome reads in the plan's status sentence: the settled ones after
#: "er" ("er 1 nået og 2 ikke nået"), the open ones as their own clause.
SETTLED: Final = {"reached": "nået", "not_reached": "ikke nået"}
OPEN: Final = {"undecided": "endnu ikke kan afgøres", "unmeasured": "ikke kan opgøres"}


def status_summary(
    plan: ActionPlan,
    today: dt.date,
    data: Dataset,
    volumes: Volumes | None = None,
    cases: CaseTable | None = None,
) -> str:
    """Where the plan stands, for the committee pack's Sagsfremstilling: "Handleplanen
    for børnehandicapområdet, vedtaget 12. marts 2024, har 5 handlinger: 2 er i gang, 2
    er gennemført og 1 er forsinket; fristen er overskredet for 1 handling. Af planens 4
    målbare mål er 1 nået og 2 ikke nået, mens 1 endnu ikke kan afgøres."."""
    covers = f" for {registry.area_text(plan.area)}" if plan.area else ""
    adopted = f", vedtaget {danish.format_date(plan.adopted)}," if plan.adopted else ""
    statuses = [action.status for action in plan.actions]
    counted = [f"{statuses.count(s)} er {s}" for s in STATUS_CLASSES if statuses.count(s)]
    overdue = len(overdue_actions(plan, today))
    late = (
        f"fristen er overskredet for {danish.format_count(overdue, 'handling', 'handlinger')}"
        if overdue
        else "ingen frister er overskredet"
    )
    actions = danish.format_count(len(statuses), "handling", "handlinger")
    sentence = (
        f"Handleplanen{covers}{adopted} har {actions}: {danish.listed(counted, 'og')}; {late}."
    )
    results = evaluate_targets(plan, data, volumes, cases)
    if not results:
        return sentence
    return f"{sentence} {_targets_sentence([result.verdict.outcome for result in results])}"


def _targets_sentence(outcomes: list[str]) -> str:
    """ "Af planens 4 målbare mål er 1 nået og 2 ikke nået, mens 1 endnu ikke kan afgøres."."""
    targets = danish.format_count(len(outcomes), "målbart mål", "målbare mål")
    settled = [f"{outcomes.count(o)} {label}" for o, label in SETTLED.items() if outcomes.count(o)]
    still_open = [f"{outcomes.count(o)} {label}" for o, label in OPEN.items() if outcomes.count(o)]
    if not settled:
        return f"Ingen af planens {targets} kan afgøres endnu."
    sentence = f"Af planens {targets} er {danish.listed(settled, 'og')}"
    if still_open:
        sentence += f", mens {danish.listed(still_open, 'og')}"
    return sentence + "."


# --- before and after -------------------------------------------------------------------


def before_after(plan: ActionPlan, data: Dataset, area: str | None = None) -> Markdown:
    """The omgørelsesprocent the year before the plan's start year against the latest
    year in the data, with counts and Fisher's exact test (`stats.compare_periods`).

    The year before the start year is the last year wholly without the plan (usually the
    figures that led to it); the latest year shows the plan's fullest effect. The start
    year itself is the "after" only when no later year exists yet, and the sentence then
    says the plan was in force for only part of it. `area` defaults to the plan's."""
    area = area or plan.area
    if area is None:
        raise OmgError("Handleplanen har intet område – angiv det område, der skal sammenlignes")
    if plan.start_year is None:
        return Markdown(
            "Før og efter handleplanen: planen har hverken en vedtagelsesdato eller datoer på "
            "sine handlinger, så der er intet år at sammenligne omkring."
        )
    before, years = plan.start_year - 1, data.years()
    if before not in years:
        return Markdown(f"Før og efter handleplanen: {missing_year_note(data, before)}")
    after = years[-1]
    if after < plan.start_year:
        return Markdown(f"Før og efter handleplanen: {missing_year_note(data, plan.start_year)}")
    old = outcome_counts(data, plan.kommune, area, before)
    new = outcome_counts(data, plan.kommune, area, after)
    k_old, n_old = int(old[list(OVERTURNED_COUNTS)].sum()), int(old.sum())
    k_new, n_new = int(new[list(OVERTURNED_COUNTS)].sum()), int(new.sum())
    result = stats.compare_periods(k_old, n_old, k_new, n_new)
    started = (
        f"vedtaget {danish.format_date(plan.adopted)}"
        if plan.adopted
        else f"startet {plan.start_year}"
    )
    sentence = (
        f"Før og efter handleplanen ({started}): omgørelsesprocenten på "
        f"{registry.area_text(area)} var {_rate_text(k_old, n_old)} i {before} og "
        f"{_rate_text(k_new, n_new)} i {after} – {danish.verdict_text(result)}"
    )
    if not math.isnan(result.p_value):
        sentence += f" (Fishers eksakte test, p = {danish.format_p(result.p_value)})"
    sentence += "."
    if after == plan.start_year:
        sentence += (
            f" Planen har kun været i kraft i en del af {after}, og senere tal findes endnu ikke."
        )
    return Markdown(sentence)


def _rate_text(part: int, total: int) -> str:
    if total == 0:
        return f"{danish.NO_VALUE} (ingen realitetsbehandlede sager)"
    return f"{danish.format_pct(part / total)} ({danish.format_counts(part, total)})"


# --- plain text for the command line ------------------------------------------------------


def plan_text(
    plan: ActionPlan,
    data: Dataset,
    volumes: Volumes | None,
    today: dt.date,
    cases: CaseTable | None = None,
) -> str:
    """The plan as text for `omg handleplan`: each action with its period, status and
    overdue flag, each target with what was measured and the verdict, and before/after;
    under the heading the synthetic-data notice when any of its inputs is synthetic."""
    lines = [plan_heading(plan)]
    read = [plan.provenance, data.provenance]
    read += [given.provenance for given in (volumes, cases) if given is not None]
    if any(provenance.synthetic for provenance in read):
        lines.append(danish.SYNTHETIC_NOTICE)
    if plan.source:
        lines.append(f"Kilde: {plan.source}")
    results = {r.action.number: r for r in evaluate_targets(plan, data, volumes, cases)}
    for action in plan.actions:
        lines += ["", *_action_lines(action, today, results.get(action.number))]
    overdue = len(overdue_actions(plan, today))
    lines += ["", f"Overskredne handlinger pr. {danish.format_date(today)}: {overdue}"]
    if plan.area is not None:
        lines.append(str(before_after(plan, data)))
    return "\n".join(lines)


def _action_lines(action: Action, today: dt.date, result: TargetResult | None) -> list[str]:
    flag = f" – {OVERDUE_LABEL.upper()}" if is_overdue(action, today) else ""
    lines = [
        f"{action.number}. {action.topic} – {action.status}{flag} – {when_text(action)}",
        f"   Mål: {action.goal}",
        f"   Hvad: {'; '.join(action.activities)}",
        f"   Ansvarlig: {action.responsible}",
    ]
    if result is not None:
        lines += [
            f"   Målepunkt: {_figure_text(result.target)}: {result.target.describe()}",
            f"   Målt: {measured_text(result.measurement)}",
            f"   Vurdering: {result.verdict}",
        ]
    return lines


def when_text(action: Action) -> str:
    """When the action runs, as the plan says it: its words ("løbende") or its dates."""
    if action.when or action.start is None or action.end is None:
        return action.when
    return period_text(action.start, action.end)


def period_text(start: dt.date, end: dt.date) -> str:
    """ "1. april–31. december 2024"; "1. april 2024–31. marts 2025" across years."""
    if start.year == end.year:
        return f"{start.day}. {danish.MONTHS[start.month - 1]}–{danish.format_date(end)}"
    return f"{danish.format_date(start)}–{danish.format_date(end)}"
