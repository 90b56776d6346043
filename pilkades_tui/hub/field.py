"""The field page (`GET /lapor`) and the small reads it needs (docs/protocol.md,
*Field page*).

The page itself is one static file, `hub/field_page/index.html` (markup, style and
script: one round trip on a slow link), served without a token: it holds no data.
Everything the page reads or sends goes through the public API with the officer's
reporter token in the `Authorization` header, never a cookie, so another site cannot
make a phone send a report (there is no ambient credential to ride on).

The reads added here exist because the snapshot is too heavy for a phone on a weak
link (about 1 MB for Pekalongan): `GET /v1/field/me` tells a signing-in page who the
token is, `GET /v1/field/places` gives the TPS and units to pick from (gzip, about
20 KB), and `GET /v1/notices` the hub's latest notices, which the snapshot never holds.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from pilkades_tui.domain.events import NOTICE
from pilkades_tui.domain.models import Category, HealthProtocol, OfficerStatus, TpsPhase
from pilkades_tui.hub.auth import ReporterReads, Viewer
from pilkades_tui.hub.routes import core_of
from pilkades_tui.words import DOMAIN_WORDS

# Reads are not reports: the report rate limit stays for commands.
FieldReader = ReporterReads

PAGE_PATH = "/lapor"
NOTICES_MAX = 50
# The words the page shows for protocol values, in Bahasa Indonesia: sent with the places
# so the page never holds a second copy of the catalogue (pilkades_tui/words.py).
PAGE_WORDS = {
    "category": Category,
    "tpsphase": TpsPhase,
    "health": HealthProtocol,
    "ostatus": OfficerStatus,
}
ASSETS_FOLDER = "field_page"
PAGE_FILE = "index.html"  # one file: markup, style and script in one round trip
INLINE_BLOCK = re.compile(rb"<(script|style)>(.*?)</\1>", re.DOTALL)
WORKER_FILE = "sw.js"  # keeps a copy of the page on the phone, for opening it offline
BASE_POLICY = (
    "default-src 'none'; connect-src 'self'; img-src 'self' data:; worker-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True, slots=True)
class Page:
    """A static file as served: body, gzipped body, ETag and headers."""

    body: bytes
    gzipped: bytes
    etag: str
    headers: dict[str, str]


def load_page() -> Page:
    """The page, with a Content-Security-Policy that allows exactly its own inline
    script and style (by hash) and nothing from anywhere else."""
    body = (resources.files("pilkades_tui.hub") / ASSETS_FOLDER / PAGE_FILE).read_bytes()
    hashes: dict[bytes, list[str]] = {b"script": [], b"style": []}
    for kind, content in INLINE_BLOCK.findall(body):
        digest = base64.b64encode(hashlib.sha256(content).digest()).decode("ascii")
        hashes[kind].append(f"'sha256-{digest}'")
    sources = {kind: " ".join(found) or "'none'" for kind, found in hashes.items()}
    policy = f"{BASE_POLICY}; script-src {sources[b'script']}; style-src {sources[b'style']}"
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        # Revalidated on each load (a 304 when unchanged): a fixed hub never leaves an old
        # page on the phones.
        "Cache-Control": "no-cache",
        "ETag": etag,
        "Vary": "Accept-Encoding",
    }
    return Page(body, gzip.compress(body, 9, mtime=0), etag, headers)


def load_worker() -> Page:
    body = (resources.files("pilkades_tui.hub") / ASSETS_FOLDER / WORKER_FILE).read_bytes()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {
        "Content-Security-Policy": "default-src 'none'; connect-src 'self'",
        "X-Content-Type-Options": "nosniff",
        # Its path is /lapor/sw.js; this lets it keep the page /lapor itself.
        "Service-Worker-Allowed": PAGE_PATH,
        "Cache-Control": "no-cache",
        "ETag": etag,
    }
    return Page(body, gzip.compress(body, 9, mtime=0), etag, headers)


def accepts_gzip(request: Request) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "").lower()


def json_answer(request: Request, payload: Any) -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return compressed(request, body, "application/json", {"Cache-Control": "no-store"})


def compressed(request: Request, body: bytes, media_type: str, headers: dict[str, str]) -> Response:
    headers = {**headers, "Vary": "Accept-Encoding"}
    if accepts_gzip(request) and len(body) > 1024:
        body = gzip.compress(body, 6)
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=media_type, headers=headers)


def page_words() -> dict[str, dict[str, str]]:
    return {
        prefix: {value.value: DOMAIN_WORDS[f"{prefix}.{value.value}"][0] for value in enum}
        for prefix, enum in PAGE_WORDS.items()
    }


router = APIRouter()
PAGE = load_page()
WORKER = load_worker()
WORDS = page_words()


def serve(request: Request, served: Page, media_type: str) -> Response:
    if request.headers.get("if-none-match") == served.etag:
        return Response(status_code=304, headers=served.headers)
    if accepts_gzip(request):
        headers = {**served.headers, "Content-Encoding": "gzip"}
        return Response(served.gzipped, media_type=media_type, headers=headers)
    return Response(served.body, media_type=media_type, headers=served.headers)


@router.get(PAGE_PATH, include_in_schema=False)
async def page(request: Request) -> Response:
    return serve(request, PAGE, "text/html; charset=utf-8")


@router.get(f"{PAGE_PATH}/{WORKER_FILE}", include_in_schema=False)
async def worker(request: Request) -> Response:
    return serve(request, WORKER, "text/javascript; charset=utf-8")


@router.get("/v1/field/me")
async def me(request: Request, token: FieldReader) -> Response:
    """Who this token is: the page's sign-in. Its officer is the unit whose callsign
    is the token's name, when there is one (the page then needs no unit picker)."""
    officer = core_of(request).state.officers.get(token.name)
    return json_answer(
        request,
        {
            "name": token.name,
            "role": token.role,
            "officer_id": officer.id if officer is not None else None,
        },
    )


@router.get("/v1/field/places")
async def places(request: Request, token: FieldReader) -> Response:
    """The TPS and units to pick from, lighter than the snapshot, and the words."""
    core = core_of(request)
    state = core.state
    seq = state.seq  # read at once, between two commands; answered once seq is durable
    tps = [
        {
            "id": record.id,
            "name": record.name,
            "village": record.village,
            "district": record.district,
            "phase": record.phase.value,
            "voters": record.voters,
            "ballots_cast": record.ballots_cast,
        }
        for record in sorted(state.tps.values(), key=lambda record: record.id)
    ]
    officers = [
        {
            "id": officer.id,
            "name": officer.name,
            "rank": officer.rank,
            "status": officer.status.value,
        }
        for officer in sorted(state.officers.values(), key=lambda officer: officer.id)
    ]
    await core.wait_durable(seq)
    return json_answer(request, {"seq": seq, "tps": tps, "officers": officers, "words": WORDS})


@router.get("/v1/notices")
async def notices(
    request: Request,
    token: Viewer,
    limit: Annotated[int, Query(ge=1, le=NOTICES_MAX)] = 10,
) -> Response:
    """The hub's latest notices, newest first, with the time the hub accepted each."""
    latest = []
    for logged in core_of(request).latest_of_type(NOTICE, limit):
        event = json.loads(logged.json)
        latest.append({**event["data"], "at": event["ts"], "seq": event["seq"]})
    return json_answer(request, {"notices": latest})
