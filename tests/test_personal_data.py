"""CPR numbers in every file a run reads: data, cases, volumes and action plan alike.

One found is an error naming file, row (or line) and column (or field) without ever
repeating the number, unless `--mask-cpr` (`mask_cpr: true`), which turns each into a
pseudonym before anything reads the file — also when one case file is both `--data`
and `--cases`, the natural one-file workflow."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from omglib import read_counts, read_volumes
from omglib.cli import main
from omglib.errors import DataError
from omglib.learning import handleplan
from tests.helpers.files import case_file_with_cpr

#: One CPR number per kind of file, so each file's masking shows on its own.
CASE_CPR, VOLUMES_CPR, PLAN_CPR = "010203-1234", "311299-4321", "050607-8901"
REPORT = ("--kommune", "Norddjurs", "--area", "boernehandicap", "--year", "2024")
VOLUMES_HEADER = "År;Kommunekode;Område;Afgørelser i alt;Klager modtaget"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def assert_no_cpr(text: str) -> None:
    for number in (CASE_CPR, VOLUMES_CPR, PLAN_CPR):
        assert number not in text and number.replace("-", "") not in text


def volumes_file(tmp_path: Path, footnote: str = f"Opgjort af Jens ({VOLUMES_CPR})") -> Path:
    """Norddjurs' own numbers with a note under the table."""
    rows = ["2023;707;Børnehandicap;640;31", "2024;707;Børnehandicap;649;29"]
    path = tmp_path / "volumener.csv"
    path.write_text("\n".join([VOLUMES_HEADER, *rows, "", footnote]) + "\n", encoding="utf-8")
    return path


def plan_file(tmp_path: Path) -> tuple[Path, int]:
    """The demo plan with a CPR number in an activity, and that line's number."""
    lines = handleplan.demo_file().read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines) if text.strip().startswith("- Tjekliste"))
    lines[line] += f" (jf. sagen om {PLAN_CPR})"
    path = tmp_path / "handleplan.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, line + 1


def every_text_in(folder: Path) -> str:
    """Every file under `folder` as text; an XLSX's XML parts unpacked."""
    texts = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as workbook:
                texts += [workbook.read(name).decode("utf-8") for name in workbook.namelist()]
        else:
            texts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(texts)


# --- omg reports: one file as --data and --cases -----------------------------------------


@pytest.mark.usefixtures("reproducible_date")
def test_one_case_file_as_data_and_cases_is_masked_in_every_output(tmp_path: Path) -> None:
    cases, row = case_file_with_cpr(tmp_path, CASE_CPR)
    plan, _ = plan_file(tmp_path)
    volumes = volumes_file(tmp_path)
    files = ["--data", str(cases), "--cases", str(cases), "--volumes", str(volumes)]
    files += ["--action-plan", str(plan)]
    out = tmp_path / "rapporter"
    command = ("reports", "--notebook", "opfoelgning", *files, *REPORT, "--out", str(out))

    code, stdout, stderr = run(*command)
    assert code == 2 and stdout == ""
    assert stderr.startswith(f"Fejl: sager.csv, række {row}, kolonne 'Læringspunkt': ")
    assert "ddmmåå-xxxx" in stderr and "CPR-nummer" in stderr and "--mask-cpr" in stderr
    assert_no_cpr(stderr)
    assert not out.exists()

    code, stdout, stderr = run(*command, "--mask-cpr")
    assert code == 0, stderr
    assert "1 rapport lavet" in stdout
    made = {p.name for p in out.rglob("707-*")}
    assert made == {
        f"707-norddjurs-opfoelgning.{suffix}"
        for suffix in ("html", "ipynb", "vidensbank.csv", "vidensbank.xlsx")
    }
    everything = every_text_in(out)
    assert_no_cpr(everything + stdout + stderr)
    assert "[CPR 1]" in everything  # the learning point and the plan's activity, masked
    bank = next(out.rglob("*.vidensbank.csv")).read_text(encoding="utf-8-sig")
    assert bank.startswith("Bemærkning;År;")  # the demo cases' file: the notice column

    parameters = tmp_path / "opfoelgning.yaml"
    parameters.write_text(
        "notebook: opfoelgning\nkommune: Norddjurs\narea: boernehandicap\nyear: 2024\n"
        f"data: {cases.name}\ncases: {cases.name}\nvolumes: {volumes.name}\n"
        f"action_plan: {plan.name}\nmask_cpr: true\n",
        encoding="utf-8",
    )
    code, stdout, _ = run("reports", "--params", str(parameters), "--out", str(out))
    assert code == 0 and "0 rapporter lavet" in stdout  # the same request, masked: current


@pytest.mark.usefixtures("reproducible_date")
def test_a_case_file_with_a_cpr_number_masked_makes_a_kommune_report_and_a_map(
    tmp_path: Path,
) -> None:
    """Every notebook reads its data file masked, not only the learning ones."""
    cases, _ = case_file_with_cpr(tmp_path, CASE_CPR)
    out = tmp_path / "rapporter"
    for notebook in ("kommunerapport", "danmarkskort"):
        command = ["reports", "--notebook", notebook, "--data", str(cases), *REPORT]
        if notebook == "danmarkskort":
            command = [c for c in command if c not in ("--kommune", "Norddjurs")]
        code, stdout, stderr = run(*command, "--out", str(out), "--mask-cpr")
        assert code == 0, stdout + stderr
        assert "1 rapport lavet" in stdout
    assert {p.suffix for p in out.rglob("*.html")} == {".html"}
    assert len(list(out.rglob("*.html"))) == 2
    assert_no_cpr(every_text_in(out))


# --- omg validate -------------------------------------------------------------------------


def test_validate_names_each_cpr_number_without_it_and_masks_with_mask_cpr(
    tmp_path: Path,
) -> None:
    cases, row = case_file_with_cpr(tmp_path, CASE_CPR)
    volumes = volumes_file(tmp_path)

    code, stdout, stderr = run("validate", str(cases), str(volumes))
    assert code == 2
    assert f"sager.csv, række {row}, kolonne 'Læringspunkt': " in stderr
    assert "volumener.csv: 'Opgjort af Jens (ddmmåå-xxxx)': en note under tabellen" in stderr
    assert_no_cpr(stdout + stderr)

    code, stdout, stderr = run("validate", "--mask-cpr", str(cases), str(volumes))
    assert code == 0, stderr
    assert "sager.csv: OK" in stdout and "volumener.csv: OK" in stdout
    assert "note: 1 CPR-nummer er erstattet af pseudonymet [CPR 1]" in stdout
    assert_no_cpr(stdout + stderr)


def test_validate_counts_several_numbers_masked_in_a_counts_file(tmp_path: Path) -> None:
    path = tmp_path / "tal.csv"
    path.write_text(
        "År;Kommune;Område;Stadfæstelse;Hjemvisning;Ændring/ophævelse\n"
        "2024;Norddjurs;Børnehandicap;3;2;1\n\n"
        f"Kilde: sagsbehandler {CASE_CPR} og {VOLUMES_CPR}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="note under tabellen indeholder et CPR-nummer"):
        read_counts(path)
    notes = read_counts(path, mask_cpr=True).notes
    assert "Note under tabellen (ikke data): Kilde: sagsbehandler [CPR 1] og [CPR 2]" in notes
    assert "2 CPR-numre er erstattet af pseudonymerne [CPR 1]–[CPR 2]" in notes


# --- volumes and action plan --------------------------------------------------------------


def test_a_cpr_number_in_any_cell_is_hidden_from_every_later_message(tmp_path: Path) -> None:
    path = tmp_path / "volumener.csv"
    path.write_text(f"{VOLUMES_HEADER}\n2024;{VOLUMES_CPR};Børnehandicap;649;29\n", "utf-8")
    with pytest.raises(DataError) as caught:
        read_volumes(path)
    found = [str(problem) for problem in caught.value.problems]
    assert found[0] == (
        "volumener.csv, række 2, kolonne 'Kommunekode': 'ddmmåå-xxxx': indeholder et "
        "CPR-nummer – fjern det, eller kør med --mask-cpr for at erstatte det med et pseudonym"
    )
    assert any("ukendt kommune" in problem for problem in found[1:])  # named, not repeated
    assert_no_cpr(str(caught.value))


def test_volumes_with_a_cpr_number_in_a_note_are_read_with_mask_cpr(tmp_path: Path) -> None:
    volumes = volumes_file(tmp_path)
    command = ("rates", "--volumes", str(volumes), *REPORT)
    code, _, stderr = run(*command)
    assert code == 2 and "volumener.csv: 'Opgjort af Jens (ddmmåå-xxxx)'" in stderr
    code, stdout, stderr = run(*command, "--mask-cpr")
    assert code == 0 and "Klager modtaget i kommunen: 29" in stdout
    assert_no_cpr(stdout + stderr)


def test_an_action_plan_is_masked_the_same_way(tmp_path: Path) -> None:
    """A plan's free text (emne, mål, hvad, ansvarlig, kilde) is searched like a table's
    cells: a number is a problem at its line and field, or with --mask-cpr a pseudonym."""
    plan, line = plan_file(tmp_path)
    code, stdout, stderr = run("handleplan", str(plan))
    assert code == 2 and stdout == ""
    assert f"Fejl: handleplan.yaml, linje {line}, 'hvad': indeholder et CPR-nummer" in stderr
    assert_no_cpr(stderr)

    code, stdout, stderr = run("handleplan", "--mask-cpr", str(plan))
    assert code == 0, stderr
    assert "(jf. sagen om [CPR 1])" in stdout
    assert_no_cpr(stdout + stderr)
    masked = handleplan.read_action_plan(plan, mask_cpr=True)
    assert masked.actions[0].activities[0].endswith("(jf. sagen om [CPR 1])")
