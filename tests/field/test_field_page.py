"""The field page (`GET /lapor`) in a real headless Chromium against a real hub:
sign-in, the three reports, the refusals in words, and the offline queue (kept across
a reload and a closed tab, delivered once each when the hub is back)."""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, Route

from pilkades_tui.domain.clock import wib_now
from pilkades_tui.hub.runner import HubServer
from pilkades_tui.hub.tokens import TokenStore
from tests.field.conftest import GPS_FIX
from tests.field.phone import (
    accepted_ids,
    open_page,
    page_until,
    pick,
    report_incident,
    sign_in,
    wait_accepted,
    wait_home,
    waiting_count,
)
from tests.hub.client import Hub

pytestmark = pytest.mark.timeout(90)


def incidents_by_description(hub: Hub) -> Counter[str]:
    return Counter(incident["description"] for incident in hub.snapshot()["incidents"])


def test_the_page_needs_no_token_and_allows_nothing_from_elsewhere(hub: HubServer) -> None:
    answer = httpx.get(f"{hub.url}/lapor", headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["content-encoding"] == "gzip"
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy
    assert "Lapor Lapangan" in answer.text
    again = httpx.get(f"{hub.url}/lapor", headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304
    # The reads behind it do need the token.
    assert httpx.get(f"{hub.url}/v1/field/places").status_code == 401


def test_every_screen_fits_a_360_px_phone(hub: HubServer, page: Page) -> None:
    open_page(page, hub.url)
    fits = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate("window.innerWidth") == 360 and page.evaluate(fits)
    sign_in(page, hub.tokens["reporter"])
    wait_home(page)
    assert page.evaluate(fits)
    for form in ("tps", "inc", "pos"):
        page.click(f"[data-open={form}]")
        assert page.is_visible(f"#{form}") and page.evaluate(fits), form
        button = page.locator(f"#{form} button[type=submit]").bounding_box()
        assert button is not None and button["height"] >= 56  # a thumb, in the sun
        page.click(f"#{form} [data-home]")


def test_sign_in_says_why_a_token_is_refused(hub: HubServer, page: Page) -> None:
    open_page(page, hub.url)
    sign_in(page, "pkt_not-a-real-token")
    page.wait_for_selector("#signin-msg:has-text('Token ditolak')")
    assert "dicabut" in page.inner_text("#signin-msg")
    sign_in(page, hub.tokens["viewer"])
    page.wait_for_selector("#signin-msg:has-text('bukan pelapor')")
    assert "reporter" in page.inner_text("#signin-msg")
    assert page.is_hidden("#home")
    # A reporter token issued for this phone, then revoked while it is signed in.
    store = TokenStore(hub.data_dir)
    token = store.add("HP-Bripka-Andi", "reporter", wib_now())
    sign_in(page, token)
    wait_home(page)
    assert "HP-Bripka-Andi" in page.inner_text("#who")
    store.revoke("HP-Bripka-Andi")
    page.reload()
    page.wait_for_selector("#signin-msg:has-text('sudah dicabut')")
    assert page.is_visible("#signin")


def test_each_report_reaches_the_hub(hub: HubServer, page: Page) -> None:
    admin = Hub(hub, "admin")
    admin.ok("POST", "/v1/notices", {"level": "warning", "text": "Hujan deras di Kajen"})
    tps = admin.first_tps()
    open_page(page, hub.url, hub.tokens["reporter"])
    wait_home(page)
    assert "#token" not in page.url  # the token leaves the address bar
    page.wait_for_selector("#notices li:has-text('Hujan deras di Kajen')")

    # TPS status: typed to find, phase, ballots, health protocol.
    page.click("[data-open=tps]")
    pick(page, "#tps-find", "#tps-pick", tps["name"].removeprefix("TPS "), tps["id"])
    page.select_option("#tps-phase", "voting")
    page.fill("#tps-ballots", "17")
    page.select_option("#tps-health", "ok")
    page.click("#tps button[type=submit]")
    wait_accepted(page, 1)
    record = next(t for t in admin.snapshot()["tps"] if t["id"] == tps["id"])
    assert (record["phase"], record["ballots_cast"], record["health_protocol"]) == (
        "voting",
        17,
        "ok",
    )

    # Incident at the TPS, then one at the phone's GPS position.
    report_incident(page, tps=("", tps["id"]), category="crowd", description="Massa di TPS")
    wait_accepted(page, 2)
    report_incident(page, tps=None, category="clash", description="Bentrok di jalan desa")
    wait_accepted(page, 3)
    incidents = {i["description"]: i for i in admin.snapshot()["incidents"]}
    at_tps, at_gps = incidents["Massa di TPS"], incidents["Bentrok di jalan desa"]
    assert at_tps["tps_id"] == tps["id"] and at_tps["channel"] == "field_page"
    assert at_tps["reported_by"] == "runner-reporter"  # no unit chosen yet: the token's name
    assert (at_gps["lat"], at_gps["lon"], at_gps["tps_id"]) == (
        GPS_FIX["latitude"],
        GPS_FIX["longitude"],
        None,
    )
    assert at_gps["channel"] == "field_page" and at_gps["reported_by"]
    assert accepted_ids(page) == [at_gps["id"], at_tps["id"]]  # newest first

    # Position and status of a unit.
    (officer_id,) = admin.available_officers(1)
    page.click("[data-open=pos]")
    pick(page, "#pos-find", "#pos-pick", officer_id, officer_id)
    page.select_option("#pos-status", "escorting")
    page.click("#pos-gps")
    page.wait_for_selector("#pos-gps-info:has-text('Posisi')")
    page.click("#pos button[type=submit]")
    wait_accepted(page, 5)
    officer = admin.officer(officer_id)
    assert officer["status"] == "escorting"
    assert (officer["lat"], officer["lon"]) == (GPS_FIX["latitude"], GPS_FIX["longitude"])
    # The unit is remembered: the next report names him as the page says it will.
    report_incident(page, tps=("", tps["id"]), category="other", description="Sesudah posisi")
    wait_accepted(page, 6)
    expected = f"{officer_id} {officer['rank']} {officer['name']}"
    incidents = {i["description"]: i for i in admin.snapshot()["incidents"]}
    assert incidents["Sesudah posisi"]["reported_by"] == expected
    admin.close()


def test_a_form_missing_place_or_category_or_too_long_is_not_sent(
    hub: HubServer, page: Page
) -> None:
    admin = Hub(hub, "admin")
    head = admin.head()
    open_page(page, hub.url, hub.tokens["reporter"])
    wait_home(page)
    page.click("[data-open=inc]")
    page.fill("#inc-find", "zzz tidak ada")  # nothing matches: no TPS chosen
    page.click("#inc button[type=submit]")
    message = page.inner_text("#inc-msg")
    assert "Tempat belum diisi" in message and "Jenis kejadian belum dipilih" in message
    page.fill("#inc-find", "")
    page.select_option("#inc-pick", index=0)
    page.select_option("#inc-category", "hoax")
    page.fill("#inc-desc", "x" * 2001)
    page.click("#inc button[type=submit]")
    message = page.inner_text("#inc-msg")
    assert "2001 karakter" in message and "batas protokol 2000" in message
    page.click("#inc [data-home]")
    page.click("[data-open=pos]")
    page.fill("#pos-find", "zzz")
    page.click("#pos button[type=submit]")
    assert "Satuan/personel belum dipilih" in page.inner_text("#pos-msg")
    assert waiting_count(page) == 0 and admin.head() == head
    admin.close()


def test_reports_wait_offline_survive_reload_and_closed_tab_and_arrive_once(
    hub: HubServer, context: BrowserContext, page: Page
) -> None:
    admin = Hub(hub, "admin")
    open_page(page, hub.url, hub.tokens["reporter"])
    wait_home(page)
    tps = admin.first_tps()

    def blocked(route: Route) -> None:
        route.abort("internetdisconnected")

    # The hub out of reach: every API call fails (the page itself still loads).
    context.route("**/v1/**", blocked)
    first, second = f"antre satu {uuid.uuid4()}", f"antre dua {uuid.uuid4()}"
    report_incident(page, tps=("", tps["id"]), category="crowd", description=first)
    report_incident(page, tps=("", tps["id"]), category="logistics", description=second)
    page.wait_for_selector("#waiting li:has-text('Belum terkirim')")
    assert waiting_count(page) == 2
    assert "Tidak tersambung" in page.inner_text("#net")
    page.reload()
    page_until(page, "document.body.dataset.ready === '1'")
    assert waiting_count(page) == 2
    page.close()
    reopened = context.new_page()  # the browser tab was closed; a new one opens the page
    open_page(reopened, hub.url)
    assert waiting_count(reopened) == 2
    keys = reopened.eval_on_selector_all("#waiting li", "items => items.map(i => i.dataset.key)")
    assert len(set(keys)) == 2  # each report has its own Idempotency-Key
    assert incidents_by_description(admin)[first] == 0

    context.unroute("**/v1/**", blocked)
    wait_accepted(reopened, 2)
    seen = incidents_by_description(admin)
    assert (seen[first], seen[second]) == (1, 1)
    created = {i["description"]: i["id"] for i in admin.snapshot()["incidents"]}
    assert accepted_ids(reopened) == [created[second], created[first]]
    accepted_keys = reopened.eval_on_selector_all(
        "#accepted li", "items => items.map(i => i.dataset.key)"
    )
    assert sorted(accepted_keys) == sorted(keys)
    admin.close()


def test_an_answer_lost_on_the_way_back_is_retried_without_doubling(
    hub: HubServer, context: BrowserContext, page: Page
) -> None:
    admin = Hub(hub, "admin")
    open_page(page, hub.url, hub.tokens["reporter"])
    wait_home(page)
    lost: list[str] = []

    def lose_first_answer(route: Route) -> None:
        if route.request.method == "POST" and not lost:
            route.fetch()  # the hub gets it and accepts it ...
            lost.append(route.request.headers["idempotency-key"])
            route.abort("connectionreset")  # ... but the answer never reaches the phone
            return
        route.continue_()

    context.route("**/v1/incidents", lose_first_answer)
    description = f"jawaban hilang {uuid.uuid4()}"
    report_incident(
        page, tps=("", admin.first_tps()["id"]), category="crowd", description=description
    )
    wait_accepted(page, 1)
    assert lost and incidents_by_description(admin)[description] == 1
    (created,) = [i for i in admin.snapshot()["incidents"] if i["description"] == description]
    assert accepted_ids(page) == [created["id"]]
    admin.close()


# The active service worker's state once it is activated (a promise that waits for it).
WORKER_ACTIVATED = """navigator.serviceWorker.ready.then(registration => new Promise(done => {
    const worker = registration.active;
    const check = () => { if (worker.state === "activated") done(worker.state); };
    worker.addEventListener("statechange", check);
    check();
}))"""


def test_a_stopped_hub_gets_the_queued_reports_once_it_is_back(tmp_path: Path, page: Page) -> None:
    data_dir = tmp_path / "hub"
    first_run = HubServer(data_dir).start()
    port, tokens = first_run.port, first_run.tokens
    open_page(page, first_run.url, tokens["reporter"])
    wait_home(page)
    # The page's service worker has kept a copy of it on the phone. `ready` resolves
    # while the active worker may still be activating (seen on a loaded machine).
    assert page.evaluate(WORKER_ACTIVATED) == "activated"
    page_until(page, "navigator.serviceWorker.controller !== null")
    admin = Hub(first_run, "admin")
    tps_id = admin.first_tps()["id"]
    admin.close()
    first_run.stop()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{first_run.url}/lapor", timeout=2)  # nothing answers any more
    # Opened again without the hub: the copy on the phone, signed in, lists intact.
    page.reload()
    wait_home(page)
    assert "Lapor Lapangan" in page.title()
    descriptions = [f"hub mati {n} {uuid.uuid4()}" for n in (1, 2)]
    for description in descriptions:
        report_incident(page, tps=("", tps_id), category="crowd", description=description)
    page.wait_for_selector("#waiting li:has-text('Belum terkirim')")
    assert waiting_count(page) == 2
    with HubServer(data_dir, port=port, tokens=tokens) as second_run:
        page.click("#send-now")
        wait_accepted(page, 2)
        admin = Hub(second_run, "admin")
        seen = incidents_by_description(admin)
        assert [seen[d] for d in descriptions] == [1, 1]
        assert len(accepted_ids(page)) == 2
        admin.close()


def test_a_report_the_hub_refuses_is_listed_with_why_and_not_retried(
    hub: HubServer, page: Page
) -> None:
    admin = Hub(hub, "admin")
    tps = admin.first_tps()
    admin.ok("PUT", f"/v1/tps/{tps['id']}/status", {"phase": "counting"})
    open_page(page, hub.url, hub.tokens["reporter"])
    wait_home(page)
    head = admin.head()
    page.click("[data-open=tps]")
    pick(page, "#tps-find", "#tps-pick", "", tps["id"])
    page.select_option("#tps-phase", "setup")  # a phase only moves forward: 409
    page.click("#tps button[type=submit]")
    page.wait_for_selector("#refused li:has-text('bertentangan dengan data terbaru')")
    assert "HTTP 409" in page.inner_text("#refused") and waiting_count(page) == 0
    assert admin.head() == head and accepted_ids(page) == []
    admin.close()
