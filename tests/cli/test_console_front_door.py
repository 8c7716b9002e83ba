"""The console shows everything the bot does: alerts to others as they happen, the group,
files, sample data. The first test drives `tcag console` itself through stdin and stdout."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from bot.domain.clock import SystemClock
from bot.offline.bot_api import LocalBotAPI, SentMessage
from bot.offline.chat import Person
from bot.offline.console import run_console
from bot.offline.console_feed import Feed
from bot.offline.console_screen import FileShelf
from storage.store import Store

PROMPT = re.compile(r"^\[[^\]]+\] > ", re.MULTILINE)
_OWN_SETTINGS = ("TELEGRAM_", "TCAG_", "DATABASE_URL")
URGENT = "Man waving a knife at Elmer Square"


def transcript(stdout: str) -> list[tuple[str, str]]:
    """(prompt and line typed, what it printed) for each line of piped input."""
    starts = [m.start() for m in PROMPT.finditer(stdout)]
    steps = []
    for start, end in zip(starts, [*starts[1:], len(stdout)], strict=True):
        typed, _, printed = stdout[start:end].partition("\n")
        steps.append((typed, printed))
    return steps


def console_process(cwd: Path, lines: list[str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OWN_SETTINGS)}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True, text=True, cwd=cwd, env=env, timeout=120, check=False,
    )  # fmt: skip


def test_piped_console_shows_alerts_group_acknowledgement_and_saved_chart(tmp_path: Path) -> None:
    done = console_process(
        tmp_path,
        ["", ":as Olly", URGENT, "1", ":as Alex", ":group", "1", ":me", "/digest", ":quit"],
    )

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    steps = transcript(done.stdout)
    typed = [line.split("] > ", 1)[1] for line, _ in steps]
    assert typed == [
        "",
        ":as Olly",
        URGENT,
        "1",
        ":as Alex",
        ":group",
        "1",
        ":me",
        "/digest",
        ":quit",
    ]
    # One keypress (Enter) loads the sample data: the example town's hotspots among it.
    assert "Sample data: 8 hotspots from examples/hotspots.csv" in steps[0][1]
    # So the quick report finds the place.
    proposal = steps[2][1]
    assert "Weapon seen at Elmer Square?" in proposal and "[1] ✅ Confirm" in proposal
    # Confirming alerts the others on duty: printed now, though none of them has typed.
    confirmed = steps[3][1]
    assert "bot → Wendy Warden:\n  🚨 Urgent incident" in confirmed
    assert "bot → coordinators' group:\n  🚨 Urgent incident" in confirmed
    assert "[✅ Acknowledge]" in confirmed and "[1] ✅ Acknowledge" not in confirmed
    assert "[Wendy Warden" not in done.stdout
    # In the group, its copy has numbered buttons; 1 acknowledges it for everyone.
    group = steps[5][1]
    assert "bot → coordinators' group (unread):" in group and "[1] ✅ Acknowledge" in group
    assert steps[6][0].startswith("[Alex Admin · coordinator ★ · in the coordinators' group] > ")
    acknowledged = steps[6][1]
    assert "(you press “✅ Acknowledge”)" in acknowledged
    assert "bot → coordinators' group (edited):\n  ✅ Acknowledged by Alex Admin" in acknowledged
    assert "bot → Wendy Warden (edited):\n  ✅ Acknowledged by Alex Admin" in acknowledged
    # The digest's chart is a file to open.
    saved = re.search(r"\[photo saved as (\S+\.png)\]", steps[8][1])
    assert saved, steps[8][1]
    assert (tmp_path / saved.group(1)).read_bytes().startswith(b"\x89PNG")
    assert done.stdout.rstrip().endswith("Bye.")


# ---- the same console, driven in process ---------------------------------------------------
class Script:
    """Answers prompts from a list of lines; records what each line printed."""

    def __init__(self, *steps: str) -> None:
        self.steps = list(steps)
        self.output: list[str] = []
        self.transcript: list[tuple[str, str]] = []
        self._typed: str | None = None
        self._mark = 0

    async def read_line(self, prompt: str) -> str | None:
        screen = "\n".join(self.output[self._mark :])
        self._mark = len(self.output)
        if self._typed is not None:
            self.transcript.append((self._typed, screen))
        self._typed = self.steps.pop(0) if self.steps else None
        return self._typed

    def write(self, text: str) -> None:
        self.output.append(text)

    def after(self, typed: str) -> str:
        return next(screen for line, screen in reversed(self.transcript) if line == typed)


async def play(settings: Settings, tmp_path: Path, *steps: str) -> Script:
    script = Script(*steps)
    code = await run_console(
        settings,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/console.db",
        read_line=script.read_line,
        write=script.write,
        files_dir=tmp_path / "files",
    )
    assert code == 0
    return script


async def test_numbers_press_only_the_newest_message_shown(
    settings: Settings, tmp_path: Path
) -> None:
    script = await play(
        settings,
        tmp_path,
        "",  # sample data: everyone on duty
        ":stranger Sam",
        "/start",  # a request with buttons reaches Alex
        ":as Olly",
        URGENT,
        "1",  # then an alert with buttons reaches Alex
        ":as Alex",
        "4",
    )
    unread = script.after(":as Alex")
    assert unread.count("bot → you (unread):") >= 2
    assert "[Approve as warden]" in unread  # shown, but an older message: no number
    # An admin's own copy: Acknowledge, Attending, and Request CCTV review.
    assert "[1] ✅ Acknowledge  [2] 🚶 Attending" in unread
    assert "[3] 📹 Request CCTV review" in unread
    assert unread.index("[Approve as warden]") < unread.index("[1] ✅ Acknowledge")
    pressed = script.after("4")
    assert "There is no button 4: only 3 buttons are on screen." in pressed


async def test_say_sends_a_number_as_text_and_photo_sends_a_file(
    settings: Settings, tmp_path: Path
) -> None:
    picture = tmp_path / "bench.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    script = await play(
        settings,
        tmp_path,
        "",
        ":as Olly",
        URGENT,
        ":say 1",
        f"/photo {picture} broken bench",
        "/photo nowhere.png",
    )
    said = script.after(":say 1")
    assert "(you press" not in said and "bot → you:" in said
    photo = script.after(f"/photo {picture} broken bench")
    assert f"(you send the photo {picture})" in photo and "bot → you" in photo
    assert "There is no file 'nowhere.png' to send." in script.after("/photo nowhere.png")


async def test_sample_data_loads_once(settings: Settings, tmp_path: Path) -> None:
    script = await play(settings, tmp_path, ":sample", ":sample", ":people")
    people = script.after(":people")
    assert people.count("Olly Officer") == 1 and "Owen Outreach — outreach" in people
    assert "Wendy Warden — warden" in people
    first, again = script.transcript[0][1], script.transcript[1][1]
    assert 'a shift "Console shift" every day' in first and "Olly Officer (officer)" in first
    assert "Console shift" not in again and "Olly Officer" not in again


async def test_without_a_first_empty_line_there_is_no_sample_data(
    settings: Settings, tmp_path: Path
) -> None:
    script = await play(settings, tmp_path, ":people", "", ":people")
    assert "Olly" not in script.after(":people")
    assert "Sample data" not in "\n".join(script.output)


async def test_on_a_live_terminal_what_arrives_is_printed_without_any_line_typed(
    settings: Settings, tmp_path: Path
) -> None:
    class LiveTerminal:
        live = True

        def __init__(self) -> None:
            self.printed: list[str] = []

        async def read(self, prompt: str) -> str | None:
            return None

        def write(self, text: str) -> None:
            self.printed.append(text)

        def close(self) -> None:
            return None

    store = Store.from_url(f"sqlite+aiosqlite:///{tmp_path}/live.db", SystemClock())
    try:
        await store.upgrade()
        admin = await store.members.ensure_admin(100_001, "Alex Admin")
        api = LocalBotAPI()
        terminal = LiveTerminal()
        feed = Feed(None, api, store, settings, terminal, FileShelf(tmp_path))  # type: ignore[arg-type]
        feed.person = Person(100_002, "Olly")  # someone else is at the keyboard

        # The outbox sender sends on its own: nobody is typing, nothing is waited for.
        await api.call("sendMessage", {"chat_id": admin.telegram_id, "text": "🚨 Urgent incident"})
        for _ in range(100):
            if terminal.printed:
                break
            await asyncio.sleep(0.02)

        assert terminal.printed == ["bot → Alex Admin:\n  🚨 Urgent incident"]
    finally:
        await store.close()


@pytest.mark.parametrize("name", ["chart.png", "../../etc/passwd", ""])
def test_files_are_saved_once_inside_their_folder(tmp_path: Path, name: str) -> None:
    shelf = FileShelf(tmp_path / "files")
    message = SentMessage(
        chat_id=-100, message_id=7, kind="photo", file_name=name or None, file_bytes=b"\x89PNG.."
    )
    path = shelf.keep(message)
    assert path is not None and path.parent == tmp_path / "files"
    assert path.name.startswith("group-7-") and path.suffix == ".png"
    assert shelf.keep(message) == path
    assert path.read_bytes() == b"\x89PNG.."
