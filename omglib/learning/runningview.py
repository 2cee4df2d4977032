"""The running figure in Danish words, for `omg rates` and the reports' section
"Løbende tal": the year so far with its counts and interval, against the same months of
last year (and, in reports, the latest national figure), per quarter, the full-year
forecast with what it assumes, and any alert that fired."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from omglib import registry, stats
from omglib.dataset import Dataset
from omglib.figures import national_by_year
from omglib.io.readers import CaseTable
from omglib.learning.alerts import Alert, fired, read_alert_rules
from omglib.learning.running import RunningFigures, part_year_end, running_figures, same_day
from omglib.present import danish


def register_running_text(
    cases: CaseTable, kommune: int | str, area: str, year: int, alerts_file: Path | None
) -> str:
    """The running figures `omg rates` adds for a register that ends inside `year`, with
    the alerts of `alerts_file`; "" when it covers the whole year, whose figures are
    then final (`running.part_year_end`)."""
    if part_year_end(cases, year) is None:
        return ""
    figures = running_figures(cases, kommune, area, year)
    rules = read_alert_rules(alerts_file) if alerts_file is not None else {}
    rule = rules.get(figures.area)
    return "\n" + running_text(figures, fired(figures, rule) if rule is not None else [])


def running_text(figures: RunningFigures, alerts: list[Alert] | None = None) -> str:
    """The running figures as lines of text (alerts first, where a reader sees them)."""
    year, until = figures.year, danish.format_date(figures.until)
    place = (
        f"{registry.area_text(figures.area)}, {registry.kommune_name(figures.kommunekode)} Kommune"
    )
    lines = [alert.text for alert in alerts or []]
    lines += [f"Løbende tal for {year} til og med {until} ({place}):"]
    lines += [f"  {line}" for line in running_lines(figures)]
    return "\n".join(lines) + "\n"


def running_markdown(figures: RunningFigures, data: Dataset, register: str) -> str:
    """The report section "Løbende tal for <år>": where the figures come from and that
    they are not final, then the running figures and the latest national figure in
    `data`. `register` names the register file (already escaped for the page)."""
    until = danish.format_date(figures.until)
    lines = running_lines(figures, national_line(figures, data))
    return "\n".join(
        [
            f"## Løbende tal for {figures.year}",
            "",
            f"Fra kommunens eget sagsregister ({register}) til og med {until}: Ankestyrelsens "
            f"officielle tal for {figures.year} kommer først året efter, og indtil da kan "
            "tallene nedenfor ændre sig.",
            "",
            *(f"- {line}" for line in lines),
        ]
    )


def running_lines(figures: RunningFigures, national: str | None = None) -> list[str]:
    """The year so far, against last year's same period (and `national`, when given),
    per quarter, and the forecast: one line each."""
    return [
        f"Omgørelsesprocent hidtil {_rate(figures.so_far)}",
        _against_last_year(figures),
        *([national] if national is not None else []),
        *(
            f"{int(row['kvartal'])}. kvartal: {_rate(row)}"
            for _, row in figures.quarters.iterrows()
        ),
        _forecast(figures),
    ]


def national_line(figures: RunningFigures, data: Dataset) -> str:
    """The year so far against the latest national figure in `data` (usually the year
    before: the running year's own comes the following spring)."""
    national = national_by_year(data, figures.area)
    known = national[(national["aar"] <= figures.year) & (national["realitetsbehandlede"] > 0)]
    if known.empty:
        return "Datafilen har intet landstal for området at sammenligne med."
    latest = known.iloc[-1]
    so_far = figures.so_far
    rate = float(latest["omgoerelsesprocent"])
    test = stats.compare_to_reference(
        int(so_far["omgjort"]), int(so_far["realitetsbehandlede"]), rate
    )
    counts = danish.format_counts(int(latest["omgjort"]), int(latest["realitetsbehandlede"]))
    return (
        f"Mod seneste landstal ({int(latest['aar'])}, {counts}): "
        f"{danish.national_comparison(test, rate)}"
    )


def _rate(row: pd.Series) -> str:
    """ "75,0 % (3 af 4 sager; 95 %-interval 30,1 %–95,4 %)", or that there are no cases."""
    cases = int(row["realitetsbehandlede"])
    if cases == 0:
        return "kan ikke opgøres – ingen realitetsbehandlede sager endnu"
    counts = danish.format_counts(int(row["omgjort"]), cases)
    interval = danish.format_interval(row["omgoerelse_nedre"], row["omgoerelse_oevre"])
    return f"{danish.format_pct(row['omgoerelsesprocent'])} ({counts}; 95 %-interval {interval})"


def _against_last_year(figures: RunningFigures) -> str:
    if figures.last_year is None or figures.change is None:
        return f"Registeret dækker ikke {figures.year - 1}, så der er intet at sammenligne med."
    before = figures.last_year
    counts = danish.format_counts(int(before["omgjort"]), int(before["realitetsbehandlede"]))
    same = f"Samme periode {figures.year - 1}: {danish.format_pct(before['omgoerelsesprocent'])} ({counts})"
    verdict = {
        stats.Verdict.INCREASE: "på vej mod et højere niveau end sidste år (statistisk sikkert)",
        stats.Verdict.DECREASE: "på vej mod et lavere niveau end sidste år (statistisk sikkert)",
        stats.Verdict.NO_CHANGE: "forskellen kan skyldes tilfældigheder",
        stats.Verdict.NO_CASES_IN_PERIOD: "ingen sager at sammenligne i den ene periode",
    }[figures.change.verdict]
    return f"{same} – {verdict}."


def _forecast(figures: RunningFigures) -> str:
    forecast = figures.forecast
    if forecast is None:
        return "Ingen prognose: den kræver tal for hele sidste år at beregne tempoet ud fra."
    if forecast.rate != forecast.rate:
        return f"Ingen prognose: ingen sager hidtil, og ingen ventet resten af {figures.year}."
    after = danish.format_date(same_day(figures.until, figures.year - 1))
    remaining = danish.format_count(int(forecast.expected_remaining), "sag", "sager")
    interval = danish.format_interval(forecast.lower, forecast.upper)
    return (
        f"Prognose for hele {figures.year}: {danish.format_pct(forecast.rate)} (95 %-"
        f"prognoseinterval {interval}). Den forudsætter, at resten af året bringer lige så "
        f"mange sager som sidste år efter {after} ({remaining}), og at de afgøres som årets "
        "sager hidtil. Det er en prognose, ikke et resultat."
    )
