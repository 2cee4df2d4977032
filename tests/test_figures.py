"""Key figures: national comparison only on a sound basis, trend, volumes, headline."""

from __future__ import annotations

import pandas as pd
import pytest

from omglib.dataset import Dataset, Provenance, Volumes
from omglib.errors import OmgError
from omglib.figures import key_figures, kommune_table, national_by_year
from omglib.present.danish import verdict_text
from omglib.present.sentences import headline
from omglib.stats import Verdict
from tests.helpers.data import counts_dataset, every_kommune

NORDDJURS = 707


def focus_group_data() -> Dataset:
    """Illustrative: 4/5, 2/4, 3/4 over 2019-2021 for one kommune; the others 6 of 10 a year."""
    rows = []
    for year, (overturned, total) in zip((2019, 2020, 2021), ((4, 5), (2, 4), (3, 4)), strict=True):
        rows += [r for r in every_kommune(year, 4, 6) if r[1] != NORDDJURS]
        rows.append((year, NORDDJURS, "boernehandicap", total - overturned, overturned, 0, 1))
    return counts_dataset(rows)


def test_trend_on_tiny_numbers_reads_as_no_significant_development() -> None:
    figures = key_figures(focus_group_data(), "Norddjurs", "boernehandicap", 2021)
    assert figures.trend["omgoerelsesprocent"].round(2).tolist() == [0.8, 0.5, 0.75]
    assert verdict_text(figures.trend_test) == "ingen signifikant udvikling"
    assert (
        figures.change is not None and verdict_text(figures.change) == "ingen signifikant ændring"
    )
    assert figures.few_cases


def test_headline_has_rate_counts_interval_and_national_verdict() -> None:
    text = headline(key_figures(focus_group_data(), NORDDJURS, "Børnehandicap", 2021))
    assert "75,0 %" in text and "3 af 4 sager" in text
    assert "95 %-interval" in text
    assert "Ikke signifikant forskellig fra landsniveauet på 60,1 %." in text
    assert str(text).count("andsniveau") == 1  # named once, not "Landsniveau ...: ... landsniveau"
    assert "under 10 sager" in text


def test_national_rate_is_sum_over_all_98_kommuner() -> None:
    national = national_by_year(focus_group_data(), "boernehandicap").set_index("aar")
    expected = (97 * 6 + 4) / (97 * 10 + 5)
    assert national.loc[2019, "omgoerelsesprocent"] == pytest.approx(expected)
    assert national.loc[2019, "grundlag"] == "summen af alle 98 kommuner i datafilen"


def test_partial_file_gets_no_landsniveau() -> None:
    data = counts_dataset(
        [(2023, 707, "boernehandicap", 3, 2, 1, 0), (2023, 751, "boernehandicap", 9, 5, 1, 0)]
    )
    figures = key_figures(data, 707, "boernehandicap", 2023)
    assert figures.national is None
    assert "Intet landstal" in figures.national_note and "(den har 2)" in figures.national_note
    assert "Landsniveau" not in headline(figures)
    assert verdict_text(figures.comparison) == "kan ikke sammenlignes (intet landstal)"


def test_hele_landet_row_is_the_national_figure() -> None:
    national = pd.DataFrame(
        [(2023, "boernehandicap", 60, 30, 10, 5)],
        columns=["aar", "omraade", "stadfaestet", "hjemvist", "aendret_ophaevet", "afvist"],
    )
    data = counts_dataset([(2023, 707, "boernehandicap", 3, 2, 1, 0)], national=national)
    figures = key_figures(data, 707, "boernehandicap", 2023)
    assert figures.national is not None
    assert figures.national["omgoerelsesprocent"] == pytest.approx(0.4)
    assert figures.national_note == "Landstal: rækken 'Hele landet' i datafilen."


def test_kommune_without_cases_has_no_rate() -> None:
    """Læsø is in the file (socialområdet) but has no børnehandicap row: zero cases."""
    rows = [r for r in every_kommune(2023, 5, 5) if r[1] != 825]
    rows.append((2023, 825, "socialomraadet", 1, 0, 0, 0))
    figures = key_figures(counts_dataset(rows), "Læsø", "boernehandicap", 2023)
    assert figures.current["realitetsbehandlede"] == 0
    assert pd.isna(figures.current["omgoerelsesprocent"])
    assert verdict_text(figures.comparison) == "kan ikke vurderes (ingen realitetsbehandlede sager)"
    assert "Omgørelsesprocent –" in headline(figures)


def test_volumes_give_appeal_share_and_overturned_share() -> None:
    data = counts_dataset([(2023, 707, "boernehandicap", 4, 5, 4, 2)])
    volumes = Volumes(
        pd.DataFrame(
            {
                "aar": [2023],
                "kommunekode": [707],
                "omraade": ["boernehandicap"],
                "afgoerelser_i_alt": [300],
                "klager_modtaget": [25],
            }
        ),
        Provenance("volumen.csv", "cd" * 32),
    )
    shares = key_figures(data, 707, "boernehandicap", 2023, volumes=volumes).volumes
    assert shares is not None
    assert shares["andel_realitetsbehandlet"] == pytest.approx(13 / 300)
    assert shares["realitetsbehandlede"] == 13 and shares["afviste"] == 2
    assert shares["andel_omgjort_af_alle"] == pytest.approx(9 / 300)
    assert shares["klager_modtaget"] == 25 and shares["klager_modtaget_aaret_foer"] is None


def test_unknown_year_and_area_are_clear_errors() -> None:
    with pytest.raises(OmgError, match="Året 2030 findes ikke"):
        key_figures(focus_group_data(), 707, "boernehandicap", 2030)
    with pytest.raises(OmgError, match="Området 'voksenhandicap' findes ikke"):
        key_figures(focus_group_data(), 707, "voksenhandicap", 2021)
    with pytest.raises(OmgError, match="mente du Aarhus"):
        key_figures(focus_group_data(), "Arhus", "boernehandicap", 2021)


def test_kommune_table_has_every_kommune_with_verdicts() -> None:
    rows = every_kommune(2023, 6, 4)
    rows = [r if r[1] != 101 else (2023, 101, "boernehandicap", 5, 45, 0, 0) for r in rows]
    table = kommune_table(counts_dataset(rows), "boernehandicap", 2023).set_index("kommunekode")
    assert len(table) == 98
    assert table.loc[101, "vurdering"] == Verdict.ABOVE_REFERENCE
    assert table.loc[707, "vurdering"] == Verdict.SAME_AS_REFERENCE
    assert table.loc[707, "kommune"] == "Norddjurs"
