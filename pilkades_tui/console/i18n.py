"""Every word the console shows, in Bahasa Indonesia (default) and English: one part of
the project's catalogue (pilkades_tui/i18n.py).

Domain words stay as the officers say them in both languages (TPS, Polsek, Polres,
Bhabinkamtibmas, Dalmas).
"""

from __future__ import annotations

# key: (Bahasa Indonesia, English)
CONSOLE_MESSAGES: dict[str, tuple[str, str]] = {
    # panes and header
    "pane.tps": ("TPS", "TPS"),
    "pane.incidents": ("Insiden", "Incidents"),
    "pane.officers": ("Unit", "Units"),
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
    "col.fix_age": ("Umur fix", "Fix age"),
    "col.distance": ("Jarak", "Distance"),
    "col.eta": ("Tiba", "ETA"),
    "summary.district": (
        "{district}: {tps} TPS · partisipasi {turnout:.0%} · {high} sangat rawan · "
        "{incidents} insiden terbuka",
        "{district}: {tps} TPS · turnout {turnout:.0%} · {high} high-risk · "
        "{incidents} open incidents",
    ),
    "summary.total": ("{shown} dari {total} baris", "{shown} of {total} rows"),
    "empty.incidents": ("Tidak ada insiden terbuka saat ini.", "No open incidents right now."),
    "empty.incidents_waiting": (
        "Umpan hub berjalan: laporan baru dari lapangan muncul di sini begitu masuk, "
        "paling mendesak di atas.",
        "The hub's feed is running: new field reports appear here as they come in, "
        "most urgent on top.",
    ),
    "empty.incidents_closed": (
        "{count} insiden sudah ditutup — {command} untuk melihat riwayatnya.",
        "{count} incidents already closed — {command} shows their timelines.",
    ),
    "empty.incidents_keys": (
        "Sementara itu: {tps} TPS · {map} peta · {alerts} peringatan · {help} bantuan",
        "Meanwhile: {tps} TPS · {map} map · {alerts} alerts · {help} help",
    ),
    "empty.filtered": (
        "Tidak ada insiden yang cocok dengan saringan — {clear} menghapus saringan.",
        "No incident matches the filter — {clear} lifts it.",
    ),
    "empty.rows": ("Tidak ada baris yang cocok.", "No matching rows."),
    # Durations that cannot be misread (51m reads as metres): minutes, then hours too.
    "unit.minutes": ("{minutes} mnt", "{minutes} min"),
    "unit.hours": ("{hours} j", "{hours} h"),
    "unit.hours_minutes": ("{hours} j {minutes} mnt", "{hours} h {minutes} min"),
    "never": ("belum", "never"),
    # keys (footer and help)
    "key.tps": ("TPS", "TPS"),
    "key.incidents": ("Insiden", "Incidents"),
    "key.officers": ("Unit", "Units"),
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
    "cmd.bad_value": ("Nilai tidak dikenal: {value}", "Unknown value: {value}"),
    "cmd.regency_unknown": (
        "Kabupaten tidak dikenal: {name} (di peta hub: {names})",
        "Unknown kabupaten: {name} (on the hub's map: {names})",
    ),
    "usage.kabupaten": (":kabupaten NAMA", ":kabupaten NAME"),
    "cmdhelp.kabupaten": (
        "saring semua panel dan peta ke satu kabupaten",
        "narrow every pane and the map to one kabupaten",
    ),
    # the command table (console/commands.py): how each is typed, and what it does
    "usage.theme": (":theme NAMA", ":theme NAME"),
    "usage.lang": (":lang id|en", ":lang id|en"),
    "usage.kecamatan": (":kecamatan NAMA", ":kecamatan NAME"),
    "usage.risk": (":risk aman|rawan|sangat rawan", ":risk low|medium|high"),
    "usage.phase": (":phase TAHAP", ":phase PHASE"),
    "usage.clear": (":clear", ":clear"),
    "usage.handover": (":handover NAMA", ":handover NAME"),
    "usage.checkpoints": (":checkpoints", ":checkpoints"),
    "usage.logbook": (":logbook", ":logbook"),
    "usage.outbox": (":outbox", ":outbox"),
    "usage.help": (":help", ":help"),
    "usage.quit": (":quit", ":quit"),
    "cmdhelp.theme": ("ganti tema warna", "switch the colour theme"),
    "cmdhelp.lang": ("ganti bahasa", "switch the language"),
    "cmdhelp.kecamatan": (
        "saring semua panel ke satu kecamatan",
        "narrow every pane to one kecamatan",
    ),
    "cmdhelp.risk": ("saring menurut kerawanan", "filter by risk class"),
    "cmdhelp.phase": ("saring TPS menurut tahap", "filter TPS by phase"),
    "cmdhelp.clear": ("hapus semua saringan", "clear every filter"),
    "cmdhelp.handover": ("serah terima piket ke NAMA", "hand the shift over to NAME"),
    "cmdhelp.checkpoints": ("tahapan seluruh kabupaten", "checkpoints across the kabupaten"),
    "cmdhelp.logbook": ("buka buku piket", "open the logbook"),
    "cmdhelp.outbox": ("perintah yang masih antre", "commands waiting for the hub"),
    "cmdhelp.help": ("bantuan: tombol dan perintah", "help: keys and commands"),
    "cmdhelp.quit": ("keluar dari konsol", "quit the console"),
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
        "{action}: {message} Perintah diantrekan dan dikirim ulang otomatis.",
        "{action}: {message} The command is queued and sent again by itself.",
    ),
    "notify.rejected": (
        "{action} ditolak: {message} (rincian teknis: {logbook} buku piket)",
        "{action} refused: {message} (technical detail: {logbook} logbook)",
    ),
    "notify.conflict": (
        "{action} bentrok: {message} Data diperbarui, silakan putuskan lagi. "
        "(rincian teknis: {logbook} buku piket)",
        "{action} conflicts: {message} Record refreshed, decide again. "
        "(technical detail: {logbook} logbook)",
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
    "dialog.ack": ("Terima {subject}?", "Acknowledge {subject}?"),
    "dialog.assign": ("Kirim unit ke {subject}", "Assign units to {subject}"),
    "dialog.escalate": ("Eskalasi {subject} ke:", "Escalate {subject} to:"),
    "dialog.resolve": ("Selesaikan {subject}?", "Resolve {subject}?"),
    "dialog.cancel_report": (
        "Batalkan {subject} sebagai laporan palsu?",
        "Cancel {subject} as a false report?",
    ),
    "dialog.note": ("Catatan untuk {subject}:", "Note for {subject}:"),
    "dialog.log": ("Catat keputusan", "Log a decision"),
    "dialog.log_category": ("Kategori", "Category"),
    "dialog.log_text": ("Isi keputusan", "Decision"),
    "dialog.verify": ("Verifikasi {subject}:", "Verify {subject}:"),
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
    # closed incidents (`:closed`, `:selesai`)
    "closed.title": (
        "Insiden ditutup — {shown} dari {total} (selesai, dibatalkan, tidak benar)",
        "Closed incidents — {shown} of {total} (resolved, cancelled, invalid)",
    ),
    "closed.placeholder": (
        "saring: id, kategori, desa, kecamatan, petugas… (enter: ke daftar)",
        "filter: id, category, village, kecamatan, officer… (enter: to the list)",
    ),
    "help.closed": ("Insiden ditutup (:closed)", "Closed incidents (:closed)"),
    "closed.none": ("Belum ada insiden yang ditutup.", "No incident has been closed yet."),
    "col.closed_as": ("Ditutup", "Closed as"),
    "col.closed_at": ("Jam", "At"),
    "usage.closed": (":closed [SARINGAN]", ":closed [FILTER]"),
    "cmdhelp.closed": (
        "insiden yang sudah ditutup, dengan riwayatnya",
        "closed incidents, with their timelines",
    ),
    "notify.already_acknowledged": (
        "{id} sudah diterima (status: {status}) — tidak perlu diterima lagi",
        "{id} is already acknowledged (status: {status}) — nothing to acknowledge",
    ),
    # safety of closing actions and the queue's id and timers (issue 15: safety)
    "col.age": ("Usia", "Age"),
    "col.target_due": ("Tenggat", "Due in"),
    "dialog.subject": ("{id} — {category}, {place}", "{id} — {category}, {place}"),
    "dialog.invalid": (
        "Nyatakan {subject} tidak benar? Insiden ditutup sebagai laporan tidak benar.",
        "Verify {subject} as invalid? The incident closes as a false report.",
    ),
    "dialog.escalate_confirm": (
        "Eskalasi {subject} ke {level}? {level} akan diberi tahu.",
        "Escalate {subject} to {level}? {level} will be alerted.",
    ),
    "dialog.reason": (
        "Alasan (wajib; dikirim ke hub dan dicatat di buku piket):",
        "Reason (required; sent to the hub and written to the logbook):",
    ),
    "dialog.reason_required": (
        "Alasan wajib diisi sebelum insiden ditutup",
        "A reason is required before the incident is closed",
    ),
    "dialog.type_number": (
        "Prioritas P{priority}: ketik nomor insiden ({number} atau {id}) untuk memastikan:",
        "Priority P{priority}: type the incident's number ({number} or {id}) to confirm:",
    ),
    "dialog.number_mismatch": (
        "Nomor tidak cocok dengan {id}: insiden tidak ditutup",
        "The number does not match {id}: the incident stays open",
    ),
    "dialog.warn_unacknowledged": (
        "Perhatian: {id} belum pernah diterima.",
        "Note: {id} was never acknowledged.",
    ),
    "dialog.warn_no_unit": (
        "Perhatian: belum ada unit yang pernah dikirim ke {id}.",
        "Note: no unit was ever sent to {id}.",
    ),
    # the hub's refusals in the officer's words (feed/results.py REFUSAL_REASONS)
    "hub.busy": (
        "unit tidak siaga: {units}. Pilih unit lain.",
        "unit not available: {units}. Choose another.",
    ),
    "hub.not_assigned": (
        "unit tidak ditugaskan pada insiden ini: {units}.",
        "units not assigned to this incident: {units}.",
    ),
    "hub.changed": (
        "{subject} sudah diubah orang lain lebih dulu (kini {status}).",
        "{subject} was changed by someone else first (now {status}).",
    ),
    "hub.closed": (
        "{subject} sudah ditutup ({status}).",
        "{subject} is already closed ({status}).",
    ),
    "hub.escalated": (
        "{subject} sudah dieskalasi ke {escalation}.",
        "{subject} is already escalated to {escalation}.",
    ),
    "hub.not_forward": (
        "{subject} kini {status}: langkah ini tidak bisa mundur.",
        "{subject} is now {status}: this step cannot go back.",
    ),
    "hub.conflict": (
        "keputusan ini bentrok dengan keadaan terbaru di hub.",
        "this decision conflicts with the hub's latest state.",
    ),
    "hub.not_found": ("hub tidak mengenal {subject}.", "the hub does not know {subject}."),
    "hub.unauthorized": (
        "hub menolak token konsol ini: tidak dikenal atau sudah dicabut.",
        "the hub refused this console's token: unknown or revoked.",
    ),
    "hub.forbidden": (
        "token konsol ini tidak berwenang mengambil keputusan ini; minta token dengan "
        "wewenang lebih tinggi kepada operator hub.",
        "this console's token may not take this decision; ask the hub operator for a token "
        "with a higher role.",
    ),
    "hub.invalid": (
        "hub menolak isian perintah ini sebagai tidak sah.",
        "the hub refused the command's fields as invalid.",
    ),
    "hub.too_large": ("perintah terlalu besar untuk hub.", "the command is too large for the hub."),
    "hub.bad_request": (
        "hub tidak dapat membaca perintah ini.",
        "the hub could not read this command.",
    ),
    "hub.not_sent": (
        "perintah tidak dikirim: isiannya tidak memenuhi protokol.",
        "not sent: its fields do not meet the protocol.",
    ),
    "hub.rate_limited": ("hub sedang sibuk menerima laporan.", "the hub is busy with reports."),
    "hub.unavailable": (
        "hub sedang bermasalah dan belum bisa mencatat.",
        "the hub is in trouble and cannot record yet.",
    ),
    "hub.unreachable": ("hub tidak terjangkau.", "the hub is out of reach."),
    "hub.queued_behind": (
        "perintah sebelumnya masih menunggu hub.",
        "earlier commands are still waiting for the hub.",
    ),
    "hub.other": ("hub menolak perintah ini (HTTP {code}).", "the hub refused it (HTTP {code})."),
    "hub.unit_busy": ("{unit} ({status}, {incident})", "{unit} ({status}, {incident})"),
    "hub.unit_free": ("{unit} ({status})", "{unit} ({status})"),
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
    "maplabel.recommended": ("disarankan, terbaik dulu", "recommended, best first"),
    "maplabel.selected": ("insiden terpilih", "selected incident"),
    "maplabel.zoom": ("zoom {zoom}×", "zoom {zoom}×"),
    "maplabel.waiting": ("menunggu peta dari hub", "waiting for the hub's map"),
    # map for dispatch: the outline rendering's two kinds of border (TERM=linux)
    "maplabel.district_border": ("batas kecamatan", "kecamatan border"),
    "maplabel.village_border": ("batas desa", "village border"),
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
    # alarms that help (issue 15): a kecamatan's understaffed TPS as one alert, staffing
    # in whole officers and the pattern ("1/2", "1/2 per 5 TPS")
    "alert.understaffed_shared": (
        "{tps_name} ({district}, {risk}): {posted} personel di pos, pola {required} per "
        "{per_tps} TPS",
        "{tps_name} ({district}, {risk} risk): {posted} officers posted, pattern "
        "{required} per {per_tps} TPS",
    ),
    "alert.understaffed_district": (
        "{count} TPS di {district} kurang personel, {empty} tanpa personel: {sample}",
        "{count} TPS in {district} short of officers, {empty} with none: {sample}",
    ),
    "alert.understaffed_thin": (
        "{count} TPS di {district} kurang personel: {sample}",
        "{count} TPS in {district} short of officers: {sample}",
    ),
    "key.expand": ("buka", "expand"),
    "key.fold": ("tutup", "fold"),
    "staffing.cell": ("{posted}/{officers}", "{posted}/{officers}"),
    # Officers shared among TPS: no "1/2", which would read as short when one guard for
    # two TPS is more than the pattern asks; the officers posted, then the pattern.
    "staffing.cell_shared": (
        "{posted} · {officers} per {per_tps}",
        "{posted} · {officers} per {per_tps}",
    ),
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
    "action.report": ("Laporan baru", "New report"),
    "action.tps_status": ("Status TPS", "TPS status"),
    "action.officer_status": ("Status unit", "Unit status"),
    "action.position": ("Posisi unit", "Unit position"),
    # call-taking (console/screens/intake.py)
    "key.new_incident": ("terima laporan", "take a report"),
    "key.tps_status": ("catat status TPS", "record TPS status"),
    "key.unit_status": ("catat status/posisi unit", "record unit status/position"),
    "key.send_report": ("kirim", "send"),
    "key.pick_place": ("pilih tempat", "pick a place"),
    "help.intake": ("Menerima laporan", "Taking reports"),
    "intake.title": ("Laporan baru (telepon/HT)", "New report (phone/radio)"),
    "intake.place": ("Tempat: TPS, desa atau kecamatan", "Place: TPS, village or kecamatan"),
    "intake.place_hint": ("mis. kajen 3 atau bukur", "e.g. kajen 3 or bukur"),
    "intake.place_chosen": ("Tempat: {place}", "Place: {place}"),
    "intake.no_place": ("Tidak ada tempat yang cocok", "No place matches"),
    "intake.village": ("desa, tanpa TPS", "village, no TPS"),
    "intake.category": ("Jenis kejadian", "Category"),
    "intake.priority": ("Prioritas", "Priority"),
    "intake.description": ("Uraian", "Description"),
    "intake.reporter": ("Pelapor", "Reporter"),
    "intake.channel": ("Lewat", "Channel"),
    "intake.choose": ("pilih…", "choose…"),
    "intake.unchanged": ("tidak berubah", "unchanged"),
    "intake.why": (
        "Usulan P{priority}: {category} P{base}",
        "Proposed P{priority}: {category} P{base}",
    ),
    "intake.why_raised": (
        ", naik satu tingkat karena {place} sangat rawan",
        ", raised one level as {place} is high-risk",
    ),
    "intake.missing": ("Belum diisi: {fields}", "Missing: {fields}"),
    "intake.too_long": (
        "Uraian terlalu panjang: {length} karakter, batas protokol {limit}",
        "Description too long: {length} characters, the protocol's limit is {limit}",
    ),
    "intake.duplicate": (
        "Mungkin sudah dilaporkan: {id} {category} di {place}, {minutes} menit lalu, "
        "{distance} m, {status}",
        "Possibly already reported: {id} {category} at {place}, {minutes} min ago, "
        "{distance} m, {status}",
    ),
    "intake.duplicate_ask": (
        "Laporan ini mungkin sama dengan {id}. Apa yang dilakukan?",
        "This call may repeat {id}. What now?",
    ),
    "intake.as_note": ("Tambahkan sebagai catatan pada {id}", "Add it as a note to {id}"),
    "intake.as_new": ("Tetap kirim sebagai insiden baru", "Send it as a new incident anyway"),
    "intake.back": ("Kembali ke isian", "Back to the form"),
    "intake.note_text": (
        "Laporan lewat {channel} dari {by}: {text}",
        "Call by {channel} from {by}: {text}",
    ),
    "intake.discard": ("Buang isian yang sudah diketik?", "Throw away what was typed?"),
    "intake.tps_title": (
        "Status {tps} dilaporkan lewat telepon",
        "Status of {tps} reported by phone",
    ),
    "intake.phase": ("Tahap TPS", "TPS phase"),
    "intake.ballots": (
        "Surat suara masuk (dari {voters} pemilih)",
        "Ballots cast (of {voters} voters)",
    ),
    "intake.health": ("Protokol kesehatan", "Health protocol"),
    "intake.note": ("Catatan", "Note"),
    "intake.nothing": ("Isi sedikitnya satu hal", "Give at least one thing"),
    "intake.bad_ballots": (
        "Surat suara masuk harus bilangan 0 sampai {voters}",
        "Ballots cast must be a whole number from 0 to {voters}",
    ),
    "intake.unit_title": ("Laporan radio dari {unit}", "Radio report from {unit}"),
    "intake.unit_status": ("Status unit", "Unit status"),
    "intake.unit_place": (
        "Posisi: TPS atau desa (kosong: tidak berubah)",
        "Position: TPS or village (empty: unchanged)",
    ),
    "notify.select_tps": ("Pilih TPS dulu", "Select a TPS first"),
    "notify.select_officer": ("Pilih unit dulu", "Select a unit first"),
    "notify.incident_created": ("Insiden {id} tercatat di hub", "Incident {id} is on the hub"),
    # the unit board (widgets/officer_pane.py, screens/unit_detail.py) and recalling a unit
    "units.title": ("{title} — {counts}", "{title} — {counts}"),
    "units.count": ("{count} {status}", "{count} {status}"),
    "col.status_for": ("Lamanya", "For"),
    "unit.km": ("{km:.1f} km", "{km:.1f} km"),
    "key.unit_detail": ("rincian unit", "unit detail"),
    "key.release": ("tarik unit dari insiden", "recall from its incident"),
    "help.units": ("Papan unit", "Unit board"),
    "unit_detail.title": ("Unit {id}", "Unit {id}"),
    "unit_detail.gone": ("Unit ini tidak ada lagi", "This unit no longer exists"),
    "unit_detail.status": (
        "{status} sejak {at} WIB ({duration})",
        "{status} since {at} WIB ({duration})",
    ),
    "unit_detail.status_unknown": (
        "{status} (sejak kapan tidak diketahui)",
        "{status} (since when unknown)",
    ),
    "unit_detail.place": (
        "Posisi terakhir: dekat {place} ({km} dari {tps}), fix {at} WIB ({age} lalu)",
        "Last position: near {place} ({km} from {tps}), fix at {at} WIB ({age} ago)",
    ),
    "unit_detail.no_fix": ("Posisi terakhir: belum ada fix", "Last position: no fix yet"),
    "unit_detail.post": ("Pos: {tps}", "Post: {tps}"),
    "unit_detail.contact": ("Kabar terakhir {at} WIB", "Last contact {at} WIB"),
    "unit_detail.phone": ("Telepon {phone}", "Phone {phone}"),
    "unit_detail.nrp": ("NRP {nrp}", "NRP {nrp}"),
    "unit_detail.incident": (
        "Tugas: {id} — P{priority} {category}, {place} ({status}), {km} dari unit",
        "Assigned: {id} — P{priority} {category}, {place} ({status}), {km} from the unit",
    ),
    "unit_detail.no_incident": ("Tugas: tidak ada insiden", "Assigned: no incident"),
    "unit_detail.history": ("Riwayat unit", "Unit history"),
    "unit_detail.history_none": (
        "Belum ada perubahan status atau penugasan yang tercatat.",
        "No status change or assignment recorded yet.",
    ),
    "unit_detail.became": ("menjadi {status}", "became {status}"),
    "unit_detail.left": ("lepas dari {id}", "left {id}"),
    "unit_detail.seen": ("terlihat oleh konsol", "seen by the console"),
    "dialog.release": (
        "Tarik {unit} ({name}) dari {id} — {category}, {place}?",
        "Recall {unit} ({name}) from {id} — {category}, {place}?",
    ),
    "notify.unit_free": (
        "{unit} tidak sedang ditugaskan ke insiden terbuka — tidak ada yang ditarik",
        "{unit} is not on an open incident — nothing to recall",
    ),
    # layouts: several panes at once on a wide screen (console/layouts.py)
    "pane.brief": ("Insiden terpilih", "Selected incident"),
    "pane.board": ("Papan kecamatan", "Kecamatan board"),
    "brief.none": (
        "Pilih insiden di antrean: rinciannya dan unit terdekat tampil di sini",
        "Select an incident in the queue: its detail and nearest units show here",
    ),
    "col.tps_count": ("TPS", "TPS"),
    "col.board_setup": ("Persiapan", "Setup"),
    "col.board_voting": ("Pungut", "Voting"),
    "col.board_counting": ("Hitung", "Counting"),
    "col.board_done": ("Selesai", "Done"),
    "col.open_incidents": ("Insiden", "Open inc."),
    "col.board_p1": ("P1", "P1"),
    "usage.layout": (":layout auto|single|desk|wall", ":layout auto|single|desk|wall"),
    "cmdhelp.layout": (
        "tata letak: satu panel, meja, layar dinding; diingat",
        "layout: one pane, desk, wall screen; remembered",
    ),
    "layout.set": ("Tata letak: {name}", "Layout: {name}"),
    "layout.too_narrow": (
        "Tata letak {name} tersimpan; layar terlalu sempit, sementara {shown}",
        "Layout {name} saved; the terminal is too narrow, {shown} meanwhile",
    ),
    "layout.not_saved": (
        "Tata letak berlaku, tetapi tidak tersimpan: {error}",
        "Layout taken, but not saved: {error}",
    ),
}
