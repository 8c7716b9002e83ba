"""`tcag` as a separate process: its environment, one-shot commands, and `tcag run` in the
background with its output collected.

Every process runs in a temporary directory (settings read `.env` from the working
directory, so a developer's own `.env` never leaks in) with an environment stripped of
TELEGRAM_*, TCAG_* and DATABASE_URL and given only what the test means.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.offline.bot_api import LocalBotAPI
from bot.offline.chat import Person, private_chat

TOKEN = "123456:" + "abcdefghijklmnopqrstuvwxyzABCD"
COMMAND_TIMEOUT = 60.0  # one short `tcag` command; generous for a loaded CI runner
_OWN_SETTINGS = ("TELEGRAM_", "TCAG_", "DATABASE_URL")


@dataclass
class Finished:
    code: int
    stdout: str
    stderr: str

    def explain(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def tcag_env(**settings: str) -> dict[str, str]:
    """This process's environment without our settings, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OWN_SETTINGS)}
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(settings)
    return env


async def run_tcag(*args: str, cwd: Path, env: dict[str, str]) -> Finished:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args,
        cwd=cwd, env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), COMMAND_TIMEOUT)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return Finished(process.returncode, stdout.decode(), stderr.decode())


class RunningBot:
    """`tcag run --no-console` in the background, its output collected as it comes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        assert process.stdout is not None and process.stderr is not None
        # Drained continuously: a full pipe would block the bot's logging.
        self._readers = [
            asyncio.ensure_future(_collect(process.stdout, self.stdout)),
            asyncio.ensure_future(_collect(process.stderr, self.stderr)),
        ]

    @classmethod
    async def start(cls, cwd: Path, env: dict[str, str]) -> RunningBot:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--no-console",
            cwd=cwd, env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        return cls(process)

    def output(self) -> str:
        return "--- stdout\n" + "".join(self.stdout) + "--- stderr\n" + "".join(self.stderr)

    async def wait_for(self, condition: Callable[[], Any], what: str, within: float = 30) -> Any:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            result = condition()
            if result:
                return result
            if self.process.returncode is not None:
                pytest.fail(f"tcag run exited {self.process.returncode} {what}\n{self.output()}")
            await asyncio.sleep(0.1)
        pytest.fail(f"timed out after {within:.0f} s {what}\n{self.output()}")

    async def terminate(self, within: float) -> int | None:
        """SIGTERM, then the exit code, or None when it did not stop `within` seconds."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), within)
        except TimeoutError:
            return None

    async def close(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*self._readers), 5)


async def _collect(stream: asyncio.StreamReader, into: list[str]) -> None:
    async for line in stream:
        into.append(line.decode(errors="replace"))


def start_update(api: LocalBotAPI, person: Person) -> dict[str, Any]:
    """A private `/start` message as Telegram delivers it (see LocalTelegram.message)."""
    return {
        "message": {
            "message_id": api.next_incoming_message_id(),
            "date": int(time.time()),
            "chat": private_chat(person),
            "from": person.as_user(),
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": len("/start")}],
        }
    }
