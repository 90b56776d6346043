"""The election's geography from the hub (`GET /v1/geography`, docs/protocol.md).

A console draws the map, names villages and judges which villages neighbour each other
from what its hub serves, never from a packaged file: a console on a hub for another
kabupaten shows that kabupaten. The answer is cached by its ETag; a repeat fetch with
If-None-Match costs a 304.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable

import httpx

from pilkades_tui.feed.backoff import Backoff
from pilkades_tui.feed.wire import HubAddress, describe_network_error
from pilkades_tui.scenario.geography import Geography, GeographyError, packaged

GEOGRAPHY_PATH = "/v1/geography"


class GeographyUnavailable(Exception):
    """The geography could not be had now; the message is a sentence for a person."""

    def __init__(self, sentence: str, final: bool = False) -> None:
        super().__init__(sentence)
        self.final = final  # a refused token: retrying will not help


async def fetch_geography(
    hub_url: str, token: str, known: Geography | None = None, timeout: float = 30.0
) -> Geography:
    """The hub's geography; `known` is returned as it is when the hub says 304."""
    address = HubAddress(hub_url, token)
    headers = address.headers
    if known is not None:
        headers["If-None-Match"] = f'"{known.etag}"'
    try:
        async with httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=10.0)) as http:
            response = await http.get(address.http_url(GEOGRAPHY_PATH), headers=headers)
    except httpx.HTTPError as error:
        raise GeographyUnavailable(describe_network_error(error, address)) from None
    if response.status_code == 304 and known is not None:
        return known
    if response.status_code == 404:
        # A hub from before /v1/geography only ever ran the packaged kabupaten.
        return packaged()
    if response.status_code in (401, 403):
        raise GeographyUnavailable(
            f"the hub at {address.base_url} refused the token for the map "
            f"(HTTP {response.status_code})",
            final=True,
        )
    if response.status_code != 200:
        raise GeographyUnavailable(
            f"the hub at {address.base_url} answered HTTP {response.status_code} "
            "to the geography request"
        )
    text = response.text
    if hashlib.sha256(text.encode("utf-8")).hexdigest() == packaged().digest:
        return packaged()  # the demo's default, already parsed (with its measured centres)
    try:
        # A province's outlines take a moment to parse: not on the event loop.
        return await asyncio.to_thread(Geography.from_geojson, text)
    except GeographyError as error:
        raise GeographyUnavailable(
            f"the hub at {address.base_url} sent boundaries this console cannot read ({error})",
            final=True,
        ) from None


async def follow_geography(
    hub_url: str,
    token: str,
    on_geography: Callable[[Geography], Awaitable[None] | None],
    on_trouble: Callable[[str], None] | None = None,
    backoff: Backoff | None = None,
) -> Geography | None:
    """Fetch until it succeeds (backing off while the hub is away), then hand it over.
    Returns None if the hub refuses for good (the feed says why on screen)."""
    waits = backoff or Backoff(0.5, 15.0)
    while True:
        try:
            geography = await fetch_geography(hub_url, token)
        except GeographyUnavailable as trouble:
            if on_trouble is not None:
                on_trouble(str(trouble))
            if trouble.final:
                return None
            await asyncio.sleep(waits.next_delay())
            continue
        result = on_geography(geography)
        if result is not None:
            await result
        return geography
