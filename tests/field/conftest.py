"""A real headless Chromium (Debian's `chromium`, installed by .ci/run) driven by
Playwright against a real hub on a loopback port. Playwright's own browser download is
never used: the Debian binary is launched by path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.field.browser import PHONE, launch

# Somewhere in Kajen, Kabupaten Pekalongan: what the phone's GPS reports.
GPS_FIX = {"latitude": -7.0245, "longitude": 109.5891, "accuracy": 12}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright.chromium)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh phone: empty storage, 360 px wide, GPS allowed and fixed."""
    phone = browser.new_context(
        viewport=PHONE, geolocation=GPS_FIX, permissions=["geolocation"], locale="id-ID"
    )
    yield phone
    phone.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    assert not errors, f"the page threw: {errors}"
