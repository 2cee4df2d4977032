"""Whether an area's figures call for a handleplan: the rule behind the committee pack's
*Indstilling*.

Retssikkerhedslovens § 79 b makes the kommunalbestyrelse discuss Ankestyrelsen's
Danmarkskort every year and (since 1 July 2022) decide whether a handleplan is needed.
The pack suggests the administration's answer per area, derived from the figures by
one explicit rule, and states it as a suggestion that a parameter can override:

1. **Over landsniveau** (`Basis.ABOVE`): the kommune's omgørelsesprocent in the report
   year is significantly above the national level (the exact binomial test of
   `stats.compare_to_reference`, 5 % level) → a handleplan. `years_above` counts the
   consecutive years, up to and including the report year, that were significantly
   above, so the reason can say "tre år i træk".
2. **Stigende** (`Basis.RISING`): not significantly above this year, but the rate has
   risen significantly over the years (Cochran–Armitage, `stats.trend`) and this year's
   rate is above the national rate → a handleplan: the direction is clear before the
   level is.
3. Otherwise no handleplan, saying why: significantly below the national level
   (`Basis.BELOW`), not significantly different (`Basis.NOT_ABOVE`), or no basis for a
   judgement (`Basis.NO_BASIS`: no realitetsbehandlede sager, or no national figure).

Significance is the test's, not a threshold of our own: on the few cases a kommune has,
a rate well above the national one may still be chance, and the rule does not act on
chance. The numbers are values; the pack words them (`omglib.present.briefing`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Final

import pandas as pd

from omglib import registry, stats
from omglib.errors import OmgError
from omglib.figures import KeyFigures, compare_to_national
from omglib.names import closest, did_you_mean, fold


class Basis(Enum):
    """What the suggestion for an area rests on (see the module docstring)."""

    ABOVE = "above"
    RISING = "rising"
    NOT_ABOVE = "not_above"
    BELOW = "below"
    NO_BASIS = "no_basis"


@dataclass(frozen=True)
class Recommendation:
    """The suggestion for one area: whether a handleplan is needed, what the rule based
    it on, and how many consecutive years the rate has been significantly above the
    national level. `overridden` when the administration's own answer replaced the
    rule's (`basis` then still says what the figures show)."""

    area: str
    year: int
    action_plan: bool
    basis: Basis
    years_above: int
    overridden: bool = False

    @property
    def by_rule(self) -> bool:
        """What the rule alone suggests (differs from `action_plan` when overridden)."""
        return self.basis in (Basis.ABOVE, Basis.RISING)


#: An override's answer as a user writes it (folded), to whether a handleplan is needed.
ANSWERS: Final[dict[str, bool]] = {
    "handleplan": True,
    "ja": True,
    "ingenhandleplan": False,
    "ingen": False,
    "nej": False,
}


def recommend(key: KeyFigures) -> Recommendation:
    """The rule's suggestion for the area of `key` (see the module docstring)."""
    comparison = key.comparison.verdict
    above = _years_above(key.trend)
    if comparison == stats.Verdict.ABOVE_REFERENCE:
        return Recommendation(key.area, key.year, True, Basis.ABOVE, above)
    if comparison in (stats.Verdict.NO_CASES, stats.Verdict.NO_REFERENCE):
        return Recommendation(key.area, key.year, False, Basis.NO_BASIS, above)
    rising = key.trend_test.verdict == stats.Verdict.RISING_TREND
    assert key.national is not None  # a verdict against it exists
    over = float(key.current["omgoerelsesprocent"]) > float(key.national["omgoerelsesprocent"])
    if rising and over:
        return Recommendation(key.area, key.year, True, Basis.RISING, above)
    below = comparison == stats.Verdict.BELOW_REFERENCE
    return Recommendation(
        key.area, key.year, False, Basis.BELOW if below else Basis.NOT_ABOVE, above
    )


def recommend_all(
    keys: Sequence[KeyFigures], overrides: Mapping[str, object] | None = None
) -> list[Recommendation]:
    """The rule's suggestion for each area of a briefing, with the administration's own
    answers (`overrides`, area → "handleplan" or "ingen") in their place."""
    return apply_overrides([recommend(key) for key in keys], overrides or {})


def _years_above(trend: pd.DataFrame) -> int:
    """Consecutive years, counting back from the last row, whose rate is significantly
    above that year's national rate."""
    count = 0
    rows = zip(trend["omgjort"], trend["realitetsbehandlede"], trend["landsniveau"], strict=True)
    for overturned, on_merits, national in reversed(list(rows)):
        result = compare_to_national(int(overturned), int(on_merits), float(national))
        if result.verdict != stats.Verdict.ABOVE_REFERENCE:
            break
        count += 1
    return count


def apply_overrides(
    recommendations: list[Recommendation], overrides: Mapping[str, object]
) -> list[Recommendation]:
    """The suggestions with the administration's own answers (area → "handleplan" or
    "ingen") put in their place; an area or answer it does not know is an error."""
    answers = parse_overrides(overrides, [r.area for r in recommendations])
    return [
        replace(r, action_plan=answers[r.area], overridden=True) if r.area in answers else r
        for r in recommendations
    ]


def parse_overrides(overrides: Mapping[str, object], areas: list[str]) -> dict[str, bool]:
    """Area id → whether a handleplan is wanted, from what a user wrote ({"voksenhandicap":
    "handleplan"}); every problem in one Danish error."""
    answers: dict[str, bool] = {}
    problems = []
    for written_area, written_answer in overrides.items():
        try:
            area = registry.resolve_area(written_area)
        except OmgError as error:
            problems.append(str(error))
            continue
        if area not in areas:
            chosen = ", ".join(registry.area_name(a) for a in areas)
            problems.append(
                f"'{written_area}' er ikke et af briefingens områder (den har {chosen})"
            )
            continue
        answer = ANSWERS.get(fold(written_answer))
        if answer is None:
            guess = closest(str(written_answer), {"handleplan": "handleplan", "ingen": "ingen"})
            problems.append(
                f"indstillingen for {registry.area_text(area)} er '{written_answer}'"
                f"{did_you_mean(guess)} Forventede 'handleplan' eller 'ingen'"
            )
            continue
        answers[area] = answer
    if problems:
        raise OmgError("; ".join(problems))
    return answers
