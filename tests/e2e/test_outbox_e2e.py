"""End to end: `tcag run` sends alerts waiting in the outbox over HTTP, and stops cleanly."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.domain.access.roles import Role
from bot.domain.alerts.outbox_types import OutboxStatus
from bot.domain.clock import SystemClock
from bot.offline.bot_api import LocalBotAPI
from bot.offline.http_server import LocalServer, start_local_server
from storage.models import ReportIn
from storage.store import Store
from tests.support.alerting import OFFICER, REPORTER
from tests.support.harness import ADMIN, COORDINATORS_CHAT
from tests.support.process import TOKEN, RunningBot, tcag_env

pytestmark = pytest.mark.e2e


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    local = await start_local_server(LocalBotAPI(), token=TOKEN)
    yield local
    await local.stop()


async def file_urgent_report(database_url: str) -> int:
    """A database as a crash would leave it: an urgent report whose alerts were never sent."""
    store = Store.from_url(database_url, SystemClock())
    try:
        await store.upgrade()
        admin = await store.members.ensure_admin(ADMIN.telegram_id, ADMIN.name)
        for person in (OFFICER, REPORTER):
            code, _ = await store.invites.create(Role.OFFICER, by=admin, ttl=timedelta(hours=1))
            await store.invites.redeem(
                code, telegram_id=person.telegram_id, name=person.name, username=None
            )
        reporter = await store.members.by_telegram_id(REPORTER.telegram_id)
        officer = await store.members.by_telegram_id(OFFICER.telegram_id)
        assert reporter is not None and officer is not None
        for member in (admin, officer):  # urgent alerts go to members on duty
            await store.duty.start(member.id or 0)
        weapon = await store.categories.by_slug("weapon")
        assert weapon is not None
        report = await store.reports.file(
            ReportIn(category_id=weapon.id or 0, place_text="Elmer Square", urgent=True),
            reporter=reporter,
            group_chat_id=COORDINATORS_CHAT,
        )
        return report.id or 0
    finally:
        await store.close()


async def test_run_sends_pending_alerts_and_marks_them_sent(
    server: LocalServer, tmp_path: Path
) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path}/e2e.db"
    report_id = await file_urgent_report(database_url)
    api = server.api
    env = tcag_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        DATABASE_URL=database_url,
        TCAG_COORDINATORS_CHAT_ID=str(COORDINATORS_CHAT),
    )
    bot = await RunningBot.start(tmp_path, env)
    try:
        for chat_id in (COORDINATORS_CHAT, ADMIN.telegram_id, OFFICER.telegram_id):
            alert = await bot.wait_for(
                lambda chat_id=chat_id: api.sent_to(chat_id), f"before alerting chat {chat_id}"
            )
            assert "Urgent incident" in alert[0].plain and len(alert) == 1
            # Acknowledge where it may be used: the group and the admin; officers attend.
            expected = ["🚶 Attending"]
            if chat_id != OFFICER.telegram_id:
                expected.insert(0, "✅ Acknowledge")
            if chat_id == ADMIN.telegram_id:  # an admin's own copy: the way to the cameras
                expected.append("📹 Request CCTV review")
            assert [b["text"] for b in alert[0].inline_buttons] == expected
        assert api.sent_to(REPORTER.telegram_id) == []
        code = await bot.terminate(within=15)
        assert code == 0, bot.output()
        assert "Traceback" not in "".join(bot.stderr), bot.output()
    finally:
        await bot.close()

    store = Store.from_url(database_url, SystemClock())
    try:
        rows = await store.outbox.for_report(report_id)
        assert len(rows) == 3 and all(r.status is OutboxStatus.SENT for r in rows)
    finally:
        await store.close()
