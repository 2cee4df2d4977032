"""The follow-up report's sections (opfoelgning.ipynb, and the learning part of the
committee briefing): each function returns what the notebook displays — a figure, a
table, a sentence — or a plain Danish note when the inputs do not cover it, so a
notebook cell stays one line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from omglib import inputs, registry
from omglib.dataset import Dataset, Volumes
from omglib.errors import OmgError
from omglib.io.readers import CaseTable
from omglib.learning import analyses, handleplan, planview
from omglib.learning import charts as learning_charts
from omglib.learning.alerts import fired, read_alert_rules
from omglib.learning.handleplan import ActionPlan
from omglib.learning.knowledgebank import KnowledgeBank, knowledge_bank
from omglib.learning.running import last_decision, running_figures, running_year
from omglib.learning.runningview import running_markdown
from omglib.present import danish
from omglib.present.display import Figure, Html, Markdown, table_html
from omglib.present.html import render, user_text


@dataclass(frozen=True)
class FollowUpInputs:
    """The case-level table (and its cases, prepared once for all sections) and the
    action plan for one kommune; either may be missing, and the sections then say so."""

    kommune: int
    table: CaseTable | None
    plan: ActionPlan | None
    cases: analyses.LearningCases | None = None


def load(
    kommune: int | str,
    data_file: str | Path = "",
    cases_file: str | Path = "",
    action_plan_file: str | Path = "",
    mask_cpr: bool = False,
) -> FollowUpInputs:
    """The files named, or — when the report runs on the demo data (no data file) — the
    packaged demo cases and demo plan. Real data are never mixed with demo files.
    `mask_cpr` applies to the case file and the plan alike."""
    code = registry.kommune_code(kommune)
    table = inputs.cases_or_demo(cases_file, data_file, mask_cpr)
    plan = None
    if action_plan_file:
        plan = handleplan.read_action_plan(action_plan_file, mask_cpr)
        if plan.kommune != code:
            raise OmgError(
                f"Handleplanen {Path(action_plan_file).name} er for {plan.kommune_name} "
                f"Kommune, men rapporten er for {registry.kommune_name(code)} Kommune"
            )
    elif inputs.is_demo(data_file):
        demo_plan = handleplan.read_action_plan(handleplan.demo_file())
        plan = demo_plan if demo_plan.kommune == code else None
    cases = None if table is None else analyses.learning_cases(table)
    return FollowUpInputs(code, table, plan, cases)


def widest_area(areas: list[str]) -> str:
    """The area that holds the most cases among `areas`: socialområdet (every provision)
    when chosen, for the briefing's one learning section."""
    return registry.SOCIAL_AREA if registry.SOCIAL_AREA in areas else areas[0]


def heading(kommune: int | str, area: str, year: int) -> str:
    name = registry.kommune_name(registry.kommune_code(kommune))
    return f"Opfølgning på omgørelser {year}: {registry.area_text(area)} – {name} Kommune"


def _cases_or_note(inputs: FollowUpInputs) -> analyses.LearningCases | Markdown:
    """The kommune's cases, or a note saying why there are none."""
    cases = inputs.cases
    if cases is None:
        return Markdown(
            "*Rapporten er lavet uden en sagsfil med årsager og opfølgning, så dette "
            "afsnit er tomt.*"
        )
    if not (cases.frame["kommunekode"] == inputs.kommune).any():
        name = registry.kommune_name(inputs.kommune)
        file = user_text(cases.provenance.file)
        return Markdown(f"*Sagsfilen {file} har ingen sager fra {name}.*")
    return cases


def complaints(volumes: Volumes | None, kommune: int | str, area: str, year: int) -> Markdown:
    """The complaints the kommune received and their change from the year before."""
    if volumes is None or "klager_modtaget" not in volumes.frame.columns:
        return Markdown(
            "*Antallet af modtagne klager kræver kommunens egne tal, som ikke indgår i rapporten.*"
        )
    return Markdown(analyses.complaints(volumes, kommune, area).text(year))


def reasons(inputs: FollowUpInputs, area: str, year: int) -> Figure | Markdown:
    cases = _cases_or_note(inputs)
    if isinstance(cases, Markdown):
        return cases
    if not cases.has("aarsag"):
        return Markdown("*Sagsfilen har ingen kolonne med årsager til omgørelse.*")
    return learning_charts.reasons(analyses.reasons_ranked(cases, inputs.kommune, area, year))


def remands(inputs: FollowUpInputs, area: str, year: int) -> Figure | Markdown:
    cases = _cases_or_note(inputs)
    if isinstance(cases, Markdown):
        return cases
    if not cases.has("opfoelgning"):
        return Markdown("*Sagsfilen har ingen kolonne med opfølgning på hjemvisninger.*")
    return learning_charts.follow_up(analyses.follow_up(cases, inputs.kommune, area, year))


def remand_profile(inputs: FollowUpInputs, area: str, year: int) -> Markdown:
    cases = _cases_or_note(inputs)
    if isinstance(cases, Markdown):
        return cases
    return Markdown(analyses.remand_profile(cases, inputs.kommune, area, year).text)


def provisions(inputs: FollowUpInputs, area: str, year: int) -> Html | Markdown:
    """Per provision: cases, overturned, remanded and the most frequent reason."""
    cases = _cases_or_note(inputs)
    if isinstance(cases, Markdown):
        return cases
    table = analyses.provision_drilldown(cases, inputs.kommune, area, year)
    shown = table.rename(
        columns={
            "paragraf": "Paragraf",
            "realitetsbehandlede": "Realitetsbehandlede",
            "omgjort": "Omgjorte",
            "hjemvist": "Heraf hjemviste",
            "hyppigste_aarsag": "Hyppigste årsag",
        }
    )
    for column in ("Realitetsbehandlede", "Omgjorte", "Heraf hjemviste"):
        shown[column] = shown[column].map(danish.format_int)
    if "Hyppigste årsag" in shown:
        shown["Hyppigste årsag"] = shown["Hyppigste årsag"].replace("", danish.NO_VALUE)
    return table_html(shown, f"Paragraffer {year}: hvor blev der omgjort, og hvorfor?")


def bank(inputs: FollowUpInputs) -> KnowledgeBank | Markdown:
    """The kommune's knowledge bank: every overturned decision in the case file."""
    cases = _cases_or_note(inputs)
    if isinstance(cases, Markdown):
        return cases
    return knowledge_bank(cases, inputs.kommune)


def plan(inputs: FollowUpInputs, today: dt.date) -> Html | Markdown:
    if inputs.plan is None:
        name = registry.kommune_name(inputs.kommune)
        return Markdown(f"*Der indgår ingen handleplan for {name} Kommune i rapporten.*")
    return planview.plan_table(inputs.plan, today)


def plan_status(
    inputs: FollowUpInputs, today: dt.date, data: Dataset, volumes: Volumes | None
) -> Markdown:
    """Where the action plan stands, in one or two sentences (the pack's Sagsfremstilling)."""
    if inputs.plan is None:
        name = registry.kommune_name(inputs.kommune)
        return Markdown(f"Der indgår ingen handleplan for {name} Kommune i briefingen.")
    return Markdown(planview.status_summary(inputs.plan, today, data, volumes, inputs.table))


def plan_coverage(inputs: FollowUpInputs, areas: list[str]) -> dict[str, str]:
    """The areas among `areas` that the adopted action plan covers (all of them when it
    names no area), each with how the Indstilling names it ("vedtaget 12. marts 2024")."""
    plan = inputs.plan
    if plan is None:
        return {}
    adopted = f"vedtaget {danish.format_date(plan.adopted)}" if plan.adopted else ""
    return {area: adopted for area in areas if plan.area is None or plan.area == area}


def targets(inputs: FollowUpInputs, data: Dataset, volumes: Volumes | None) -> Html | Markdown:
    """The plan's measurable targets against the measured figures, with verdicts."""
    if inputs.plan is None:
        return Markdown("")
    if not any(action.target for action in inputs.plan.actions):
        return Markdown("*Handleplanen har ingen målbare mål.*")
    return planview.targets_table(inputs.plan, data, volumes, inputs.table)


def before_after(inputs: FollowUpInputs, data: Dataset, area: str | None = None) -> Markdown:
    """The rate before the plan against the latest year, with the change test (in
    `area`, else the plan's own area)."""
    if inputs.plan is None:
        return Markdown("")
    return planview.before_after(inputs.plan, data, area)


def running(inputs: FollowUpInputs, data: Dataset, area: str, year: int) -> Markdown | None:
    """The section "Løbende tal for <år>" when the case file is a register with decision
    dates that ends inside `year` or a later year (`running.running_year`); None (no
    section) when it covers whole years or has no dates."""
    table = inputs.table
    current = None if table is None else running_year(table, year)
    if table is None or current is None:
        return None
    figures = running_figures(table, inputs.kommune, area, current)
    return Markdown(running_markdown(figures, data, user_text(table.provenance.file)))


def alerts(
    inputs: FollowUpInputs, areas: list[str], year: int, alerts_file: str | Path = ""
) -> Html | Markdown | None:
    """The alerts of the kommune's rules (`alerts_file`, YAML) that fire on the running
    figures of `areas`, for the top of the report; None when none fires or no rules are
    given, and a note when the rules cannot be used (no register that ends inside a
    year)."""
    if not alerts_file:
        return None
    rules = read_alert_rules(alerts_file)
    table = inputs.table
    current = None if table is None else running_year(table, year)
    if table is None or current is None:
        return Markdown(f"*{_unused_rules(Path(alerts_file).name, table, year)}*")
    texts = [
        alert.text
        for area in areas
        if (rule := rules.get(registry.resolve_area(area))) is not None
        for alert in fired(running_figures(table, inputs.kommune, area, current), rule)
    ]
    return Html(render("alerts.html.j2", alerts=texts)) if texts else None


def _unused_rules(file: str, table: CaseTable | None, year: int) -> str:
    """Why the alert rules in `file` were not used."""
    unused = f"Varslingsreglerne i {user_text(file)} er ikke brugt"
    if table is None:
        return f"{unused}: de kræver en sagsfil med afgørelsesdatoer."
    if "afgoerelsesdato" not in table.partial_decisions.columns:
        return f"{unused}: sagsfilen {user_text(table.provenance.file)} har ingen afgørelsesdatoer."
    last = danish.format_date(last_decision(table))
    return (
        f"{unused}: sagsfilens sidste afgørelse er fra {last}, så der er ingen løbende tal "
        f"for {year} eller et senere år, der ikke er slut, at varsle om."
    )
