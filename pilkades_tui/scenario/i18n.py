"""The words of `pilkades-tui scenario` and of a hub seeded from a folder, Bahasa
Indonesia first and English second: one part of the project's catalogue
(pilkades_tui/i18n.py), where each key here is `scenario.<key>`."""

from __future__ import annotations

SCENARIO_PREFIX = "scenario."

# key (without the prefix): (Bahasa Indonesia, English)
_WORDS: dict[str, tuple[str, str]] = {
    # where a problem is
    "at.file": ("{file}", "{file}"),
    "at.sheet": ("lembar {sheet}", "sheet {sheet}"),
    "at.row": ("baris {row}", "row {row}"),
    "at.column": ("kolom {column}", "column {column}"),
    "at.feature": ("fitur ke-{number}", "feature {number}"),
    "at.value": ("isi «{value}»", "value «{value}»"),
    "suggest": ("Mungkin maksudnya: {names}?", "Did you mean: {names}?"),
    "summary.problems": (
        "{count} masalah ditemukan; tidak ada yang dimuat.",
        "Problems found: {count}; nothing was loaded.",
    ),
    "summary.ok": (
        "Folder {folder} siap: {tps} TPS di {villages} desa, {officers} personel/satuan, "
        "{regencies} kabupaten.",
        "Folder {folder} is ready: {tps} TPS in {villages} villages, {officers} personnel "
        "and units, {regencies} kabupaten.",
    ),
    "hub.refused": (
        "Hub tidak dijalankan: data skenario belum benar.",
        "The hub was not started: the scenario data is not right yet.",
    ),
    # the folder
    "folder.missing": (
        "Folder {folder} tidak ada atau bukan folder.",
        "{folder} does not exist or is not a folder.",
    ),
    "folder.empty": (
        "Folder {folder} kosong: isi dengan tps.csv, personil.csv, desa.csv (atau satu berkas "
        ".xlsx berlembar tps, personil, desa) dan boundaries.geojson. Contohnya dibuat oleh "
        "`pilkades-tui scenario template --out {folder}`.",
        "The folder {folder} is empty: put tps.csv, personil.csv, desa.csv (or one .xlsx file "
        "with sheets tps, personil, desa) and boundaries.geojson in it. "
        "`pilkades-tui scenario template --out {folder}` writes examples.",
    ),
    "folder.no_boundaries": (
        "boundaries.geojson tidak ada: batas desa, kecamatan dan kabupaten diperlukan.",
        "boundaries.geojson is missing: the village, kecamatan and kabupaten outlines are needed.",
    ),
    "folder.no_table": (
        "{name}.csv tidak ada (dan tidak ada berkas .xlsx dengan lembar {name}).",
        "{name}.csv is missing (and there is no .xlsx file with a sheet {name}).",
    ),
    "folder.many_workbooks": (
        "Ada {count} berkas .xlsx ({files}); sisakan satu saja.",
        "There are {count} .xlsx files ({files}); leave just one.",
    ),
    "folder.both": (
        "Ada {csv} dan juga {xlsx}; pakai CSV atau .xlsx saja, jangan keduanya.",
        "There is {csv} and also {xlsx}; use CSV or .xlsx, not both.",
    ),
    "folder.no_sheet": (
        "Lembar {name} tidak ada; lembar yang ada: {sheets}.",
        "There is no sheet {name}; the sheets are: {sheets}.",
    ),
    "sheet.unreadable": ("Berkas tidak terbaca: {error}.", "The file cannot be read: {error}."),
    "sheet.not_xlsx": (
        "Bukan buku kerja Excel (.xlsx) yang bisa dibaca: {error}.",
        "Not a readable Excel workbook (.xlsx): {error}.",
    ),
    "sheet.empty": (
        "Tidak ada baris judul; baris pertama harus berisi: {expected}.",
        "There is no header row; the first row must hold: {expected}.",
    ),
    "header.missing": (
        "Judul kolom {missing} tidak ada. Judul yang diharapkan: {expected}.",
        "The column {missing} is missing. The expected headers are: {expected}.",
    ),
    "header.unknown": (
        "Judul kolom tidak dikenal. Judul yang diharapkan: {expected}.",
        "Unknown column header. The expected headers are: {expected}.",
    ),
    "header.duplicate": ("Judul kolom ini muncul dua kali.", "This column header appears twice."),
    # boundaries.geojson
    "geo.not_json": (
        "Bukan GeoJSON: berkas ini bukan JSON yang sah ({error}).",
        "Not GeoJSON: the file is not valid JSON ({error}).",
    ),
    "geo.not_geojson": (
        "Bukan GeoJSON: harus berupa FeatureCollection dengan daftar features.",
        "Not GeoJSON: it must be a FeatureCollection with a list of features.",
    ),
    "geo.no_villages": (
        'Tidak ada satu pun desa (fitur dengan properties.level = "village").',
        'There is not a single village (a feature with properties.level = "village").',
    ),
    "geo.feature_shape": (
        "Fitur tanpa properties.",
        "A feature without properties.",
    ),
    "geo.level": (
        "properties.level «{value}» bukan village, district atau regency.",
        "properties.level «{value}» is not village, district or regency.",
    ),
    "geo.code": (
        "properties.code «{value}» bukan kode wilayah Kemendagri untuk tingkat ini "
        "(contoh desa: 33.26.01.2001).",
        "properties.code «{value}» is not a Kemendagri region code for this level "
        "(a village's looks like 33.26.01.2001).",
    ),
    "geo.name": ("Wilayah {code} tanpa properties.name.", "Region {code} has no properties.name."),
    "geo.geometry": (
        "Wilayah {code} {name}: geometry harus Polygon atau MultiPolygon [lon, lat].",
        "Region {code} {name}: the geometry must be a Polygon or MultiPolygon of [lon, lat].",
    ),
    "geo.duplicate": (
        "Kode {code} sudah ada di fitur ke-{first}.",
        "The code {code} is already used by feature {first}.",
    ),
    "geo.no_district": (
        'Desa {code} {name}: kecamatan {district} tidak punya batas (level "district").',
        'Village {code} {name}: its kecamatan {district} has no outline (level "district").',
    ),
    # cells
    "cell.required": ("Wajib diisi.", "Must be filled in."),
    "cell.code": (
        "Bukan kode desa (contoh: 33.26.01.2001 atau 3326012001).",
        "Not a village code (e.g. 33.26.01.2001 or 3326012001).",
    ),
    "cell.unknown_code": (
        "Kode desa ini tidak ada di boundaries.geojson.",
        "This village code is not in boundaries.geojson.",
    ),
    "cell.code_name": (
        "Kode {code} adalah desa {village} (Kec. {district}), bukan «{given}».",
        "The code {code} is the village {village} (Kec. {district}), not «{given}».",
    ),
    "cell.village_or_code": (
        "Isi kode_desa, atau desa dan kecamatan.",
        "Fill in kode_desa, or desa and kecamatan.",
    ),
    "cell.unknown_district": (
        "Kecamatan ini tidak ada di boundaries.geojson.",
        "This kecamatan is not in boundaries.geojson.",
    ),
    "cell.unknown_village": (
        "Desa ini tidak ada di Kecamatan {district}.",
        "There is no such village in Kecamatan {district}.",
    ),
    "cell.ambiguous_village": (
        "Ada lebih dari satu desa bernama ini di kecamatan bernama {district} ({codes}); "
        "isi kode_desa.",
        "More than one village has this name in a kecamatan named {district} ({codes}); "
        "fill in kode_desa.",
    ),
    "cell.ambiguous_district": (
        "Ada lebih dari satu kecamatan bernama ini ({codes}); isi kodenya.",
        "More than one kecamatan has this name ({codes}); give its code.",
    ),
    "cell.whole_number": (
        "Harus bilangan bulat {minimum} atau lebih.",
        "Must be a whole number of {minimum} or more.",
    ),
    "cell.tps_number": (
        "Bukan nomor TPS (contoh: 1, 01 atau TPS 01).",
        "Not a TPS number (e.g. 1, 01 or TPS 01).",
    ),
    "cell.risk": (
        "Tingkat kerawanan tidak dikenal; pakai aman, rawan atau sangat rawan.",
        "Unknown risk class; use aman, rawan or sangat rawan.",
    ),
    "cell.kind": (
        "Jenis tidak dikenal; pakai personel, kendaraan atau tim.",
        "Unknown kind; use personel, kendaraan or tim.",
    ),
    "cell.yes_no": ("Isi ya atau tidak.", "Fill in ya or tidak."),
    "cell.coordinate": (
        "Bukan koordinat (contoh: -7,0512 atau -7.0512).",
        "Not a coordinate (e.g. -7,0512 or -7.0512).",
    ),
    "cell.outside_indonesia": (
        "Titik {lat}, {lon} di luar Indonesia; apakah lat dan lon tertukar?",
        "The point {lat}, {lon} lies outside Indonesia; are lat and lon swapped?",
    ),
    "cell.lat_lon_pair": (
        "Isi lat dan lon bersama-sama, atau kosongkan keduanya.",
        "Fill in lat and lon together, or leave both blank.",
    ),
    "cell.outside_village": (
        "TPS ini {km} km di luar batas desa {village}; periksa koordinat atau desanya.",
        "This TPS lies {km} km outside the outline of {village}; check its coordinates "
        "or its village.",
    ),
    "cell.callsign": (
        "Sandi tidak boleh memuat «/» atau spasi dan paling panjang 128 huruf.",
        "A callsign may not hold «/» or spaces and is 128 characters at most.",
    ),
    "cell.too_long": (
        "Terlalu panjang (paling banyak {limit} huruf).",
        "Too long ({limit} characters at most).",
    ),
    "dup.tps": (
        "TPS {number} desa {village} sudah ada di baris {first}.",
        "TPS {number} of {village} is already on row {first}.",
    ),
    "dup.callsign": (
        "Sandi ini sudah dipakai di baris {first}.",
        "This callsign is already used on row {first}.",
    ),
    "dup.village": (
        "Desa ini sudah ada di baris {first}.",
        "This village is already on row {first}.",
    ),
    "pos.form": (
        "Tulis pos_tps sebagai kode_desa/nomor_tps atau desa/nomor_tps (contoh: "
        "33.26.05.2001/01); beberapa TPS dipisah koma.",
        "Write pos_tps as kode_desa/nomor_tps or desa/nomor_tps (e.g. 33.26.05.2001/01); "
        "several TPS separated by commas.",
    ),
    "pos.unknown": (
        "Tidak ada TPS {wanted} di lembar tps.",
        "There is no TPS {wanted} in the tps table.",
    ),
    "pos.ambiguous": (
        "Ada desa bernama {village} di beberapa kecamatan; tulis kode_desa/nomor_tps.",
        "Several kecamatan have a village named {village}; write kode_desa/nomor_tps.",
    ),
    "pos.no_place": (
        "Isi kecamatan (tempat satuan bersiaga) atau pos_tps.",
        "Fill in kecamatan (where the unit starts) or pos_tps.",
    ),
    "tps.not_electing": (
        "Desa {village} ditandai pilkades = tidak di lembar desa, tetapi punya TPS.",
        "The village {village} is marked pilkades = tidak in the desa table but has a TPS.",
    ),
    "desa.no_tps": (
        "Desa ini memilih (pilkades = ya) tetapi tidak punya TPS di lembar tps.",
        "This village elects (pilkades = ya) but has no TPS in the tps table.",
    ),
    "tps.none": (
        "Tidak ada satu TPS pun: isi lembar tps.",
        "There is not a single TPS: fill in the tps table.",
    ),
    "tps.none_in_regency": (
        "{regency} ({code}) ada di boundaries.geojson tetapi tidak punya satu TPS pun.",
        "{regency} ({code}) is in boundaries.geojson but has not a single TPS.",
    ),
    "tps.risk_missing": (
        "Kerawanan kosong, dan desanya tidak diberi kerawanan di lembar desa.",
        "The risk class is blank, and the desa table gives none for its village.",
    ),
    # scenario JSON files
    "json.unreadable": (
        "Berkas skenario {file} tidak terbaca: {error}.",
        "Cannot read the scenario file {file}: {error}.",
    ),
    "json.not_object": (
        "Berkas skenario {file} harus berisi satu objek JSON (phase, tps, officers).",
        "The scenario file {file} must hold one JSON object (phase, tps, officers).",
    ),
    "json.record": (
        "Berkas skenario {file}, {place}: {reason}",
        "Scenario file {file}, {place}: {reason}",
    ),
    "json.unknown_spec": (
        "Skenario {spec!r} bukan 'pekalongan', 'none', folder, atau berkas yang ada.",
        "The scenario {spec!r} is neither 'pekalongan', 'none', a folder nor an existing file.",
    ),
    # pydantic's reasons, by error type; any other type keeps pydantic's own English
    "reason.missing": ("wajib ada", "required"),
    "reason.list_type": ("harus berupa daftar [...]", "must be a list [...]"),
    "reason.model_type": ("harus berupa objek {{...}}", "must be an object {{...}}"),
    "reason.dict_type": ("harus berupa objek {{...}}", "must be an object {{...}}"),
    "reason.string_type": ("harus berupa teks", "must be text"),
    "reason.int_parsing": ("harus bilangan bulat", "must be a whole number"),
    "reason.int_type": ("harus bilangan bulat", "must be a whole number"),
    "reason.float_parsing": ("harus bilangan", "must be a number"),
    "reason.float_type": ("harus bilangan", "must be a number"),
    "reason.less_than_equal": ("paling besar {le}", "must be at most {le}"),
    "reason.greater_than_equal": ("paling kecil {ge}", "must be at least {ge}"),
    "reason.enum": ("harus salah satu dari {expected}", "must be one of {expected}"),
    "reason.datetime_from_date_parsing": (
        "harus waktu ISO 8601 dengan zona (2024-02-14T07:00:00+07:00)",
        "must be an ISO 8601 time with its zone (2024-02-14T07:00:00+07:00)",
    ),
    "reason.timezone_aware": (
        "harus waktu dengan zona (+07:00)",
        "must be a time with its zone (+07:00)",
    ),
    # template and export
    "template.written": ("Ditulis: {files}", "Written: {files}"),
    "template.exists": (
        "{path} sudah ada; pilih folder --out yang kosong agar tidak ada yang tertimpa.",
        "{path} already exists; choose an empty --out folder so nothing is overwritten.",
    ),
    "export.unknown": (
        "Skenario bawaan {name!r} tidak ada; yang ada: pekalongan.",
        "There is no packaged scenario {name!r}; there is: pekalongan.",
    ),
}


SCENARIO_MESSAGES = {SCENARIO_PREFIX + key: pair for key, pair in _WORDS.items()}


class Words:
    """The catalogue's scenario words in one language; a measure (a float) is written
    with the language's decimal mark."""

    def __init__(self, lang: str = "id") -> None:
        from pilkades_tui.i18n import Catalogue  # the catalogue holds this module's table

        self.catalogue = Catalogue(lang)
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        shown = {
            # A measure reads 56,8 in Bahasa Indonesia and 56.8 in English.
            name: self.decimal(value) if isinstance(value, float) else value
            for name, value in values.items()
        }
        return self.catalogue.text(SCENARIO_PREFIX + key, **shown)

    def decimal(self, value: float) -> str:
        text = f"{value:.1f}"
        return text.replace(".", ",") if self.lang == "id" else text
