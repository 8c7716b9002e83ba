"""What `tcag run` holds in memory: idle after start, after a digest, after a quarterly PDF.

    python -m bench.memory [--reports N]

`tcag run` runs as its own process, exactly as on a server, polling the in-memory Bot API
served over HTTP on 127.0.0.1 (bot.offline.http_server). Its SQLite database is seeded
first (bench/seed.py, in a child process: N reports, default 20,000, and a fifth as many
outreach contacts) with an admin coordinator. The figures are the process's resident set
(VmRSS in /proc/<pid>/status):

- idle: once it polls, and a few seconds later (what it holds doing nothing);
- after /digest: the digest text and its chart sent to the admin;
- after /quarter: the quarter's PDF sent (four pages with five charts);
- peak: VmHWM, the most it ever held.

It also lists which heavy libraries the process has loaded at each step (their shared
objects in /proc/<pid>/maps), and, as a floor, a process that imports only
python-telegram-bot, SQLModel and the SQLite driver. Targets: idle ≤ 90 MiB, peak ≤ 200 MiB.
Linux only (/proc).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.seed import NOW, TZ
from bot.domain.access.roles import Role
from bot.domain.periods import Quarter
from bot.offline.bot_api import LocalBotAPI, SentMessage
from bot.offline.chat import LocalTelegram, Person
from bot.offline.http_server import LocalServer, start_local_server

TOKEN = "123456:" + "abcdefghijklmnopqrstuvwxyzABCD"
ADMIN = Person(5_000_001, "Alex", "Admin")
IDLE_TARGET_MIB = 90.0
PEAK_TARGET_MIB = 200.0
SETTLE_S = 3.0
REPORTS = 20_000
HEAVY = ("matplotlib", "numpy", "PIL", "kiwisolver", "tornado")  # with compiled parts
_OWN_SETTINGS = ("TELEGRAM_", "TCAG_", "DATABASE_URL")
FLOOR = (
    "import asyncio, telegram.ext, sqlmodel, aiosqlite\n"
    "from sqlalchemy.ext.asyncio import create_async_engine\n"
    "async def main():\n"
    "    engine = create_async_engine('sqlite+aiosqlite://')\n"
    "    async with engine.connect() as c:\n"
    "        await c.exec_driver_sql('select 1')\n"
    "    app = telegram.ext.ApplicationBuilder().token('1:a').build()\n"
    "asyncio.run(main())\n"
    "print(open('/proc/self/status').read())\n"
)


@dataclass(frozen=True)
class Sample:
    step: str
    rss_mib: float
    loaded: tuple[str, ...]  # heavy libraries mapped into the process


@dataclass(frozen=True)
class MemoryResult:
    samples: list[Sample]
    peak_mib: float
    floor_mib: float

    def rss(self, step: str) -> float:
        return next(s.rss_mib for s in self.samples if s.step == step)

    @property
    def idle_mib(self) -> float:
        return self.rss("idle")

    @property
    def idle_met(self) -> bool:
        return self.idle_mib <= IDLE_TARGET_MIB

    @property
    def peak_met(self) -> bool:
        return self.peak_mib <= PEAK_TARGET_MIB


def _status(pid: int | str) -> dict[str, float]:
    """VmRSS, VmHWM… of /proc/<pid>/status, in MiB."""
    figures: dict[str, float] = {}
    with open(f"/proc/{pid}/status", encoding="utf-8") as status:
        for line in status:
            name, _, value = line.partition(":")
            if value.strip().endswith("kB"):
                figures[name] = int(value.split()[0]) / 1024
    return figures


def _loaded(pid: int) -> tuple[str, ...]:
    with open(f"/proc/{pid}/maps", encoding="utf-8") as maps:
        paths = {line.split()[-1] for line in maps if "/" in line}
    return tuple(name for name in HEAVY if any(f"/{name}/" in path for path in paths))


def floor_mib() -> float:
    """A process with PTB, SQLModel and aiosqlite imported and used once: the least possible."""
    shown = subprocess.run(
        [sys.executable, "-c", FLOOR], capture_output=True, text=True, check=True
    ).stdout
    for line in shown.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def seed_database(url: str, reports: int) -> None:
    """Seeded in a child process, as bench.digest does, so seeding costs this one nothing."""
    subprocess.run(
        [
            sys.executable, "-m", "bench.seed", "--database", url,
            "--reports", str(reports), "--contacts", str(max(reports // 5, 1)),
        ],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    code = (
        "import asyncio\n"
        "from bot.domain.clock import SystemClock\n"
        "from bot.domain.access.roles import Role\n"
        "from storage.store import Store\n"
        "async def main():\n"
        f"    store = Store.from_url({url!r}, SystemClock())\n"
        f"    await store.members.ensure_admin({ADMIN.telegram_id}, {ADMIN.name!r}, "
        f"role=Role.{Role.COORDINATOR.name})\n"
        "    await store.close()\n"
        "asyncio.run(main())\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


class RunningBot:
    def __init__(self, process: asyncio.subprocess.Process, log: Path) -> None:
        self.process, self.log = process, log

    def sample(self, step: str) -> Sample:
        return Sample(step, _status(self.process.pid)["VmRSS"], _loaded(self.process.pid))

    def peak(self) -> float:
        return _status(self.process.pid)["VmHWM"]

    async def wait_for(self, condition: Callable[[], object], what: str, within: float) -> None:
        deadline = time.monotonic() + within
        while not condition():
            if self.process.returncode is not None:
                code = self.process.returncode
                raise SystemExit(f"tcag run exited {code} {what}:\n{self.output}")
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out {what}:\n{self.output}")
            await asyncio.sleep(0.1)

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _env(server: LocalServer, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OWN_SETTINGS)}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        DATABASE_URL=url,
        TCAG_TIMEZONE=str(TZ),
        PYTHONIOENCODING="utf-8",
    )
    return env


def _sent(api: LocalBotAPI, kind: str) -> Callable[[], list[SentMessage]]:
    return lambda: [m for m in api.sent_to(ADMIN.telegram_id) if m.kind == kind]


async def measure(reports: int) -> MemoryResult:
    with tempfile.TemporaryDirectory(prefix="tcag-bench-memory-") as folder:
        url = f"sqlite+aiosqlite:///{folder}/memory.db"
        seed_database(url, reports)
        api = LocalBotAPI()
        server = await start_local_server(api, token=TOKEN)
        log = Path(folder) / "tcag.log"
        try:
            with log.open("wb") as out:
                process = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "run", "--no-console",
                    cwd=folder, env=_env(server, url),
                    stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                )  # fmt: skip
            bot = RunningBot(process, log)
            try:
                return await _steps(bot, api)
            finally:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
                    await asyncio.wait_for(process.wait(), 30)
        finally:
            await server.stop()


async def _steps(bot: RunningBot, api: LocalBotAPI) -> MemoryResult:
    chat = LocalTelegram(None, api)  # type: ignore[arg-type]  # builds updates, never runs
    await bot.wait_for(lambda: "running as @" in bot.output, "before polling", within=60)
    await asyncio.sleep(SETTLE_S)
    samples = [bot.sample("idle")]
    api.push_update(chat.text_update(ADMIN, "/digest"))
    await bot.wait_for(_sent(api, "photo"), "before the digest's chart came", within=60)
    await asyncio.sleep(SETTLE_S)
    samples.append(bot.sample("after /digest"))
    quarter = Quarter.containing(NOW, TZ)
    api.push_update(chat.text_update(ADMIN, f"/quarter {quarter.label}"))
    await bot.wait_for(_sent(api, "document"), "before the quarterly PDF came", within=120)
    await asyncio.sleep(SETTLE_S)
    samples.append(bot.sample("after /quarter"))
    return MemoryResult(samples, bot.peak(), await asyncio.to_thread(floor_mib))


def print_result(result: MemoryResult) -> None:
    print(f"floor (PTB + SQLModel + aiosqlite, imported and used): {result.floor_mib:.0f} MiB")
    print(f"{'step':<16} {'RSS MiB':>8}  heavy libraries loaded")
    for sample in result.samples:
        print(f"{sample.step:<16} {sample.rss_mib:>8.0f}  {', '.join(sample.loaded) or '—'}")
    print(f"{'peak (VmHWM)':<16} {result.peak_mib:>8.0f}")
    idle = "✓" if result.idle_met else "✗"
    peak = "✓" if result.peak_met else "✗"
    print(
        f"targets: idle ≤ {IDLE_TARGET_MIB:.0f} MiB {idle}; peak ≤ {PEAK_TARGET_MIB:.0f} MiB {peak}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    options.add_argument("--reports", type=int, default=REPORTS, help="reports seeded")
    args = options.parse_args(argv)
    if not Path("/proc/self/status").exists():
        raise SystemExit("bench.memory reads /proc: Linux only")
    result = asyncio.run(measure(args.reports))
    print_result(result)
    raise SystemExit(0 if result.idle_met and result.peak_met else 1)


if __name__ == "__main__":
    main()
