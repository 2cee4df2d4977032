"""The knowledge bank (vidensbank): the kommune's overturned decisions with what was
learned from them, to read, filter and share.

In a report it is a table with filters by area, provision, reason and year that work
offline (a few lines of plain JavaScript in the page; without JavaScript, and in the
PDF, the whole table shows). It exports as CSV (semicolon, UTF-8 with BOM, as Danish
Excel opens it) and XLSX, byte for byte the same for the same data. Case ids are never
part of it: the bank is for committees and colleagues, not for finding a case.

A bank made from the synthetic demo cases says so in both exports: a first column
"Bemærkning" holds the notice on every row, so the CSV stays a plain table any program
reads without options and a row copied or filtered out still carries it; the XLSX also
opens with the notice as a title row above the header (as Ankestyrelsen's and the demo
files' title rows: `pd.read_excel(..., header=1)`, omglib's readers skip it).
"""

from __future__ import annotations

import base64
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd
from markupsafe import Markup

from omglib import registry
from omglib.formats import format_count, plural
from omglib.learning.analyses import LearningCases
from omglib.output import write_bytes_atomic
from omglib.present import danish
from omglib.present.display import ATTACHMENT_MIME, Html
from omglib.present.html import render
from omglib.present.narrative import report_date

COLUMNS: Final = {
    "aar": "År",
    "dato": "Afgørelsesdato",
    "omraade": "Område",
    "paragraf": "Paragraf",
    "udfald": "Udfald",
    "aarsag": "Årsag",
    "delvis": "Kun en del af afgørelsen",
    "opfoelgning": "Opfølgning",
    "laeringspunkt": "Læringspunkt",
}
FILTERS: Final = ("omraade", "paragraf", "aarsag", "aar")
#: The exports' column with the synthetic-data notice (demo cases only).
NOTICE_COLUMN: Final = "Bemærkning"
SHEET: Final = "Vidensbank"
_OUTCOME_LABELS: Final = {"aendret": "Ændring", "ophaevet": "Ophævelse", "hjemvist": "Hjemvisning"}
_OTHER_SOCIAL: Final = "Det øvrige socialområde"

FILTER_SCRIPT: Final = """
(() => {
  const bank = document.currentScript.previousElementSibling;
  const selects = [...bank.querySelectorAll("select")];
  const rows = [...bank.querySelectorAll("tbody tr")];
  const status = bank.querySelector(".omg-bank-count");
  const apply = () => {
    let shown = 0;
    for (const row of rows) {
      const visible = selects.every(s => !s.value ||
        row.dataset[s.name].split("|").includes(s.value));
      row.hidden = !visible;
      shown += visible;
    }
    const noun = rows.length === 1 ? "afgørelse" : "afgørelser";
    status.textContent = `Viser ${shown} af ${rows.length} ${noun}.`;
  };
  selects.forEach(s => s.addEventListener("change", apply));
})();
"""


@dataclass(frozen=True)
class KnowledgeBank:
    """Overturned decisions, newest first, one row each (columns as in COLUMNS; the
    reasons as a tuple); `synthetic` when they are the demo cases."""

    table: pd.DataFrame
    kommune: int
    synthetic: bool = False

    @property
    def shown(self) -> pd.DataFrame:
        """The table as the exports hold it: Danish headers, reasons joined, and first
        the synthetic-data notice on every row when the cases are the demo cases."""
        frame = self.table.assign(
            aarsag=self.table["aarsag"].map(" | ".join),
            dato=self.table["dato"].map(lambda d: "" if pd.isna(d) else d.date().isoformat()),
        )
        shown = frame.rename(columns=COLUMNS)[list(COLUMNS.values())]
        if self.synthetic:
            shown.insert(0, NOTICE_COLUMN, danish.SYNTHETIC_NOTICE)
        return shown

    def csv_bytes(self) -> bytes:
        text = self.shown.to_csv(sep=";", index=False, lineterminator="\r\n")
        return ("\ufeff" + text).encode("utf-8")

    def xlsx_bytes(self) -> bytes:
        """An Excel workbook dated by the report date (`SOURCE_DATE_EPOCH` or today),
        with fixed zip entry times, so the same data give the same bytes; from demo
        cases the notice is its first row, above the header."""
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            title_rows = 1 if self.synthetic else 0
            self.shown.to_excel(writer, index=False, sheet_name=SHEET, startrow=title_rows)
            if self.synthetic:
                writer.sheets[SHEET]["A1"] = danish.SYNTHETIC_NOTICE
        return _reproducible(buffer.getvalue(), report_date().isoformat() + "T00:00:00Z")

    def save(self, path: str | Path) -> Path:
        """Write the bank as .csv or .xlsx (atomically)."""
        target = Path(path)
        if target.suffix.lower() == ".csv":
            return write_bytes_atomic(target, self.csv_bytes())
        if target.suffix.lower() == ".xlsx":
            return write_bytes_atomic(target, self.xlsx_bytes())
        raise ValueError(f"Vidensbanken kan gemmes som .csv eller .xlsx, ikke '{target.suffix}'")

    def html(self) -> Html:
        """The bank as a filterable table (works offline; the whole table without JS)."""
        return Html(
            render(
                "knowledge_bank.html.j2",
                filters=[self._filter(column) for column in FILTERS],
                count=f"Viser {len(self.table)} af {len(self.table)} "
                f"{plural(len(self.table), 'afgørelse', 'afgørelser')}.",
                headers=list(COLUMNS.values()),
                rows=[self._row(record) for record in self.table.to_dict("records")],
                script=Markup(FILTER_SCRIPT),
            )
        )

    def _filter(self, column: str) -> dict[str, Any]:
        values = sorted({v for cell in self.table[column] for v in _values(cell)}, key=_natural)
        return {
            "label": COLUMNS[column],
            "name": column,
            "options": [str(v) for v in values],
        }

    def _row(self, record: dict[Any, Any]) -> dict[str, Any]:
        shown = {
            **record,
            "aarsag": "; ".join(record["aarsag"]),
            "dato": "" if pd.isna(record["dato"]) else danish.format_date(record["dato"].date()),
        }
        return {
            "data": [(column, "|".join(map(str, _values(record[column])))) for column in FILTERS],
            "cells": [str(shown[c]) for c in COLUMNS],
        }

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {
            "text/html": str(self.html()),
            "text/plain": "Vidensbank med "
            + format_count(len(self.table), "omgjort afgørelse", "omgjorte afgørelser"),
            ATTACHMENT_MIME: {
                "vidensbank.csv": base64.b64encode(self.csv_bytes()).decode("ascii"),
                "vidensbank.xlsx": base64.b64encode(self.xlsx_bytes()).decode("ascii"),
            },
        }


def _natural(value: object) -> tuple[tuple[int, int | str], ...]:
    """Sorts "SEL § 41" before "SEL § 103" and "2022" before "2024": numbers by value."""
    parts = re.split(r"(\d+)", str(value))
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts if part)


def _values(cell: object) -> tuple[object, ...]:
    return tuple(cell) if isinstance(cell, tuple) else (cell,)


def knowledge_bank(
    cases: LearningCases, kommune: int | str, years: tuple[int, ...] | None = None
) -> KnowledgeBank:
    """The kommune's overturned decisions (all areas; `years` to limit), newest first."""
    code = registry.kommune_code(kommune)
    frame = cases.frame
    chosen = frame[
        (frame["kommunekode"] == code)
        & frame["udfald"].astype(str).isin(_OUTCOME_LABELS)
        & ((frame["aar"].isin(years)) if years else True)
    ]
    by_case = chosen.sort_values("omraade").groupby("sag_id", sort=False)
    first = by_case.first()
    no_text = pd.Series("", index=first.index, dtype=object)
    table = pd.DataFrame(
        {
            "aar": first["aar"].astype(int),
            "dato": first.get("afgoerelsesdato", pd.NaT),
            "omraade": by_case["omraade"].agg(_area_label),
            "paragraf": first["paragraf"],
            "udfald": first["udfald"].astype(str).map(_OUTCOME_LABELS),
            "aarsag": first["aarsag"] if "aarsag" in first else [()] * len(first),
            "delvis": first.get("kun_delvis", pd.Series(pd.NA, index=first.index)).map(_yes_no),
            "opfoelgning": first.get("opfoelgning", no_text).fillna(""),
            "laeringspunkt": first.get("laeringspunkt", no_text).fillna(""),
        }
    )
    table = table.sort_values(["aar", "dato", "paragraf"], ascending=[False, False, True])
    return KnowledgeBank(table.reset_index(drop=True), code, cases.provenance.synthetic)


def _area_label(areas: pd.Series) -> str:
    """The case's own area: the handicap area it belongs to, else the rest of
    socialområdet (every case counts in socialområdet too)."""
    specific = [a for a in areas if a != registry.SOCIAL_AREA]
    return registry.areas()[specific[0]].short_name.capitalize() if specific else _OTHER_SOCIAL


def _yes_no(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return "ja" if bool(value) else "nej"


_TIMESTAMP: Final = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _reproducible(content: bytes, stamp: str) -> bytes:
    """The same workbook with its created/modified properties set to `stamp` (openpyxl
    writes the time of saving) and every zip entry dated 1980-01-01."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                data = _TIMESTAMP.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            target.writestr(fixed, data)
    return output.getvalue()
