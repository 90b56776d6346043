"""The reads the field page needs (docs/protocol.md, *Notices* and *Field page*)."""

from __future__ import annotations

import httpx

from pilkades_tui.hub.runner import HubServer
from tests.hub.client import Hub


def test_notices_newest_first_with_their_time_and_a_limit(hub: HubServer) -> None:
    admin = Hub(hub, "admin")
    viewer = Hub(hub, "viewer")
    assert viewer.http.get("/v1/notices").json() == {"notices": []}
    for number in range(1, 4):
        admin.ok("POST", "/v1/notices", {"level": "info", "text": f"pengumuman {number}"})
    answer = viewer.http.get("/v1/notices", params={"limit": 2})
    assert answer.status_code == 200
    latest = answer.json()["notices"]
    assert [n["text"] for n in latest] == ["pengumuman 3", "pengumuman 2"]
    assert latest[0]["id"] == f"NTC-{latest[0]['seq']:06d}" and latest[0]["at"]
    assert latest[0]["by"] == "runner-admin" and latest[0]["level"] == "info"
    refused = viewer.http.get("/v1/notices", params={"limit": 0})
    assert refused.status_code == 422
    assert refused.json()["details"][0]["field"] == "query.limit"
    assert httpx.get(f"{hub.url}/v1/notices").status_code == 401
    admin.close()
    viewer.close()


def test_field_me_and_places_need_a_reporter(hub: HubServer) -> None:
    reporter = Hub(hub, "reporter")
    me = reporter.http.get("/v1/field/me").json()
    assert me == {"name": "runner-reporter", "role": "reporter", "officer_id": None}
    answer = reporter.http.get("/v1/field/places", headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200 and answer.headers["content-encoding"] == "gzip"
    assert int(answer.headers["content-length"]) < 40_000  # light enough for 3G
    places = answer.json()
    snapshot = reporter.snapshot()
    assert [t["id"] for t in places["tps"]] == sorted(t["id"] for t in snapshot["tps"])
    assert len(places["officers"]) == len(snapshot["officers"])
    assert places["words"]["category"]["crowd"] == "kerumunan massa"
    assert places["words"]["tpsphase"]["voting"] == "memilih"
    viewer = Hub(hub, "viewer")
    refused = viewer.http.get("/v1/field/me")
    assert refused.status_code == 403
    assert refused.json()["details"] == {"role": "viewer", "needs": "reporter"}
    reporter.close()
    viewer.close()


def test_openapi_lists_the_field_reads_but_not_the_page(hub: HubServer) -> None:
    paths = httpx.get(f"{hub.url}/v1/openapi.json").json()["paths"]
    assert {"/v1/field/me", "/v1/field/places", "/v1/notices"} <= set(paths)
    assert "/lapor" not in paths
