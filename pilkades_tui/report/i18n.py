"""The report's words, Bahasa Indonesia first and English second (one small catalogue)."""

from __future__ import annotations

from datetime import timedelta

from pilkades_tui.words import DOMAIN_WORDS

CATALOGUE: dict[str, tuple[str, str]] = {
    **DOMAIN_WORDS,
    "title": ("Laporan Anev Pengamanan Pilkades", "Anev report: Pilkades security"),
    "handover.title": ("Serah terima piket", "Shift handover"),
    "handover.problems": ("PERHATIAN", "ATTENTION"),
    "period": ("Periode", "Period"),
    "generated": ("Dibuat", "Generated"),
    "final_phase": ("Tahap pada akhir periode", "Phase at the end of the period"),
    "events": ("Peristiwa di log hub", "Events in the hub log"),
    "wib": ("WIB", "WIB"),
    "broken.title": ("PERINGATAN: RANTAI LOGBOOK RUSAK", "WARNING: LOGBOOK CHAIN BROKEN"),
    "broken.line": (
        "{path}: catatan {first} dari {records} tidak utuh. {reason}",
        "{path}: record {first} of {records} is not intact. {reason}",
    ),
    "section.phases": ("Hari pemungutan per tahap", "The day by phase"),
    "section.per_hour": ("Kejadian per jam", "Incidents per hour"),
    "section.breakdown": (
        "Kejadian menurut jenis, saluran, kecamatan dan prioritas",
        "Incidents by category, channel, kecamatan and priority",
    ),
    "section.open": ("Kejadian yang masih terbuka", "Incidents still open"),
    "section.response": ("Waktu tanggap", "Response times"),
    "section.response_priority": ("Menurut prioritas", "By priority"),
    "section.response_district": ("Menurut kecamatan", "By kecamatan"),
    "section.breaches": ("Pelanggaran batas waktu (SLA)", "SLA breaches"),
    "section.risk": ("Peta kerawanan dibandingkan kejadian", "Conflict map against the day"),
    "section.tps": (
        "TPS dengan laporan basi atau pelanggaran prokes",
        "TPS with stale reports or health-protocol violations",
    ),
    "section.units": ("Beban kerja satuan", "Units' workload"),
    "section.decisions": ("Keputusan di logbook", "Decisions in the logbooks"),
    "section.units_out": ("Satuan yang sedang bertugas di luar", "Units out"),
    "section.outbox": ("Perintah yang masih antre", "Queued commands"),
    "section.shift": ("Keputusan shift ini", "This shift's decisions"),
    "col.phase": ("Tahap", "Phase"),
    "col.from": ("Dari", "From"),
    "col.to": ("Sampai", "To"),
    "col.duration": ("Lama", "Duration"),
    "col.incidents": ("Kejadian", "Incidents"),
    "col.hour": ("Jam", "Hour"),
    "col.category": ("Jenis", "Category"),
    "col.channel": ("Saluran laporan", "Reporting channel"),
    "channel.unknown": ("tidak tercatat", "not recorded"),
    "col.district": ("Kecamatan", "Kecamatan"),
    "col.village": ("Desa", "Village"),
    "col.priority": ("Prioritas", "Priority"),
    "col.count": ("Jumlah", "Count"),
    "col.id": ("ID", "ID"),
    "col.status": ("Status", "Status"),
    "col.reported": ("Dilaporkan", "Reported"),
    "col.escalation": ("Eskalasi", "Escalation"),
    "col.units": ("Satuan", "Units"),
    "col.group": ("Kelompok", "Group"),
    "col.stage": ("Tahap tanggap", "Stage"),
    "col.n": ("n", "n"),
    "col.p50": ("p50", "p50"),
    "col.p90": ("p90", "p90"),
    "col.max": ("maks", "max"),
    "col.kind": ("Jenis batas", "Limit"),
    "col.limit": ("Batas", "Limit"),
    "col.took": ("Waktu", "Took"),
    "col.open": ("Masih terbuka", "Still open"),
    "col.risk": ("Kerawanan", "Risk class"),
    "col.tps": ("TPS", "TPS"),
    "col.per_100": ("Kejadian per 100 TPS", "Incidents per 100 TPS"),
    "col.share": ("Porsi", "Share"),
    "col.name": ("Nama", "Name"),
    "col.violations": ("Pelanggaran prokes", "Health-protocol violations"),
    "col.first_violation": ("Pelanggaran pertama", "First violation"),
    "col.longest_gap": ("Jeda laporan terlama", "Longest silence"),
    "col.silent_end": ("Diam di akhir periode", "Silent at the end"),
    "col.unit": ("Kesatuan", "Unit"),
    "col.assignments": ("Penugasan", "Assignments"),
    "col.on_scene": ("Waktu di lokasi", "Time on scene"),
    "col.incident": ("Kejadian", "Incident"),
    "col.logbook": ("Logbook", "Logbook"),
    "col.n_entry": ("No.", "No."),
    "col.at": ("Waktu", "At"),
    "col.operator": ("Operator", "Operator"),
    "col.action": ("Tindakan", "Action"),
    "col.subject": ("Subjek", "Subject"),
    "col.note": ("Catatan", "Note"),
    "col.outcome": ("Hasil", "Outcome"),
    "col.hub_seq": ("Seq hub", "Hub seq"),
    "col.drill": ("Latihan", "Drill"),
    "col.verification": ("Verifikasi laporan", "Report verification"),
    "drill.title": ("LATIHAN", "DRILL"),
    "drill.banner": (
        "LATIHAN: hub dan/atau buku piket ini dari latihan, bukan kejadian nyata.",
        "DRILL: this hub log and/or these logbooks come from an exercise, not real events.",
    ),
    "col.method": ("Metode", "Method"),
    "col.path": ("Alamat", "Path"),
    "col.created": ("Diputuskan", "Decided"),
    "col.attempts": ("Percobaan", "Attempts"),
    "col.error": ("Galat terakhir", "Last error"),
    "col.description": ("Keterangan", "Description"),
    "chain.ok": ("rantai utuh, {records} catatan", "chain intact, {records} records"),
    "chain.broken": ("RANTAI RUSAK pada catatan {first}", "CHAIN BROKEN at record {first}"),
    "none": ("Tidak ada.", "None."),
    "total": ("Jumlah kejadian: {count}", "Incidents in all: {count}"),
    "risk.verdict": (
        "TPS rawan tinggi mencatat {high:.1f} kejadian per 100 TPS, TPS rawan rendah {low:.1f}.",
        "High-risk TPS saw {high:.1f} incidents per 100 TPS, low-risk TPS {low:.1f}.",
    ),
    "response.note": (
        "Diukur sejak laporan masuk; persentil peringkat terdekat.",
        "Measured from the moment the report came in; nearest-rank percentiles.",
    ),
    "stale.note": (
        "Laporan basi: TPS yang buka/menghitung tidak melapor lebih dari {minutes} menit.",
        "Stale: a TPS voting or counting that did not report for more than {minutes} minutes.",
    ),
    "yes": ("ya", "yes"),
    "no": ("tidak", "no"),
    "outbox.unreadable": ("Berkas antrean tidak terbaca: {error}", "Outbox unreadable: {error}"),
    "shift.start": ("Shift dimulai", "Shift began"),
    "handover.at": ("Waktu serah terima", "Handed over at"),
    "stage.acknowledged": ("diterima", "acknowledged"),
    "stage.dispatched": ("diberangkatkan", "dispatched"),
    "stage.on_scene": ("tiba di lokasi", "on scene"),
    "stage.resolved": ("selesai", "resolved"),
    "breach.unacknowledged": ("belum diterima", "unacknowledged"),
    "breach.on_scene": ("target tiba di lokasi", "on-scene target"),
    "risk.unknown": ("tidak diketahui", "unknown"),
}

LANGUAGES = ("id", "en")


class Words:
    """Look words up in one language; an unknown key shows itself, so a gap is seen."""

    def __init__(self, lang: str = "id") -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"language {lang!r}: one of {', '.join(LANGUAGES)}")
        self.lang = lang
        self._index = LANGUAGES.index(lang)

    def __call__(self, key: str, **values: object) -> str:
        pair = CATALOGUE.get(key)
        if pair is None:
            return key
        return pair[self._index].format(**values) if values else pair[self._index]

    def value(self, prefix: str, raw: str) -> str:
        """A protocol value (category, phase, risk...) in words, or as it is."""
        key = f"{prefix}.{raw}"
        return self(key) if key in CATALOGUE else raw


def minutes(value: timedelta) -> str:
    """A duration as a commander reads it: 4m05s, 1j12m (jam) / 1h12m."""
    total = int(value.total_seconds())
    hours, rest = divmod(total, 3600)
    mins, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{mins:02d}m"
    return f"{mins}m{secs:02d}s"
