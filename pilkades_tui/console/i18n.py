"""Every word the console shows, in Bahasa Indonesia (default) and English.

Domain words stay as the officers say them in both languages (TPS, Polsek, Polres,
Bhabinkamtibmas, Dalmas). `Catalogue.text(key, **params)` formats with str.format.
"""

from __future__ import annotations

from collections.abc import Mapping

from pilkades_tui.words import DOMAIN_WORDS

LANGUAGES = ("id", "en")

# key: (Bahasa Indonesia, English)
MESSAGES: dict[str, tuple[str, str]] = {
    **DOMAIN_WORDS,
    # panes and header
    "pane.tps": ("TPS", "TPS"),
    "pane.incidents": ("Insiden", "Incidents"),
    "pane.officers": ("Personel", "Officers"),
    "pane.map": ("Peta", "Map"),
    "pane.alerts": ("Peringatan", "Alerts"),
    "header.phase": ("Tahap", "Phase"),
    "header.operator": ("Piket", "Duty"),
    "header.open": ("Terbuka", "Open"),
    "header.outbox": ("Antrean", "Outbox"),
    "header.events": ("{rate:.0f} ev/s", "{rate:.0f} ev/s"),
    "header.skipped": ("dilewati {count}", "skipped {count}"),
    "header.drill": ("LATIHAN — BUKAN KEJADIAN NYATA", "DRILL — NOT REAL EVENTS"),
    "conn.connecting": ("menghubungkan…", "connecting…"),
    "conn.live": ("langsung", "live"),
    "conn.reconnecting": ("menyambung ulang {seconds}d", "reconnecting for {seconds}s"),
    "conn.stale": ("basi {seconds}d", "stale for {seconds}s"),
    "conn.unauthorized": ("token ditolak", "token refused"),
    "conn.closed": ("terputus", "closed"),
    "stale.pane": (
        "Data tidak terbarui sejak {seconds} detik — koneksi ke hub terputus",
        "Data not updated for {seconds} s — connection to the hub lost",
    ),
    "waiting.hub": (
        "Menunggu hub di {url} … {detail}",
        "Waiting for the hub at {url} … {detail}",
    ),
    # The network's own words (from the operating system) stay as they come, marked.
    "waiting.detail": ("(keterangan teknis: {error})", "({error})"),
    "error.unauthorized": (
        "Hub di {url} menolak token ini (HTTP 401): token tidak dikenal atau sudah dicabut. "
        "Periksa --token, PILKADES_TOKEN atau berkas konfigurasi.",
        "The hub at {url} refused this token (HTTP 401): it is unknown or revoked. "
        "Check --token, PILKADES_TOKEN or the config file.",
    ),
    "error.forbidden": (
        "Hub di {url} mengenal token ini, tetapi perannya tidak boleh membaca umpan (HTTP 403). "
        "Minta token viewer kepada operator hub.",
        "The hub at {url} knows this token but its role may not read the feed (HTTP 403). "
        "Ask the hub operator for a viewer token.",
    ),
    "unit.hour_mark": ("j", "h"),
    # columns
    "col.tps": ("TPS", "TPS"),
    "col.village": ("Desa", "Village"),
    "col.district": ("Kecamatan", "Kecamatan"),
    "col.phase": ("Tahap", "Phase"),
    "col.turnout": ("Hadir", "Turnout"),
    "col.risk": ("Kerawanan", "Risk"),
    "col.health": ("Prokes", "Health"),
    "col.report_age": ("Lapor", "Report"),
    "col.posted": ("Pers.", "Posted"),
    "summary.staffing": (
        "personel {posted}/{required}, {short} TPS kurang",
        "officers {posted}/{required}, {short} TPS short",
    ),
    "checkpoints.title": ("Tahapan seluruh kabupaten", "Checkpoints across the kabupaten"),
    "checkpoints.hint": (
        "Sudah: TPS yang melewati tahap · Belum: yang belum · esc: kembali",
        "Reached: TPS past the stage · Pending: not yet · esc: back",
    ),
    "checkpoints.state.upcoming": ("belum waktunya", "upcoming"),
    "checkpoints.state.met": ("tercapai", "met"),
    "checkpoints.state.missed": ("TERLAMBAT", "MISSED"),
    "col.stage": ("Tahap", "Stage"),
    "col.due": ("Batas", "Due"),
    "col.reached": ("Sudah", "Reached"),
    "col.pending": ("Belum", "Pending"),
    "col.state": ("Keadaan", "State"),
    "col.late_districts": ("Kecamatan tertinggal", "Kecamatan behind"),
    "col.priority": ("P", "P"),
    "col.sla": ("Waktu", "Timer"),
    "col.category": ("Kategori", "Category"),
    "col.place": ("Lokasi", "Place"),
    "col.status": ("Status", "Status"),
    "col.units": ("Unit", "Units"),
    "col.callsign": ("Sandi", "Callsign"),
    "col.unit": ("Satuan", "Unit"),
    "col.kind": ("Jenis", "Kind"),
    "col.incident": ("Insiden", "Incident"),
    "col.fix_age": ("Posisi", "Fix"),
    "col.distance": ("Jarak", "Distance"),
    "col.eta": ("Tiba", "ETA"),
    "summary.district": (
        "{district}: {tps} TPS · partisipasi {turnout:.0%} · {high} sangat rawan · "
        "{incidents} insiden terbuka",
        "{district}: {tps} TPS · turnout {turnout:.0%} · {high} high-risk · "
        "{incidents} open incidents",
    ),
    "summary.total": ("{shown} dari {total} baris", "{shown} of {total} rows"),
    "empty.incidents": ("Tidak ada insiden terbuka.", "No open incidents."),
    "empty.rows": ("Tidak ada baris yang cocok.", "No matching rows."),
    "minutes": ("{minutes}m", "{minutes}m"),
    "never": ("belum", "never"),
    # keys (footer and help)
    "key.tps": ("TPS", "TPS"),
    "key.incidents": ("Insiden", "Incidents"),
    "key.officers": ("Personel", "Officers"),
    "key.map": ("Peta", "Map"),
    "key.next": ("panel berikut", "next pane"),
    "key.filter": ("saring", "filter"),
    "key.command": ("perintah", "command"),
    "key.help": ("bantuan", "help"),
    "key.quit": ("keluar", "quit"),
    "key.detail": ("rincian", "detail"),
    "key.ack": ("terima", "acknowledge"),
    "key.assign": ("kirim unit", "assign"),
    "key.escalate": ("eskalasi", "escalate"),
    "key.resolve": ("selesaikan", "resolve"),
    "key.cancel": ("batalkan laporan palsu", "cancel false report"),
    "key.note": ("catatan", "note"),
    "key.log": ("catat keputusan", "log decision"),
    "key.logbook": ("buku piket", "logbook"),
    "key.outbox": ("antrean perintah", "outbox"),
    "key.zoom": ("perbesar/perkecil", "zoom"),
    "key.map_reset": ("seluruh kabupaten", "whole kabupaten"),
    "key.map_centre": ("tengahkan insiden terpilih", "centre the selected incident"),
    "key.map_posts": ("tampilkan pos TPS", "show TPS posts"),
    "key.pan": ("geser peta", "pan"),
    "key.back": ("kembali", "back"),
    "key.verify": ("verifikasi", "verify"),
    "key.goto": ("ke yang diperingatkan", "go to what it is about"),
    "key.palette": ("cari perintah", "search commands"),
    "key.move": ("baris naik/turun", "row up/down"),
    "key.page": ("halaman naik/turun", "page up/down"),
    "key.ends": ("baris pertama/terakhir", "first/last row"),
    "key.yes": ("ya", "yes"),
    "key.dismiss": ("batal", "cancel"),
    "key.select_unit": ("pilih/lepas unit", "select/unselect unit"),
    "key.send_units": ("kirim", "send"),
    "key.drop": ("hapus perintah terpilih", "drop the selected command"),
    "help.lists": (
        "Daftar (TPS, insiden, personel, peringatan)",
        "Lists (TPS, incidents, officers, alerts)",
    ),
    "help.detail": ("Rincian insiden", "Incident detail"),
    "help.alerts": ("Peringatan", "Alerts"),
    "help.dialogs": ("Pertanyaan dan pengiriman unit", "Questions and assigning units"),
    "help.screens": (
        "Isian, pilihan, antrean dan buku piket",
        "Forms, choices, outbox and logbook",
    ),
    "help.checkpoints": ("Tahapan dan bantuan ini", "Checkpoints and this help"),
    # help
    "help.title": ("Bantuan — tombol", "Help — keys"),
    "help.global": ("Di mana saja", "Anywhere"),
    "help.queue": ("Antrean insiden", "Incident queue"),
    "help.map": ("Peta", "Map"),
    "help.commands": ("Perintah (:)", "Commands (:)"),
    # command line and filters
    "prompt.command": ("perintah", "command"),
    "prompt.filter": ("saring", "filter"),
    "filter.active": ("saringan: {text}", "filter: {text}"),
    "filter.not_here": (
        "Peta tidak disaring dengan /: pilih panel daftar (1, 2, 3, 5), "
        "atau :kecamatan NAMA untuk semua panel.",
        "The map is not filtered with /: pick a list pane (1, 2, 3, 5), "
        "or :kecamatan NAME for every pane.",
    ),
    "cmd.unknown": ("Perintah tidak dikenal: {command}", "Unknown command: {command}"),
    "cmd.usage": ("Cara pakai: {usage}", "Usage: {usage}"),
    "cmd.theme_unknown": (
        "Tema tidak dikenal: {name}. Ada: {names}",
        "Unknown theme: {name}. Available: {names}",
    ),
    "cmd.district_unknown": ("Kecamatan tidak dikenal: {name}", "Unknown kecamatan: {name}"),
    "cmd.filter_set": ("Saringan: {text}", "Filter: {text}"),
    "cmd.cleared": ("Saringan dihapus", "Filters cleared"),
    "theme.bad_variables": (
        "sebuah nilai di bawah [variables] bukan warna atau gaya yang sah",
        "a value under [variables] is not a valid colour or style",
    ),
    "theme.unusable": (
        "Tema {name} tidak dapat dipakai: {error}. Tetap memakai {fallback}.",
        "Theme {name} cannot be used: {error}. Staying with {fallback}.",
    ),
    "theme.broken": (
        "Tema {path} tidak bisa dibaca ({error}); memakai tema bawaan.",
        "Theme {path} could not be read ({error}); using the default theme.",
    ),
    # notifications
    "notify.feed_failed": (
        "Umpan data berhenti karena galat: {error}. Data tidak diperbarui lagi; "
        "mulai ulang konsol.",
        "The feed stopped on an error: {error}. Data is no longer updated; restart the console.",
    ),
    "notify.new_incident": (
        "Insiden baru P{priority}: {category} di {place}",
        "New P{priority} incident: {category} at {place}",
    ),
    "notify.accepted": (
        "{action}: diterima hub (seq {seq})",
        "{action}: accepted by hub (seq {seq})",
    ),
    "notify.queued": (
        "{action}: hub tidak terjangkau, perintah diantrekan",
        "{action}: hub unreachable, command queued",
    ),
    "notify.rejected": ("{action} ditolak: {message}", "{action} refused: {message}"),
    "notify.conflict": (
        "{action} bentrok: {message}. Data diperbarui, silakan putuskan lagi.",
        "{action} conflicts: {message}. Record refreshed, decide again.",
    ),
    "notify.logged": ("Tercatat di buku piket (#{number})", "Written to the logbook (#{number})"),
    "notify.top_escalation": (
        "Insiden ini sudah dieskalasi ke Polda",
        "This incident is already escalated to Polda",
    ),
    "dialog.handover_confirm": (
        "Serahkan piket kepada {to}? y: catat serah terima · esc: batal",
        "Hand over the watch to {to}? y: record the handover · esc: cancel",
    ),
    "stage.ballots_delivered": ("logistik tiba di TPS", "ballots delivered"),
    "stage.voting_open": ("pemungutan dibuka", "voting open"),
    "stage.voting_closed": ("pemungutan ditutup", "voting closed"),
    "stage.counting_done": ("penghitungan selesai", "counting done"),
    "stage.box_returned": ("kotak suara kembali", "ballot box returned"),
    "notify.select_incident": ("Pilih insiden dulu", "Select an incident first"),
    "notify.closed": ("Insiden ini sudah ditutup", "This incident is already closed"),
    "notify.no_units": ("Tidak ada unit siaga", "No unit available"),
    "notify.outbox_dropped": ("Perintah dihapus dari antrean", "Command dropped from the outbox"),
    "notify.handover": (
        "Serah terima dicatat: {from_} → {to}",
        "Handover recorded: {from_} → {to}",
    ),
    # dialogs
    "dialog.ack": ("Terima insiden {id}?", "Acknowledge incident {id}?"),
    "dialog.assign": ("Kirim unit ke {id}", "Assign units to {id}"),
    "dialog.escalate": ("Eskalasi {id} ke:", "Escalate {id} to:"),
    "dialog.resolve": ("Selesaikan {id} — catatan singkat:", "Resolve {id} — short note:"),
    "dialog.cancel_report": (
        "Batalkan {id} sebagai laporan palsu — alasannya:",
        "Cancel {id} as a false report — why:",
    ),
    "dialog.note": ("Catatan untuk {id}:", "Note for {id}:"),
    "dialog.log": ("Catat keputusan", "Log a decision"),
    "dialog.log_category": ("Kategori", "Category"),
    "dialog.log_text": ("Isi keputusan", "Decision"),
    "dialog.verify": ("Verifikasi {id}:", "Verify {id}:"),
    "dialog.quit_outbox": (
        "Masih ada {count} perintah di antrean yang belum terkirim. Tetap keluar?",
        "{count} commands are still queued and not sent. Quit anyway?",
    ),
    "dialog.required": ("Wajib diisi", "Required"),
    "logcat.coordination": (
        "koordinasi dengan panitia Pilkades",
        "coordination with the election committee",
    ),
    "logcat.reinforcement": ("permintaan bantuan personel", "request for reinforcement"),
    "logcat.health_protocol": ("perintah protokol kesehatan", "health-protocol order"),
    "logcat.briefing": ("arahan / apel", "briefing"),
    "logcat.other": ("lainnya", "other"),
    # detail screen
    "detail.title": ("Insiden {id}", "Incident {id}"),
    "detail.reported": ("Dilaporkan {at} oleh {by}", "Reported {at} by {by}"),
    "detail.channel": ("lewat {channel}", "via {channel}"),
    "detail.timeline": ("Riwayat", "Timeline"),
    "detail.recommended": ("Unit terdekat yang siaga", "Nearest available units"),
    "detail.assigned": ("Unit ditugaskan", "Assigned units"),
    "detail.gone": ("Insiden ini tidak ada lagi", "This incident no longer exists"),
    # logbook and outbox screens
    "logbook.title": ("Buku piket — keputusan shift ini", "Logbook — this shift's decisions"),
    "logbook.empty": ("Belum ada keputusan tercatat.", "No decisions logged yet."),
    "logbook.broken": (
        "RANTAI BUKU PIKET RUSAK di catatan {n}: {reason}",
        "LOGBOOK CHAIN BROKEN at record {n}: {reason}",
    ),
    "outbox.title": ("Antrean perintah ke hub", "Commands queued for the hub"),
    "outbox.empty": ("Antrean kosong.", "The outbox is empty."),
    "outcome.accepted": ("diterima", "accepted"),
    "outcome.rejected": ("ditolak", "rejected"),
    "outcome.queued": ("antre", "queued"),
    "outcome.pending": ("terkirim", "sent"),
    # map legend
    "map.legend": (
        "aman · rawan · sangat rawan · ● insiden · ▲ unit · ◆ terpilih",
        "low · medium · high risk · ● incident · ▲ unit · ◆ selected",
    ),
    "map.zoom": ("zoom {zoom}x", "zoom {zoom}x"),
    "maplabel.title": ("Peta", "Map"),
    "maplabel.low": ("aman", "low"),
    "maplabel.medium": ("rawan", "medium"),
    "maplabel.high": ("sangat rawan", "high risk"),
    "maplabel.incident": ("insiden (prioritas)", "incident (priority)"),
    "maplabel.unit": ("unit", "unit"),
    "maplabel.moving": ("bergerak", "moving"),
    "maplabel.on_scene": ("di lokasi", "on scene"),
    "maplabel.recommended": ("disarankan", "recommended"),
    "maplabel.selected": ("terpilih", "selected"),
    "maplabel.zoom": ("zoom {zoom}×", "zoom {zoom}×"),
    # alerts (message keys from domain/rules; params as the rules give them)
    "col.severity": ("Tingkat", "Level"),
    "col.alert": ("Peringatan", "Alert"),
    "col.key": ("Tombol", "Key"),
    "key.alerts": ("Peringatan", "Alerts"),
    "severity.warning": ("awas", "warning"),
    "severity.alarm": ("BAHAYA", "ALARM"),
    "header.alarms": ("{count} bahaya", "{count} alarms"),
    "alert.understaffed": (
        "{tps_name} ({district}, {risk}): {posted} dari {required} personel di pos",
        "{tps_name} ({district}, {risk} risk): {posted} of {required} officers posted",
    ),
    "alert.checkpoint": (
        "{count} TPS terlambat tahap '{stage}' (batas {due}): {sample}",
        "{count} TPS missed '{stage}' (due {due}): {sample}",
    ),
    "alert.timer.unacknowledged": (
        "P{priority} {incident_id} belum diterima {minutes} menit",
        "P{priority} {incident_id} not acknowledged for {minutes} min",
    ),
    "alert.timer.not_moving": (
        "P{priority} {incident_id}: unit dikirim {minutes} menit lalu, belum bergerak",
        "P{priority} {incident_id}: units dispatched {minutes} min ago, none moving",
    ),
    "alert.timer.no_contact": (
        "P{priority} {incident_id}: unit di lokasi tanpa kabar {minutes} menit",
        "P{priority} {incident_id}: no contact from units on scene for {minutes} min",
    ),
    "alert.timer.target": (
        "P{priority} {incident_id}: target tiba {target} hampir lewat, {minutes} menit "
        "sejak laporan",
        "P{priority} {incident_id}: on-scene target {target} passing, {minutes} min since report",
    ),
    "alert.spread": (
        "{count} insiden terkait dalam {radius_km} km / {window_minutes} menit di sekitar "
        "{place}: waspada meluas",
        "{count} related incidents within {radius_km} km / {window_minutes} min around "
        "{place}: possible spread",
    ),
    "notify.alarm": ("BAHAYA: {text} — {hint}", "ALARM: {text} — {hint}"),
    "pinned.cluster": (
        "⚠ MELUAS: {count} insiden terkait di {place} ({districts})",
        "⚠ SPREADING: {count} related incidents at {place} ({districts})",
    ),
    # actions (for notifications and the logbook)
    "action.reported": ("dilaporkan", "reported"),
    "action.officer": ("laporan unit", "unit report"),
    "col.by": ("Oleh", "By"),
    "col.action": ("Tindakan", "Action"),
    "col.note": ("Catatan", "Note"),
    "col.outcome": ("Hasil", "Outcome"),
    "action.acknowledge": ("Terima", "Acknowledge"),
    "action.assign": ("Kirim unit", "Assign"),
    "action.release": ("Tarik unit", "Release"),
    "action.escalate": ("Eskalasi", "Escalate"),
    "action.verify": ("Verifikasi", "Verify"),
    "action.resolve": ("Selesaikan", "Resolve"),
    "action.cancel": ("Batalkan", "Cancel"),
    "action.note": ("Catatan", "Note"),
}


KNOWN_KEYS = frozenset(MESSAGES)


class Catalogue:
    def __init__(self, lang: str = "id") -> None:
        self.lang = "id"
        self.set_language(lang)

    def set_language(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; one of {', '.join(LANGUAGES)}")
        self.lang = lang

    def text(self, key: str, **params: object) -> str:
        pair = MESSAGES[key]
        template = pair[0] if self.lang == "id" else pair[1]
        return template.format(**params) if params else template

    def known_keys(self) -> frozenset[str]:
        return KNOWN_KEYS

    def enum(self, prefix: str, value: object) -> str:
        """The word for an enum value, e.g. enum('risk', Risk.HIGH) → 'sangat rawan'."""
        raw = getattr(value, "value", value)
        key = f"{prefix}.{raw}"
        return self.text(key) if key in MESSAGES else str(raw)


def missing_keys(messages: Mapping[str, tuple[str, str]] = MESSAGES) -> list[str]:
    """Keys whose text is empty in either language."""
    return [key for key, pair in messages.items() if len(pair) != 2 or not all(pair)]
