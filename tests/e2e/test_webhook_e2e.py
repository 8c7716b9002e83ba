"""End to end: `tcag run` in webhook mode, over HTTP on 127.0.0.1.

The process sets its webhook at the local Bot API (which accepts any URL), serves updates
on TCAG_WEBHOOK_PORT with the secret checked, and answers GET /healthz on the same port.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.cli.webhook import SECRET_HEADER
from bot.offline.bot_api import LocalBotAPI
from bot.offline.http_server import LocalServer, start_local_server
from tests.support.harness import ADMIN, STRANGER
from tests.support.process import TOKEN, RunningBot, run_tcag, start_update, tcag_env

pytestmark = pytest.mark.e2e

SECRET = "s3cret_Token-for-tests_0123456789abcdef"  # 32 or more characters
PUBLIC_URL = "https://example.invalid/telegram"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    local = await start_local_server(LocalBotAPI(), token=TOKEN)
    yield local
    await local.stop()


def webhook_env(server: LocalServer, tmp_path: Path, port: int, **more: str) -> dict[str, str]:
    return tcag_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/webhook.db",
        TCAG_ADMIN_IDS=str(ADMIN.telegram_id),
        TCAG_WEBHOOK_URL=PUBLIC_URL,
        TCAG_WEBHOOK_SECRET=SECRET,
        TCAG_WEBHOOK_PORT=str(port),
        **more,
    )


async def wait_until_serving(bot: RunningBot, client: httpx.AsyncClient, base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if bot.process.returncode is not None:
            pytest.fail(f"tcag run exited {bot.process.returncode}\n{bot.output()}")
        try:
            await client.get(f"{base}/healthz")
            return
        except httpx.TransportError:
            await asyncio.sleep(0.1)
    pytest.fail(f"the webhook server never answered\n{bot.output()}")


async def test_webhook_mode_serves_updates_with_the_secret_and_health(
    server: LocalServer, tmp_path: Path
) -> None:
    api = server.api
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    bot = await RunningBot.start(
        tmp_path, webhook_env(server, tmp_path, port, TCAG_LOG_FORMAT="json")
    )
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            await wait_until_serving(bot, client, base)
            [set_webhook] = await bot.wait_for(
                lambda: api.calls_of("setWebhook"), "before setting the webhook"
            )
            assert set_webhook.params["url"] == PUBLIC_URL
            assert set_webhook.params["secret_token"] == SECRET
            assert "callback_query" in set_webhook.params["allowed_updates"]
            assert api.calls_of("getUpdates") == [] and api.calls_of("deleteWebhook") == []

            # Without the secret, or with a wrong one: 403, and nothing is handled.
            stranger = json.dumps({"update_id": 1, **start_update(api, STRANGER)})
            missing = await client.post(f"{base}/telegram", content=stranger)
            wrong = await client.post(
                f"{base}/telegram", content=stranger, headers={SECRET_HEADER: SECRET + "x"}
            )
            assert (missing.status_code, wrong.status_code) == (403, 403)
            # With it, but not an update: 400.
            garbage = await client.post(
                f"{base}/telegram", content=b"[1, 2", headers={SECRET_HEADER: SECRET}
            )
            assert garbage.status_code == 400

            # With the secret: handled, and the reply goes out through the Bot API.
            update = {"update_id": 2, **start_update(api, ADMIN)}
            accepted = await client.post(
                f"{base}/telegram", json=update, headers={SECRET_HEADER: SECRET}
            )
            assert accepted.status_code == 200, bot.output()
            menu = await bot.wait_for(lambda: api.sent_to(ADMIN.telegram_id), "before replying")
            assert "Alex" in menu[0].plain
            assert api.sent_to(STRANGER.telegram_id) == []  # the refused update never ran

            health = await client.get(f"{base}/healthz")
            assert health.status_code == 200
            assert health.headers["content-type"].startswith("application/json")
            body = health.json()
            assert body["status"] == "ok"
            assert body["database"] is True and body["schema_current"] is True
            assert set(body) == {"status", "version", "database", "schema_current", "outbox"}
            assert set(body["outbox"]) == {"pending", "undeliverable", "stuck"}
            assert body["outbox"]["undeliverable"] == 0

            # Only the update path and /healthz are served.
            assert (await client.get(f"{base}/telegram")).status_code == 405
            assert (await client.get(f"{base}/other")).status_code == 404

        code = await bot.terminate(within=15)
        assert code == 0, f"exit {code} after SIGTERM\n{bot.output()}"
        stderr = "".join(bot.stderr)
        assert "Traceback" not in stderr, bot.output()
        # TCAG_LOG_FORMAT=json: every line is one JSON object.
        records = [json.loads(line) for line in stderr.splitlines() if line.strip()]
        assert any("webhook on 127.0.0.1" in r["message"] for r in records), stderr
        assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
        assert SECRET not in stderr and TOKEN not in stderr
    finally:
        await bot.close()


async def test_webhook_url_without_a_secret_stops_with_one_line(tmp_path: Path) -> None:
    env = tcag_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/w.db",
        TCAG_WEBHOOK_URL=PUBLIC_URL,
    )
    done = await run_tcag("run", "--no-console", cwd=tmp_path, env=env)

    assert done.code == 2, done.explain()
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "TCAG_WEBHOOK_SECRET" in lines[0], done.explain()


async def test_a_busy_webhook_port_stops_with_one_line(server: LocalServer, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        done = await run_tcag(
            "run", "--no-console", cwd=tmp_path, env=webhook_env(server, tmp_path, port)
        )

    assert done.code == 8, done.explain()
    assert f"Cannot listen on 127.0.0.1:{port}" in done.stderr, done.explain()
    assert "Traceback" not in done.stderr
    assert server.api.calls_of("setWebhook") == []
