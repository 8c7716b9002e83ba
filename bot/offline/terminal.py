"""The console's terminal: where lines are read and what the bot does is printed.

- `PromptTerminal` (stdin is a terminal): prompt_toolkit's async prompt. What the bot
  sends on its own is printed above the line being typed, which stays as it was; history
  (data/console/history) and Tab completion of commands, `:` words and names.
- `PipedTerminal` (stdin is a file or a pipe: scripts, tests): reads a line at a time and
  prints plainly, each line echoed after its prompt so the output reads as a transcript.
- `ScriptedTerminal`: any `read_line`/`write` pair (the tests' scripted user).

Only a live terminal prints while waiting for input; the others print what arrived
after each line has been handled (see Console.settle).
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

ReadLine = Callable[[str], Awaitable[str | None]]
Write = Callable[[str], None]
Complete = Callable[[str], Iterable[str]]
HISTORY_FILE = Path("data/console/history")


class Terminal(Protocol):
    live: bool  # True: output may be printed while a line is being typed

    async def read(self, prompt: str) -> str | None:
        """The next line typed; None at the end of input."""
        ...

    def write(self, text: str) -> None: ...

    def close(self) -> None: ...


class ScriptedTerminal:
    live = False

    def __init__(self, read_line: ReadLine, write: Write) -> None:
        self._read_line = read_line
        self._write = write

    async def read(self, prompt: str) -> str | None:
        return await self._read_line(prompt)

    def write(self, text: str) -> None:
        self._write(text)

    def close(self) -> None:
        return None


class PipedTerminal:
    """Lines from a pipe or file, each echoed after its prompt; plain printing."""

    live = False

    async def read(self, prompt: str) -> str | None:
        line = await _read_in_thread(sys.stdin.readline)
        if not line:
            return None
        line = line.rstrip("\r\n")
        print(f"{prompt}{line}", flush=True)
        return line

    def write(self, text: str) -> None:
        print(text, flush=True)

    def close(self) -> None:
        return None


async def _read_in_thread(read: Callable[[], str]) -> str:
    """A blocking read off the event loop, in a daemon thread.

    Not the default executor: a Ctrl-C while the read waits must not leave asyncio.run
    joining a thread that only more input would release.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str] = loop.create_future()

    def settle(value: str, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)

    def run() -> None:
        try:
            value = read()
        except Exception as error:  # a closed stream, say: report it to the loop
            loop.call_soon_threadsafe(settle, "", error)
            return
        loop.call_soon_threadsafe(settle, value, None)

    threading.Thread(target=run, name="console-input", daemon=True).start()
    return await future


class PromptTerminal:
    """prompt_toolkit: output above the prompt, history and completion."""

    live = True

    def __init__(self, complete: Complete, history_file: Path = HISTORY_FILE) -> None:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory, InMemoryHistory
        from prompt_toolkit.patch_stdout import patch_stdout

        try:
            history_file.parent.mkdir(parents=True, exist_ok=True)
            history: Any = FileHistory(str(history_file))
        except OSError:
            history = InMemoryHistory()
        self._session: Any = PromptSession(
            history=history, completer=_completer(complete), complete_while_typing=False
        )
        # While it is active, anything printed goes above the line being typed.
        self._patch = patch_stdout(raw=True)
        self._patch.__enter__()

    async def read(self, prompt: str) -> str | None:
        try:
            return str(await self._session.prompt_async(prompt))
        except EOFError:
            return None
        except KeyboardInterrupt:  # Ctrl-C clears the line, as in a shell; Ctrl-D leaves
            return ""

    def write(self, text: str) -> None:
        print(text, flush=True)

    def close(self) -> None:
        self._patch.__exit__(None, None, None)


def _completer(complete: Complete) -> Any:
    """Completes the word being typed with what `complete(text before the cursor)` offers."""
    from prompt_toolkit.completion import Completer, Completion

    class Completing(Completer):  # type: ignore[misc]
        def get_completions(self, document: Any, complete_event: Any) -> Any:
            before = document.text_before_cursor
            word = before.rsplit(" ", 1)[-1]
            for choice in complete(before):
                if choice.casefold().startswith(word.casefold()) and choice != word:
                    yield Completion(choice, start_position=-len(word))

    return Completing()


def make_terminal(complete: Complete) -> Terminal:
    """prompt_toolkit on a terminal; plain lines from anything else (pipes, files)."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        return PromptTerminal(complete)
    return PipedTerminal()
