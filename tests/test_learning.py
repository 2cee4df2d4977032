"""The learning loop: case details read and checked, CPR numbers kept out, and the
analyses on hand-made cases with known answers."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from omglib import demodata, read_cases, read_volumes, registry
from omglib.errors import DataError, OmgError
from omglib.io.privacy import Pseudonyms, find_cpr, hide_cpr
from omglib.learning import analyses
from omglib.learning import charts as learning_charts
from omglib.learning.knowledgebank import knowledge_bank
from omglib.present.narrative import report_date

HEADER = [
    "Sags-id",
    "Kommunekode",
    "Afgørelsesdato",
    "Paragraf",
    "Udfald",
    "Årsag",
    "Kun del af afgørelsen",
    "Familie",
    "Opfølgning",
    "Opfølgningsdato",
    "Læringspunkt",
]
# Norddjurs, børnehandicap 2024: 6 cases; 4 overturned (2 remands), 1 stadfæstet, 1 afvist.
ROWS = [
    ["S1", 707, "2024-02-01", "BL § 86", "Hjemvisning", "Oplysningsgrundlag", "ja", "F1",
     "Til fordel for borgeren", "2024-05-01", "Lægeerklæringen var for gammel."],
    ["S1", 707, "2024-02-01", "BL § 86", "Stadfæstelse", "", "", "", "", "", ""],
    ["S2", 707, "2024-03-01", "BL § 86", "Hjemvisning", "Oplysningsgrundlag | Begrundelse",
     "nej", "F1", "Afventer", "", "Skolens udtalelse manglede."],
    ["S3", 707, "2024-04-01", "BL § 87", "Ændring", "Mangelfuld begrundelse", "", "F2", "", "",
     "Begrundelsen var for kort."],
    ["S4", 707, "2024-05-01", "BL § 87", "Ophævelse", "", "", "", "", "", ""],
    ["S5", 707, "2024-06-01", "BL § 87", "Stadfæstelse", "", "", "F3", "", "", ""],
    ["S6", 707, "2024-07-01", "BL § 87", "Afvisning", "", "", "F3", "", "", ""],
]  # fmt: skip


def write_cases(tmp_path: Path, rows: list[list[object]], name: str = "sager.csv") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows([[str(cell) for cell in row] for row in rows])
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        read_cases(path)
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def cases(tmp_path: Path) -> analyses.LearningCases:
    return analyses.learning_cases(read_cases(write_cases(tmp_path, ROWS)))


# --- CPR numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Ring til borger 010203-1234 i morgen", ["010203-1234"]),
        ("CPR 0102031234.", ["0102031234"]),
        ("290200-1234 er en skuddag", ["290200-1234"]),
        ("320103-1234 er ikke en dato", []),
        ("011303-1234 har ingen 13. måned", []),
        ("Sag D2022-461-01158 fra 2024-03-01", []),
        ("Telefon 12345678, konto 12345678901", []),
    ],
)
def test_cpr_numbers_are_found_only_with_a_real_date(text: str, found: list[str]) -> None:
    assert find_cpr(text) == found


def test_masking_gives_each_number_its_own_pseudonym() -> None:
    pseudonyms = Pseudonyms()
    assert pseudonyms.mask("010203-1234 og 0102031234") == "[CPR 1] og [CPR 1]"
    assert pseudonyms.mask("050607-8901, 010203-1234") == "[CPR 2], [CPR 1]"
    assert hide_cpr("borger 010203-1234") == "borger ddmmåå-xxxx"


def test_cpr_in_a_learning_point_is_an_error_naming_row_and_column(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[2][10] = "Ring til mor (010203-1234) om skolen"
    found = problems(write_cases(tmp_path, rows))
    assert len(found) == 1
    assert "sager.csv, række 4, kolonne 'Læringspunkt'" in found[0]
    assert "CPR-nummer" in found[0] and "--mask-cpr" in found[0]
    assert "1234" not in found[0] and "ddmmåå-xxxx" in found[0]


def test_masking_replaces_cpr_numbers_before_anything_sees_them(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[2][10] = "Ring til mor (010203-1234) om skolen"
    rows[0][7] = rows[2][7] = "0102031234"  # a family keyed by CPR number
    table = read_cases(write_cases(tmp_path, rows), mask_cpr=True)
    text = table.partial_decisions.astype(str).to_csv()
    assert find_cpr(text) == []
    assert "Ring til mor ([CPR 1]) om skolen" in text
    profile = analyses.remand_profile(
        analyses.learning_cases(table), "Norddjurs", "boernehandicap", 2024
    )
    assert profile.families == 2  # S1 and S2 still one family, S3 another


# --- reading and checking the details -------------------------------------------------


def test_details_are_read_per_case(cases: analyses.LearningCases) -> None:
    frame = cases.select("Norddjurs", "boernehandicap", 2024).set_index("sag_id")
    assert frame.loc["S2", "aarsag"] == (
        "Utilstrækkeligt oplysningsgrundlag",
        "Mangelfuld begrundelse",
    )
    assert frame.loc["S1", "opfoelgning"] == "Ny afgørelse til fordel for borgeren"
    assert bool(frame.loc["S1", "kun_delvis"]) and not bool(frame.loc["S2", "kun_delvis"])
    assert frame.loc["S1", "udfald"] == "hjemvist"  # the stadfæstelse row does not count


def test_a_kommune_can_add_its_own_reasons(tmp_path: Path) -> None:
    extra = tmp_path / "aarsager.yaml"
    extra.write_text("aarsager:\n  Manglende lægeerklæring: [Lægeerklæring]\n", encoding="utf-8")
    rows = [list(r) for r in ROWS]
    rows[4][5] = "lægeerklæring"
    path = write_cases(tmp_path, rows)
    assert "ukendt årsag 'lægeerklæring'" in problems(path)[0]
    ranking = analyses.reasons_ranked(
        analyses.learning_cases(read_cases(path, extra_reasons=extra)), 707, "boernehandicap"
    )
    assert "Manglende lægeerklæring" in set(ranking.table["aarsag"])


def test_contradicting_details_are_errors_with_rows(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[4][5] = "Begrundelsen"  # unknown reason, close to a known one
    rows[5][5] = "Andet"  # a reason on a stadfæstet case
    rows[3][8] = "Fastholdt"  # follow-up on a changed (not remanded) case
    rows[1][7] = "F9"  # the same case with two family keys
    rows[0][9] = "2024-01-15"  # follow-up before the board's decision
    rows[2][6] = "måske"
    found = "\n".join(problems(write_cases(tmp_path, rows)))
    assert "række 6, kolonne 'Årsag': 'Begrundelsen': ukendt årsag" in found
    assert "mente du 'Mangelfuld begrundelse'?" in found
    assert (
        "række 7, kolonne 'Årsag': 'Andet': årsag til omgørelse er angivet, men sagen er stadfæstelse"
        in found
    )
    assert "række 5, kolonne 'Opfølgning'" in found and "gælder kun hjemviste sager" in found
    assert "række 3, kolonne 'Familie'" in found and "forskelligt" in found
    assert "række 2, kolonne 'Opfølgningsdato'" in found and "før Ankestyrelsens afgørelse" in found
    assert "række 4, kolonne 'Kun del af afgørelsen'" in found and "ja eller nej" in found


# --- analyses with known answers ------------------------------------------------------


def test_reasons_are_ranked_with_counts_and_shares(cases: analyses.LearningCases) -> None:
    ranking = analyses.reasons_ranked(cases, "Norddjurs", "boernehandicap", 2024)
    table = ranking.table
    assert table["aarsag"].tolist() == [
        "Mangelfuld begrundelse",  # S2, S3
        "Utilstrækkeligt oplysningsgrundlag",  # S1, S2 (tie broken alphabetically)
    ]
    assert table["sager"].tolist() == [2, 2]
    assert table["andel"].tolist() == pytest.approx([2 / 3, 2 / 3])  # of 3 cases with a reason
    assert table["kumuleret"].tolist() == pytest.approx([0.5, 1.0])
    assert (ranking.overturned, ranking.without_reason) == (4, 1)  # S4 has none
    assert "2 af 3 omgjorte sager med registreret årsag (66,7 %)" in ranking.text
    assert "1 omgjort sag har ingen registreret årsag." in ranking.text


def test_follow_up_of_remands(cases: analyses.LearningCases) -> None:
    result = analyses.follow_up(cases, "Norddjurs", "boernehandicap", 2024)
    assert result.remands == 2
    assert result.count("Ny afgørelse til fordel for borgeren") == 1
    assert result.count("Afventer") == 1
    assert result.table["sager"].sum() == 2
    assert result.text == (
        "Af 2 hjemviste sager endte 1 med en ny afgørelse til fordel for borgeren, "
        "mens 1 afventer en ny afgørelse."
    )


def follow_up_of(counts: dict[str, int]) -> analyses.FollowUp:
    labels = [*registry.follow_up_labels(), analyses.NOT_RECORDED]
    table = pd.DataFrame({"opfoelgning": labels, "sager": [counts.get(x, 0) for x in labels]})
    return analyses.FollowUp(table, sum(counts.values()))


def test_follow_up_sentence_accounts_for_every_remand() -> None:
    """As a kommune's own follow-up writes it: every remand in one sentence, "og" without
    a comma before it, and no outcome written as "0"."""
    result = follow_up_of(
        {
            "Ny afgørelse til fordel for borgeren": 5,
            "Ansøgning trukket tilbage": 1,
            "Afgørelse fastholdt": 8,
        }
    )
    assert result.text == (
        "Af 14 hjemviste sager endte 5 med en ny afgørelse til fordel for borgeren, 1 med at "
        "ansøgningen blev trukket tilbage og 8 med samme afgørelse."
    )
    pending = follow_up_of(
        {"Påklaget igen": 2, "Afventer": 3, analyses.NOT_RECORDED: 1, "Afgørelse fastholdt": 1}
    )
    assert pending.text == (
        "Af 7 hjemviste sager endte 1 med samme afgørelse og 2 med en ny klage til "
        "Ankestyrelsen, mens 3 afventer en ny afgørelse og 1 har ingen registreret opfølgning."
    )
    assert follow_up_of({"Afventer": 1}).text == "Den ene hjemviste sag afventer en ny afgørelse."
    assert follow_up_of({"Afventer": 2, analyses.NOT_RECORDED: 1}).text == (
        "Ingen af de 3 hjemviste sager er afgjort igen endnu: 2 afventer en ny afgørelse og "
        "1 har ingen registreret opfølgning."
    )
    assert " 0 " not in pending.text and ", og" not in result.text


def test_every_follow_up_label_has_its_wording() -> None:
    """A label added to data/laering.yaml without wording would drop remands from the
    sentence."""
    worded = set(analyses.ENDED_AS) | set(analyses.STILL_OPEN)
    assert set(registry.follow_up_labels()) <= worded


def test_partial_remands_and_families(cases: analyses.LearningCases) -> None:
    profile = analyses.remand_profile(cases, "Norddjurs", "boernehandicap", 2024)
    assert (profile.remands, profile.partial, profile.partial_known) == (2, 1, 2)
    assert (profile.overturned, profile.families, profile.without_family) == (4, 2, 1)
    assert "Af de 2 hjemvisninger, hvor det er oplyst, gjaldt 1 (50,0 %) kun en del" in profile.text
    assert "vedrører 2 familier" in profile.text


def test_provision_drilldown(cases: analyses.LearningCases) -> None:
    table = analyses.provision_drilldown(cases, "Norddjurs", "boernehandicap", 2024)
    provisions = table.set_index("paragraf").T  # a column per provision
    assert provisions["BL § 86"].tolist() == [2, 2, 2, "Utilstrækkeligt oplysningsgrundlag"]
    assert provisions["BL § 87"].tolist() == [3, 2, 0, "Mangelfuld begrundelse"]  # afvist left out


def test_a_file_without_reasons_says_so(tmp_path: Path) -> None:
    path = tmp_path / "kun-udfald.csv"
    path.write_text(
        "Sags-id;Kommunekode;Afgørelsesdato;Paragraf;Udfald\nS1;707;2024-02-01;BL § 86;Hjemvisning\n",
        encoding="utf-8",
    )
    plain = analyses.learning_cases(read_cases(path))
    with pytest.raises(OmgError, match="ingen kolonne 'Årsag'"):
        analyses.reasons_ranked(plain, 707, "boernehandicap")


def test_complaints_received_and_their_change(tmp_path: Path) -> None:
    path = tmp_path / "volumener.csv"
    path.write_text(
        "År;Kommunekode;Område;Afgørelser i alt;Klager modtaget\n"
        "2022;707;Børnehandicap;300;12\n2023;707;Børnehandicap;310;15\n"
        "2024;707;Børnehandicap;320;8\n",
        encoding="utf-8",
    )
    result = analyses.complaints(read_volumes(path), "Norddjurs", "boernehandicap")
    assert result.table["klager"].tolist() == [12, 15, 8]
    assert result.table["aendring"].tolist()[1:] == [3, -7]
    assert result.table["aendring_pct"].iloc[2] == pytest.approx(-7 / 15)
    assert result.text(2024) == "Kommunen modtog 8 klager i 2024 mod 15 i 2023 (-47 %)."
    assert result.text(2022) == "Kommunen modtog 12 klager i 2022."


def test_demo_cases_carry_the_learning_details() -> None:
    cases = analyses.learning_cases(read_cases(demodata.packaged_file("sager")))
    for code in demodata.CASE_KOMMUNER:
        overturned = cases.overturned(code, "socialomraadet")
        assert len(overturned) > 20 and (overturned["aarsag"].map(len) > 0).all()
        remands = cases.remands(code, "socialomraadet")
        assert remands["opfoelgning"].notna().all()
    assert isinstance(cases.frame, pd.DataFrame)


# --- knowledge bank and charts --------------------------------------------------------


def test_knowledge_bank_lists_overturned_decisions_without_case_ids(
    cases: analyses.LearningCases, tmp_path: Path
) -> None:
    bank = knowledge_bank(cases, "Norddjurs")
    shown = bank.shown
    assert len(shown) == 4  # S1-S4, each once although they count in two areas
    assert shown["Udfald"].tolist() == ["Ophævelse", "Ændring", "Hjemvisning", "Hjemvisning"]
    assert shown["Område"].eq("Børnehandicap").all()
    first_remand = shown[shown["Afgørelsesdato"] == "2024-02-01"].iloc[0]
    assert first_remand["Årsag"] == "Utilstrækkeligt oplysningsgrundlag"
    assert first_remand["Kun en del af afgørelsen"] == "ja"
    assert first_remand["Læringspunkt"] == "Lægeerklæringen var for gammel."
    page = str(bank.html())
    assert "S1" not in page and "S1" not in bank.csv_bytes().decode("utf-8-sig")
    assert '<select name="aarsag">' in page and 'data-aar="2024"' in page
    assert bank.csv_bytes().startswith(b"\xef\xbb\xbf\xc3\x85r;")  # BOM, "År;"
    workbook = zipfile.ZipFile(io.BytesIO(bank.xlsx_bytes()))
    stamp = f"{report_date().isoformat()}T00:00:00Z</dcterms:modified>"
    assert stamp in workbook.read("docProps/core.xml").decode()  # not the time of saving
    assert {entry.date_time for entry in workbook.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert bank.xlsx_bytes() == knowledge_bank(cases, "Norddjurs").xlsx_bytes()
    saved = pd.read_excel(bank.save(tmp_path / "vidensbank.xlsx"))
    assert saved["Paragraf"].tolist() == shown["Paragraf"].tolist()
    with pytest.raises(ValueError, match=r"\.csv eller \.xlsx"):
        bank.save(tmp_path / "vidensbank.txt")


def test_reason_and_follow_up_figures(cases: analyses.LearningCases) -> None:
    ranking = analyses.reasons_ranked(cases, "Norddjurs", "boernehandicap", 2024)
    figure = learning_charts.reasons(ranking)
    assert figure.description == ranking.text
    assert figure.table["Sager"].tolist() == ["2", "2"]
    values = figure.spec()["datasets"]
    assert any(
        row.get("aarsag") == "Mangelfuld begrundelse" for rows in values.values() for row in rows
    )
    after = learning_charts.follow_up(
        analyses.follow_up(cases, "Norddjurs", "boernehandicap", 2024)
    )
    assert after.table.set_index("Opfølgning").loc["Afventer", "Sager"] == "1 af 2"


def test_learning_sentences_say_none_instead_of_zero() -> None:
    """ "Ingen", "Den omgjorte sag", never "0 af ..." or "De 1 omgjorte sager"."""
    empty = pd.DataFrame({"aarsag": [], "sager": [], "andel": [], "kumuleret": []})
    assert analyses.ReasonRanking(empty, 0, 0).text == "Ingen sager blev omgjort."
    assert analyses.ReasonRanking(empty, 1, 1).text == (
        "Den omgjorte sag har ingen registreret årsag."
    )
    profile = analyses.RemandProfile(
        remands=2, partial=0, partial_known=2, overturned=1, families=1, without_family=0
    )
    assert profile.text == (
        "Alle 2 hjemvisninger, hvor det er oplyst, gjaldt hele afgørelsen. "
        "Den omgjorte sag vedrører 1 familie."
    )
    unknown = analyses.RemandProfile(
        remands=0, partial=0, partial_known=0, overturned=3, families=2, without_family=1
    )
    assert unknown.text == "De 3 omgjorte sager vedrører 2 familier (1 sag uden familienøgle)."
