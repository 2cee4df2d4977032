"""The committee pack's first part, in Danish committee agenda style: *Sagsfremstilling*
(what the figures show), *Vurdering* (what is significant and what is noise, per area)
and *Indstilling* (the decision retssikkerhedslovens § 79 b asks of the council, with
the administration's suggested answer). The numbers and the rule that picks the
suggestion are the core's (`figures`, `recommendation`); this module words them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import pandas as pd

from omglib import registry, stats
from omglib.figures import KeyFigures
from omglib.present import danish
from omglib.present.display import Markdown
from omglib.recommendation import Basis, Recommendation

DUTY: Final = (
    "Efter retssikkerhedslovens § 79 b skal kommunalbestyrelsen hvert år drøfte "
    "Ankestyrelsens Danmarkskort over omgørelsesprocenterne og tage stilling til, om der "
    "skal udarbejdes en handleplan, der kan styrke den juridiske kvalitet."
)
"""The council's duty, as the pack opens and the Indstilling answers it."""

RULE: Final = (
    "Indstillingen er et forslag, som forvaltningen har udledt af tallene efter en fast "
    "regel: en handleplan foreslås for et område, når omgørelsesprocenten i {year} ligger "
    "signifikant over landsniveau, eller når den er steget signifikant over årene og nu er "
    "højere end i hele landet. Signifikant betyder, at forskellen næppe skyldes "
    "tilfældigheder (eksakte test på 5 %-niveau)."
)
"""The rule of `omglib.recommendation`, as the pack states it under the Indstilling
({year}: the briefing's year)."""


def in_a_row(years: int) -> str:
    """ "tre år i træk"; 1 year gives "" (nothing in a row)."""
    words = ("", "", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti")
    if years < 2:
        return ""
    return f"{words[years] if years < len(words) else danish.format_int(years)} år i træk"


# --- Sagsfremstilling -------------------------------------------------------------------


def case_summary(keys: Sequence[KeyFigures]) -> Markdown:
    """What the figures show, for a politician with two minutes: the duty, then per area
    the rate with its counts, the national rate and the year before (the synthetic-data
    notice is the title's, right above it)."""
    first = keys[0]
    overlap = (
        " Socialområdet omfatter også børne- og voksenhandicapområdet, så tallene for "
        "områderne kan ikke lægges sammen."
        if registry.SOCIAL_AREA in [key.area for key in keys] and len(keys) > 1
        else ""
    )
    lines = [
        DUTY,
        "",
        f"Nedenfor ses, hvordan det gik, når borgerne i {first.year} klagede til "
        f"Ankestyrelsen over {first.kommune} Kommunes afgørelser. *Omgjort* betyder, at "
        "Ankestyrelsen ændrede eller ophævede afgørelsen eller sendte den tilbage til "
        f"kommunen.{overlap}",
        "",
        *[f"- {_area_facts(key)}" for key in keys],
    ]
    return Markdown("\n".join(lines))


def _area_facts(key: KeyFigures) -> str:
    """ "**Børnehandicapområdet**: 64,3 % omgjort (9 af 14 sager); hele landet 41,0 %;
    i 2023: 22,2 % (2 af 9 sager)."."""
    title = f"**{registry.area_name(key.area)}**"
    row = key.current
    if int(row["realitetsbehandlede"]) == 0:
        return f"{title}: ingen sager realitetsbehandlet af Ankestyrelsen i {key.year}."
    parts = [f"{title}: {_rate(row)} omgjort"]
    if key.national is not None:
        parts.append(f"hele landet {danish.format_pct(key.national['omgoerelsesprocent'])}")
    before = key.trend[key.trend["aar"] == key.year - 1]
    if len(before) and int(before["realitetsbehandlede"].iloc[0]):
        parts.append(f"i {key.year - 1}: {_rate(before.iloc[0])}")
    return "; ".join(parts) + "."


def _rate(row: pd.Series) -> str:
    """ "64,3 % (9 af 14 sager)"."""
    overturned, on_merits = int(row["omgjort"]), int(row["realitetsbehandlede"])
    return f"{danish.format_pct(overturned / on_merits)} ({danish.format_counts(overturned, on_merits)})"


# --- Vurdering --------------------------------------------------------------------------


def assessment(keys: Sequence[KeyFigures], suggestions: Sequence[Recommendation]) -> Markdown:
    """Per area, in plain words, what is significant and what may be chance: the level
    against the country, the course over the years, and what one case weighs."""
    by_area = {suggestion.area: suggestion for suggestion in suggestions}
    return Markdown("\n\n".join(_area_assessment(key, by_area[key.area]) for key in keys))


def _area_assessment(key: KeyFigures, suggestion: Recommendation) -> str:
    title = f"**{registry.area_name(key.area)}**:"
    row = key.current
    cases = int(row["realitetsbehandlede"])
    if cases == 0:
        return (
            f"{title} Ingen sager blev realitetsbehandlet i {key.year}, så der er intet at vurdere."
        )
    sentences = [title, _level(key, suggestion), _course(key)]
    if key.few_cases:
        weight = danish.format_number(100 / cases)
        sentences.append(
            f"Tallet bygger på under {stats.DEFAULT_MIN_CASES} sager: én sag flytter "
            f"procenten {weight} procentpoint."
        )
    return " ".join(sentences)


def _level(key: KeyFigures, suggestion: Recommendation) -> str:
    """The rate against the national rate, significant or possibly chance."""
    rate = f"Omgørelsesprocenten på {_rate(key.current)}"
    if key.national is None:
        return f"{rate} kan ikke sammenlignes med landsniveau: {key.national_note}"
    national = danish.format_pct(key.national["omgoerelsesprocent"])
    interval = f"95 %-interval {danish.interval_text(key.current)}"
    if key.comparison.verdict == stats.Verdict.ABOVE_REFERENCE:
        again = in_a_row(suggestion.years_above)
        tail = f" Sådan har det været {again}." if again else ""
        return (
            f"{rate} ligger signifikant over landsniveauet på {national}: forskellen er for "
            f"stor til at skyldes tilfældigheder ({interval}).{tail}"
        )
    if key.comparison.verdict == stats.Verdict.BELOW_REFERENCE:
        return f"{rate} ligger signifikant under landsniveauet på {national} ({interval})."
    own, country = (
        float(key.current["omgoerelsesprocent"]),
        float(key.national["omgoerelsesprocent"]),
    )
    side = "over" if own > country else "under" if own < country else "på"
    return (
        f"{rate} ligger {side} landsniveauet på {national}, men forskellen kan skyldes "
        f"tilfældigheder ({interval})."
    )


def _course(key: KeyFigures) -> str:
    """The course over the years, as the trend test reads it."""
    with_cases = key.trend[key.trend["realitetsbehandlede"] > 0]["aar"]
    span = f"{int(with_cases.min())}–{int(with_cases.max())}" if len(with_cases) else ""
    verdict = key.trend_test.verdict
    if verdict == stats.Verdict.RISING_TREND:
        return f"Over årene {span} er omgørelsesprocenten steget signifikant."
    if verdict == stats.Verdict.FALLING_TREND:
        return f"Over årene {span} er omgørelsesprocenten faldet signifikant."
    if verdict == stats.Verdict.NO_TREND:
        return f"Udviklingen over årene {span} er ikke signifikant."
    return "Der er for få år med sager til at vurdere en udvikling."


# --- Indstilling ------------------------------------------------------------------------


def proposal(suggestions: Sequence[Recommendation], plans: Mapping[str, str]) -> Markdown:
    """The Indstilling: take the figures into account, and per area whether a handleplan
    is to be made (or the adopted one continued), with the reason; then how the
    suggestion was reached. `plans` maps each area an adopted handleplan covers to how
    it is named ("vedtaget 12. marts 2024", or "")."""
    year = suggestions[0].year
    items = [
        f"at orienteringen om Ankestyrelsens omgørelsesprocenter for {year} tages til efterretning"
    ]
    items += [_clause(suggestion, plans) for suggestion in suggestions]
    rule = RULE.format(year=year)
    lines = ["Forvaltningen indstiller,", "", *[f"- {item}" for item in items], "", f"*{rule}*"]
    return Markdown("\n".join(lines))


def _clause(suggestion: Recommendation, plans: Mapping[str, str]) -> str:
    area = registry.area_text(suggestion.area)
    adopted = plans.get(suggestion.area)
    if suggestion.action_plan and adopted is not None:
        named = f" ({adopted})" if adopted else ""
        what = f"at den vedtagne handleplan for {area}{named} videreføres og tilpasses"
    elif suggestion.action_plan:
        what = f"at der udarbejdes en handleplan for {area}"
    else:
        new = "en ny" if adopted is not None else "en"
        what = f"at der ikke udarbejdes {new} handleplan for {area}"
    return f"{what}{_because(suggestion)}"


def _because(suggestion: Recommendation) -> str:
    """Why, after the clause: the rule's reason, or that it is the administration's own
    judgement, with what the rule alone would have suggested and why."""
    reason = _rule_reason(suggestion)
    if not suggestion.overridden or suggestion.action_plan == suggestion.by_rule:
        return f", fordi {reason}"
    rule = "ville der være foreslået" if suggestion.by_rule else "ville der ikke være foreslået"
    return (
        f" efter forvaltningens samlede vurdering (efter reglen alene {rule} en handleplan, "
        f"da {reason})"
    )


def _rule_reason(suggestion: Recommendation) -> str:
    year = suggestion.year
    if suggestion.basis == Basis.ABOVE:
        when = in_a_row(suggestion.years_above) or f"i {year}"
        return f"omgørelsesprocenten ligger signifikant over landsniveau {when}"
    if suggestion.basis == Basis.RISING:
        return "omgørelsesprocenten er steget signifikant over årene og nu ligger over landsniveau"
    if suggestion.basis == Basis.BELOW:
        return f"omgørelsesprocenten i {year} ligger signifikant under landsniveau"
    if suggestion.basis == Basis.NO_BASIS:
        return f"tallene for {year} ikke giver grundlag for at vurdere det"
    return f"omgørelsesprocenten i {year} ikke ligger signifikant over landsniveau"
