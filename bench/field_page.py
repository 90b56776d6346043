"""The field page on a 3G phone link: its size and how soon it is on screen.

Starts a real hub (Pekalongan) on loopback and Debian's headless Chromium (Playwright,
launched by path), throttles the browser's network with the DevTools protocol
(Network.emulateNetworkConditions: 400 ms latency, 400 kbit/s down and up, cache
off), and opens `/lapor` cold, several times:

- bytes: every byte of the page as the browser decodes it (markup, style, script;
  nothing else is fetched before sign-in) plus its service worker `/lapor/sw.js`
  (fetched once after load), the figure the 100 KB goal is about;
- first_render_ms: from the start of navigation until the page is usable, the later
  of its first contentful paint and the moment its script has drawn the sign-in
  screen (`performance.mark("lapor-ready")`); the median of the runs.

An extra line gives the signed-in start (link with token → home screen with the TPS
list loaded) under the same throttling, for information.

    python bench/field_page.py [--runs N]

Last line: `field_page bytes=N first_render_ms=M` (goals: N <= 100 KB, M <= 1000).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, sync_playwright

from pilkades_tui.hub.runner import HubServer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.field.browser import PHONE, launch  # noqa: E402 - the tests' own launcher

LATENCY_MS = 400
KBIT_PER_S = 400
THROUGHPUT = KBIT_PER_S * 1000 / 8  # bytes per second, as DevTools counts them

MEASURE = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const ready = performance.getEntriesByName('lapor-ready')[0];
  const resources = performance.getEntriesByType('resource');
  return {
    decoded: nav.decodedBodySize + resources.reduce((sum, r) => sum + r.decodedBodySize, 0),
    transferred: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
    paint: paint ? paint.startTime : null,
    ready: ready ? ready.startTime : null,
    fetched: resources.map((r) => r.name),
  };
}"""


def throttle(page: Page) -> None:
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    session.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": LATENCY_MS,
            "downloadThroughput": THROUGHPUT,
            "uploadThroughput": THROUGHPUT,
        },
    )


def cold_load(browser: Any, url: str) -> dict[str, Any]:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    throttle(page)
    page.goto(url, wait_until="load")
    page.wait_for_selector("#signin:not([hidden])")
    page.wait_for_timeout(100)  # let the paint entry land
    figures: dict[str, Any] = page.evaluate(MEASURE)
    context.close()
    return figures


def signed_in_start(browser: Any, url: str, token: str) -> float:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    throttle(page)
    started = time.perf_counter()
    page.goto(f"{url}#token={token}")
    page.wait_for_selector("#home:not([hidden])")
    while not page.evaluate("document.querySelectorAll('#inc-pick option').length > 0"):
        page.wait_for_timeout(20)
    seconds = time.perf_counter() - started
    context.close()
    return seconds * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as folder,
        HubServer(Path(folder) / "hub", access_log=False) as hub,
        sync_playwright() as playwright,
    ):
        browser = launch(playwright.chromium)
        url = f"{hub.url}/lapor"
        worker_bytes = len(httpx.get(f"{url}/sw.js").content)
        runs = [cold_load(browser, url) for _ in range(args.runs)]
        signed = [signed_in_start(browser, url, hub.tokens["reporter"]) for _ in range(3)]
        browser.close()
    first = runs[0]
    renders = [max(run["paint"] or 0.0, run["ready"] or 0.0) for run in runs]
    print(
        f"throttled {LATENCY_MS} ms / {KBIT_PER_S} kbit/s, {args.runs} cold loads: "
        f"transferred {first['transferred']} bytes (gzip), other fetches {first['fetched']}, "
        f"first paint {statistics.median(r['paint'] or 0 for r in runs):.0f} ms, "
        f"ready {statistics.median(r['ready'] or 0 for r in runs):.0f} ms"
    )
    print(f"signed-in start (link to home with the TPS list): {statistics.median(signed):.0f} ms")
    total = first["decoded"] + worker_bytes
    print(f"field_page bytes={total} first_render_ms={statistics.median(renders):.0f}")


if __name__ == "__main__":
    main()
