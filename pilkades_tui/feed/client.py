"""The console's feed client: a snapshot over HTTP, then the WebSocket feed from its seq.

One task (`run`) owns the connection and the `ElectionState`. It takes a snapshot,
follows the feed from the snapshot's seq, and on any trouble keeps the state it has
and tries again: resuming from the last applied seq after a lost connection or a
4408 (too slow), a fresh snapshot after a reset (4409) or a gap in seq. The status
says at every moment what is happening, in words a duty officer can act on.

Given several hubs of one shared log ("URL1,URL2"), a lost hub hands over to the
next at once, resuming from the last applied seq: every hub numbers the same events
alike, so nothing is missed or applied twice. Only after every hub failed in a row
does the client back off.
See docs/feed-client.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum, StrEnum

import httpx
from pydantic import ValidationError
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from pilkades_tui import heap
from pilkades_tui.domain.events import ProtocolError
from pilkades_tui.domain.models import PROTOCOL_VERSION, HubMode, Snapshot
from pilkades_tui.domain.state import Changes, ElectionState, SeqGap
from pilkades_tui.feed.backoff import Backoff
from pilkades_tui.feed.frames import parse_feed_frame
from pilkades_tui.feed.wire import (
    USER_AGENT,
    HubAddress,
    describe_network_error,
    hub_addresses,
)

CLOSE_RESET = 4409  # the hub no longer keeps (or never had) our seq: take a snapshot
CLOSE_TOO_SLOW = 4408  # we fell behind the hub's bounded queue: resume from our seq
RATE_WINDOW_S = 5.0
# Frames can be large batches of full records; a frame over this is refused by the
# library, which would make us reconnect and meet the same frame again.
MAX_FRAME_BYTES = 64 * 2**20
# A quick resync or resume is free once; a second within this many seconds backs off,
# so a hub that keeps resetting us is not hammered.
QUICK_RETRY_SPACING_S = 5.0


class ConnectionState(StrEnum):
    CONNECTING = "connecting"  # first snapshot not yet loaded
    LIVE = "live"  # feed open, events flowing (or quiet but pong-alive)
    RECONNECTING = "reconnecting"  # lost; backing off and retrying (state kept, maybe stale)
    UNAUTHORIZED = "unauthorized"  # 401/403: wrong token; stops retrying, says so
    CLOSED = "closed"  # close() was called


class FeedStopped(TimeoutError):
    """`wait_live` gave up because the client stopped (unauthorized or closed) and will
    never be live. A TimeoutError, so callers written for the timeout catch it too."""


class _EventRate:
    """Events per second over the last few seconds, in half-second buckets."""

    __slots__ = ("_buckets", "_started")

    def __init__(self) -> None:
        self._buckets: deque[list[float]] = deque()
        self._started = time.monotonic()

    def add(self, count: int, now: float) -> None:
        slot = now - now % 0.5
        buckets = self._buckets
        if buckets and buckets[-1][0] == slot:
            buckets[-1][1] += count
        else:
            buckets.append([slot, float(count)])
            while buckets[0][0] < slot - RATE_WINDOW_S:
                buckets.popleft()

    def per_second(self, now: float) -> float:
        start = max(now - RATE_WINDOW_S, self._started)
        total = sum(count for slot, count in self._buckets if slot + 0.5 > start)
        return total / max(now - start, 0.5)

    def copy(self) -> _EventRate:
        twin = _EventRate()
        twin._buckets = deque([slot, count] for slot, count in self._buckets)
        twin._started = self._started
        return twin


@dataclass
class FeedStatus:
    state: ConnectionState
    since: float  # time.monotonic() when `state` was entered
    seq: int = 0  # last applied seq (0 before the first snapshot)
    head: int = 0  # hub head from the last hello
    mode: HubMode = HubMode.LIVE  # live / exercise (from hello/snapshot)
    events_total: int = 0
    unknown_events: int = 0  # events of an unknown type, skipped and counted
    bad_frames: int = 0  # malformed frames, skipped and counted
    resyncs: int = 0  # fresh snapshots taken after a gap/reset/4408
    last_error: str | None = None  # a sentence for a person, never containing the token
    resumes: int = 0  # reconnections that carried on from the last seq, no snapshot
    attempt: int = 0  # failed tries in a row (0 while live)
    retry_at: float | None = None  # time.monotonic() of the next try while backing off
    refused_with: int | None = None  # 401 or 403 when the token was refused
    _rate: _EventRate = field(default_factory=_EventRate, repr=False, compare=False)

    def events_per_s(self) -> float:
        """Events received per second over the last ~5 s."""
        return self._rate.per_second(time.monotonic())

    def copy(self) -> FeedStatus:
        return dataclasses.replace(self, _rate=self._rate.copy())


class _Next(Enum):
    """What to do after a feed connection ends."""

    RESNAPSHOT = "resnapshot"
    RESUME = "resume"
    BACK_OFF = "back off"
    STOP = "stop"


class _Unauthorized(Exception):
    def __init__(self, sentence: str, status_code: int) -> None:
        super().__init__(sentence)
        self.status_code = status_code


class _Trouble(Exception):
    """Something a retry may fix. The message is a sentence for a person."""


class FeedClient:
    def __init__(
        self,
        hub_url: str | Sequence[str],
        token: str,
        *,
        on_changes: Callable[[Changes], None] | None = None,
        on_status: Callable[[FeedStatus], None] | None = None,
        backoff_initial: float = 0.5,
        backoff_max: float = 15.0,
        ping_interval: float = 5.0,
        ping_timeout: float = 20.0,
        request_timeout: float = 30.0,
    ) -> None:
        self._addresses = hub_addresses(hub_url, token)
        self._current = 0
        self._failed_in_a_row = 0  # hubs that failed since the feed was last live
        self.on_changes = on_changes
        self.on_status = on_status
        self._backoff = Backoff(backoff_initial, backoff_max)
        self._ping_interval = ping_interval
        self._ping_timeout = ping_timeout
        self._request_timeout = request_timeout
        self.state: ElectionState | None = None
        self.status = FeedStatus(state=ConnectionState.CONNECTING, since=time.monotonic())
        self._closing = asyncio.Event()
        self._live = asyncio.Event()
        self._stopped = asyncio.Event()
        self._body: asyncio.Task[None] | None = None
        self._socket: ClientConnection | None = None
        self._last_quick_retry = -QUICK_RETRY_SPACING_S
        self._resuming = False

    @property
    def _address(self) -> HubAddress:
        return self._addresses[self._current]

    @property
    def hub_url(self) -> str:
        """The hub followed now (or tried next)."""
        return self._address.base_url

    def _fail_over(self) -> bool:
        """Move to the next hub; True to try it at once, False once every hub failed
        in a row (then back off before going round again)."""
        if len(self._addresses) < 2:
            return False
        self._current = (self._current + 1) % len(self._addresses)
        self._failed_in_a_row += 1
        if self._failed_in_a_row >= len(self._addresses):
            self._failed_in_a_row = 0
            return False
        return True

    # ---- public ----------------------------------------------------------

    async def run(self) -> None:
        """Follow the hub until close() or a refused token. Never raises for network
        errors; a callback's exception does propagate (it is a bug to see)."""
        if self._body is not None:
            raise RuntimeError("FeedClient.run() is already running or has run")
        if self._closing.is_set():
            return
        self._body = asyncio.ensure_future(self._follow())
        try:
            await self._body
        except asyncio.CancelledError:
            # close() cancels the body to interrupt a request in flight; that is the
            # ordinary end of run(). A cancellation of run() itself propagates.
            if not (self._closing.is_set() and self._body.cancelled()):
                raise
        except Exception as error:
            # A bug, but the screen must not go on saying "live" over a dead feed.
            self.status.last_error = f"the feed stopped on an error: {error!r}"
            self._enter(ConnectionState.CLOSED, force_notify=True)
            raise
        finally:
            self._stopped.set()

    async def close(self) -> None:
        self._closing.set()
        socket = self._socket
        if socket is not None:
            await socket.close()
        body = self._body
        if body is not None and not body.done() and body is not asyncio.current_task():
            # A moment to finish on its own (the socket is closing), then interrupt
            # whatever request is still in flight.
            await asyncio.wait([body], timeout=1.0)
            if not body.done():
                body.cancel()
                await asyncio.wait([body])
        self._enter(ConnectionState.CLOSED)

    async def wait_live(self, timeout: float) -> None:
        """Return once the feed is live; TimeoutError after `timeout` seconds,
        FeedStopped (a TimeoutError) at once if the client stopped for good."""
        if self.status.state is ConnectionState.LIVE:
            return
        live = asyncio.ensure_future(self._live.wait())
        stopped = asyncio.ensure_future(self._stopped_for_good())
        try:
            done, _ = await asyncio.wait(
                {live, stopped}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            live.cancel()
            stopped.cancel()
        if live in done and self.status.state is ConnectionState.LIVE:
            return
        if stopped in done:
            raise FeedStopped(
                f"the feed stopped ({self.status.state.value}): {self.status.last_error}"
            )
        raise TimeoutError(
            f"the feed was not live within {timeout:g} s ({self.status.state.value}"
            + (f": {self.status.last_error})" if self.status.last_error else ")")
        )

    # ---- the loop --------------------------------------------------------

    async def _stopped_for_good(self) -> None:
        await self._stopped.wait()

    async def _follow(self) -> None:
        timeout = httpx.Timeout(self._request_timeout, connect=10.0)
        async with httpx.AsyncClient(headers=self._address.headers, timeout=timeout) as http:
            need_snapshot = True
            while not self._closing.is_set():
                try:
                    if need_snapshot or self.state is None:
                        await self._take_snapshot(http)
                        need_snapshot = False
                        self._resuming = False
                    else:
                        self._resuming = True
                    after = await self._follow_feed()
                except _Unauthorized as refusal:
                    self.status.last_error = str(refusal)
                    self.status.refused_with = refusal.status_code
                    self._enter(ConnectionState.UNAUTHORIZED)
                    return
                except _Trouble as trouble:
                    self.status.last_error = str(trouble)
                    after = _Next.BACK_OFF
                if after is _Next.STOP:
                    return
                if after is _Next.RESNAPSHOT:
                    need_snapshot = True
                if after is _Next.BACK_OFF and self._fail_over():
                    self._lost(None)
                    continue
                if after is not _Next.BACK_OFF and self._quick_retry_allowed():
                    self._lost(None)
                    continue
                await self._back_off()

    def _quick_retry_allowed(self) -> bool:
        now = time.monotonic()
        if now - self._last_quick_retry < QUICK_RETRY_SPACING_S:
            return False
        self._last_quick_retry = now
        return True

    def _lost(self, retry_at: float | None) -> None:
        status = self.status
        status.retry_at = retry_at
        if self.state is None:
            self._enter(ConnectionState.CONNECTING, force_notify=True)
        else:
            self._enter(ConnectionState.RECONNECTING, force_notify=True)

    async def _back_off(self) -> None:
        delay = self._backoff.next_delay()
        self.status.attempt += 1
        self._lost(time.monotonic() + delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), delay)
        self.status.retry_at = None

    # ---- snapshot --------------------------------------------------------

    async def _take_snapshot(self, http: httpx.AsyncClient) -> None:
        address = self._address
        try:
            response = await http.get(address.http_url("/v1/snapshot"))
        except httpx.HTTPError as error:
            raise _Trouble(describe_network_error(error, address)) from None
        if response.status_code in (401, 403):
            raise _Unauthorized(self._refusal_sentence(response.status_code), response.status_code)
        if response.status_code != 200:
            raise _Trouble(
                address.scrub(
                    f"the hub answered HTTP {response.status_code} to the snapshot request"
                    + _hub_message(response)
                )
            )
        with heap.building_long_lived():
            try:
                snapshot = Snapshot.model_validate_json(response.content)
            except ValidationError as error:
                reason = ProtocolError.from_validation(error, "snapshot")
                raise _Trouble(
                    f"the hub sent a snapshot this console cannot read ({reason})"
                ) from None
            if self.state is None:
                state = ElectionState(snapshot.phase, snapshot.mode)
                changes = state.load(snapshot)
                self.state = state
            else:
                changes = self.state.load(snapshot)
                self.status.resyncs += 1
        status = self.status
        status.seq = snapshot.seq
        status.mode = snapshot.mode
        status.head = max(status.head, snapshot.seq)
        if self.on_changes is not None:
            self.on_changes(changes)

    def _refusal_sentence(self, status_code: int) -> str:
        if status_code == 403:
            return (
                f"the hub at {self._address.base_url} knows this token but its role may "
                "not read the feed (HTTP 403); ask the hub operator for a viewer token"
            )
        return (
            f"the hub at {self._address.base_url} refused the token (HTTP 401): it is "
            "unknown or revoked; check --token, PILKADES_TOKEN or the config file"
        )

    # ---- feed ------------------------------------------------------------

    async def _follow_feed(self) -> _Next:
        state = self.state
        assert state is not None
        address = self._address
        try:
            socket = await connect(
                address.feed_url(state.seq),
                additional_headers=address.headers,
                user_agent_header=USER_AGENT,
                ping_interval=self._ping_interval,
                ping_timeout=self._ping_timeout,
                open_timeout=self._request_timeout,
                close_timeout=2.0,
                max_size=MAX_FRAME_BYTES,
            )
        except InvalidStatus as refused:
            code = refused.response.status_code
            if code in (401, 403):
                raise _Unauthorized(self._refusal_sentence(code), code) from None
            where = address.base_url
            raise _Trouble(f"the hub at {where} refused the feed (HTTP {code})") from None
        except InvalidHandshake as error:
            raise _Trouble(
                address.scrub(f"the feed handshake with {address.base_url} failed ({error})")
            ) from None
        except (OSError, TimeoutError, EOFError) as error:
            raise _Trouble(describe_network_error(error, address)) from None
        self._socket = socket
        try:
            if self._closing.is_set():
                return _Next.STOP
            async for message in socket:
                after = self._on_message(message)
                if after is not None:
                    return after
        except ConnectionClosed:
            pass  # read the close code below
        finally:
            self._socket = None
            self._live.clear()
            await socket.close()
        if self._closing.is_set():
            return _Next.STOP
        received = socket.protocol.close_rcvd
        sent = socket.protocol.close_sent
        if received is None and sent is not None and sent.code == 1011:
            # Our side gave up: no pong within ping_timeout.
            where = self._address.base_url
            self.status.last_error = f"the hub at {where} went silent (no answer to ping)"
            return _Next.BACK_OFF
        if received is None:
            return self._after_close(None, None)
        return self._after_close(received.code, received.reason)

    def _after_close(self, code: int | None, reason: str | None) -> _Next:
        status = self.status
        where = self._address.base_url
        if code == CLOSE_RESET:
            status.last_error = f"the hub reset the feed (code {code}); taking a fresh snapshot"
            return _Next.RESNAPSHOT
        if code == CLOSE_TOO_SLOW:
            status.last_error = (
                f"this console fell behind the feed (code {code}); resuming from seq {status.seq}"
            )
            return _Next.RESUME
        if code in (1000, 1001):
            status.last_error = f"the hub at {where} closed the feed (it may be restarting)"
        elif code is None or code == 1006:
            status.last_error = f"lost the connection to the hub at {where}"
        else:
            detail = f": {reason}" if reason else ""
            status.last_error = self._address.scrub(
                f"the hub at {where} closed the feed (code {code}{detail})"
            )
        return _Next.BACK_OFF

    def _on_message(self, message: str | bytes) -> _Next | None:
        status = self.status
        try:
            frame = parse_feed_frame(message)
        except ProtocolError as error:
            status.bad_frames += 1
            status.last_error = f"skipped a malformed frame from the hub ({error})"
            self._notify()
            return None
        if frame.hello is not None:
            self._on_hello(frame.hello.protocol, frame.hello.head, frame.hello.mode)
            return None
        if frame.reset is not None:
            status.head = frame.reset.head
            status.last_error = (
                f"the hub cannot resume from seq {status.seq} (its head is {frame.reset.head}); "
                "taking a fresh snapshot"
            )
            return _Next.RESNAPSHOT
        if frame.unknown:
            status.unknown_events += frame.unknown
            self._notify()
        events = frame.events
        if not events:
            return None
        state = self.state
        assert state is not None
        try:
            changes = state.apply_many(events)
        except SeqGap as gap:
            status.seq = state.seq
            status.last_error = (
                f"the feed skipped events (expected seq {gap.expected}, got {gap.got}); "
                "taking a fresh snapshot"
            )
            return _Next.RESNAPSHOT
        count = len(events)
        status.seq = state.seq
        if state.seq > status.head:
            status.head = state.seq
        status.events_total += count
        status._rate.add(count, time.monotonic())
        if changes and self.on_changes is not None:
            self.on_changes(changes)
        return None

    def _on_hello(self, protocol: int, head: int, mode: HubMode) -> None:
        status = self.status
        status.head = head
        status.mode = mode
        state = self.state
        if state is not None:
            state.mode = mode
        status.attempt = 0
        status.retry_at = None
        self._failed_in_a_row = 0
        if self._resuming:
            status.resumes += 1
            self._resuming = False
        self._backoff.reset()
        if protocol != PROTOCOL_VERSION:
            status.last_error = (
                f"the hub speaks protocol {protocol}, this console {PROTOCOL_VERSION}; "
                "events of types it does not know are skipped"
            )
        else:
            status.last_error = None
        self._enter(ConnectionState.LIVE, force_notify=True)
        self._live.set()

    # ---- status ----------------------------------------------------------

    def _enter(self, state: ConnectionState, *, force_notify: bool = False) -> None:
        status = self.status
        if status.state is ConnectionState.CLOSED:
            return
        if status.state is not state:
            status.state = state
            status.since = time.monotonic()
        elif not force_notify:
            return
        if state is not ConnectionState.LIVE:
            self._live.clear()
        if state in (ConnectionState.UNAUTHORIZED, ConnectionState.CLOSED):
            self._stopped.set()
        self._notify()

    def _notify(self) -> None:
        if self.on_status is not None:
            self.on_status(self.status.copy())


def _hub_message(response: httpx.Response) -> str:
    """The hub's own sentence from an error body, if it sent one."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return f": {body['message']}"
    return ""
