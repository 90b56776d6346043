"""The console's map and village rules follow the hub's geography.

Until the hub's boundaries arrive the map pane draws nothing and says it waits for the
hub's map (the packaged Pekalongan never stands in for another kabupaten); once they
do, the map pane draws them and the rules engine is rebuilt with their neighbouring
villages and village codes. A console offline (given a state, as in tests) keeps the
packaged ones.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from pilkades_tui.console.widgets.map_pane import MapPane, layer_of
from pilkades_tui.domain.rules.engine import AlertEngine
from pilkades_tui.domain.rules.settings import RuleSettings
from pilkades_tui.domain.state import Changes
from pilkades_tui.feed.geography import GeographyUnavailable, fetch_geography, follow_geography
from pilkades_tui.scenario.adjacency import geography_engine
from pilkades_tui.scenario.geography import Geography, packaged

if TYPE_CHECKING:
    from pilkades_tui.console.app import PilkadesApp

# While the rules are being built in a thread, the new engine waits this long to swap in.
SWAP_RETRY_S = 0.2
# Asked again this often (a 304 while nothing changed): a hub restarted on another
# election's log is followed without restarting the console.
REFRESH_S = 60.0


class GeographyLoader:
    def __init__(
        self, hub_url: str, token: str, settings: RuleSettings, refresh_s: float = REFRESH_S
    ) -> None:
        self.hub_url = hub_url
        self.token = token
        self.settings = settings
        self.refresh_s = refresh_s
        self.geography: Geography = packaged()
        self.problem: str | None = None  # the last reason the hub's could not be had

    async def run(self, app: PilkadesApp) -> None:
        """A worker: fetch (retrying while the hub is away) and install; then ask again
        now and then, and install what changed."""

        def trouble(sentence: str) -> None:
            self.problem = sentence

        async def arrived(geography: Geography) -> None:
            await self._arrived(app, geography)

        known = await follow_geography(self.hub_url, self.token, arrived, trouble)
        while known is not None and app.is_running:
            await asyncio.sleep(self.refresh_s)
            try:
                latest = await fetch_geography(self.hub_url, self.token, known)
            except GeographyUnavailable as error:
                trouble(str(error))  # the feed's status says the hub is away; try later
                continue
            if latest is not known:
                await self._arrived(app, latest)
                known = latest

    async def _arrived(self, app: PilkadesApp, geography: Geography) -> None:
        engine = None
        if geography.digest != self.geography.digest:
            # Measuring a province's neighbouring villages and projecting its outlines
            # take a while: in a thread, so the screen never stalls for them.
            engine = await asyncio.to_thread(geography_engine, geography, self.settings)
            await asyncio.to_thread(layer_of, geography)
        self.install(app, geography, engine)

    def install(self, app: PilkadesApp, geography: Geography, engine: AlertEngine | None) -> None:
        self.geography = geography
        self.problem = None
        if not app.is_running:
            return
        app.query_one(MapPane).set_geography(geography)
        if engine is not None:
            self._swap(app, engine)

    def _swap(self, app: PilkadesApp, engine: AlertEngine) -> None:
        if not app.is_running:
            return
        if app.engine_building:
            app.set_timer(SWAP_RETRY_S, lambda: self._swap(app, engine))
            return
        # The next tick evaluates the whole state with the new engine.
        app.engine = engine
        app.engine_ready = False
        app.engine_backlog = Changes()
