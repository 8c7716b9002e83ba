"""End to end, through the Bot API over HTTP: an officer's words on a real night.

`tcag run` as a separate process: "lad with a knife outside wetherspoons, urgent" is
proposed urgent with the place "outside wetherspoons", stored with that place after one
press (two interactions in all), and its alert reaches the member on duty and the group.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.offline.bot_api import LocalBotAPI
from bot.offline.http_server import LocalServer, start_local_server
from tests.support.e2e import (
    REPORTER,
    Chat,
    Database,
    alerts,
    bot_env,
    no_traceback,
    seed,
    team,
)
from tests.support.harness import COORDINATORS_CHAT
from tests.support.process import TOKEN, RunningBot

pytestmark = pytest.mark.e2e

KNIFE = "lad with a knife outside wetherspoons, urgent"


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    local = await start_local_server(LocalBotAPI(), token=TOKEN)
    yield local
    await local.stop()


async def test_knife_outside_wetherspoons_over_http(server: LocalServer, tmp_path: Path) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path}/street.db"
    [colleague] = team(1)
    await seed(database_url, members=[REPORTER, colleague], on_duty=[colleague])
    api, chat = server.api, Chat(server.api)
    bot = await RunningBot.start(tmp_path, bot_env(server, database_url))
    database = Database(database_url)
    try:
        chat.say(REPORTER, KNIFE)  # interaction 1
        [proposal] = await bot.wait_for(
            lambda: chat.with_buttons(REPORTER, "✅ Confirm"), "before the proposal"
        )
        assert proposal.plain.startswith("🔎 Weapon seen outside wetherspoons?"), proposal.plain
        assert "Urgent, because you wrote “knife”, “urgent”" in proposal.plain
        chat.press(REPORTER, proposal, "✅ Confirm")  # interaction 2
        await bot.wait_for(lambda: chat.saying(REPORTER.telegram_id, "stored at"), "before storing")

        [report] = await database.reports()
        assert report.place_text == "outside wetherspoons" and report.hotspot_id is None
        assert report.urgent and report.description == KNIFE
        await bot.wait_for(
            lambda: {COORDINATORS_CHAT, colleague.telegram_id} <= set(alerts(api)),
            "before the alert reached the group and the member on duty",
        )
        assert REPORTER.telegram_id not in alerts(api)  # the reporter is not alerted
        no_traceback(bot)
    finally:
        await bot.close()
        await database.close()
