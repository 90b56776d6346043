"""`pilkades-tui scenario template|check|export` and `hub --scenario FOLDER` driven as an
officer would, on files the tests write: every CSV dialect Excel makes on an Indonesian
Windows, an .xlsx workbook, and each kind of bad input (a sentence, exit 2, nothing
written)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pilkades_tui.cli import main
from pilkades_tui.domain.models import OfficerKind, Risk, Tps
from pilkades_tui.paths import hub_log_file
from pilkades_tui.scenario import ScenarioError, load_scenario
from pilkades_tui.scenario.folder import read_folder
from tests.domain.test_scenario import T0
from tests.scenario.made_up import (
    DESA_HEADER,
    TPS_HEADER,
    centre_of,
    csv_bytes,
    personil_rows,
    tps_rows,
    write_folder,
    write_workbook,
)

BAD = 2


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_is_filled_in_and_passes_its_own_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    out = tmp_path / "baru"
    code, written, _ = run(capsys, "scenario", "template", "--out", str(out), "--format", fmt)
    assert code == 0 and "boundaries.geojson" in written
    if fmt == "csv":
        readme = (out / "BACA-SAYA.txt").read_text("utf-8")
        assert "tps.kerawanan" in readme and "aman · rawan · sangat rawan" in readme
        header = (out / "tps.csv").read_bytes().splitlines()[0].decode("utf-8-sig")
        assert header.split(";") == TPS_HEADER
    else:
        from openpyxl import load_workbook

        book = load_workbook(out / "skenario.xlsx")
        assert book.sheetnames == ["tps", "personil", "desa", "keterangan"]
    code, said, _ = run(capsys, "scenario", "check", str(out))
    assert code == 0 and "1 TPS" in said
    # A second template into the same folder would overwrite the officer's work.
    code, _, err = run(capsys, "scenario", "template", "--out", str(out), "--format", fmt)
    assert code == BAD and "sudah ada" in err


DIALECTS = {
    "utf8-bom-semicolon-decimal-comma": {"encoding": "utf-8-sig", "delimiter": ";"},
    "utf8-comma": {"encoding": "utf-8", "delimiter": ",", "decimal_comma": False},
    "cp1252-comma-decimal-comma-quoted": {"encoding": "cp1252", "delimiter": ","},
    "blank-rows-trailing-spaces-dotless-codes": {
        "encoding": "utf-8-sig",
        "delimiter": ";",
        "blank_rows": True,
        "trailing_spaces": True,
        "dotless_codes": True,
    },
}


@pytest.mark.parametrize("dialect", DIALECTS, ids=list(DIALECTS))
def test_each_csv_dialect_reads_the_same_election(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dialect: str
) -> None:
    personil = personil_rows()
    personil[0][1] = "Agus Santoso Sétiawan"  # a letter that cp1252 writes in one byte
    folder = write_folder(tmp_path / "f", personil=personil, **DIALECTS[dialect])
    code, said, _ = run(capsys, "scenario", "check", str(folder))
    assert code == 0, said
    assert "10 TPS di 5 desa, 4 personel/satuan, 1 kabupaten" in said
    scenario = read_folder(folder, T0)
    tps = {record.id: record for record in scenario.tps}
    first = tps["35.99.01.2001-T01"]
    lat, lon = centre_of("35.99.01.2001")
    assert (first.lat, first.lon) == (pytest.approx(lat + 0.001), pytest.approx(lon))
    assert first.address == "Balai Desa Mekarsari" and first.voters == 420
    assert first.village == "Mekarsari" and first.district == "Sukamaju Kidul"
    assert tps["35.99.02.2001-T02"].risk is Risk.HIGH
    # Without coordinates a TPS stands near its village's centre.
    second = tps["35.99.01.2001-T02"]
    assert abs(second.lat - lat) < 0.002 and abs(second.lon - lon) < 0.002
    officers = {officer.id: officer for officer in scenario.officers}
    assert officers["SMK-B01"].name == "Agus Santoso Sétiawan"
    assert officers["SMK-B01"].nrp == "85010001" and officers["SMK-B01"].phone == "081200000001"
    assert officers["SML-P1"].kind is OfficerKind.VEHICLE
    assert officers["DALMAS-1"].kind is OfficerKind.TEAM
    # One guard over two TPS: posted at the first, counted on both.
    assert officers["SML-001"].post_tps_id == "35.99.02.2001-T01"
    assert tps["35.99.02.2001-T02"].officer_ids == ["SML-001"]


def test_a_workbook_with_numbers_as_numbers_reads_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_workbook(tmp_path / "xlsx")
    code, said, _ = run(capsys, "scenario", "check", str(folder))
    assert code == 0 and "10 TPS di 5 desa" in said
    from_csv = read_folder(write_folder(tmp_path / "csv"), T0)

    def essentials(records: tuple[Tps, ...]) -> list[tuple[object, ...]]:
        # Excel keeps 15 significant digits: 112.02499999999999 comes back as 112.025.
        return [
            (t.id, t.voters, t.risk, t.address, t.officer_ids, round(t.lat, 9), round(t.lon, 9))
            for t in records
        ]

    assert essentials(read_folder(folder, T0).tps) == essentials(from_csv.tps)


def problems_of(capsys: pytest.CaptureFixture[str], folder: Path, *extra: str) -> list[str]:
    code, _, err = run(capsys, "scenario", "check", str(folder), *extra)
    assert code == BAD
    lines = err.splitlines()
    assert lines[-1] == f"{len(lines) - 1} masalah ditemukan; tidak ada yang dimuat."
    return [line.removeprefix("- ") for line in lines[:-1]]


def test_every_problem_of_a_folder_is_listed_at_once_with_its_place_and_a_suggestion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tps = tps_rows()
    tps[0][0], tps[0][1] = "", "Mekarsar"  # misspelt, by name only
    tps[3][5] = "rawn"  # row 5
    tps[5][3] = "01"  # row 7: Tegalrejo 01 twice
    tps[6][6] = -7.5  # row 8: far outside Karanganyar
    personil = personil_rows()
    personil[1][5] = "SMK-B01"  # row 3: callsign taken on row 2
    personil[2][7] = "Sumberejo/07"  # row 4: no such TPS
    problems = problems_of(capsys, write_folder(tmp_path / "f", tps=tps, personil=personil))
    assert problems == [
        "tps.csv, baris 2, kolom desa, isi «Mekarsar»: Desa ini tidak ada di Kecamatan "
        "Sukamaju Kidul. Mungkin maksudnya: Mekarsari?",
        "tps.csv, baris 5, kolom kerawanan, isi «rawn»: Tingkat kerawanan tidak dikenal; "
        "pakai aman, rawan atau sangat rawan. Mungkin maksudnya: rawan, sangat rawan, aman?",
        "tps.csv, baris 7, kolom nomor_tps, isi «01»: TPS 01 desa Tegalrejo sudah ada di baris 6.",
        "tps.csv, baris 8, kolom lat, isi «-7,5»: TPS ini 56,8 km di luar batas desa "
        "Karanganyar; periksa koordinat atau desanya.",
        "personil.csv, baris 2, kolom pos_tps, isi «35.99.01.2001/01»: Tidak ada TPS "
        "35.99.01.2001/01 di lembar tps. Mungkin maksudnya: Mekarsari/02?",
        "personil.csv, baris 3, kolom sandi, isi «SMK-B01»: Sandi ini sudah dipakai di baris 2.",
        "personil.csv, baris 4, kolom pos_tps, isi «Sumberejo/07»: Tidak ada TPS Sumberejo/07 "
        "di lembar tps. Mungkin maksudnya: Sumberejo/01, Sumberejo/02?",
    ]


def test_problems_in_english_with_lang_en(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tps = tps_rows()
    tps[0][5] = "bahaya"
    code, _, err = run(
        capsys, "scenario", "check", str(write_folder(tmp_path / "f", tps=tps)), "--lang", "en"
    )
    assert code == BAD
    assert "tps.csv, row 2, column kerawanan, value «bahaya»: Unknown risk class" in err


def test_an_empty_folder_says_what_to_put_in_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "kosong").mkdir()
    [problem] = problems_of(capsys, tmp_path / "kosong")
    assert problem.startswith(f"Folder {tmp_path / 'kosong'} kosong: isi dengan tps.csv")
    assert "pilkades-tui scenario template" in problem


def test_a_workbook_missing_a_sheet_names_the_sheets_it_has(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_workbook(tmp_path / "x", sheets=("tps", "desa"))
    assert problems_of(capsys, folder) == [
        "Data Pengamanan.xlsx: Lembar personil tidak ada; lembar yang ada: TPS, desa."
    ]


def test_a_wrong_header_names_the_expected_headers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_folder(tmp_path / "f")
    header = ["kode_des", "nomor_tps", "dpt", "kerawanan"]
    (folder / "tps.csv").write_bytes(csv_bytes(header, [["35.99.01.2001", "1", "300", "aman"]]))
    expected = ", ".join(TPS_HEADER)
    assert problems_of(capsys, folder) == [
        f"tps.csv, baris 1, kolom kode_des: Judul kolom tidak dikenal. Judul yang diharapkan: "
        f"{expected}. Mungkin maksudnya: kode_desa?",
        f"tps.csv, baris 1: Judul kolom kode_desa, desa, kecamatan tidak ada. Judul yang "
        f"diharapkan: {expected}.",
    ]


def test_boundaries_that_are_not_geojson_or_hold_no_village(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_folder(tmp_path / "f", boundaries="<kml></kml>")
    [problem] = problems_of(capsys, folder)
    assert problem.startswith("boundaries.geojson: Bukan GeoJSON: berkas ini bukan JSON yang sah")
    empty = json.dumps({"type": "FeatureCollection", "features": []})
    folder = write_folder(tmp_path / "g", boundaries=empty)
    assert problems_of(capsys, folder) == [
        'boundaries.geojson: Tidak ada satu pun desa (fitur dengan properties.level = "village").'
    ]


def test_a_kabupaten_with_zero_tps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_folder(tmp_path / "f", tps=[], personil=[], desa=[])
    assert problems_of(capsys, folder) == ["tps.csv: Tidak ada satu TPS pun: isi lembar tps."]


def test_a_village_marked_as_electing_without_tps_and_the_reverse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tps = [row for row in tps_rows() if row[1] != "Sumberejo"]
    tps.append(["35.99.01.1003", "Kauman", "Sukamaju Kidul", "1", "300", "aman", "", "", ""])
    desa = [row + [] for row in _desa_with_header_order()]
    problems = problems_of(capsys, write_folder(tmp_path / "f", tps=tps, desa=desa))
    assert problems == [
        "tps.csv, baris 10, kolom nomor_tps, isi «1»: Desa Kauman ditandai pilkades = tidak di "
        "lembar desa, tetapi punya TPS.",
        "desa.csv, baris 7, kolom desa, isi «Sumberejo»: Desa ini memilih (pilkades = ya) "
        "tetapi tidak punya TPS di lembar tps.",
    ]


def _desa_with_header_order() -> list[list[object]]:
    from tests.scenario.made_up import desa_rows

    rows = desa_rows()
    assert len(rows[0]) == len(DESA_HEADER)
    return rows


def test_the_hub_refuses_a_bad_folder_with_the_same_list_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tps = tps_rows()
    tps[1][5] = "gawat"
    folder = write_folder(tmp_path / "f", tps=tps)
    data = tmp_path / "hub"
    checked = problems_of(capsys, folder)
    code, out, err = run(
        capsys, "hub", "--scenario", str(folder), "--data", str(data), "--port", "0"
    )
    assert code == BAD and "listening" not in out
    lines = err.splitlines()
    assert lines[0] == "Hub tidak dijalankan: data skenario belum benar."
    assert [line.removeprefix("- ") for line in lines[1:-1]] == checked
    assert not hub_log_file(data).exists()


def test_a_json_scenario_of_the_wrong_shape_names_the_file_record_and_reason(
    tmp_path: Path,
) -> None:
    path = tmp_path / "hari.json"
    path.write_text(json.dumps({"tps": 5}))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(str(path), T0)
    assert str(caught.value) == f"Berkas skenario {path}, tps: harus berupa daftar [...]"
    path.write_text(json.dumps({"tps": [], "officers": [{"id": "KJN-01", "name": "x", "lat": 91}]}))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(str(path), T0)
    lines = str(caught.value).splitlines()
    assert f"Berkas skenario {path}, officers[0] (id KJN-01) → updated_at: wajib ada" in lines
    assert f"Berkas skenario {path}, officers[0] (id KJN-01) → lat: paling besar 6,5" in lines


def test_export_then_check_and_an_unknown_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(capsys, "scenario", "export", "pekalongan", "--out", str(tmp_path / "p"))
    assert code == 0
    code, said, _ = run(capsys, "scenario", "check", str(tmp_path / "p"))
    assert code == 0 and "1130 TPS" in said
    code, _, err = run(capsys, "scenario", "export", "batang", "--out", str(tmp_path / "b"))
    assert code == BAD and "batang" in err and not (tmp_path / "b").exists()


def test_a_kabupaten_of_a_polda_wide_file_without_tps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.scenario.test_geography import two_kabupaten

    folder = write_folder(tmp_path / "f", boundaries=two_kabupaten().text)
    assert problems_of(capsys, folder) == [
        "tps.csv: Kabupaten Wonoasri (35.98) ada di boundaries.geojson tetapi tidak punya "
        "satu TPS pun."
    ]


def test_a_file_that_is_no_workbook_and_csv_beside_a_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_workbook(tmp_path / "x")
    (folder / "Data Pengamanan.xlsx").write_bytes(b"bukan zip")
    [problem] = problems_of(capsys, folder)
    assert problem.startswith(
        "Data Pengamanan.xlsx: Bukan buku kerja Excel (.xlsx) yang bisa dibaca"
    )
    folder = write_workbook(tmp_path / "y")
    (folder / "tps.csv").write_text("kode_desa;nomor_tps;dpt\n", "utf-8")
    assert problems_of(capsys, folder) == [
        "Ada tps.csv dan juga Data Pengamanan.xlsx; pakai CSV atau .xlsx saja, jangan keduanya."
    ]


def test_a_point_outside_indonesia_is_said_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tps = tps_rows()
    tps[0][6], tps[0][7] = 112.0, -8.0  # lat and lon swapped
    [problem] = problems_of(capsys, write_folder(tmp_path / "f", tps=tps))
    assert problem == (
        "tps.csv, baris 2, kolom lat, isi «112,0»: Titik 112,0, -8,0 di luar Indonesia; "
        "apakah lat dan lon tertukar?"
    )
