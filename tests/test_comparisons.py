"""Comparisons for a kommune report: rank, outcomes, region and peers, provisions, case
count and the spread of rates; hand-made data with known answers, plus the demo data."""

from __future__ import annotations

import pytest

from omglib import registry, stats
from omglib.comparisons import (
    Rank,
    case_count_change,
    outcome_distribution,
    peer_group,
    peer_group_names,
    provision_breakdown,
    rank,
    rate_distribution,
    rate_spread,
    region_comparison,
)
from omglib.dataset import Dataset, Provenance
from omglib.errors import OmgError
from omglib.figures import kommune_table, national_by_year
from omglib.outcomes import OUTCOME_LABELS
from omglib.present import sentences
from tests.helpers.data import COUNTS, counts_dataset, every_kommune

WITH_PROVISION = ("aar", "kommunekode", "omraade", "paragraf", *COUNTS)
BH = "boernehandicap"
NORDDJURS = 707


# --- rank and distribution --------------------------------------------------------------


def ranking_data() -> Dataset:
    """København 1/10; Frederiksberg 3/10 and Ballerup 3/10 (plus 4 afviste, not counted);
    Brøndby 6/12 and Dragør 2/4, both 50 %; Gentofte 9/10. Gladsaxe (159) has
    socialområdet cases only, so no børnehandicap cases; Aarhus is not in the file."""
    return counts_dataset(
        [
            (2023, 101, BH, 9, 1, 0, 0),
            (2023, 147, BH, 7, 2, 1, 0),
            (2023, 151, BH, 7, 3, 0, 4),
            (2023, 153, BH, 6, 6, 0, 0),
            (2023, 155, BH, 2, 1, 1, 0),
            (2023, 157, BH, 1, 9, 0, 0),
            (2023, 159, "socialomraadet", 5, 5, 0, 0),
        ]
    )


def test_rank_shares_the_lowest_position_on_ties() -> None:
    # rates 0.1 | 0.3 0.3 | 0.5 0.5 | 0.9 -> positions 1, 2, 2, 4, 4, 6; 6 ranked, 1 unranked
    data = ranking_data()
    assert rank(data, 101, BH, 2023) == ranked_at(1, tied=False)
    assert rank(data, "Frederiksberg", BH, 2023) == ranked_at(2, tied=True)
    assert rank(data, 151, BH, 2023) == ranked_at(2, tied=True)
    assert rank(data, 155, BH, 2023) == ranked_at(4, tied=True)
    assert rank(data, 157, BH, 2023) == ranked_at(6, tied=False)


def ranked_at(position: int, tied: bool) -> Rank:
    return Rank(position=position, of=6, tied=tied, unranked=1)


def test_rank_text() -> None:
    data = ranking_data()
    assert sentences.rank(rank(data, 157, BH, 2023)) == (
        "Nr. 6 af 6 kommuner (nr. 1 har den laveste omgørelsesprocent); 1 kommune uden sager indgår ikke i rangeringen."
    )
    assert sentences.rank(rank(data, 147, BH, 2023)).startswith("Delt nr. 2 af 6 kommuner")
    full = rank(counts_dataset(every_kommune(2023, 5, 5)), 101, BH, 2023)
    assert (
        sentences.rank(full)
        == "Delt nr. 1 af 98 kommuner (nr. 1 har den laveste omgørelsesprocent)."
    )


def test_kommune_without_cases_is_not_ranked() -> None:
    for kommune in (159, "Aarhus"):  # in the file without børnehandicap rows; not in the file
        result = rank(ranking_data(), kommune, BH, 2023)
        assert result.position is None and not result.tied
        assert (result.of, result.unranked) == (6, 1)
        assert sentences.rank(result) == (
            "Kommunen har ingen realitetsbehandlede sager og er ikke rangeret; "
            "6 kommuner med sager er rangeret (nr. 1 har den laveste omgørelsesprocent)."
        )


def test_rate_distribution_leaves_out_kommuner_without_cases_and_sorts_by_rank() -> None:
    table = rate_distribution(ranking_data(), BH, 2023)
    assert table["kommunekode"].tolist() == [101, 147, 151, 153, 155, 157]
    assert table["rang"].tolist() == [1, 2, 2, 4, 4, 6]
    assert "vurdering" in table.columns  # the rest of kommune_table is kept


def test_rate_spread_interpolates_quartiles() -> None:
    # six kommuner at 1/10 ... 6/10 and one at 3/3 (few cases, left out). Linear quartiles
    # of 0.1..0.6: position 0.25 * 5 = 1.25 -> 0.225, median 0.35, 0.75 * 5 = 3.75 -> 0.475
    rows = [
        (2023, code, BH, 10 - k, k, 0, 0)
        for k, code in enumerate((101, 147, 151, 153, 155, 157), 1)
    ]
    rows.append((2023, 159, BH, 0, 3, 0, 0))
    assert sentences.rate_spread(rate_spread(counts_dataset(rows), BH, 2023)) == (
        "Halvdelen af de 6 kommuner med mindst 10 sager har en omgørelsesprocent "
        "mellem 22,5 % og 47,5 % (median 35,0 %)."
    )


def test_rate_spread_needs_enough_kommuner() -> None:
    two = counts_dataset(
        [(2023, 101, BH, 5, 5, 0, 0), (2023, 147, BH, 8, 4, 0, 0), (2023, 151, BH, 1, 1, 0, 0)]
    )
    assert sentences.rate_spread(rate_spread(two, BH, 2023)) == (
        "Kun 2 kommuner har mindst 10 sager, for få til at beskrive spredningen mellem kommunerne."
    )
    none = counts_dataset([(2023, 101, BH, 1, 1, 0, 0)])
    assert sentences.rate_spread(rate_spread(none, BH, 2023)).startswith(
        "Ingen kommuner har mindst 10 sager"
    )


# --- outcome distribution ---------------------------------------------------------------


def test_outcome_distribution_shares_of_all_decisions_shown() -> None:
    # Norddjurs 4 stadfæstet, 3 hjemvist, 1 ændret, 2 afvist: 10 decisions -> .4 .3 .1 .2
    # Hele landet 60, 30, 10, 5: 105 decisions
    data = counts_dataset([(2023, NORDDJURS, BH, 4, 3, 1, 2)], national=[(2023, BH, 60, 30, 10, 5)])
    table = outcome_distribution(data, "Norddjurs", BH, 2023)
    labels = ["Stadfæstet", "Hjemvist", "Ændret/ophævet", "Afvist (indgår ikke)"]
    assert table.columns.tolist() == ["hvem", "udfald", "antal", "andel"]
    assert table["hvem"].tolist() == ["Norddjurs"] * 4 + ["Hele landet"] * 4
    assert table["udfald"].tolist() == labels * 2
    assert table["antal"].tolist() == [4, 3, 1, 2, 60, 30, 10, 5]
    expected = [0.4, 0.3, 0.1, 0.2, 60 / 105, 30 / 105, 10 / 105, 5 / 105]
    assert table["andel"].tolist() == pytest.approx(expected)


def test_outcome_distribution_without_afvist_column_or_national_figure() -> None:
    # partial file (2 kommuner, no "Hele landet"): the kommune's rows only; 4 + 3 + 1 = 8
    counts = counts_dataset([(2023, NORDDJURS, BH, 4, 3, 1, 0), (2023, 751, BH, 9, 1, 0, 0)]).counts
    data = Dataset(counts.drop(columns="afvist"), counts.iloc[0:0], Provenance("t.csv", "ab" * 32))
    table = outcome_distribution(data, NORDDJURS, BH, 2023)
    assert table["udfald"].tolist() == ["Stadfæstet", "Hjemvist", "Ændret/ophævet"]
    assert table["hvem"].unique().tolist() == ["Norddjurs"]
    assert table["andel"].tolist() == pytest.approx([4 / 8, 3 / 8, 1 / 8])


def test_outcome_distribution_of_kommune_without_cases_has_no_shares() -> None:
    table = outcome_distribution(ranking_data(), 159, BH, 2023)
    assert table["antal"].tolist() == [0, 0, 0, 0]
    assert table["andel"].isna().all()


# --- region and peer group --------------------------------------------------------------


def test_region_comparison_sums_counts_per_group() -> None:
    # every kommune 4 of 10 omgjort, Norddjurs 5 of 10. Region Midtjylland has 19 kommuner:
    # 18 * 4 + 5 = 77 of 190; peers (10, Norddjurs excluded) 40 of 100; landet 393 of 980
    rows = [r for r in every_kommune(2023, 6, 4) if r[1] != NORDDJURS]
    rows.append((2023, NORDDJURS, BH, 5, 5, 0, 0))
    table = region_comparison(counts_dataset(rows), NORDDJURS, BH, 2023)
    assert table["niveau"].tolist() == ["kommune", "region", "sammenlignelige", "landet"]
    assert table["navn"].tolist() == [
        "Norddjurs",
        "Region Midtjylland",
        "Sammenlignelige kommuner",
        "Hele landet",
    ]
    assert table["kommuner"].tolist()[:3] == [1, 19, 10] and table["kommuner"].isna().iloc[3]
    assert table["omgjort"].tolist() == [5, 77, 40, 393]
    assert table["realitetsbehandlede"].tolist() == [10, 190, 100, 980]
    assert table.loc[1, "omgoerelsesprocent"] == pytest.approx(77 / 190)
    lower, upper = stats.wilson_interval(77, 190)
    region = table.iloc[1]
    assert [region["omgoerelse_nedre"], region["omgoerelse_oevre"]] == pytest.approx(
        [float(lower), float(upper)]
    )


def test_region_comparison_in_partial_file_has_no_national_row() -> None:
    # Norddjurs and Aarhus are in Region Midtjylland, København not; none of Norddjurs' peers
    data = counts_dataset(
        [
            (2023, NORDDJURS, BH, 3, 1, 0, 0),
            (2023, 751, BH, 10, 5, 1, 0),
            (2023, 101, BH, 50, 50, 0, 0),
        ]
    )
    table = region_comparison(data, NORDDJURS, BH, 2023).set_index("niveau")
    assert table.index.tolist() == ["kommune", "region", "sammenlignelige"]
    assert table.loc["region", "kommuner"] == 2
    assert (table.loc["region", "omgjort"], table.loc["region", "realitetsbehandlede"]) == (7, 20)
    assert table.loc["sammenlignelige", "kommuner"] == 0
    assert table["omgoerelsesprocent"].isna().loc["sammenlignelige"]


def test_peer_group_is_closest_in_log_population() -> None:
    # Norddjurs 37.000: Tønder 37.000 (distance 0); 38.000 (ln 38/37 = 0.0267: Faxe 320,
    # Jammerbugt 849) before 36.000 (ln 37/36 = 0.0274: Ringsted 329, Brønderslev 810,
    # Vesthimmerlands 820); 39.000 (Brøndby 153, Bornholm 400); 40.000 (Lolland 360,
    # Middelfart 410; ln 40/37 = 0.078) before 33.000 (Odsherred; ln 37/33 = 0.114)
    assert peer_group(NORDDJURS) == [550, 320, 849, 329, 810, 820, 153, 400, 360, 410]
    assert peer_group_names("Norddjurs", size=3) == ["Tønder", "Faxe", "Jammerbugt"]


def test_peer_group_breaks_ties_by_kommunekode() -> None:
    # Læsø 1.800: Fanø, Samsø, Ærø, Langeland, Dragør, Vallensbæk, Lemvig, Morsø, Struer,
    # then six kommuner at 24.000 (161, 183, 269, 336, 440, 727): the lowest code wins
    assert peer_group(825) == [563, 741, 492, 482, 155, 187, 665, 773, 671, 161]
    assert peer_group(825, size=12)[-3:] == [161, 183, 269]


def test_peer_group_ties_equal_population_ratios_despite_rounding_noise() -> None:
    # Furesø 42.000: Kalundborg 49.000 and Ringsted 36.000 are equally far (49/42 = 42/36),
    # though in floating point ln(49/42) comes out larger; the lower code (326) goes first
    group = peer_group(190, size=97)
    assert group.index(326) + 1 == group.index(329)


def test_peer_group_excludes_the_kommune_and_checks_size() -> None:
    assert NORDDJURS not in peer_group(NORDDJURS, size=97)
    assert len(peer_group(NORDDJURS, size=97)) == 97
    for size in (0, 98):
        with pytest.raises(ValueError, match="size"):
            peer_group(NORDDJURS, size=size)
    assert "10 kommuner" in sentences.PEER_GROUP_EXPLANATION


# --- provisions -------------------------------------------------------------------------


def provision_data() -> Dataset:
    """Norddjurs 2023 by provision: § 41 3 of 6, § 42 6 of 12, § 32 1 of 2, § 36 0 of 2;
    Aarhus § 41 (not Norddjurs'); national rows for § 41 (40 of 100) and § 42 (30 of 50)."""
    rows = [
        (2023, NORDDJURS, BH, "SEL § 41", 3, 2, 1, 1),
        (2023, NORDDJURS, BH, "SEL § 42", 6, 4, 2, 0),
        (2023, NORDDJURS, BH, "SEL § 36", 2, 0, 0, 0),
        (2023, NORDDJURS, BH, "SEL § 32", 1, 0, 1, 0),
        (2023, 751, BH, "SEL § 41", 20, 10, 0, 0),
    ]
    national = [(2023, BH, "SEL § 41", 60, 30, 10, 5), (2023, BH, "SEL § 42", 20, 20, 10, 0)]
    return counts_dataset(rows, national, columns=WITH_PROVISION)


def test_provision_breakdown_sorts_by_cases_with_national_rate() -> None:
    # sorted by cases 12, 6, 2, 2; the two with 2 cases by paragraf (§ 32 before § 36)
    table = provision_breakdown(provision_data(), NORDDJURS, BH, 2023)
    assert table["paragraf"].tolist() == ["SEL § 42", "SEL § 41", "SEL § 32", "SEL § 36"]
    assert table["realitetsbehandlede"].tolist() == [12, 6, 2, 2]
    assert table["omgjort"].tolist() == [6, 3, 1, 0]
    assert table["afvist"].tolist() == [0, 1, 0, 0]
    assert table["landsniveau"].tolist()[:2] == pytest.approx([30 / 50, 40 / 100])
    assert table["landsniveau"].iloc[2:].isna().all()
    assert table["faa_sager"].tolist() == [False, True, True, True]
    assert {"omgoerelsesprocent", "omgoerelse_nedre", "omgoerelse_oevre"} <= set(table.columns)


def test_provision_breakdown_of_a_single_provision() -> None:
    table = provision_breakdown(provision_data(), NORDDJURS, "SEL § 41", 2023)
    assert table["paragraf"].tolist() == ["SEL § 41"]
    assert table["omgjort"].tolist() == [3]


def test_provision_breakdown_without_paragraf_column_is_empty_with_same_columns() -> None:
    with_provisions = provision_breakdown(provision_data(), NORDDJURS, BH, 2023)
    without = provision_breakdown(ranking_data(), 101, BH, 2023)
    assert without.empty
    assert without.columns.tolist() == with_provisions.columns.tolist()
    assert provision_breakdown(provision_data(), 101, BH, 2023).empty  # no cases at all


def test_unknown_year_is_an_error() -> None:
    with pytest.raises(OmgError, match="Året 2030 findes ikke"):
        provision_breakdown(provision_data(), NORDDJURS, BH, 2030)


# --- case count -------------------------------------------------------------------------


def case_count_data() -> Dataset:
    """Norddjurs: no rows in 2022 (Aarhus only), 28 sager in 2023, 34 in 2024, 1 in 2025;
    afviste are not counted."""
    return counts_dataset(
        [
            (2022, 751, BH, 5, 5, 0, 0),
            (2023, NORDDJURS, BH, 20, 6, 2, 3),
            (2024, NORDDJURS, BH, 20, 10, 4, 9),
            (2025, NORDDJURS, BH, 1, 0, 0, 0),
        ]
    )


def test_case_count_change_against_the_year_before() -> None:
    # 28 -> 34: +6 / 28 = +21 %
    change = case_count_change(case_count_data(), NORDDJURS, BH, 2024)
    assert (change.this_year, change.previous_year) == (34, 28)
    assert change.change == pytest.approx(6 / 28)
    assert (
        sentences.case_count_change(change)
        == "34 realitetsbehandlede sager i 2024 mod 28 i 2023 (+21 %)."
    )
    # 34 -> 1: -33 / 34 = -97 %
    fall = case_count_change(case_count_data(), NORDDJURS, BH, 2025)
    assert (
        sentences.case_count_change(fall)
        == "1 realitetsbehandlet sag i 2025 mod 34 i 2024 (-97 %)."
    )


def test_case_count_change_from_zero_and_without_previous_year() -> None:
    from_zero = case_count_change(case_count_data(), NORDDJURS, BH, 2023)
    assert (from_zero.previous_year, from_zero.change) == (0, None)
    assert (
        sentences.case_count_change(from_zero)
        == "28 realitetsbehandlede sager i 2023 mod ingen i 2022."
    )
    first = case_count_change(case_count_data(), NORDDJURS, BH, 2022)
    assert (first.this_year, first.previous_year, first.change) == (0, None, None)
    assert (
        sentences.case_count_change(first)
        == "Ingen realitetsbehandlede sager i 2022; 2021 findes ikke i datafilen."
    )


# --- demo data --------------------------------------------------------------------------


def test_demo_rank_agrees_with_rate_distribution(demo: Dataset) -> None:
    result = rank(demo, NORDDJURS, BH, 2024)
    ranked = rate_distribution(demo, BH, 2024).set_index("kommunekode")
    assert result.position == ranked.loc[NORDDJURS, "rang"]
    assert result.of + result.unranked == 98
    assert "Halvdelen af de" in sentences.rate_spread(rate_spread(demo, BH, 2024))


def test_demo_outcomes_and_region_match_the_national_and_kommune_tables(demo: Dataset) -> None:
    national = national_by_year(demo, BH).set_index("aar").loc[2024]
    outcomes = outcome_distribution(demo, NORDDJURS, BH, 2024)
    assert outcomes.groupby("hvem")["andel"].sum().tolist() == pytest.approx([1.0, 1.0])
    on_merits = outcomes.loc[
        (outcomes["hvem"] == "Hele landet") & (outcomes["udfald"] != OUTCOME_LABELS["afvist"])
    ]
    assert on_merits["antal"].sum() == national["realitetsbehandlede"]
    regions = region_comparison(demo, NORDDJURS, BH, 2024).set_index("niveau")
    table = kommune_table(demo, BH, 2024)
    midtjylland = table["kommunekode"].isin(
        registry.kommuner().query("regionskode == 1082")["kommunekode"]
    )
    assert regions.loc["region", "omgjort"] == table.loc[midtjylland, "omgjort"].sum()
    assert regions.loc["landet", "omgoerelsesprocent"] == pytest.approx(
        national["omgoerelsesprocent"]
    )


def test_demo_provisions_add_up_to_the_area(demo: Dataset) -> None:
    table = kommune_table(demo, BH, 2024).set_index("kommunekode")
    for kommune in (NORDDJURS, 751):
        provisions = provision_breakdown(demo, kommune, BH, 2024)
        assert provisions["omgjort"].sum() == table.loc[kommune, "omgjort"]
        assert provisions["realitetsbehandlede"].sum() == table.loc[kommune, "realitetsbehandlede"]
        assert provisions["landsniveau"].notna().all()  # all 98 kommuner in the file
    change = case_count_change(demo, NORDDJURS, BH, 2024)
    assert change.this_year == table.loc[NORDDJURS, "realitetsbehandlede"]
