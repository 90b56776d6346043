"""Issue 15, safety: the queue names what everything else names (id, age, countdown),
every dialog names the incident, closing it takes a reason (and a high priority's
number), escalation is asked twice, and the hub's refusals reach the officer as
sentences of his language, never the hub's English."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Input

from pilkades_tui.console.screens.dialogs import (
    ChoiceDialog,
    ConfirmDialog,
    ReasonDialog,
    typed_number_matches,
)
from pilkades_tui.console.widgets.incident_pane import IncidentPane
from pilkades_tui.feed.commands import HubCommands
from pilkades_tui.feed.results import REFUSAL_REASONS
from pilkades_tui.hub.runner import HubServer
from pilkades_tui.i18n import MESSAGES, Catalogue
from pilkades_tui.logbook import Kind, Outcome
from tests.console.conftest import AppFactory
from tests.console.live import live_console, until
from tests.console.screen import notifications, screen_text
from tests.console.test_workflows import (
    assert_logged_then_sent,
    console_on,
    first_tps_ids,
    incident,
    last_decision,
    typed,
)

pytestmark = pytest.mark.timeout(60)

ID = Catalogue("id")
EN = Catalogue("en")


def queue_cells(app, incident_id: str) -> list[str]:  # noqa: ANN001
    return list(app.query_one(IncidentPane).build_row(incident_id).cells)


async def test_the_queue_shows_id_age_and_countdown_to_the_next_target(
    app_factory: AppFactory,
) -> None:
    # The fixed clock is 09:00; the settings are the defaults (docs/settings.md).
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        text = screen_text(app)
        header = next(line for line in text.splitlines() if "Tenggat" in line)
        assert "ID" in header and "Usia" in header
        for incident_id in ("INC-0001", "INC-0002", "INC-0003", "INC-0004"):
            assert incident_id in text
        pane = app.query_one(IncidentPane)
        # P1 new for 6 min: acknowledgement was due at 5 (its unacknowledged alarm).
        assert queue_cells(app, "INC-0001")[1:4] == ["INC-0001", "6 mnt", "+1 mnt"]
        assert pane.build_row("INC-0001").tone == "alarm"
        # P2 new for 3 min: 7 of its 10 minutes left, before the warning at 5.
        assert queue_cells(app, "INC-0002")[1:4] == ["INC-0002", "3 mnt", "7 mnt"]
        assert pane.build_row("INC-0002").tone == "normal"
        # P3 new for 1 min: 29 of 30.
        assert queue_cells(app, "INC-0003")[2:4] == ["1 mnt", "29 mnt"]
        # P3 dispatched, reported 08:40: on scene before the 19:00 shift change.
        assert queue_cells(app, "INC-0004")[2:4] == ["20 mnt", "10 j"]
        assert "+1 mnt" in text and "10 j" in text


async def test_a_late_target_turns_the_row_to_warning_then_alarm(
    app_factory: AppFactory,
) -> None:
    from datetime import timedelta

    from tests.console.world import AT

    now = [AT]
    app = app_factory(clock=lambda: now[0])
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        pane = app.query_one(IncidentPane)
        now[0] = AT + timedelta(minutes=3)  # INC-0002 (P2) new for 6 min: past its warning
        assert queue_cells(app, "INC-0002")[3] == "4 mnt"
        assert pane.build_row("INC-0002").tone == "warn"
        now[0] = AT + timedelta(minutes=10, seconds=30)  # 13.5 min: 3 past its 10
        assert queue_cells(app, "INC-0002")[3] == "+3 mnt"
        assert pane.build_row("INC-0002").tone == "alarm"


async def test_every_dialog_names_id_category_and_place(app_factory: AppFactory) -> None:
    for lang, words in (("id", ID), ("en", EN)):
        app = app_factory(lang=lang)
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.press("2")
            await pilot.pause()
            pane = app.query_one(IncidentPane)
            pane.select_key("INC-0002")
            await pilot.pause()
            held = app.current_state().incidents["INC-0002"]
            subject = words.text(
                "dialog.subject",
                id="INC-0002",
                category=words.enum("category", held.category),
                place=held.village,
            )
            assert subject.startswith("INC-0002 — ") and held.village in subject
            for key, title in (
                ("k", words.text("dialog.ack", subject=subject)),
                ("e", words.text("dialog.escalate", subject=subject)),
                ("v", words.text("dialog.verify", subject=subject)),
                ("r", words.text("dialog.resolve", subject=subject)),
                ("c", words.text("dialog.cancel_report", subject=subject)),
                ("n", words.text("dialog.note", subject=subject)),
                ("a", words.text("dialog.assign", subject=subject)),
            ):
                await pilot.press(key)
                await until(pilot, lambda app=app: len(app.screen_stack) > 1)
                assert title in screen_text(app), (lang, key)
                await pilot.press("escape")
                await until(pilot, lambda app=app: len(app.screen_stack) == 1)
            # Nothing was decided: every dialog was left with esc.
            assert not [e for e in app.logbook.entries() if e.kind is Kind.DECISION]
            assert app.current_state().incidents["INC-0002"].status == "new"
    acknowledge = ID.text("dialog.ack", subject="INC-000004 — intimidasi, Lolong")
    assert acknowledge == "Terima INC-000004 — intimidasi, Lolong?"


async def test_resolve_without_a_reason_is_refused_and_esc_leaves_it_open(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        app.query_one(IncidentPane).select_key("INC-0003")  # a P3: the reason alone
        await pilot.pause()
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReasonDialog))
        assert not app.screen.typed_number
        text = screen_text(app)
        # Never acknowledged, never a unit: the dialog says both before it closes.
        assert ID.text("dialog.warn_unacknowledged", id="INC-0003") in text
        assert ID.text("dialog.warn_no_unit", id="INC-0003") in text
        await pilot.press("enter")
        await until(pilot, lambda: ID.text("dialog.reason_required") in screen_text(app))
        await typed(pilot, "   ")
        await pilot.press("enter")
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("escape")
        await until(pilot, lambda: len(app.screen_stack) == 1)
        assert app.current_state().incidents["INC-0003"].status == "new"
        assert not [e for e in app.logbook.entries() if e.kind is Kind.DECISION]
        assert len(app.outbox) == 0


def test_the_typed_number_must_name_the_incident() -> None:
    for typed_text in ("4", "000004", "inc-000004", " INC-000004 "):
        assert typed_number_matches(typed_text, "INC-000004"), typed_text
    for typed_text in ("", "40", "INC-000040", "y", "-4"):
        assert not typed_number_matches(typed_text, "INC-000004"), typed_text


async def report_p1(hub: HubServer) -> str:
    reporter = HubCommands(hub.url, hub.tokens["reporter"])
    try:
        result = await reporter.new_incident(
            category="clash",
            priority=1,
            tps_id=(await first_tps_ids(hub))[0],
            description="bentrok dua kubu pendukung",
            reported_by="Bhabinkamtibmas",
        )
    finally:
        await reporter.aclose()
    assert result.record is not None
    return str(result.record["id"])


async def test_a_p1_is_resolved_only_with_a_reason_and_its_number_and_both_reach_the_hub(
    hub: HubServer, app_factory: AppFactory
) -> None:
    incident_id = await report_p1(hub)
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    async with console_on(app, incident_id) as pilot:
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReasonDialog))
        assert app.screen.typed_number
        text = screen_text(app)
        number = incident_id.rpartition("-")[2].lstrip("0")
        asked = ID.text("dialog.type_number", priority=1, number=number, id=incident_id)
        assert asked in text
        assert ID.text("dialog.warn_unacknowledged", id=incident_id) in text
        assert ID.text("dialog.warn_no_unit", id=incident_id) in text
        reason = "kedua kubu dilerai, situasi kondusif"
        await typed(pilot, reason)
        await pilot.press("enter")
        # The reason alone does not close a P1: the number is asked for.
        await pilot.pause(0.3)
        assert isinstance(app.screen, ReasonDialog)
        assert app.screen.focused is app.screen.query_one("#number", Input)
        await pilot.press("y", "enter")  # a stray "yes" is not its number
        mismatch = ID.text("dialog.number_mismatch", id=incident_id)
        await until(pilot, lambda: mismatch in screen_text(app))
        assert incident(app, incident_id).status == "new"
        assert not [e for e in app.logbook.entries() if e.kind is Kind.DECISION]
        app.screen.query_one("#number", Input).value = ""
        await typed(pilot, incident_id.rpartition("-")[2].lstrip("0"))
        await pilot.press("enter")
        await until(pilot, lambda: incident(app, incident_id).status == "resolved")
        await until(pilot, lambda: last_decision(app).outcome is Outcome.ACCEPTED)
        entry = assert_logged_then_sent(app, incident_id, "resolve")
        assert entry.note == reason
        hub_notes = [t.note for t in incident(app, incident_id).timeline if t.action == "resolve"]
        assert hub_notes == [reason]


async def test_verify_as_invalid_closes_only_with_a_reason(
    hub: HubServer, app_factory: AppFactory
) -> None:
    incident_id = await report_p1(hub)
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    async with console_on(app, incident_id) as pilot:
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("down", "enter")  # invalid
        await until(pilot, lambda: isinstance(app.screen, ReasonDialog))
        await pilot.press("escape")  # backing out of the reason sends nothing
        await until(pilot, lambda: len(app.screen_stack) == 1)
        assert incident(app, incident_id).status == "new"
        assert not [e for e in app.logbook.entries() if e.kind is Kind.DECISION]
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, ReasonDialog))
        reason = "pelapor mengaku salah lihat"
        await typed(pilot, reason)
        await pilot.press("enter")
        await typed(pilot, incident_id)
        await pilot.press("enter")
        await until(pilot, lambda: incident(app, incident_id).status == "cancelled")
        await until(pilot, lambda: last_decision(app).outcome is Outcome.ACCEPTED)
        entry = assert_logged_then_sent(app, incident_id, "verify", "verify:invalid")
        assert entry.note == reason
        notes = [
            t.note for t in incident(app, incident_id).timeline if t.action.startswith("verify")
        ]
        assert notes == [reason]


ENGLISH_WORDS = re.compile(
    r"\b(incident|version|someone|changed|conflict|already|first|not|the|is|at)\b", re.I
)


async def test_a_409_is_said_in_indonesian_with_no_english_words(
    hub: HubServer, app_factory: AppFactory
) -> None:
    incident_id = await report_p1(hub)
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    other = HubCommands(hub.url, hub.tokens["dispatcher"])
    async with console_on(app, incident_id) as pilot:
        await app.feed.close()  # this console stops hearing; another dispatcher acts
        seen = incident(app, incident_id)
        done = await other.incident_action(
            incident_id, "acknowledge", expected_version=seen.version
        )
        assert done.outcome == "accepted"
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: last_decision(app).outcome is Outcome.REJECTED)
        sentence = ID.text(
            "notify.conflict",
            action=ID.text("action.escalate"),
            message=ID.text(
                "hub.changed", subject=incident_id, status=ID.enum("status", "acknowledged")
            ),
            logbook="L",
        )
        await until(pilot, lambda: sentence in notifications(app))
        assert ENGLISH_WORDS.findall(sentence) == []
        # The hub's own words stay behind the logbook key, for whoever needs them.
        assert "someone changed it first" in (last_decision(app).why or "")
        assert all("someone" not in message for message in notifications(app))
    await other.aclose()


def test_every_refusal_reason_has_a_sentence_in_both_languages() -> None:
    for reason in REFUSAL_REASONS:
        indonesian, english = MESSAGES[f"hub.{reason}"]
        assert indonesian.strip() and english.strip() and indonesian != english, reason


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_handover_table_never_cuts_an_id(
    app_factory: AppFactory, size: tuple[int, int]
) -> None:
    from pilkades_tui.console.screens.handover_screen import HandoverScreen

    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await pilot.press("colon", *"handover Ipda Sari", "enter")
        await until(pilot, lambda: isinstance(app.screen, HandoverScreen))
        await pilot.pause()
        scroll = app.screen.query_one("VerticalScroll")
        seen = ""
        # Scrolled through page by page at 80x24: each id shows whole on some page.
        for _ in range(12):
            seen += screen_text(app)
            scroll.scroll_page_down(animate=False)
            await pilot.pause()
        for incident_id in ("INC-0001", "INC-0002", "INC-0003", "INC-0004"):
            assert re.search(rf"│ {incident_id} +│", seen), incident_id
        assert "IN…" not in seen and "INC-000…" not in seen
