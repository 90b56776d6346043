"""What an officer does on the field page, as steps a test can read."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.waiting import wait_until

WAIT_S = 20.0  # a queued report is retried after 2, 4, 8 s...: well within this


def page_until(page: Page, expression: str, timeout: float = WAIT_S) -> None:
    """Wait until a JavaScript expression is true on the page. Playwright's
    wait_for_function compiles its predicate with eval, which the page's
    Content-Security-Policy forbids (as it should); page.evaluate goes through the
    DevTools protocol instead."""
    wait_until(lambda: page.evaluate(expression), timeout, what=expression)


def open_page(page: Page, hub_url: str, token: str | None = None) -> None:
    link = f"{hub_url}/lapor" + (f"#token={token}" if token else "")
    page.goto(link)
    page_until(page, "document.body.dataset.ready === '1'")


def sign_in(page: Page, token: str) -> None:
    page.fill("#token", token)
    page.click("#signin-form button[type=submit]")


def wait_home(page: Page) -> None:
    page.wait_for_selector("#home:not([hidden])")
    # The pickers are filled once the places arrived.
    page_until(page, "document.querySelectorAll('#inc-pick option').length > 0")


def pick(page: Page, find: str, select: str, query: str, value: str) -> None:
    page.fill(find, query)
    page.select_option(select, value)


def report_incident(
    page: Page,
    *,
    tps: tuple[str, str] | None,
    category: str | None,
    description: str,
) -> None:
    """tps = (what to type, TPS id) or None for the GPS position."""
    page.click("[data-open=inc]")
    if tps is None:
        page.check("input[name=inc-place][value=gps]")
        page.click("#inc-gps")
        page.wait_for_selector("#inc-gps-info:has-text('Posisi')")
    else:
        pick(page, "#inc-find", "#inc-pick", *tps)
    if category is not None:
        page.select_option("#inc-category", category)
    page.fill("#inc-desc", description)
    page.click("#inc button[type=submit]")


def waiting_count(page: Page) -> int:
    return int(page.inner_text("#wait-count"))


def accepted_ids(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("#accepted li .id").all_inner_texts()]


def wait_accepted(page: Page, count: int) -> None:
    page_until(
        page,
        f"document.querySelectorAll('#accepted li').length >= {count} && "
        "document.getElementById('wait-count').textContent === '0'",
    )
