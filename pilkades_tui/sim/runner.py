"""Plays the day against a hub through its public API, as the field would.

Field reporters and GPS devices only ever use the hub's HTTP commands (through
feed.commands.HubCommands); the feed (feed.client.FeedClient) tells the simulator
what the consoles decided, so an assigned unit drives to the incident, reports
`on_scene`, and clears it after a while.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx

from pilkades_tui.domain.clock import wib_now
from pilkades_tui.domain.geo import haversine_km
from pilkades_tui.domain.models import (
    ElectionPhase,
    Officer,
    OfficerKind,
    OfficerStatus,
    TpsPhase,
)
from pilkades_tui.domain.recommend import ROAD_FACTOR, SPEED_KMH
from pilkades_tui.domain.state import Changes, ElectionState
from pilkades_tui.feed.client import FeedClient, FeedStopped
from pilkades_tui.feed.commands import HubCommands
from pilkades_tui.feed.results import CommandResult, Outcome
from pilkades_tui.sim.day import (
    DAY_START,
    IncidentPlan,
    TpsPlan,
    at_clock,
    incidents_due,
    phase_at,
    pick_incident,
    plan_tps,
    routine_report_floor,
)
from pilkades_tui.sim.field import FieldPageError, FieldPhone

TICK_S = 0.25  # real seconds between steps of the simulated world
WORKERS = 8  # requests in flight at once
POSITION_EVERY = timedelta(minutes=2)  # GPS fix interval of a moving unit
# At high speed a fix every 2 simulated minutes would be many a real second per unit,
# more than a map can show: one unit sends at most one fix per this many real seconds.
FIX_MIN_REAL_S = 1.0
PATROL_SHARE_MOVING = 0.5  # patrol units driving between villages at a time
ESCORT_SHARE = 0.35  # TPS whose ballots a guard escorts in the morning
DONE_GRACE = timedelta(minutes=30)
# How long to keep knocking on a hub that does not answer at start (it may be booting).
CONNECT_PATIENCE_S = 5.0
# Once the hub answers, how long the first snapshot and feed may take.
LIVE_PATIENCE_S = 30.0
# Routine TPS reports may use this share of the request budget; at high speeds the
# interval between a TPS's reports stretches so field reports are never starved.
ROUTINE_SHARE = 0.4
BURST_SHARE = 0.25  # the token bucket holds a quarter second of requests
URGENT, ROUTINE, FIX = 0, 1, 2

Job = Callable[[], Awaitable[CommandResult]]


class SimulatorError(Exception):
    """The hub cannot be used (unreachable at start, token refused); for a person."""


class SimClock:
    """Simulated WIB time: `start` at the moment of creation, `speed` times real time."""

    def __init__(
        self,
        start: datetime,
        speed: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.start = start
        self.speed = speed
        self._monotonic = monotonic
        self._origin = monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=(self._monotonic() - self._origin) * self.speed)


class Pacer:
    """A token bucket, so the simulator stays under the hub's per-token rate limit."""

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        # A small bucket: a full second's worth on top of the steady rate would let a
        # busy second reach twice the rate, past the hub's limit at the default 60/s.
        self.burst = burst if burst is not None else max(1.0, rate * BURST_SHARE)
        self.tokens = self.burst
        self._monotonic = monotonic
        self.stamp = monotonic()

    def _refill(self) -> None:
        now = self._monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def try_take(self) -> bool:
        self._refill()
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    async def take(self) -> None:
        while not self.try_take():
            await asyncio.sleep(1 / self.rate)


@dataclass(slots=True)
class Movement:
    officer_id: str
    lat: float
    lon: float
    target_lat: float
    target_lon: float
    speed_kmh: float
    next_fix: datetime
    incident_id: str | None = None  # driving to an incident (else patrol or return)


class Simulator:
    def __init__(
        self,
        hub_url: str,
        token: str,
        *,
        speed: float = 60.0,
        seed: int = 2022,
        start: datetime | None = None,
        requests_per_s: float = 60.0,
        until: ElectionPhase | None = None,
        on_log: Callable[[str], None] | None = None,
        clock: SimClock | None = None,
        opening_reports: int = 0,
        field_share: float = 0.0,
    ) -> None:
        if not 0.0 <= field_share <= 1.0:
            raise SimulatorError(f"field share {field_share}: give a share from 0 to 1")
        self.hub_url = hub_url.rstrip("/")
        # Reports sent at once when the day starts: a day joined mid-morning already
        # has incidents waiting, as a desk taken over at 07:40 would.
        self.opening_reports = opening_reports
        # Of the reports a village's Bhabinkamtibmas could send, the share he sends
        # himself from the field page (GET /lapor) instead of them reaching the hub
        # some other way; 0 draws nothing, so a seed plays the same day as before.
        self.field_share = field_share
        self.until = until
        self.token = token
        self.rng = random.Random(seed)
        today = wib_now().date()
        # A clock given by the caller (the demo) is shared with the hub and the console.
        self.shared_clock = clock is not None
        self.clock = clock or SimClock(start or at_clock(today, DAY_START), speed)
        self.pacer = Pacer(requests_per_s)
        self.on_log = on_log or (lambda line: None)
        try:
            self.commands = HubCommands(self.hub_url, token, timeout=10.0)
            self.feed = FeedClient(self.hub_url, token, on_changes=self._on_changes)
            self.phone = FieldPhone(self.hub_url, token, self.commands)
        except ValueError as error:
            raise SimulatorError(str(error)) from None
        # Field reports and unit moves go before routine TPS updates, GPS fixes last.
        self.jobs: asyncio.PriorityQueue[tuple[int, int, Job]] = asyncio.PriorityQueue()
        self.job_count = 0
        self.plans: dict[str, TpsPlan] = {}
        self.next_report: dict[str, datetime] = {}
        self.reported_phase: dict[str, TpsPhase] = {}
        self.routine_pending: set[str] = set()  # TPS with a routine report still queued
        self.sent_phase: ElectionPhase | None = None
        self.escort_end: dict[str, datetime] = {}  # guard → when his escort ends
        self.escorting: set[str] = set()
        self.moving: dict[str, Movement] = {}
        self.clear_at: dict[str, tuple[datetime, str]] = {}  # incident → (when, officer)
        self.false_reports: set[str] = set()
        self.tracked_assignments: set[tuple[str, str]] = set()
        self.last_step: datetime | None = None
        self.report_floor = timedelta(0)
        self.sent = 0
        self.failed = 0
        self.incidents_reported = 0
        self.field_reports = 0
        self.refusal: str | None = None  # the token's role is too low: nothing will work
        self._stop: asyncio.Event | None = None
        self._closed = False

    # ---- running -----------------------------------------------------------------

    @property
    def state(self) -> ElectionState | None:
        return self.feed.state

    async def close(self) -> None:
        """Stop a running day (as Ctrl-C does): run() returns after its current step."""
        self._closed = True
        if self._stop is not None:
            self._stop.set()

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Play the day until it is done, `until` is reached, `stop` is set or close().

        Raises SimulatorError (a sentence for a person) when the hub cannot be reached
        or refuses the token.
        """
        stop = stop or asyncio.Event()
        self._stop = stop
        if self._closed:
            stop.set()
        try:
            reachable = await self._check_reachable(stop)
        except SimulatorError:
            await self.commands.aclose()
            raise
        if not reachable:  # stopped (Ctrl-C) while still knocking
            await self.commands.aclose()
            return
        feed_task = asyncio.create_task(self.feed.run())
        workers = [asyncio.create_task(self._worker()) for _ in range(WORKERS)]
        try:
            try:
                await self.feed.wait_live(LIVE_PATIENCE_S)
            except FeedStopped:
                raise SimulatorError(
                    self.feed.status.last_error or f"the hub at {self.hub_url} refused the token"
                ) from None
            except TimeoutError:
                raise SimulatorError(
                    self.feed.status.last_error or f"no live feed from the hub at {self.hub_url}"
                ) from None
            if self.field_share > 0:
                try:
                    await self.phone.sign_in()
                except FieldPageError as error:
                    raise SimulatorError(str(error)) from None
            # The simulated day starts now, not when the object was made: the first
            # snapshot may take a while, and at high speed that would skip the start.
            if not self.shared_clock:
                self.clock = SimClock(self.clock.start, self.clock.speed)
            self._plan()
            self.on_log(f"simulated day starts at {self.clock.now():%H:%M} WIB")
            self._report_opening()
            while not stop.is_set():
                if self.refusal is not None:
                    raise SimulatorError(self.refusal)
                now = self.clock.now()
                self.step(now)
                if self._finished(now):
                    await self.jobs.join()
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), TICK_S)
        finally:
            for worker in workers:
                worker.cancel()
            await self.feed.close()
            feed_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await feed_task
            await self.commands.aclose()

    async def _check_reachable(self, stop: asyncio.Event) -> bool:
        """Fail in seconds, with a sentence, when nothing answers at `hub_url`.

        The feed client retries forever by design (a console must ride out a hub
        restart); a simulator started against a wrong address should say so instead.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CONNECT_PATIENCE_S
        async with httpx.AsyncClient(timeout=2.0) as http:
            while True:
                try:
                    answer = await http.get(f"{self.hub_url}/v1/health")
                except httpx.InvalidURL:
                    raise SimulatorError(f"{self.hub_url!r} is not a hub URL") from None
                except httpx.UnsupportedProtocol:
                    raise SimulatorError(
                        f"{self.hub_url!r} is not a hub URL (use http:// or https://)"
                    ) from None
                except httpx.TransportError as error:
                    reason = type(error).__name__
                else:
                    if answer.status_code == 200:
                        return True
                    reason = f"HTTP {answer.status_code} on /v1/health"
                if stop.is_set():
                    return False
                if loop.time() >= deadline:
                    raise SimulatorError(
                        f"cannot reach a hub at {self.hub_url} ({reason}): is it running?"
                    )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 0.5)

    def _finished(self, now: datetime) -> bool:
        if self.until is not None and self.sent_phase is not None:
            order = list(ElectionPhase)
            if order.index(self.sent_phase) >= order.index(self.until):
                self.on_log(f"{now:%H:%M} reached phase {self.until.value}, stopping")
                return True
        if self.sent_phase == ElectionPhase.DONE and self._day_over(now):
            self.on_log("the day is done")
            return True
        return False

    def _day_over(self, now: datetime) -> bool:
        day = self.clock.start.date()
        return now >= at_clock(day, DAY_START) + timedelta(hours=15) + DONE_GRACE and not (
            self.moving or self.clear_at
        )

    async def _worker(self) -> None:
        while True:
            _rank, _number, job = await self.jobs.get()
            try:
                await self.pacer.take()
                result = await job()
                self.sent += 1
                if result.outcome is not Outcome.ACCEPTED:
                    self.failed += 1
                if result.status_code == 403 and self.refusal is None:
                    self.refusal = (
                        f"the hub refused a field report ({result.message or 'forbidden'}): "
                        "the simulator needs an admin token"
                    )
            except Exception as error:  # noqa: BLE001 - one failed report never stops the day
                self.failed += 1
                self.on_log(f"request failed: {error}")
            finally:
                self.jobs.task_done()

    def send(self, job: Job, *, rank: int = URGENT) -> None:
        """Queue a request; a GPS fix (rank FIX) is dropped when we are behind."""
        if rank == FIX and self.jobs.qsize() > WORKERS:
            return
        self.job_count += 1
        self.jobs.put_nowait((rank, self.job_count, job))

    def send_status(self, officer_id: str, status: OfficerStatus, note: str) -> None:
        self.send(lambda: self.commands.officer_status(officer_id, status.value, note=note))

    def send_action(self, incident_id: str, action: str, note: str, **fields: str) -> None:
        self.send(lambda: self.commands.incident_action(incident_id, action, note=note, **fields))

    # ---- the plan ------------------------------------------------------------------

    def _plan(self) -> None:
        state = self.state
        assert state is not None
        day = self.clock.start.date()
        for tps_id in sorted(state.tps):
            tps = state.tps[tps_id]
            self.plans[tps_id] = plan_tps(self.rng, tps_id, tps.voters, day)
            self.reported_phase[tps_id] = tps.phase
            self.next_report[tps_id] = at_clock(day, DAY_START) + timedelta(
                minutes=self.rng.uniform(30, 75)
            )
        self.sent_phase = state.phase.phase if state.phase.version > 1 else None
        self.report_floor = routine_report_floor(
            len(self.plans), self.pacer.rate * ROUTINE_SHARE, self.clock.speed
        )
        for tps_id in sorted(state.tps):
            guards = state.tps[tps_id].officer_ids
            if guards and self.rng.random() < ESCORT_SHARE:
                end = at_clock(day, DAY_START) + timedelta(minutes=self.rng.uniform(40, 60))
                self.escort_end.setdefault(guards[-1], end)

    # ---- one step of the world -----------------------------------------------------

    def step(self, now: datetime) -> None:
        """Everything that should have happened by `now` since the last step."""
        state = self.state
        if state is None:
            return
        elapsed = (now - self.last_step).total_seconds() if self.last_step else 0.0
        self.last_step = now
        self._phase(now)
        self._escort(now, state)
        self._tps_reports(now)
        self._report_incidents(now, elapsed, state)
        self._patrols(now, state)
        self._move(now, elapsed)
        self._clear(now)

    def _phase(self, now: datetime) -> None:
        phase = phase_at(now)
        if phase is None or phase == self.sent_phase:
            return
        self.sent_phase = phase
        self.on_log(f"{now:%H:%M} phase {phase.value}")
        self.send(lambda: self.commands.set_phase(phase.value, note="Sesuai jadwal"))

    def _escort(self, now: datetime, state: ElectionState) -> None:
        """From 06:00 some guards escort the ballots to their TPS, back by 06:30."""
        if now < at_clock(now.date(), DAY_START) + timedelta(minutes=30):
            return
        for officer_id, end in list(self.escort_end.items()):
            officer = state.officers.get(officer_id)
            starting = officer is not None and officer_id not in self.escorting and now < end
            if starting and officer.status == OfficerStatus.AVAILABLE:
                self.escorting.add(officer_id)
                self.send_status(officer_id, OfficerStatus.ESCORTING, "Mengawal logistik ke TPS")
                continue
            if officer is None or now >= end:
                if officer_id in self.escorting:
                    self.send_status(officer_id, OfficerStatus.AVAILABLE, "Logistik tiba di TPS")
                self.escorting.discard(officer_id)
                del self.escort_end[officer_id]

    def _tps_reports(self, now: datetime) -> None:
        for tps_id, plan in self.plans.items():
            phase = plan.phase_at(now)
            due = self.next_report[tps_id]
            if now < due and phase == self.reported_phase[tps_id]:
                continue
            self.reported_phase[tps_id] = phase
            self.next_report[tps_id] = now + max(plan.report_every, self.report_floor)
            if tps_id in self.routine_pending:
                # Still queued: it reads the TPS's plan when it goes out, so at high
                # speed one report carries the latest phase instead of a backlog of all.
                continue
            self.routine_pending.add(tps_id)
            health = plan.health_at(self.rng, now)
            self.send(lambda p=plan, h=health: self._send_tps_report(p, h), rank=ROUTINE)

    async def _send_tps_report(self, plan: TpsPlan, health: str) -> CommandResult:
        self.routine_pending.discard(plan.tps_id)
        now = self.clock.now()
        phase = plan.phase_at(now)
        return await self.commands.tps_status(
            plan.tps_id,
            phase=phase.value,
            ballots_cast=plan.ballots_at(now),
            health_protocol=health if phase == TpsPhase.VOTING else None,
        )

    def _report_incidents(self, now: datetime, elapsed: float, state: ElectionState) -> None:
        if elapsed <= 0:
            return
        # Before 06:00 phase_at is None: the dawn of the "serangan fajar" reports.
        phase = phase_at(now)
        self._send_reports(incidents_due(self.rng, phase, elapsed), phase, state)

    def _report_opening(self) -> None:
        state = self.state
        if self.opening_reports > 0 and state is not None:
            self._send_reports(self.opening_reports, phase_at(self.clock.now()), state)

    def _send_reports(self, count: int, phase: ElectionPhase | None, state: ElectionState) -> None:
        if not count:
            return
        # A village's Bhabinkamtibmas (callsign like KJN-B03) reports for all its TPS.
        bhabin_of_village: dict[str, str] = {}
        for officer in sorted(state.officers.values(), key=lambda o: o.id):
            post = state.tps.get(officer.post_tps_id or "")
            if post is not None and "-B" in officer.id:
                bhabin_of_village.setdefault(post.village_code, officer.id)
        places = [
            (tps.id, tps.name, tps.village, tps.risk, bhabin_of_village.get(tps.village_code))
            for tps in state.tps.values()
        ]
        places.sort()
        for _ in range(count):
            plan = pick_incident(self.rng, phase, places)
            bhabin_id = bhabin_of_village.get(state.tps[plan.tps_id].village_code)
            officer = state.officers.get(bhabin_id) if bhabin_id else None
            on_page = (
                officer is not None
                and self.field_share > 0
                and self.rng.random() < self.field_share
            )
            self.send(lambda p=plan, o=officer if on_page else None: self._post_incident(p, o))

    async def _post_incident(
        self, plan: IncidentPlan, field_officer: Officer | None
    ) -> CommandResult:
        if field_officer is not None:
            result = await self.phone.report_incident(field_officer, plan)
            if result.outcome is Outcome.ACCEPTED:
                self.field_reports += 1
        else:
            result = await self.commands.new_incident(
                category=plan.category.value,
                description=plan.description,
                reported_by=plan.reported_by,
                tps_id=plan.tps_id,
            )
        if result.outcome is Outcome.ACCEPTED and result.record is not None:
            self.incidents_reported += 1
            incident_id = str(result.record.get("id"))
            if plan.false_report:
                self.false_reports.add(incident_id)
            self.on_log(f"incident {incident_id}: {plan.category.value} at {plan.tps_id}")
        return result

    def _patrols(self, now: datetime, state: ElectionState) -> None:
        for officer in state.officers.values():
            if officer.kind != OfficerKind.VEHICLE or officer.id in self.moving:
                continue
            if officer.status != OfficerStatus.AVAILABLE:
                continue
            if self.rng.random() > PATROL_SHARE_MOVING * TICK_S / 60:
                continue
            district = state.officer_district(officer)
            candidates = state.tps_in_district(district) if district else []
            if not candidates:
                continue
            target = self.rng.choice(sorted(candidates, key=lambda t: t.id))
            self._start_moving(officer.id, target.lat, target.lon, None, now)

    def _start_moving(
        self, officer_id: str, lat: float, lon: float, incident_id: str | None, now: datetime
    ) -> None:
        state = self.state
        assert state is not None
        officer = state.officers[officer_id]
        self.moving[officer_id] = Movement(
            officer_id=officer_id,
            lat=officer.lat,
            lon=officer.lon,
            target_lat=lat,
            target_lon=lon,
            speed_kmh=SPEED_KMH[officer.kind] / ROAD_FACTOR,
            next_fix=now,
            incident_id=incident_id,
        )

    def _move(self, now: datetime, elapsed: float) -> None:
        for officer_id, move in list(self.moving.items()):
            remaining = haversine_km(move.lat, move.lon, move.target_lat, move.target_lon)
            step = move.speed_kmh * elapsed / 3600
            if step >= remaining or remaining < 0.01:
                move.lat, move.lon = move.target_lat, move.target_lon
                del self.moving[officer_id]
                self._send_fix(move, now)
                if move.incident_id is not None:
                    self._arrive(move, now)
                continue
            fraction = step / remaining
            move.lat += (move.target_lat - move.lat) * fraction
            move.lon += (move.target_lon - move.lon) * fraction
            if now >= move.next_fix:
                move.next_fix = now + max(
                    POSITION_EVERY, timedelta(seconds=self.clock.speed * FIX_MIN_REAL_S)
                )
                self._send_fix(move, now)

    def _send_fix(self, move: Movement, now: datetime) -> None:
        # No `at`: the hub stamps the fix with its own clock. The simulated clock runs
        # ahead of real time, and a fix from the future would make later real ones stale.
        lat, lon = round(move.lat, 6), round(move.lon, 6)
        self.send(
            lambda: self.commands.officer_position(move.officer_id, lat, lon),
            rank=URGENT if move.incident_id is not None else FIX,
        )

    def _arrive(self, move: Movement, now: datetime) -> None:
        incident_id = move.incident_id
        assert incident_id is not None
        self.send_status(move.officer_id, OfficerStatus.ON_SCENE, "Tiba di lokasi")
        # A false report is checked and closed quicker than a real one is calmed down.
        false_report = incident_id in self.false_reports
        minutes = self.rng.uniform(5, 15) if false_report else self.rng.uniform(10, 45)
        self.clear_at.setdefault(incident_id, (now + timedelta(minutes=minutes), move.officer_id))

    def _clear(self, now: datetime) -> None:
        state = self.state
        assert state is not None
        for incident_id, (when, _officer) in list(self.clear_at.items()):
            if now < when:
                continue
            del self.clear_at[incident_id]
            incident = state.incidents.get(incident_id)
            if incident is None or not incident.is_open:
                continue
            if incident_id in self.false_reports:
                self.send_action(
                    incident_id, "verify", "Dicek di lokasi: laporan tidak benar", verdict="invalid"
                )
            else:
                self.send_action(incident_id, "resolve", "Situasi kondusif, massa membubarkan diri")

    # ---- what the consoles decided ------------------------------------------------

    def _on_changes(self, changes: Changes) -> None:
        state = self.state
        if state is None or self.last_step is None:
            return
        for officer_id in changes.officers:
            officer = state.officers.get(officer_id)
            if officer is None or officer.incident_id is None:
                continue
            if officer.status != OfficerStatus.DISPATCHED:
                continue
            assignment = (officer_id, officer.incident_id)
            if assignment in self.tracked_assignments:
                continue
            self.tracked_assignments.add(assignment)
            incident = state.incidents.get(officer.incident_id)
            if incident is None:
                continue
            self.on_log(f"{officer_id} dispatched to {incident.id}: en route")
            self.send_status(officer_id, OfficerStatus.EN_ROUTE, "Meluncur ke lokasi")
            self._start_moving(officer_id, incident.lat, incident.lon, incident.id, self.last_step)
