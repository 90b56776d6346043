"""The report as a language-aware, format-neutral document: sections of paragraphs,
tables and charts. Writers (writers.py) turn it into HTML, Markdown or CSV; cells keep
their raw values (datetimes, durations, numbers) so each writer formats them its way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pilkades_tui.domain.clock import to_wib
from pilkades_tui.i18n import Catalogue
from pilkades_tui.logbook import Entry
from pilkades_tui.report.figures import (
    IncidentRow,
    ReportData,
    ResponseRow,
)
from pilkades_tui.report.logbooks import listed_action, listed_subject
from pilkades_tui.report.risk_map import RiskMap


class Share(float):
    """A fraction of a whole, shown as a percentage."""


Cell = str | int | float | bool | datetime | timedelta | None


@dataclass(slots=True)
class Table:
    name: str  # the CSV file's stem
    columns: list[str]
    rows: list[list[Cell]]


@dataclass(slots=True)
class Chart:
    """Bars: one (label, value) each; drawn as inline SVG in HTML."""

    title: str
    bars: list[tuple[str, int | float]]  # counts stay int, so a bar reads 16, not 16.0
    vertical: bool = False


@dataclass(slots=True)
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    subtitles: dict[str, str] = field(default_factory=dict)  # table name -> its heading
    maps: list[RiskMap] = field(default_factory=list)  # drawn in HTML only


@dataclass(slots=True)
class Document:
    title: str
    lang: str
    facts: list[tuple[str, str]]  # (label, value) under the title
    alerts: list[str]  # shown first and loudly: broken logbook chains
    sections: list[Section]
    words: Catalogue
    alert_title: str = ""  # heading over the alerts; a broken chain's when empty


def when(value: datetime | None) -> str:
    return "" if value is None else f"{to_wib(value):%Y-%m-%d %H:%M}"


def decisions_table(name: str, words: Catalogue, books: list[tuple[str, Entry]]) -> Table:
    return Table(
        name,
        [
            words("col.logbook"),
            words("col.n_entry"),
            words("col.at"),
            words("col.operator"),
            words("report.col.kind"),
            words("col.action"),
            words("col.subject"),
            words("report.col.units"),
            words("col.note"),
            words("col.outcome"),
            words("col.hub_seq"),
            words("col.drill"),
        ],
        [
            [
                path,
                d.n,
                d.at,
                d.operator,
                d.kind.value,
                listed_action(d),
                listed_subject(d),
                " ".join(d.officer_ids),
                d.note,
                d.outcome.value if d.outcome else "",
                d.hub_seq,
                d.drill,
            ]
            for path, d in books
        ],
    )


def _response_table(name: str, words: Catalogue, rows: list[ResponseRow], group: str) -> Table:
    return Table(
        name,
        [
            words(group),
            words("report.col.stage"),
            words("col.n"),
            words("col.p50"),
            words("col.p90"),
            words("col.max"),
        ],
        [[r.group, words.enum("stage", r.stage), r.count, r.p50, r.p90, r.max] for r in rows],
    )


def open_incidents_table(name: str, words: Catalogue, incidents: Sequence[IncidentRow]) -> Table:
    """Open incidents, as the report and the shift handover both list them."""
    return Table(
        name,
        [
            words("col.id"),
            words("report.col.priority"),
            words("report.col.category"),
            words("col.district"),
            words("col.village"),
            words("col.status"),
            words("col.reported"),
            words("col.escalation"),
            words("report.col.units"),
            words("col.last_by"),
        ],
        [
            [
                i.id,
                f"P{i.priority}",
                words.enum("category", i.category),
                i.district,
                i.village,
                words.enum("status", i.status),
                i.reported_at,
                words.enum("escalation", i.escalation),
                " ".join(i.officer_ids),
                i.last_by,
            ]
            for i in incidents
        ],
    )


def build_report(data: ReportData, words: Catalogue, generated_at: datetime) -> Document:
    alerts = [
        words(
            "broken.line",
            path=book.path,
            first=book.first_broken,
            records=book.records,
            reason=book.reason,
        )
        for book in data.broken_logbooks
    ]
    facts = [
        (words("period"), f"{when(data.start)} – {when(data.end)} {words('wib')}"),
        (words("events"), f"{data.events:,}"),
        (words("final_phase"), words.enum("phase", data.final_phase)),
        (words("generated"), f"{when(generated_at)} {words('wib')}"),
    ]
    if data.drill:
        alerts.insert(0, words("drill.banner"))
    sections: list[Section] = []

    phases = Section(words("section.phases"))
    phases.tables.append(
        Table(
            "phases",
            [
                words("col.phase"),
                words("col.from"),
                words("col.to"),
                words("col.duration"),
                words("col.incidents"),
            ],
            [
                [words.enum("phase", p.phase), p.start, p.end, p.end - p.start, p.incidents]
                for p in data.phases
            ],
        )
    )
    sections.append(phases)

    hourly = Section(words("section.per_hour"))
    hourly.charts.append(
        Chart(
            words("section.per_hour"),
            [(f"{to_wib(h):%H}", n) for h, n in data.per_hour],
            vertical=True,
        )
    )
    hourly.tables.append(
        Table(
            "incidents_per_hour",
            [words("col.hour"), words("col.incidents")],
            [[h, n] for h, n in data.per_hour],
        )
    )
    sections.append(hourly)

    breakdown = Section(words("section.breakdown"))
    breakdown.paragraphs.append(words("total", count=data.total_incidents))
    breakdown.charts.append(
        Chart(
            words("report.col.category"),
            [(words.enum("category", c), n) for c, n in data.by_category],
        )
    )
    breakdown.tables += [
        Table(
            "incidents_by_category",
            [words("report.col.category"), words("col.count")],
            [[words.enum("category", c), n] for c, n in data.by_category],
        ),
        Table(
            "incidents_by_channel",
            [words("report.col.channel"), words("col.count")],
            [[words.enum("channel", c), n] for c, n in data.by_channel],
        ),
        Table(
            "incidents_by_district",
            [words("col.district"), words("col.count")],
            [[d, n] for d, n in data.by_district],
        ),
        Table(
            "incidents_by_priority",
            [words("report.col.priority"), words("col.count")],
            [[f"P{p}", n] for p, n in data.by_priority],
        ),
        Table(
            "incidents_by_verification",
            [words("col.verification"), words("col.count")],
            [[words.enum("verification", v), n] for v, n in data.by_verification],
        ),
    ]
    sections.append(breakdown)

    still_open = Section(words("section.open"))
    still_open.tables.append(open_incidents_table("incidents_open", words, data.still_open))
    sections.append(still_open)

    response = Section(words("section.response"), [words("response.note")])
    response.tables += [
        _response_table(
            "response_by_priority", words, data.response_by_priority, "report.col.priority"
        ),
        _response_table("response_by_district", words, data.response_by_district, "col.district"),
    ]
    response.subtitles = {
        "response_by_priority": words("section.response_priority"),
        "response_by_district": words("section.response_district"),
    }
    sections.append(response)

    breaches = Section(words("section.breaches"))
    breaches.tables.append(
        Table(
            "sla_breaches",
            [
                words("col.id"),
                words("report.col.priority"),
                words("col.district"),
                words("report.col.kind"),
                words("col.limit"),
                words("col.took"),
                words("col.open"),
            ],
            [
                [
                    b.incident_id,
                    f"P{b.priority}",
                    b.district,
                    words.enum("breach", b.kind),
                    b.limit,
                    b.took,
                    b.still_open,
                ]
                for b in data.breaches
            ],
        )
    )
    sections.append(breaches)

    risk = Section(words("section.risk"))
    if data.geography is not None:
        risk.maps.append(
            RiskMap(
                words("report.map.title"), data.geography, data.village_risk, data.incident_marks
            )
        )
    per_100 = {row.risk: row.per_100_tps for row in data.by_risk}
    if "high" in per_100 and "low" in per_100:
        risk.paragraphs.append(words("risk.verdict", high=per_100["high"], low=per_100["low"]))
    risk.charts.append(
        Chart(
            words("col.per_100"),
            [(words.enum("risk", r.risk), r.per_100_tps) for r in data.by_risk if r.tps],
        )
    )
    risk.tables.append(
        Table(
            "incidents_by_risk",
            [
                words("report.col.risk"),
                words("col.tps"),
                words("col.incidents"),
                words("col.per_100"),
                words("col.share"),
            ],
            [
                [words.enum("risk", r.risk), r.tps, r.incidents, r.per_100_tps, Share(r.share)]
                for r in data.by_risk
            ],
        )
    )
    sections.append(risk)

    tps = Section(
        words("section.tps"),
        [words("stale.note", minutes=int(data.tps_stale_after.total_seconds() // 60))],
    )
    tps.tables.append(
        Table(
            "tps_flagged",
            [
                words("col.id"),
                words("col.name"),
                words("col.village"),
                words("col.district"),
                words("report.col.risk"),
                words("col.violations"),
                words("col.first_violation"),
                words("col.longest_gap"),
                words("col.silent_end"),
            ],
            [
                [
                    t.id,
                    t.name,
                    t.village,
                    t.district,
                    words.enum("risk", t.risk),
                    t.violations,
                    t.first_violation_at,
                    t.longest_gap,
                    t.silent_at_end,
                ]
                for t in data.tps_flagged
            ],
        )
    )
    sections.append(tps)

    units = Section(words("section.units"))
    units.tables.append(
        Table(
            "unit_workload",
            [
                words("col.id"),
                words("col.name"),
                words("report.col.unit"),
                words("col.assignments"),
                words("col.on_scene"),
                words("col.status"),
            ],
            [
                [
                    u.id,
                    u.name,
                    u.unit,
                    u.assignments,
                    u.on_scene,
                    words.enum("ostatus", u.status),
                ]
                for u in data.units
                if u.assignments or u.on_scene
            ],
        )
    )
    sections.append(units)

    desk = Section(words("section.desk_actions"), [words("desk_actions.note")])
    desk.tables.append(
        Table(
            "desk_actions",
            [words("col.by"), words("col.action"), words("col.count")],
            [[row.by, words.enum("action", row.action), row.count] for row in data.desk_actions],
        )
    )
    sections.append(desk)

    decisions = Section(words("section.decisions"))
    for book in data.logbooks:
        verdict = (
            words("chain.ok", records=book.records)
            if book.intact
            else words("chain.broken", first=book.first_broken)
        )
        decisions.paragraphs.append(f"{book.path}: {verdict}")
    decisions.tables.append(
        decisions_table(
            "decisions",
            words,
            [(book.path, d) for book in data.logbooks for d in book.decisions],
        )
    )
    sections.append(decisions)

    title = words("title") + (f" — {words('drill.title')}" if data.drill else "")
    return Document(title, words.lang, facts, alerts, sections, words)
