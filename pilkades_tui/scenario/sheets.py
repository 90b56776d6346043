"""Read the tables of a scenario folder as offices make them.

CSV as Excel writes it on an Indonesian Windows: UTF-8 with or without a BOM, or
Windows-1252; `;` (the list separator of an Indonesian locale) or `,`; stray blank rows
and trailing spaces. An `.xlsx` workbook is read with openpyxl, one sheet per table.
Every cell comes out as stripped text, so one set of checks serves both.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

BOM = b"\xef\xbb\xbf"
DELIMITERS = (";", ",", "\t")


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # as the officer sees it: the header is row 1
    cells: dict[str, str]  # normalised header -> stripped text ("" when blank)


@dataclass(frozen=True, slots=True)
class Table:
    file: str  # the file's name, as the officer sees it in the folder
    sheet: str | None  # the sheet of a workbook; None for a CSV file
    header: list[str]  # normalised names, in the file's order ("" for a blank heading)
    raw_header: list[str]  # as written
    rows: list[Row]


class SheetError(ValueError):
    """A file or sheet that cannot be read at all: key and parameters for the catalogue."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def header_name(text: str) -> str:
    """`Kode Desa `, `KODE-DESA`, `kode_desa` all read as `kode_desa`."""
    return "_".join(text.strip().lower().replace("-", " ").replace("_", " ").split())


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252, which Excel's "CSV" writes."""
    if data.startswith(BOM):
        return data[len(BOM) :].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(DELIMITERS, key=first.count) if first else ","


def _table(file: str, sheet: str | None, lines: list[list[str]], first_number: int = 1) -> Table:
    numbered = [
        (number, [cell.strip() for cell in cells])
        for number, cells in enumerate(lines, start=first_number)
    ]
    numbered = [(number, cells) for number, cells in numbered if any(cells)]
    if not numbered:
        return Table(file, sheet, [], [], [])
    _, raw_header = numbered[0]
    while raw_header and not raw_header[-1]:
        raw_header = raw_header[:-1]
    header = [header_name(cell) for cell in raw_header]
    rows = []
    for number, cells in numbered[1:]:
        values = {
            name: cells[index] if index < len(cells) else ""
            for index, name in enumerate(header)
            if name
        }
        rows.append(Row(number, values))
    return Table(file, sheet, header, raw_header, rows)


def read_csv(path: Path) -> Table:
    try:
        text = decode(path.read_bytes())
    except OSError as error:
        raise SheetError(
            "sheet.unreadable", file=path.name, error=error.strerror or error
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        lines = list(reader)
    except csv.Error as error:
        raise SheetError("sheet.unreadable", file=path.name, error=str(error)) from None
    return _table(path.name, None, lines)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # A whole number typed in a cell (a DPT, a TPS number, a code) comes back a float.
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def read_workbook(path: Path, names: tuple[str, ...]) -> tuple[dict[str, Table], list[str]]:
    """The sheets `names` (matched forgiving case and spaces) that the workbook has, and
    the titles of all its sheets (to name them when one is missing)."""
    from openpyxl import load_workbook  # only a folder with a workbook pays for it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is no workbook
        reason = str(error) or type(error).__name__
        raise SheetError("sheet.not_xlsx", file=path.name, error=reason) from None
    tables: dict[str, Table] = {}
    try:
        by_name = {header_name(sheet.title): sheet for sheet in workbook.worksheets}
        for name in names:
            sheet = by_name.get(name)
            if sheet is None:
                continue
            lines = [
                [_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)
            ]
            tables[name] = _table(path.name, sheet.title, lines)
        tables_present = [sheet.title for sheet in workbook.worksheets]
    finally:
        workbook.close()
    return tables, tables_present
