"""Settings: good values parse, bad ones give one line naming the setting."""

from __future__ import annotations

import pytest

from bot.config import Settings, SettingsError, load_settings, masked_url


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
        ("TCAG_MEMBER_UPDATES_PER_MINUTE", "0"),
        ("TCAG_MAX_NOTES_PER_REPORT", "0"),
    ],
)
def test_bad_values_name_the_setting_in_one_line(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as raised:
        settings(**{name: value})
    message = str(raised.value)
    assert message.startswith(f"Setting {name}:") and "\n" not in message


def test_a_webhook_secret_is_at_least_32_characters() -> None:
    url = "https://bot.example.org/telegram"
    for short in ("s3cret", "x" * 31):
        with pytest.raises(SettingsError) as raised:
            settings(TCAG_WEBHOOK_URL=url, TCAG_WEBHOOK_SECRET=short)
        assert str(raised.value).startswith("Setting TCAG_WEBHOOK_SECRET: must be 32 to 256")
    ok = settings(TCAG_WEBHOOK_URL=url, TCAG_WEBHOOK_SECRET="x" * 32)
    assert ok.webhook_secret_value == "x" * 32


def test_limits_have_sensible_defaults() -> None:
    defaults = settings()
    assert (defaults.max_notes_per_report, defaults.max_photos_per_report) == (20, 10)
    assert defaults.member_updates_per_minute == 30 and defaults.log_sql is False


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql+asyncpg://tcag:pw1@db/tcag?password=pw2&sslkey=/k&target_session_attrs=any",
            "postgresql+asyncpg://tcag:***@db/tcag?password=***&sslkey=***&target_session_attrs=any",
        ),
        ("postgresql+asyncpg://db/tcag?PASSWD=pw", "postgresql+asyncpg://db/tcag?PASSWD=***"),
        ("sqlite+aiosqlite:///data/tcag.db", "sqlite+aiosqlite:///data/tcag.db"),
        ("::::", "(not a database URL)"),
    ],
)
def test_a_database_url_is_shown_without_its_passwords(url: str, shown: str) -> None:
    assert masked_url(url) == shown
