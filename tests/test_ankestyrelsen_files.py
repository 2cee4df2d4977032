"""Files in the shapes Ankestyrelsen's statistics export, and the area rules on real
provisions: provision text as the statistics write it, instance rows that are not
kommuner, total rows and percentages checked against the counts, the portal's raw
variable names, provisions outside the registry, and precedence per area.

Every fixture is hand-made here in the portal's shapes (long form; the wide two-header
form is tested in test_sources_wide.py and, end to end, below)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import omglib
from omglib import registry
from omglib.cli import main
from omglib.io.readers import cases_to_dataset, read_cases
from omglib.learning.analyses import learning_cases
from tests.helpers.files import data_error, only_problem, write_csv, write_xlsx
from tests.helpers.portal import BODY, FOOTER, MEASURES, YEARS, portal_xlsx

PORTAL_TITLE = "Ankestyrelsens statistik: Afgørelser pr. instans og sagsemne"
PORTAL_HEADER = [
    "År",
    "Instans",
    "Sagsemne",
    "Antal sager i alt",
    "Afvisning/henvisning",
    "Stadfæstelse",
    "Hjemvisning",
    "Ændring/ophævelse",
]
SUBJECT_41 = "Serviceloven § 41 - Merudgifter til børn"
SUBJECT_192 = "Serviceloven § 192 - Særlige regler"


def portal_rows() -> list[list[object]]:
    """Two kommuner, a region, the fællesskaber, "I alt" and "Hele landet", each with two
    subjects and an "I alt" subject row that is the sum of the two."""
    rows: list[list[object]] = []
    instances = {
        "Århus": ((1, 5, 2, 1), (0, 3, 1, 0)),
        "Bornholm": ((0, 2, 0, 1), (1, 1, 0, 0)),
        "Region Hovedstaden": ((0, 1, 0, 0), (0, 0, 0, 0)),
        "Kommunale fællesskaber": ((0, 1, 1, 0), (0, 0, 0, 0)),
    }
    for instance, (s41, s192) in instances.items():
        rows += instance_rows(instance, s41, s192)
    i_alt_41 = tuple(sum(v[0][i] for v in instances.values()) for i in range(4))
    i_alt_192 = tuple(sum(v[1][i] for v in instances.values()) for i in range(4))
    rows += instance_rows("I alt", i_alt_41, i_alt_192)
    rows += instance_rows("Hele landet", (40, 300, 60, 40), (20, 100, 20, 10))
    return rows


def instance_rows(instance: str, s41: Sequence[int], s192: Sequence[int]) -> list[list[object]]:
    both = [a + b for a, b in zip(s41, s192, strict=True)]
    return [
        [2023, instance, SUBJECT_41, sum(s41), *s41],
        [2023, instance, SUBJECT_192, sum(s192), *s192],
        [2023, instance, "I alt", sum(both), *both],
    ]


def counts_of(
    dataset: omglib.Dataset, area: str, year: int = 2023
) -> dict[int, tuple[int, int, int]]:
    """Per kommune: stadfæstet, hjemvist, ændret/ophævet in the area and year."""
    frame = dataset.select(area, year)
    return {
        int(row["kommunekode"]): (
            int(row["stadfaestet"]),
            int(row["hjemvist"]),
            int(row["aendret_ophaevet"]),
        )
        for row in frame.to_dict("records")
    }


AARHUS, BORNHOLM = 751, 400


# --- provision text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year", "law", "expected", "known"),
    [
        ("Serviceloven § 41 - Merudgifter til børn", 2023, "", "SEL § 41", True),
        ("Merudgifter til børn  -  Serviceloven § 41", 2023, "", "SEL § 41", True),
        ("Barnets lov § 86 - Merudgifter", 2024, "", "BL § 86", True),
        ("Lov om social service § 52, stk. 3", 2023, "", "SEL § 52, stk. 3", True),
        ("SEL § 41, stk. 1", 2023, "", "SEL § 41", True),
        ("Servicelovens § 42, stk. 1, nr. 2", 2022, "", "SEL § 42", True),
        ("§ 41", 2023, "Serviceloven", "SEL § 41", True),
        ("§ 86", 2024, "Barnets lov", "BL § 86", True),
        ("§ 41 i serviceloven", 2023, "", "SEL § 41", True),
        ("Retssikkerhedsloven § 9 a", 2023, "", "RSL § 9a", True),
        ("SEL § 192 - Særlige regler", 2023, "", "SEL § 192", False),
        ("Barnets lov § 300", 2024, "", "BL § 300", False),
    ],
)
def test_provision_text_as_the_statistics_write_it(
    text: str, year: int, law: str, expected: str, known: bool
) -> None:
    provision = registry.resolve_provision(text, year, law)
    assert (provision.id, provision.in_registry) == (expected, known)


def test_subject_text_is_the_label_of_a_provision_outside_the_registry() -> None:
    assert registry.resolve_provision("SEL § 192 - Særlige regler", 2023).label == "Særlige regler"
    assert registry.resolve_provision("Særlige regler  -  SEL § 192", 2023).label == (
        "Særlige regler"
    )
    registry_label = registry.resolve_provision("SEL § 41 - Noget andet", 2023).label
    assert registry_label == registry.provision_label("SEL § 41") != "Noget andet"


@pytest.mark.parametrize(
    ("text", "year", "law", "fragment"),
    [
        ("Sundhedsloven § 41", 2023, "", "ukendt lov 'Sundhedsloven'"),
        ("Merudgifter til børn", 2023, "", "ukendt paragraf"),
        ("SEL § 41", 2023, "Barnets lov", "lovkolonnen siger 'Barnets lov'"),
        ("BL § 300", 2023, "", "barnets lov gælder fra 2024"),
        ("SEL § 41", 2024, "", "fra 2024 hedder den BL § 86"),
    ],
)
def test_provision_errors_say_what_was_expected(
    text: str, year: int, law: str, fragment: str
) -> None:
    with pytest.raises(omglib.OmgError) as caught:
        registry.resolve_provision(text, year, law)
    assert fragment.lower() in str(caught.value).lower()


def test_stk_counts_under_the_provision_unless_the_registry_names_it() -> None:
    assert registry.provision_id("SEL § 41, stk. 2", 2023) == "SEL § 41"
    assert registry.provision_id("SEL § 52, stk. 3", 2023) == "SEL § 52, stk. 3"
    assert registry.provision_id("SEL § 52, stk. 1", 2023) == "SEL § 52"


# --- the børnehandicap definition ----------------------------------------------------------


def test_boernehandicap_is_the_ministrys_definition() -> None:
    expected = {f"SEL § {n}" for n in ("32", "32a", "36", "39", "40", "41", "42", "43", "44", "45")}

    def in_area(year: int) -> set[str]:
        provisions = set(registry.provisions()["paragraf"])
        return {p for p in provisions if registry.handicap_area(p, year) == "boernehandicap"}

    for year in (2017, 2020, 2023):
        assert in_area(year) == expected
    assert in_area(2024) and all(p.startswith("BL § ") for p in in_area(2024))


def test_every_registry_row_names_a_public_source() -> None:
    table = registry.provisions()
    assert (table["kilde"].str.strip() != "").all()
    assert not table["kilde"].str.contains("BRIEF|/work/", regex=True).any()
    assert set(table["verificeret"]) <= {"ja", "nej"}


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Århus", 751),
        ("Ålborg", 851),
        ("Nordfyns", 480),
        ("Vesthimmerlands", 820),
        ("Bornholm", 400),
        ("Aarhus Kommune", 751),
        ("Bornholm Kommune", 400),
        ("Københavns Kommune", 101),
        ("751", 751),
    ],
)
def test_instances_as_the_portal_names_them(written: str, code: int) -> None:
    assert registry.kommune_code(written) == code


# --- instances that are not kommuner, total rows -------------------------------------------


@pytest.mark.parametrize("kind", ["csv-cp1252", "csv-utf8-comma", "tab", "xlsx"])
def test_portal_table_sets_aside_regions_faellesskaber_and_totals(
    tmp_path: Path, kind: str
) -> None:
    rows = portal_rows()
    if kind == "xlsx":
        path = write_xlsx(tmp_path, PORTAL_HEADER, rows, title=PORTAL_TITLE)
    else:
        sep, encoding = {
            "csv-cp1252": (";", "cp1252"),
            "csv-utf8-comma": (",", "utf-8"),
            "tab": ("\t", "utf-8"),
        }[kind]
        path = write_csv(
            tmp_path, PORTAL_HEADER, rows, sep=sep, encoding=encoding, title=PORTAL_TITLE
        )
    dataset = omglib.read_data(path)
    assert counts_of(dataset, "socialomraadet") == {AARHUS: (8, 3, 1), BORNHOLM: (3, 0, 1)}
    assert counts_of(dataset, "boernehandicap") == {AARHUS: (5, 2, 1), BORNHOLM: (2, 0, 1)}
    national = dataset.national
    social = national[national["omraade"] == "socialomraadet"][["stadfaestet", "hjemvist"]].sum()
    assert social.tolist() == [400, 80]
    assert len([note for note in dataset.notes if note.startswith("Lagt til side")]) == 1


def test_set_aside_note_counts_each_kind_once(tmp_path: Path) -> None:
    dataset = omglib.read_data(write_csv(tmp_path, PORTAL_HEADER, portal_rows()))
    (note,) = [n for n in dataset.notes if n.startswith("Lagt til side")]
    # a region's own "I alt" subject row counts as a region row; "I alt" as instance (3
    # rows) and as subject of Århus, Bornholm and Hele landet (3 rows) are totals
    assert note == (
        "Lagt til side (ikke kommuner eller paragraffer, ikke talt med): 3 rækker for "
        "regioner, 3 rækker for kommunale fællesskaber, 6 'I alt'-rækker (summer, som "
        "kontrolleres mod deres dele)"
    )


def test_region_names_without_region_prefix_are_regions(tmp_path: Path) -> None:
    rows = [row for row in portal_rows() if row[1] != "Region Hovedstaden"]
    rows += instance_rows("Hovedstaden", (0, 0, 0, 0), (0, 0, 0, 0))
    rows = [row for row in rows if row[1] != "I alt"]
    dataset = omglib.read_data(write_csv(tmp_path, PORTAL_HEADER, rows))
    assert set(counts_of(dataset, "socialomraadet")) == {AARHUS, BORNHOLM}


def test_total_instance_row_that_does_not_add_up_is_reported(tmp_path: Path) -> None:
    rows = portal_rows()
    total = next(i for i, row in enumerate(rows) if row[1] == "I alt" and row[2] == SUBJECT_41)
    rows[total][6] = int(str(rows[total][6])) + 1  # Hjemvisning
    rows[total][3] = int(str(rows[total][3])) + 1  # Antal sager i alt, so the row agrees
    error = data_error(omglib.read_counts, write_csv(tmp_path, PORTAL_HEADER, rows))
    messages = {(p.row, p.column): p.message for p in error.problems}
    assert set(messages) == {(total + 3, "Hjemvisning"), (total + 3, "Antal sager i alt")}
    expected = "'I alt'-rækken passer ikke med summen af rækkerne for de 4 instanser, som giver 3"
    assert messages[(total + 3, "Hjemvisning")] == expected


def test_total_subject_row_that_does_not_add_up_is_reported(tmp_path: Path) -> None:
    rows = portal_rows()
    total = next(i for i, row in enumerate(rows) if row[1] == "Århus" and row[2] == "I alt")
    rows[total][5] = int(str(rows[total][5])) - 1  # Stadfæstelse
    rows[total][3] = int(str(rows[total][3])) - 1
    error = data_error(omglib.read_counts, write_csv(tmp_path, PORTAL_HEADER, rows))
    messages = {(p.row, p.column): p.message for p in error.problems}
    assert (total + 3, "Stadfæstelse") in messages
    assert "de 2 sagsemner, som giver 8" in messages[(total + 3, "Stadfæstelse")]


def test_cases_and_volumes_from_a_region_are_errors(tmp_path: Path) -> None:
    header = ["Sags-id", "Instans", "År", "Paragraf", "Udfald"]
    rows = [
        ["A1", "Aarhus", 2023, "SEL § 41", "Hjemvist"],
        ["A2", "Region Sjælland", 2023, "SEL § 41", "Stadfæstet"],
    ]
    error = data_error(omglib.read_cases, write_csv(tmp_path, header, rows))
    problem = only_problem(error)
    assert (problem.row, problem.column, problem.value) == (4, "Instans", "Region Sjælland")
    assert "er ikke en kommune" in problem.message


# --- percentages and totals ---------------------------------------------------------------


PERCENT_HEADER = [
    "År",
    "Instans",
    "Sagsemne",
    "Realitetsbehandlede sager i alt",
    "Stadfæstede sager",
    "Hjemviste sager",
    "Ændrede/ophævede sager",
    "Afviste sager",
    "Omgørelsesprocent",
]


def test_percentages_and_on_merits_totals_that_agree_are_read(tmp_path: Path) -> None:
    rows = [
        [2023, "Aarhus", SUBJECT_41, 7, 4, 2, 1, 1, "42,9"],
        [2023, "Aarhus", SUBJECT_192, ".", ".", ".", ".", 2, "."],
        [2023, "Hele landet", SUBJECT_41, 3, 2, 1, ".", ".", "33 %"],
    ]
    dataset = omglib.read_counts(write_csv(tmp_path, PERCENT_HEADER, rows))
    social = dataset.counts[dataset.counts["omraade"] == "socialomraadet"]
    assert social.set_index("paragraf")[["stadfaestet", "afvist"]].to_dict("index") == {
        "SEL § 41": {"stadfaestet": 4, "afvist": 1},
        "SEL § 192": {"stadfaestet": 0, "afvist": 2},
    }
    assert "procent_omgjort" not in dataset.counts.columns


@pytest.mark.parametrize(
    ("cells", "column", "fragment"),
    [
        (
            (7, 4, 2, 1, 1, "43,1"),
            "Omgørelsesprocent",
            "(Hjemviste sager + Ændrede/ophævede sager)",
        ),
        ((7, 4, 2, 1, 1, "."), "Omgørelsesprocent", "mangler procentsatsen"),
        ((8, 4, 2, 1, 1, "42,9"), "Realitetsbehandlede sager i alt", "som giver 7"),
        ((".", ".", ".", ".", 1, "12,5"), "Omgørelsesprocent", "ingen realitetsbehandlede sager"),
        ((7, 4, 2, 1, 1, "mange"), "Omgørelsesprocent", "er ikke en procentsats"),
    ],
)
def test_percentages_and_totals_that_disagree_are_reported(
    tmp_path: Path, cells: tuple[object, ...], column: str, fragment: str
) -> None:
    rows = [[2023, "Aarhus", SUBJECT_41, *cells]]
    error = data_error(omglib.read_counts, write_csv(tmp_path, PERCENT_HEADER, rows))
    problem = only_problem(error)
    assert (problem.file, problem.row, problem.column) == ("data.csv", 3, column)
    assert fragment in problem.message


def test_percentage_within_a_tenth_of_a_point_is_accepted(tmp_path: Path) -> None:
    # 3 of 7 is 42,857 %: 42,8 and 42,9 are both within 0,1 point
    for written in ("42,8", "42,9", "43"):
        rows = [[2023, "Aarhus", SUBJECT_41, 7, 4, 2, 1, 1, written]]
        omglib.read_counts(write_csv(tmp_path, PERCENT_HEADER, rows))


# --- the portal's raw variable names, a separate law column --------------------------------


def test_raw_variable_names_and_law_column(tmp_path: Path) -> None:
    header = [
        "Aar",
        "Instans",
        "Lovgrundlag",
        "Paragraf",
        "Antal_sager_ialt",
        "Afvisning.Henvisning",
        "Stadfæstelse",
        "Hjemvisning",
        "Ændring.Ophævelse",
    ]
    rows = [
        [2023, "Aarhus Kommune", "Serviceloven", "§ 41", 9, 1, 5, 2, 1],
        [2023, "Københavns Kommune", "Lov om social service", "§ 41, stk. 1", 4, 0, 4, 0, 0],
        [2024, "Ålborg", "Barnets lov", "§ 86", 3, 0, 1, 1, 1],
    ]
    dataset = omglib.read_counts(write_csv(tmp_path, header, rows))
    bh = dataset.counts[dataset.counts["omraade"] == "boernehandicap"]
    assert bh.set_index(["aar", "kommunekode"])["paragraf"].to_dict() == {
        (2023, 101): "SEL § 41",
        (2023, 751): "SEL § 41",
        (2024, 851): "BL § 86",
    }


def test_law_column_that_contradicts_the_provision_is_an_error(tmp_path: Path) -> None:
    header = [
        "År",
        "Kommune",
        "Lov",
        "Paragraf",
        "Stadfæstelse",
        "Hjemvisning",
        "Ændring/ophævelse",
    ]
    rows = [[2023, "Aarhus", "Barnets lov", "SEL § 41", 1, 1, 1]]
    problem = only_problem(data_error(omglib.read_counts, write_csv(tmp_path, header, rows)))
    assert (problem.row, problem.column, problem.value) == (3, "Paragraf", "SEL § 41")
    assert "lovkolonnen siger 'Barnets lov'" in problem.message


# --- provisions outside the registry ---------------------------------------------------------


def test_barnets_lov_before_2024_is_an_error_with_its_row(tmp_path: Path) -> None:
    header = ["År", "Instans", "Sagsemne", "Stadfæstelse", "Hjemvisning", "Ændring/ophævelse"]
    rows = [[2023, "Aarhus", "Barnets lov § 300 - Noget nyt", 1, 0, 0]]
    problem = only_problem(data_error(omglib.read_counts, write_csv(tmp_path, header, rows)))
    assert (problem.row, problem.column) == (3, "Sagsemne")
    assert "barnets lov gælder fra 2024" in problem.message


def test_unregistered_provisions_are_named_in_one_note(tmp_path: Path) -> None:
    header = ["År", "Instans", "Sagsemne", "Stadfæstelse", "Hjemvisning", "Ændring/ophævelse"]
    rows = [
        [2023, "Aarhus", SUBJECT_41, 5, 2, 1],
        [2023, "Aarhus", "Serviceloven § 192 - Særlige regler", 3, 1, 0],
        [2024, "Aarhus", "Barnets lov § 300", 2, 0, 1],
    ]
    dataset = omglib.read_counts(write_csv(tmp_path, header, rows))
    assert counts_of(dataset, "socialomraadet") == {AARHUS: (8, 3, 1)}
    assert counts_of(dataset, "socialomraadet", 2024) == {AARHUS: (2, 0, 1)}
    assert counts_of(dataset, "boernehandicap") == {AARHUS: (5, 2, 1)}
    (note,) = [n for n in dataset.notes if "uden for registret" in n]
    assert note == (
        "2 paragraffer uden for registret er kun talt med i socialområdet: BL § 300, "
        "SEL § 192 (Særlige regler)"
    )
    assert dataset.provision_label("SEL § 192") == "Særlige regler"
    assert dataset.provision_label("SEL § 41") == registry.provision_label("SEL § 41")


def test_validate_prints_the_notes(tmp_path: Path) -> None:
    path = write_csv(tmp_path, PORTAL_HEADER, portal_rows())
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "uden for registret er kun talt med i socialområdet: SEL § 192" in result.output
    assert "Lagt til side" in result.output


# --- precedence within each area -------------------------------------------------------------


CASE_HEADER = ["Sags-id", "Kommune", "År", "Paragraf", "Udfald"]


def case_file(tmp_path: Path, rows: list[list[object]]) -> Path:
    return write_csv(tmp_path, CASE_HEADER, rows, name="sager.csv")


def outcome_per_area(path: Path) -> dict[tuple[str, str], str]:
    cases = learning_cases(read_cases(path)).frame
    return {(row["sag_id"], row["omraade"]): str(row["udfald"]) for row in cases.to_dict("records")}


def test_two_remands_count_as_remanded_in_both_areas(tmp_path: Path) -> None:
    path = case_file(
        tmp_path,
        [
            ["S1", "Aarhus", 2024, "BL § 86", "Hjemvisning"],
            ["S1", "Aarhus", 2024, "BL § 32", "Hjemvisning"],
        ],
    )
    assert outcome_per_area(path) == {
        ("S1", "socialomraadet"): "hjemvist",
        ("S1", "boernehandicap"): "hjemvist",
    }
    dataset = cases_to_dataset(read_cases(path))
    assert counts_of(dataset, "boernehandicap", 2024) == {AARHUS: (0, 1, 0)}
    assert counts_of(dataset, "socialomraadet", 2024) == {AARHUS: (0, 1, 0)}


def test_precedence_is_applied_within_each_area(tmp_path: Path) -> None:
    path = case_file(
        tmp_path,
        [
            ["S2", "Aarhus", 2023, "SEL § 52, stk. 3", "Ændring"],
            ["S2", "Aarhus", 2023, "SEL § 41", "Hjemvisning"],
            ["S5", "Aarhus", 2023, "SEL § 41", "Stadfæstelse"],
        ],
    )
    assert outcome_per_area(path) == {
        ("S2", "socialomraadet"): "aendret",
        ("S2", "boernehandicap"): "hjemvist",
        ("S5", "socialomraadet"): "stadfaestet",
        ("S5", "boernehandicap"): "stadfaestet",
    }
    dataset = cases_to_dataset(read_cases(path))
    assert counts_of(dataset, "socialomraadet") == {AARHUS: (1, 0, 1)}
    assert counts_of(dataset, "boernehandicap") == {AARHUS: (1, 1, 0)}
    # SEL § 41 on its own: the remand of S2 is not hidden by its ændring elsewhere
    assert counts_of_provision(dataset, "SEL § 41") == (1, 1, 0)


def counts_of_provision(dataset: omglib.Dataset, provision: str) -> tuple[int, int, int]:
    row = dataset.select(provision).iloc[0]
    return int(row.stadfaestet), int(row.hjemvist), int(row.aendret_ophaevet)


def test_a_case_counts_once_per_area_it_touches(tmp_path: Path) -> None:
    path = case_file(
        tmp_path,
        [
            ["S3", "Aarhus", 2023, "SEL § 41", "Stadfæstelse"],
            ["S3", "Aarhus", 2023, "SEL § 42", "Hjemvisning"],
            ["S3", "Aarhus", 2023, "SEL § 192", "Stadfæstelse"],
            ["S4", "Aarhus", 2023, "SEL § 192", "Ændring"],
        ],
    )
    dataset = cases_to_dataset(read_cases(path))
    assert counts_of(dataset, "socialomraadet") == {AARHUS: (0, 1, 1)}
    assert counts_of(dataset, "boernehandicap") == {AARHUS: (0, 1, 0)}


def test_remand_detail_is_accepted_when_the_case_is_remanded_in_one_area(
    tmp_path: Path,
) -> None:
    header = [*CASE_HEADER, "Opfølgning"]
    rows = [
        ["S2", "Aarhus", 2023, "SEL § 52, stk. 3", "Ændring", ""],
        ["S2", "Aarhus", 2023, "SEL § 41", "Hjemvisning", "Afgørelse fastholdt"],
    ]
    cases = learning_cases(read_cases(write_csv(tmp_path, header, rows)))
    assert cases.remands(AARHUS, "boernehandicap")["sag_id"].tolist() == ["S2"]
    assert cases.remands(AARHUS, "socialomraadet").empty


def test_tables_are_equal_when_read_from_csv_and_xlsx(tmp_path: Path) -> None:
    from_csv = omglib.read_counts(write_csv(tmp_path, PORTAL_HEADER, portal_rows()))
    from_xlsx = omglib.read_counts(write_xlsx(tmp_path, PORTAL_HEADER, portal_rows()))
    pd.testing.assert_frame_equal(from_csv.counts, from_xlsx.counts)
    pd.testing.assert_frame_equal(from_csv.national, from_xlsx.national)


# --- wide export, end to end -----------------------------------------------------------------


def test_validate_and_rates_give_the_same_figures_wide_and_long(tmp_path: Path) -> None:
    """The portal's wide two-header-row XLSX and the same data in long form."""
    national = ["SEL § 41", "Hele landet", 30, 40, 10, 12, 5, 6, 15 / 45, 18 / 58]
    body = [*BODY, national]
    wide = portal_xlsx(tmp_path, body, name="ANKEAST3.xlsx")
    long_rows = [
        [row[0], row[1], year, *(row[2 + 2 * m + i] for m in range(3)), percent(row[8 + i])]
        for row in body
        for i, year in enumerate(YEARS)
    ]
    header = ["Sagsemne", "Instans", "År", *MEASURES]
    long = write_csv(tmp_path, header, long_rows, name="lang.csv", footer=FOOTER)

    validated = {path: cli_output("validate", str(path)) for path in (wide, long)}
    assert lines_without(validated[wide], wide.name) == lines_without(validated[long], long.name)
    assert "rækker for 'Hele landet': 4" in validated[wide]  # 2 years × 2 areas
    for kommune, area in (("Norddjurs", "boernehandicap"), ("all", "socialomraadet")):
        wide_rates, long_rates = (
            cli_output("rates", "--data", str(path), "--kommune", kommune, "--area", area)
            for path in (wide, long)
        )
        assert lines_without(wide_rates, wide.name) == lines_without(long_rates, long.name)
    figures = json.loads(
        cli_output(
            *("rates", "--data", str(wide), "--kommune", "Norddjurs", "--area", "SEL § 41"),
            *("--year", "2023", "--format", "json"),
        )
    )
    assert (figures["tal"]["realitetsbehandlede"], figures["tal"]["omgjort"]) == (8, 3)
    assert figures["landstal"]["realitetsbehandlede"] == 58


def cli_output(*arguments: str) -> str:
    if arguments[0] == "rates" and "--year" not in arguments:
        arguments = (*arguments, "--year", "2023")
    result = CliRunner().invoke(main, list(arguments))
    assert result.exit_code == 0, result.output
    return result.output


def lines_without(text: str, name: str) -> list[str]:
    """The output's lines, without those naming the file (its name and hash)."""
    return [line for line in text.splitlines() if name not in line]


def percent(value: object) -> str:
    return "." if value == "." else f"{100 * float(str(value)):.2f}".replace(".", ",")
