"""`tcag console`: scripted sessions against the real bot, asserting on what is printed."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.config import Settings
from bot.offline.console import (
    CONSOLE_COORDINATORS_CHAT_ID,
    console_settings,
    parse_location,
    run_console,
)
from bot.texts.common import NOT_A_MEMBER
from tests.support.harness import make_settings

Step = str | Callable[["Script"], str]


class Script:
    """A terminal user: answers prompts from a list of lines; a step may read the screen."""

    screen: str  # what the last line typed printed

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.output: list[str] = []
        self.prompts: list[str] = []
        self.transcript: list[tuple[str, str]] = []  # (line typed, what it printed)
        self._typed: str | None = None
        self._mark = 0

    async def read_line(self, prompt: str) -> str | None:
        self.screen = "\n".join(self.output[self._mark :])
        self._mark = len(self.output)
        if self._typed is not None:
            self.transcript.append((self._typed, self.screen))
        self.prompts.append(prompt)
        if not self.steps:
            self._typed = None
            return None
        step = self.steps.pop(0)
        self._typed = step(self) if callable(step) else step
        return self._typed

    def write(self, text: str) -> None:
        self.output.append(text)

    @property
    def text(self) -> str:
        return "\n".join(self.output)

    def after(self, typed: str) -> str:
        """What the last line typed as `typed` printed."""
        for line, screen in reversed(self.transcript):
            if line == typed:
                return screen
        raise LookupError(f"{typed!r} was never typed: {[t for t, _ in self.transcript]}")


def number_of(label: str) -> Callable[[Script], str]:
    """A step that presses the numbered button whose label contains `label`."""

    def press(script: Script) -> str:
        match = re.search(r"\[(\d+)\] [^\[\n]*" + re.escape(label), script.screen)
        assert match, f"no numbered button {label!r} on screen:\n{script.screen}"
        return match.group(1)

    return press


def invite_start(script: Script) -> str:
    """`/start <code>` with the code from the last invite link printed."""
    codes = re.findall(r"https://t\.me/\S+\?start=(\S+)", script.text)
    assert codes, f"no invite link printed:\n{script.text}"
    return f"/start {codes[-1]}"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/console.db"


async def play(settings: Settings, database_url: str, *steps: Step) -> tuple[int, Script]:
    script = Script(*steps)
    code = await run_console(
        settings, database_url=database_url, read_line=script.read_line, write=script.write
    )
    return code, script


async def test_first_start_creates_the_admin_and_says_what_to_try(
    settings: Settings, database_url: str
) -> None:
    code, script = await play(settings, database_url, ":people")
    assert code == 0
    assert "No members yet, so I made Alex Admin (Telegram id 100001)" in script.text
    assert "/invite officer" in script.text and ":help" in script.text
    assert script.prompts[0] == "[Alex Admin · coordinator ★] > "
    assert "1. Alex Admin — coordinator, active ★   ← you" in script.after(":people")

    # The same database next time: Alex is still there, and nobody new is made.
    _, again = await play(settings, database_url, ":people")
    assert "No members yet" not in again.text
    assert again.prompts[0] == "[Alex Admin · coordinator ★] > "
    assert again.after(":people").count("Alex Admin") == 1


async def test_admin_invites_an_officer_who_joins_and_sees_officer_commands(
    settings: Settings, database_url: str
) -> None:
    code, script = await play(
        settings,
        database_url,
        "/invite officer",
        ":stranger Olly",
        invite_start,
        "/help",
    )
    assert code == 0
    assert "Invite to join as Police officer" in script.after("/invite officer")
    assert "[Olly · stranger] > " in script.prompts
    joined = next(screen for typed, screen in script.transcript if typed.startswith("/start "))
    assert "bot → you:\n  Welcome, Olly. You're in as Police officer." in joined
    assert "bot → Alex Admin:\n  ✅ Olly joined as Police officer" in joined
    assert "[1] 📝 Report" in joined  # the officer's own menu, numbered for them
    help_text = script.after("/help")
    assert "What you can use" in help_text and "/help" in help_text
    assert "/invite" not in help_text and "/members" not in help_text
    assert script.prompts[-1] == "[Olly · officer] > "


async def test_stranger_request_is_approved_by_number_after_switching(
    settings: Settings, database_url: str
) -> None:
    code, script = await play(
        settings,
        database_url,
        ":stranger Sam Stranger",
        "/start",
        ":as alex",
        number_of("Approve as warden"),
        ":as Sam",
    )
    assert code == 0
    request = script.after("/start")
    assert "gone to the admins" in request
    # Alex's buttons are shown, but not numbered: Sam is the one typing.
    assert "bot → Alex Admin:" in request and "[Approve as warden]" in request
    assert "[1]" not in request
    # Switching to Alex shows the request again, now with numbers to press.
    switched = script.after(":as alex")
    assert "You are now Alex Admin" in switched
    assert "[2] Approve as warden" in switched and "[6] Reject" in switched
    pressed = script.transcript[3][1]
    assert "(you press “Approve as warden”)" in pressed
    assert "bot → you (edited):" in pressed and "approved as Street warden" in pressed
    assert "bot → Sam Stranger:\n  Welcome, Sam Stranger. You're in as Street warden." in pressed
    assert script.prompts[-1] == "[Sam Stranger · warden] > "


async def test_suspended_member_gets_only_the_fixed_reply(
    settings: Settings, database_url: str
) -> None:
    code, script = await play(
        settings,
        database_url,
        ":new officer Olly Officer",
        ":as Alex",
        "/members",
        number_of("Olly Officer"),
        number_of("Suspend"),
        ":as olly",
        "/help",
    )
    assert code == 0
    assert "Added Olly Officer as an active officer." in script.after(":new officer Olly Officer")
    suspended = script.transcript[4][1]
    assert "(you press “Suspend”)" in suspended
    assert "(popup) " in suspended
    assert "bot → Olly Officer:" in suspended and "suspended" in suspended
    assert "[Olly Officer · officer, suspended] > " in script.prompts
    assert script.after("/help").strip() == "bot → you:\n  " + NOT_A_MEMBER.replace("\n", "\n  ")


async def test_bad_input_gets_friendly_messages_and_the_session_goes_on(
    settings: Settings, database_url: str
) -> None:
    code, script = await play(
        settings,
        database_url,
        "/loc abc",
        "/loc abc def",
        "/loc 1 2 3",
        "/loc 91 0",
        "/loc 0 -181",
        "/loc nan 1",
        ":as nobody",
        ":as 9",
        ":as",
        ":new king Bob",
        ":new officer",
        ":stranger",
        ":frobnicate",
        "7",
        ":people",
    )
    assert code == 0
    assert "Usage: /loc <latitude> <longitude>" in script.after("/loc abc")
    assert "Those aren't numbers. Usage: /loc" in script.after("/loc abc def")
    assert "Usage: /loc" in script.after("/loc 1 2 3")
    assert "Latitude must be between -90 and 90" in script.after("/loc 91 0")
    assert "Longitude must be between -180 and 180" in script.after("/loc 0 -181")
    assert "Those aren't numbers" in script.after("/loc nan 1")
    assert "No one matches 'nobody'" in script.after(":as nobody")
    assert "No one matches '9'" in script.after(":as 9")
    assert "Usage: :as" in script.after(":as")
    assert "There is no role 'king'" in script.after(":new king Bob")
    assert "Usage: :new" in script.after(":new officer")
    assert "Usage: :stranger" in script.after(":stranger")
    assert "Unknown console command ':frobnicate'" in script.after(":frobnicate")
    pressed = script.after("7")
    assert "There is no button 7: no buttons are on screen." in pressed
    assert "bot → you:" in pressed  # sent as text, and the bot answered it
    assert "Traceback" not in script.text and "console error" not in script.text
    # Nothing was added by the refused commands.
    assert script.after(":people").count("\n") == 1


async def test_shared_location_reaches_the_bot(settings: Settings, database_url: str) -> None:
    code, script = await play(settings, database_url, "/loc 52.4068 -1.5197")
    assert code == 0
    assert "bot → you:" in script.after("/loc 52.4068 -1.5197")


async def test_quit_ends_the_session_with_success(settings: Settings, database_url: str) -> None:
    code, script = await play(settings, database_url, ":quit", "/start")
    assert code == 0
    assert script.steps == ["/start"]  # nothing after :quit was read
    assert script.text.endswith("Bye.")


async def test_end_of_input_ends_the_session_with_success(
    settings: Settings, database_url: str
) -> None:
    code, script = await play(settings, database_url)
    assert code == 0 and script.text.endswith("Bye.")


async def test_bad_database_url_is_refused_in_one_line(settings: Settings) -> None:
    code, script = await play(settings, "mysql://nowhere/db")
    assert code == 2
    assert script.output == [
        "tcag console: --database 'mysql://nowhere/db' uses 'mysql'; "
        "use sqlite+aiosqlite:/// or postgresql+asyncpg://"
    ]


async def test_console_shows_the_coordinators_group_even_when_settings_name_none(
    database_url: str,
) -> None:
    settings = make_settings(TCAG_COORDINATORS_CHAT_ID=None, TELEGRAM_BOT_TOKEN="123:" + "a" * 30)
    assert settings.coordinators_chat_id is None
    local = console_settings(settings, database_url)
    assert local.coordinators_chat_id == CONSOLE_COORDINATORS_CHAT_ID
    assert local.token is None and local.database_url == database_url
    assert console_settings(make_settings(), database_url).coordinators_chat_id == -100_200_300


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["52.4068", "-1.5197"], (52.4068, -1.5197)),
        (["-90", "180"], (-90.0, 180.0)),
        (["abc", "1"], "Those aren't numbers"),
        (["inf", "1"], "Those aren't numbers"),
        (["1"], "Usage: /loc"),
        (["90.5", "0"], "Latitude must be"),
        (["0", "180.1"], "Longitude must be"),
    ],
)
def test_parse_location(args: list[str], expected: tuple[float, float] | str) -> None:
    parsed = parse_location(args)
    if isinstance(expected, tuple):
        assert parsed == expected
    else:
        assert isinstance(parsed, str) and parsed.startswith(expected)
