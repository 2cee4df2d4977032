"""The rule behind the committee pack's Indstilling (`omglib.recommendation`) and its
Danish (`omglib.present.briefing`), on hand-made figures with known answers: every
branch of the rule, consecutive years, overrides, an adopted plan, and the seed's
focus group on tiny numbers."""

from __future__ import annotations

import pytest

from omglib.dataset import Dataset
from omglib.errors import OmgError
from omglib.figures import key_figures
from omglib.present import briefing
from omglib.recommendation import Basis, Recommendation, apply_overrides, recommend, recommend_all
from tests.helpers.data import counts_dataset

NORDDJURS = 707
BH = "boernehandicap"


def figures(yearly: dict[int, tuple[int, int]], national: float = 0.4) -> Dataset:
    """Norddjurs' børnehandicap counts per year as (omgjort, realitetsbehandlede), all
    remands, and a "Hele landet" row per year at the `national` rate on 1.000 cases."""
    rows = [(year, NORDDJURS, BH, n - k, k, 0, 0) for year, (k, n) in yearly.items()]
    country = [
        (year, BH, round(1000 * (1 - national)), round(1000 * national), 0, 0) for year in yearly
    ]
    return counts_dataset(rows, national=country)


def suggest(yearly: dict[int, tuple[int, int]], national: float = 0.4) -> Recommendation:
    return recommend(key_figures(figures(yearly, national), NORDDJURS, BH, max(yearly)))


def test_significantly_above_three_years_in_a_row_calls_for_a_handleplan() -> None:
    suggestion = suggest({2021: (8, 20), 2022: (15, 20), 2023: (15, 20), 2024: (15, 20)})
    assert suggestion == Recommendation(BH, 2024, True, Basis.ABOVE, years_above=3)
    text = briefing.proposal([suggestion], {})
    assert "Forvaltningen indstiller," in text
    assert (
        "- at der udarbejdes en handleplan for børnehandicapområdet, fordi "
        "omgørelsesprocenten ligger signifikant over landsniveau tre år i træk"
    ) in text
    assert "tages til efterretning" in text and briefing.RULE.format(year=2024) in text


def test_significantly_above_this_year_only_says_the_year() -> None:
    suggestion = suggest({2023: (8, 20), 2024: (15, 20)})
    assert (suggestion.basis, suggestion.years_above) == (Basis.ABOVE, 1)
    assert "signifikant over landsniveau i 2024" in briefing.proposal([suggestion], {})


def test_a_significant_rise_to_above_the_country_calls_for_a_handleplan() -> None:
    """10 % → 50 % over six years: 50 % on 20 cases is not significantly above 40 %, but
    the rise is, and the rate is now above the country's."""
    rising = {2019: (2, 20), 2020: (4, 20), 2021: (6, 20), 2022: (8, 20), 2023: (9, 20)}
    suggestion = suggest({**rising, 2024: (10, 20)})
    assert (suggestion.action_plan, suggestion.basis) == (True, Basis.RISING)
    assert "er steget signifikant over årene og nu ligger over landsniveau" in (
        briefing.proposal([suggestion], {})
    )
    below_country = suggest({**rising, 2024: (10, 20)}, national=0.6)
    assert (below_country.action_plan, below_country.basis) == (False, Basis.NOT_ABOVE)


def test_no_handleplan_below_or_level_with_the_country_or_without_a_basis() -> None:
    below = suggest({2024: (1, 20)})
    assert (below.action_plan, below.basis) == (False, Basis.BELOW)
    assert "ligger signifikant under landsniveau" in briefing.proposal([below], {})
    level = suggest({2024: (9, 20)})
    assert (level.action_plan, level.basis) == (False, Basis.NOT_ABOVE)
    assert "- at der ikke udarbejdes en handleplan for børnehandicapområdet, fordi" in (
        briefing.proposal([level], {})
    )
    nothing = suggest({2023: (15, 20), 2024: (0, 0)})
    assert (nothing.action_plan, nothing.basis) == (False, Basis.NO_BASIS)
    without_country = key_figures(
        counts_dataset([(2024, NORDDJURS, BH, 2, 18, 0, 0)]), NORDDJURS, BH, 2024
    )
    assert recommend(without_country).basis == Basis.NO_BASIS


def test_the_seeds_focus_group_is_noise_in_plain_words() -> None:
    """4/5, 2/4, 3/4 (80 % → 50 % → 75 %): no handleplan by the rule, no significant
    development, and one case weighs 25 percentage points."""
    data = figures({2019: (4, 5), 2020: (2, 4), 2021: (3, 4)}, national=0.6)
    key = key_figures(data, NORDDJURS, BH, 2021)
    suggestion = recommend(key)
    assert (suggestion.action_plan, suggestion.basis) == (False, Basis.NOT_ABOVE)
    text = briefing.assessment([key], [suggestion])
    assert "ligger over landsniveauet på 60,0 %, men forskellen kan skyldes tilfældigheder" in text
    assert "Udviklingen over årene 2019–2021 er ikke signifikant." in text
    assert "én sag flytter procenten 25,0 procentpoint" in text


def test_the_assessment_says_when_it_is_not_chance() -> None:
    data = figures({2022: (15, 20), 2023: (15, 20), 2024: (15, 20)})
    key = key_figures(data, NORDDJURS, BH, 2024)
    text = briefing.assessment([key], [recommend(key)])
    assert "ligger signifikant over landsniveauet på 40,0 %: forskellen er for stor til" in text
    assert "Sådan har det været tre år i træk." in text


def test_an_adopted_plan_is_continued_not_made_again() -> None:
    above = suggest({2023: (15, 20), 2024: (15, 20)})
    text = briefing.proposal([above], {BH: "vedtaget 12. marts 2024"})
    assert "at den vedtagne handleplan for børnehandicapområdet (vedtaget 12. marts 2024) " in text
    level = suggest({2024: (9, 20)})
    assert "at der ikke udarbejdes en ny handleplan" in briefing.proposal([level], {BH: ""})


def test_the_administration_can_override_the_rule_and_the_pack_says_so() -> None:
    level = suggest({2024: (9, 20)})
    [overridden] = apply_overrides([level], {"Børnehandicap": "Handleplan"})
    assert overridden.overridden and overridden.action_plan and not overridden.by_rule
    text = briefing.proposal([overridden], {})
    assert (
        "at der udarbejdes en handleplan for børnehandicapområdet efter forvaltningens samlede "
        "vurdering (efter reglen alene ville der ikke være foreslået en handleplan, da "
        "omgørelsesprocenten i 2024 ikke ligger signifikant over landsniveau)"
    ) in text
    [same] = apply_overrides([level], {BH: "ingen"})
    assert ", fordi omgørelsesprocenten" in briefing.proposal([same], {})


def test_an_override_names_a_known_area_and_answer() -> None:
    level = suggest({2024: (9, 20)})
    with pytest.raises(OmgError) as caught:
        apply_overrides([level], {"voksenhandicap": "handleplan", BH: "handelplan"})
    message = str(caught.value)
    assert "'voksenhandicap' er ikke et af briefingens områder (den har Børnehandicapområdet)" in (
        message
    )
    assert "'handelplan' – mente du 'handleplan'? Forventede 'handleplan' eller 'ingen'" in message
    assert recommend_all([key_figures(figures({2024: (9, 20)}), NORDDJURS, BH, 2024)]) == [level]
