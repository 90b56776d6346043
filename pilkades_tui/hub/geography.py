"""The hub's geography: the boundaries of its election, kept in the log's meta and served
at `GET /v1/geography` (docs/protocol.md).

A log seeded from a scenario folder keeps that folder's boundaries, so a restart (with
any `--scenario`) serves the same places; a log without any serves the packaged
Pekalongan, the demo's default. The body is the GeoJSON as given; its ETag is the
SHA-256 of it, so a console that has it asks with If-None-Match and gets 304.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response

from pilkades_tui.hub.auth import Viewer
from pilkades_tui.hub.backend import EventBackend
from pilkades_tui.hub.log import GEOGRAPHY, LogError
from pilkades_tui.scenario.geography import Geography, GeographyError, packaged
from pilkades_tui.scenario.pekalongan import Scenario

MEDIA_TYPE = "application/geo+json"
# Below this a compressed body saves too little to be worth the CPU.
GZIP_FROM_BYTES = 4096


@dataclass(frozen=True)
class ServedGeography:
    geography: Geography

    @property
    def etag(self) -> str:
        return f'"{self.geography.etag}"'

    @cached_property
    def body(self) -> bytes:
        return self.geography.text.encode("utf-8")

    @cached_property
    def gzipped(self) -> bytes:
        # mtime=0: the same bytes on every start, whatever the clock.
        return gzip.compress(self.body, compresslevel=6, mtime=0)


def election_geography(backend: EventBackend, scenario: Scenario | None) -> Geography:
    """The geography to serve. A scenario with its own (a folder) is stored first, before
    its records are seeded: should seeding fail, the log is still empty and the next
    start seeds (and stores) again."""
    if scenario is not None and backend.head == 0:
        # Written even for the packaged day: an earlier folder's, left by a seeding that
        # failed, must not outlive it.
        own = scenario.geography or packaged()
        backend.set_meta(GEOGRAPHY, own.text)
        return own
    stored = backend.get_meta(GEOGRAPHY)
    if stored is None:
        return packaged()
    try:
        return Geography.from_geojson(stored)
    except GeographyError as error:
        raise LogError(f"the geography stored in the hub log is unreadable: {error}") from None


def _matches(if_none_match: str, etag: str) -> bool:
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


router = APIRouter()


@router.get("/v1/geography")
async def geography(
    request: Request,
    token: Viewer,  # any role may read the map
    if_none_match: Annotated[str | None, Header(include_in_schema=False)] = None,
    accept_encoding: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    served: ServedGeography | None = getattr(request.app.state, "geography", None)
    if served is None:
        served = ServedGeography(packaged())
        request.app.state.geography = served
    headers = {"ETag": served.etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if if_none_match is not None and _matches(if_none_match, served.etag):
        return Response(status_code=304, headers=headers)
    body = served.body
    if len(body) >= GZIP_FROM_BYTES and "gzip" in (accept_encoding or "").lower():
        headers["Content-Encoding"] = "gzip"
        body = served.gzipped
    return Response(body, media_type=MEDIA_TYPE, headers=headers)
