"""The incident detail says how the report came in (`channel`), in the catalogue's words."""

from __future__ import annotations

import pytest

from pilkades_tui.domain.models import Channel
from pilkades_tui.i18n import Catalogue
from tests.console.conftest import AppFactory
from tests.console.screen import screen_text
from tests.console.world import fixed_state

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize(("lang", "words"), [("id", "lewat WhatsApp"), ("en", "via WhatsApp")])
async def test_detail_names_the_channel(app_factory: AppFactory, lang: str, words: str) -> None:
    state = fixed_state()
    first = state.incidents["INC-0001"]
    state.incidents["INC-0001"] = first.model_copy(update={"channel": Channel.WHATSAPP})
    app = app_factory(state=state, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "enter")
        await pilot.pause(0.2)
        text = screen_text(app)
        assert Catalogue(lang).text("detail.title", id="INC-0001") in text
        assert words in text


async def test_detail_without_channel_says_nothing_of_it(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "enter")
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "Dilaporkan" in text and "lewat" not in text
