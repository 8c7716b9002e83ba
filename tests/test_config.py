"""Settings: good values parse, bad ones give one line naming the setting."""

from __future__ import annotations

import pytest

from bot.config import Settings, SettingsError, load_settings


def settings(**env: str) -> Settings:
    return load_settings(_env_file=None, **env)


def test_defaults_are_offline_sqlite_in_london(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "TCAG_TIMEZONE", "TELEGRAM_API_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    s = settings()
    assert s.database_url == "sqlite+aiosqlite:///data/tcag.db"
    assert s.token is None and s.timezone == "Europe/London"
    assert s.base_url == "https://api.telegram.org/bot"
    assert s.base_file_url == "https://api.telegram.org/file/bot"


def test_local_bot_api_server_derives_the_file_url() -> None:
    s = settings(TELEGRAM_API_BASE_URL="http://127.0.0.1:8081/bot/")
    assert s.base_url == "http://127.0.0.1:8081/bot"
    assert s.base_file_url == "http://127.0.0.1:8081/file/bot"


def test_database_urls_get_the_async_driver() -> None:
    assert (
        settings(DATABASE_URL="postgresql://u@db/tcag").database_url
        == "postgresql+asyncpg://u@db/tcag"
    )
    assert settings(DATABASE_URL="sqlite:///x.db").database_url == "sqlite+aiosqlite:///x.db"


def test_admin_ids_are_comma_separated() -> None:
    assert settings(TCAG_ADMIN_IDS="1, 22;333").admin_ids == frozenset({1, 22, 333})
    assert settings(TCAG_ADMIN_IDS="").admin_ids == frozenset()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token"),
        ("DATABASE_URL", "mysql://root@localhost/db"),
        ("DATABASE_URL", "::::"),
        ("TCAG_TIMEZONE", "Mars/Olympus"),
        ("TCAG_ADMIN_IDS", "12,abc"),
        ("TELEGRAM_API_BASE_URL", "ftp://x"),
        ("TCAG_INVITE_TTL_HOURS", "0"),
    ],
)
def test_bad_values_name_the_setting_in_one_line(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as raised:
        settings(**{name: value})
    message = str(raised.value)
    assert message.startswith(f"Setting {name}:") and "\n" not in message
