"""Debian's headless Chromium, launched by path through Playwright (never Playwright's
own browser download): for the field page's tests and bench/field_page.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserType

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}


def launch(chromium: BrowserType) -> Browser:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium` (.ci/run does)")
    return chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
