"""HTML, Markdown and CSV from one `Document`, and writing them without ever leaving
a half-written file behind (a temporary file or folder, then a rename).

HTML is one self-contained file: inline CSS and inline SVG charts, no script, nothing
fetched, so it opens offline and prints cleanly (tables do not break across pages in
the middle of a row; charts keep their size on paper). CSV is a folder of one file
per table (UTF-8 with a BOM, so a spreadsheet guesses the encoding right), with raw
values: times in RFC 3339, durations in seconds.
"""

from __future__ import annotations

import csv
import html
import io
import os
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from pilkades_tui.domain.clock import to_wib
from pilkades_tui.files import write_atomically
from pilkades_tui.i18n import Catalogue
from pilkades_tui.report.document import Cell, Chart, Document, Section, Share, Table
from pilkades_tui.report.i18n import minutes

# ---- cells ------------------------------------------------------------------------


def display(cell: Cell, words: Catalogue) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return words("yes") if cell else words("no")
    if isinstance(cell, datetime):
        # A report covers a day or a shift; its period line carries the date.
        return f"{to_wib(cell):%H:%M}"
    if isinstance(cell, timedelta):
        return minutes(cell)
    if isinstance(cell, Share):
        return f"{cell:.0%}"
    if isinstance(cell, float):
        return f"{cell:.1f}"
    return str(cell)


def raw(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, datetime):
        return to_wib(cell).isoformat()
    if isinstance(cell, timedelta):
        return f"{cell.total_seconds():.0f}"
    if isinstance(cell, float):
        return f"{cell:.4f}"
    return str(cell)


# ---- Markdown ---------------------------------------------------------------------


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_table(table: Table, words: Catalogue) -> list[str]:
    if not table.rows:
        return [words("none"), ""]
    lines = [
        "| " + " | ".join(_md_escape(c) for c in table.columns) + " |",
        "|" + "|".join(" --- " for _ in table.columns) + "|",
    ]
    for row in table.rows:
        lines.append("| " + " | ".join(_md_escape(display(c, words)) for c in row) + " |")
    lines.append("")
    return lines


def to_markdown(document: Document) -> str:
    words = document.words
    lines = [f"# {document.title}", ""]
    if document.alerts:
        lines += [f"> **{document.alert_title or words('broken.title')}**", ">"]
        lines += [f"> - {_md_escape(alert)}" for alert in document.alerts]
        lines.append("")
    lines += [f"- **{label}:** {value}" for label, value in document.facts]
    lines.append("")
    for section in document.sections:
        lines += [f"## {section.title}", ""]
        for paragraph in section.paragraphs:
            lines += [_md_escape(paragraph), ""]
        for table in section.tables:
            subtitle = section.subtitles.get(table.name)
            if subtitle:
                lines += [f"### {subtitle}", ""]
            lines += _md_table(table, words)
    return "\n".join(lines).rstrip() + "\n"


# ---- HTML -------------------------------------------------------------------------

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;
max-width:70em;padding:0 1em;color:#111;line-height:1.4}
h1{font-size:1.6em;border-bottom:3px solid #123;padding-bottom:.2em}
h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #999}
h3{font-size:1.05em}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}
th,td{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#e8edf2}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.alert{border:3px solid #b00;background:#fee;color:#600;padding:.6em 1em;font-weight:bold}
.facts{list-style:none;padding:0}
svg{max-width:100%;height:auto;display:block;margin:.5em 0}
svg text{font-family:inherit;font-size:11px;fill:#222}
svg .bar{fill:#2b5d8a}
@media print{body{margin:0;max-width:none;font-size:10pt}h2{break-after:avoid}
tr,svg{break-inside:avoid}.alert{border-width:2px}}
"""


def _svg_chart(chart: Chart, words: Catalogue) -> str:
    if not chart.bars:
        return ""
    top = max(value for _, value in chart.bars) or 1.0
    label = html.escape(chart.title)
    if chart.vertical:
        width, height, bar_w = max(320, 28 * len(chart.bars) + 40), 180, 20
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{label}">'
        ]
        for index, (name, value) in enumerate(chart.bars):
            bar_h = 130 * value / top
            x = 30 + index * 28
            y = 150 - bar_h
            parts.append(
                f'<rect class="bar" x="{x}" y="{y:.1f}" width="{bar_w}" height="{bar_h:.1f}">'
                f"<title>{html.escape(name)}: {value:g}</title></rect>"
            )
            parts.append(
                f'<text x="{x + bar_w / 2}" y="165" text-anchor="middle">{html.escape(name)}</text>'
            )
            parts.append(
                f'<text x="{x + bar_w / 2}" y="{y - 3:.1f}" text-anchor="middle">{value:g}</text>'
            )
        parts.append(f'<line x1="25" y1="150" x2="{width - 5}" y2="150" stroke="#444"/>')
        parts.append("</svg>")
        return "".join(parts)
    row_h, width = 20, 560
    height = row_h * len(chart.bars) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{label}">'
    ]
    for index, (name, value) in enumerate(chart.bars):
        y = 5 + index * row_h
        bar_w = 300 * value / top
        parts.append(
            f'<text x="175" y="{y + 13}" text-anchor="end">{html.escape(name)}</text>'
            f'<rect class="bar" x="180" y="{y + 2}" width="{bar_w:.1f}" height="{row_h - 6}">'
            f"<title>{html.escape(name)}: {value:g}</title></rect>"
            f'<text x="{185 + bar_w:.1f}" y="{y + 13}">{display(value, words)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _html_table(table: Table, words: Catalogue) -> str:
    if not table.rows:
        return f"<p>{html.escape(words('none'))}</p>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    body = []
    for row in table.rows:
        cells = []
        for cell in row:
            numeric = isinstance(cell, int | float | timedelta) and not isinstance(cell, bool)
            klass = ' class="num"' if numeric else ""
            cells.append(f"<td{klass}>{html.escape(display(cell, words))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _html_section(section: Section, words: Catalogue) -> str:
    parts = [f"<section><h2>{html.escape(section.title)}</h2>"]
    parts += [f"<p>{html.escape(p)}</p>" for p in section.paragraphs]
    parts += [_svg_chart(chart, words) for chart in section.charts]
    for table in section.tables:
        subtitle = section.subtitles.get(table.name)
        if subtitle:
            parts.append(f"<h3>{html.escape(subtitle)}</h3>")
        parts.append(_html_table(table, words))
    parts.append("</section>")
    return "\n".join(parts)


def to_html(document: Document) -> str:
    words = document.words
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{document.lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(document.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(document.title)}</h1>",
    ]
    if document.alerts:
        alert_title = document.alert_title or words("broken.title")
        items = "".join(f"<li>{html.escape(alert)}</li>" for alert in document.alerts)
        parts.append(
            f'<div class="alert" role="alert"><p>{html.escape(alert_title)}</p>'
            f"<ul>{items}</ul></div>"
        )
    facts = "".join(
        f"<li><strong>{html.escape(label)}:</strong> {html.escape(value)}</li>"
        for label, value in document.facts
    )
    parts.append(f'<ul class="facts">{facts}</ul>')
    parts += [_html_section(section, words) for section in document.sections]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# ---- CSV --------------------------------------------------------------------------


def to_csv_tables(document: Document) -> dict[str, str]:
    """File name -> CSV text, one per table (and `alerts.csv` when a chain is broken)."""
    files: dict[str, str] = {}
    for section in document.sections:
        for table in section.tables:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(table.columns)
            writer.writerows([raw(cell) for cell in row] for row in table.rows)
            files[f"{table.name}.csv"] = buffer.getvalue()
    if document.alerts:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([document.alert_title or document.words("broken.title")])
        writer.writerows([alert] for alert in document.alerts)
        files["alerts.csv"] = buffer.getvalue()
    return files


# ---- writing atomically -----------------------------------------------------------


def write_file(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and a rename:
    a crash or an error leaves the old file (or none), never half a report."""
    write_atomically(path, text)


def write_folder(folder: Path, files: dict[str, str]) -> None:
    """Fill a fresh temporary folder beside `folder`, then put it in place; an older
    report folder of the same name is replaced only once the new one is complete."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"{folder} exists and is not a folder")
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".tmp"))
    old: Path | None = None
    try:
        for name, text in files.items():
            with open(staging / name, "w", encoding="utf-8-sig", newline="") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
        if folder.exists():
            old = Path(
                tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".old")
            )
            os.replace(folder, old / folder.name)
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and (old / folder.name).exists() and not folder.exists():
            os.replace(old / folder.name, folder)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
