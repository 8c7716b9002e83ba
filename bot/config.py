"""Settings: one class, read from the environment and `.env` (see `.env.example`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/tcag.db"
# Retention periods in days (0: for ever). bot.domain.retention reads a RetentionPolicy from
# these settings; tests/storage/test_retention.py checks its defaults are these.
MAX_RETENTION_DAYS = 36_500  # a hundred years
TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"
_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
# What Telegram accepts as secret_token (1-256 of these), from 32 on: a guessable secret
# lets anyone on the internet post forged updates.
MIN_SECRET_LENGTH = 32
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{32,256}$")
_PATH_RE = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")
_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}

_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_OFF_WORDS = frozenset({"", "off", "none", "never", "no"})
_WEEKLY_RE = re.compile(r"^([a-z]+) +(\d{1,2})[:.]?(\d{2})$")


@dataclass(frozen=True)
class WeeklyAt:
    """When the weekly summary goes out: a weekday (Monday is 0) and a local time."""

    weekday: int
    at: time

    def describe(self) -> str:
        return f"{_WEEKDAY_NAMES[self.weekday][:3]} {self.at:%H:%M}"


def parse_weekly_at(text: str) -> WeeklyAt | None:
    """ "mon 08:00" → WeeklyAt(0, 08:00); "off" (or empty) → None: no weekly summary."""
    cleaned = " ".join(text.strip().casefold().split())
    if cleaned in _OFF_WORDS:
        return None
    match = _WEEKLY_RE.match(cleaned)
    if match is None:
        raise ValueError('must be one weekday and a time, e.g. "mon 08:00", or "off"')
    day, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3))
    weekdays = [
        i for i, name in enumerate(_WEEKDAY_NAMES) if len(day) >= 3 and name.startswith(day)
    ]
    if len(weekdays) != 1:
        raise ValueError(f'"{day}" is not a day I know: use mon, tue, ... sun')
    if hours > 23 or minutes > 59:
        raise ValueError("must be a time from 00:00 to 23:59")
    return WeeklyAt(weekdays[0], time(hours, minutes))


# Query parameters of a database URL that hold a credential (libpq's and asyncpg's names).
_SECRET_QUERY_WORDS = ("pass", "pwd", "secret", "token", "sslkey")
MASK = "***"


def masked_url(url: str) -> str:
    """A database URL as it may be shown (tcag check, tcag run, the console): the password
    masked, in the user part and in any query parameter that carries one."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "(not a database URL)"
    query = {
        key: (MASK if any(w in key.casefold() for w in _SECRET_QUERY_WORDS) else value)
        for key, value in parsed.query.items()
    }
    shown = parsed.set(query=query).render_as_string(hide_password=True)
    return shown.replace("=%2A%2A%2A", f"={MASK}")  # the query's masks, URL-encoded


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line naming it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    token: SecretStr | None = Field(default=None, validation_alias="TELEGRAM_BOT_TOKEN")
    api_base_url: str | None = Field(default=None, validation_alias="TELEGRAM_API_BASE_URL")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL")
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), validation_alias="TCAG_ADMIN_IDS"
    )
    coordinators_chat_id: int | None = Field(
        default=None, validation_alias="TCAG_COORDINATORS_CHAT_ID"
    )
    timezone: str = Field(default="Europe/London", validation_alias="TCAG_TIMEZONE")
    invite_ttl_hours: int = Field(
        default=48, ge=1, le=24 * 30, validation_alias="TCAG_INVITE_TTL_HOURS"
    )
    log_level: str = Field(default="INFO", validation_alias="TCAG_LOG_LEVEL")
    # SQL statements (with their parameters: report text, person details) are logged only
    # when this is on, whatever TCAG_LOG_LEVEL says; other libraries log at WARNING.
    log_sql: bool = Field(default=False, validation_alias="TCAG_LOG_SQL")
    # Nobody can stall the bot for everyone: updates and photos per report, and how many
    # updates a minute one member may send before the bot ignores them until the minute
    # has passed (alert buttons and the report flow are never held back).
    max_notes_per_report: int = Field(
        default=20, ge=1, le=500, validation_alias="TCAG_MAX_NOTES_PER_REPORT"
    )
    max_photos_per_report: int = Field(
        default=10, ge=1, le=100, validation_alias="TCAG_MAX_PHOTOS_PER_REPORT"
    )
    member_updates_per_minute: int = Field(
        default=30, ge=5, le=1000, validation_alias="TCAG_MEMBER_UPDATES_PER_MINUTE"
    )
    # Incident reports: a shared location farther than this from every hotspot is still
    # accepted but flagged "outside the area"; an unanswered draft is dropped after the TTL.
    area_radius_m: float = Field(
        default=3000.0, gt=0, le=100_000, validation_alias="TCAG_AREA_RADIUS_M"
    )
    draft_ttl_minutes: int = Field(
        default=30, ge=1, le=24 * 60, validation_alias="TCAG_DRAFT_TTL_MINUTES"
    )
    # A quick report that names no place takes the member's own location (shared with /on,
    # or their live location while on duty) when it is at most this old.
    own_location_fresh_minutes: int = Field(
        default=15, ge=1, le=240, validation_alias="TCAG_OWN_LOCATION_FRESH_MINUTES"
    )
    # Urgent alerts climb an escalation ladder while nobody acknowledges them: after the
    # first step's minutes coordinators (privately) and the group, after the second's admins
    # and everyone on duty again, then every "repeat" minutes, at most "repeats" times more.
    alert_escalate_minutes: int = Field(
        default=5, ge=1, le=120, validation_alias="TCAG_ALERT_ESCALATE_MINUTES"
    )
    alert_escalate_second_minutes: int = Field(
        default=10, ge=2, le=240, validation_alias="TCAG_ALERT_ESCALATE_SECOND_MINUTES"
    )
    alert_escalate_repeat_minutes: int = Field(
        default=10, ge=1, le=240, validation_alias="TCAG_ALERT_ESCALATE_REPEAT_MINUTES"
    )
    alert_escalate_repeats: int = Field(
        default=6, ge=0, le=50, validation_alias="TCAG_ALERT_ESCALATE_REPEATS"
    )
    # CCTV review requests: the window offered by default (this many minutes either side of
    # the report's time), and how long the control room has to answer before the request
    # goes to every operator again (then, after twice as long, to coordinators and admins).
    cctv_window_minutes: int = Field(
        default=15, ge=1, le=180, validation_alias="TCAG_CCTV_WINDOW_MINUTES"
    )
    cctv_answer_minutes: int = Field(
        default=15, ge=1, le=240, validation_alias="TCAG_CCTV_ANSWER_MINUTES"
    )
    # Staff safety: a member working alone is asked "All OK?" every so many minutes (an
    # admin may set another per role, /checkinrole); unanswered, reminded after the grace
    # minutes, and the coordinators and the group are alerted the remind minutes after that
    # (then the escalation ladder above, until someone says "I'm contacting them").
    checkin_minutes: int = Field(default=30, ge=5, le=240, validation_alias="TCAG_CHECKIN_MINUTES")
    checkin_grace_minutes: int = Field(
        default=5, ge=1, le=60, validation_alias="TCAG_CHECKIN_GRACE_MINUTES"
    )
    checkin_remind_minutes: int = Field(
        default=5, ge=1, le=60, validation_alias="TCAG_CHECKIN_REMIND_MINUTES"
    )
    # A safeguarding concern no lead acknowledged climbs its own ladder: after this many
    # minutes every lead again, after the second setting's the admins (and the leads).
    concern_escalate_minutes: int = Field(
        default=15, ge=1, le=240, validation_alias="TCAG_CONCERN_ESCALATE_MINUTES"
    )
    concern_escalate_admins_minutes: int = Field(
        default=30, ge=2, le=720, validation_alias="TCAG_CONCERN_ESCALATE_ADMINS_MINUTES"
    )
    # On-duty members whose fresh location (own_location_fresh_minutes) is within this many
    # metres of an alert's place (the closest three) are marked "nearest"; 0: no mark.
    alert_nearest_m: int = Field(
        default=500, ge=0, le=20_000, validation_alias="TCAG_ALERT_NEAREST_M"
    )
    # One send budget for everything the bot sends (Telegram allows about 30 messages a
    # second in all, 20 a minute in a group): replies keep a reserved share of it, and
    # briefings, digests and other bulk use at most so many of the group's 20 a minute.
    send_rate_per_second: int = Field(
        default=30,
        ge=1,
        le=1000,
        validation_alias=AliasChoices("TCAG_SEND_RATE_PER_SECOND", "TCAG_OUTBOX_RATE_PER_SECOND"),
    )
    send_reply_share_percent: int = Field(
        default=33, ge=0, le=90, validation_alias="TCAG_SEND_REPLY_SHARE_PERCENT"
    )
    group_bulk_per_minute: int = Field(
        default=15, ge=1, le=20, validation_alias="TCAG_GROUP_BULK_PER_MINUTE"
    )
    # Updates handled at once (across chats; one chat's updates always in order); urgent
    # ones may go a few over it.
    update_concurrency: int = Field(
        default=32, ge=1, le=1024, validation_alias="TCAG_UPDATE_CONCURRENCY"
    )
    # How long a claimed outbox row is left to its sender before another (or this one after
    # a restart) takes it over: a crash between sending and marking sends that one again.
    outbox_lease_seconds: int = Field(
        default=60, ge=5, le=3600, validation_alias="TCAG_OUTBOX_LEASE_SECONDS"
    )
    # Outreach: open referrals nobody has touched (filed, reopened or taken) for this long
    # are listed as overdue in the briefing (hotspot and how long only). The old name,
    # TCAG_REFERRAL_STALE_HOURS, is still read.
    referral_overdue_hours: int = Field(
        default=24,
        ge=1,
        le=24 * 30,
        validation_alias=AliasChoices("TCAG_REFERRAL_OVERDUE_HOURS", "TCAG_REFERRAL_STALE_HOURS"),
    )
    # Outreach: the places a contact's local connection can be tapped from ("Leicester,
    # Nottingham, ..."): comma-separated, at most 12, each up to 60 characters.
    connection_places: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), validation_alias="TCAG_CONNECTION_PLACES"
    )
    # Shift briefings go this long before each shift starts, digests this long after it
    # ends; a run missed while the bot was down is sent marked late within the grace period,
    # and skipped (logged) after it. The weekly summary: "mon 08:00" local time, or "off".
    briefing_lead_minutes: int = Field(
        default=15, ge=0, le=12 * 60, validation_alias="TCAG_BRIEFING_LEAD_MINUTES"
    )
    digest_delay_minutes: int = Field(
        default=0, ge=0, le=12 * 60, validation_alias="TCAG_DIGEST_DELAY_MINUTES"
    )
    schedule_grace_minutes: int = Field(
        default=120, ge=0, le=24 * 60, validation_alias="TCAG_SCHEDULE_GRACE_MINUTES"
    )
    weekly_summary_at: str = Field(default="mon 08:00", validation_alias="TCAG_WEEKLY_SUMMARY_AT")
    # Retention (bot.retention): days each kind of personal data is kept before a daily job
    # (and `tcag purge`) clears or anonymises it, counts staying; 0 keeps it for ever.
    retain_report_text_days: int = Field(
        default=365,
        ge=0,
        le=MAX_RETENTION_DAYS,
        validation_alias="TCAG_RETAIN_REPORT_TEXT_DAYS",
    )
    retain_contact_notes_days: int = Field(
        default=365,
        ge=0,
        le=MAX_RETENTION_DAYS,
        validation_alias="TCAG_RETAIN_CONTACT_NOTES_DAYS",
    )
    retain_person_days: int = Field(
        default=730,
        ge=0,
        le=MAX_RETENTION_DAYS,
        validation_alias="TCAG_RETAIN_PERSON_DAYS",
    )
    retain_briefing_notes_days: int = Field(
        default=90,
        ge=0,
        le=MAX_RETENTION_DAYS,
        validation_alias="TCAG_RETAIN_BRIEFING_NOTES_DAYS",
    )
    retain_duty_locations_days: int = Field(
        default=31,
        ge=0,
        le=MAX_RETENTION_DAYS,
        validation_alias="TCAG_RETAIN_DUTY_LOCATIONS_DAYS",
    )
    retain_drafts_days: int = Field(
        default=7,
        ge=0,
        le=MAX_RETENTION_DAYS,
        validation_alias="TCAG_RETAIN_DRAFTS_DAYS",
    )
    retain_outbox_days: int = Field(
        default=30,
        ge=0,
        le=MAX_RETENTION_DAYS,
        validation_alias="TCAG_RETAIN_OUTBOX_DAYS",
    )
    retain_audit_days: int = Field(
        default=2190,
        ge=0,
        le=MAX_RETENTION_DAYS,
        validation_alias="TCAG_RETAIN_AUDIT_DAYS",
    )
    # The public perception survey: the bot's @username for the poster's link (else asked
    # of Telegram with the token), and how many survey taps a minute one person (by their
    # anonymous key) and everyone together may make before being asked to wait.
    bot_username: str | None = Field(default=None, validation_alias="TCAG_BOT_USERNAME")
    survey_per_person_per_minute: int = Field(
        default=30, ge=1, le=1000, validation_alias="TCAG_SURVEY_PER_PERSON_PER_MINUTE"
    )
    survey_per_minute: int = Field(
        default=600, ge=1, le=100_000, validation_alias="TCAG_SURVEY_PER_MINUTE"
    )
    # Running: log lines as text or one JSON object per line; webhook mode when a public
    # HTTPS URL is set (Telegram then posts updates to us, with the secret in a header).
    log_format: str = Field(default="text", validation_alias="TCAG_LOG_FORMAT")
    webhook_url: str | None = Field(default=None, validation_alias="TCAG_WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(
        default=None, validate_default=True, validation_alias="TCAG_WEBHOOK_SECRET"
    )
    webhook_listen: str = Field(default="127.0.0.1", validation_alias="TCAG_WEBHOOK_LISTEN")
    webhook_port: int = Field(default=8443, ge=1, le=65535, validation_alias="TCAG_WEBHOOK_PORT")
    webhook_path: str = Field(default="telegram", validation_alias="TCAG_WEBHOOK_PATH")

    @field_validator("token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not _TOKEN_RE.match(value.strip()):
            raise ValueError("does not look like a bot token from @BotFather (digits:letters)")
        return value.strip()

    @field_validator("bot_username", mode="before")
    @classmethod
    def _bot_username(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        name = str(value).strip().removeprefix("@")
        if not re.match(r"^[A-Za-z][A-Za-z0-9_]{3,31}$", name):
            raise ValueError("must be the bot's username, e.g. TownCentreBot")
        return name

    @field_validator("api_base_url", mode="before")
    @classmethod
    def _base_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not re.match(r"^https?://[^/\s]+", value.strip()):
            raise ValueError("must be an http(s) URL such as http://127.0.0.1:8081/bot")
        return value.strip().rstrip("/")

    @field_validator("database_url", mode="before")
    @classmethod
    def _database_url(cls, value: object) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            return DEFAULT_DATABASE_URL
        try:
            url = make_url(str(value).strip())
        except ArgumentError:
            raise ValueError("is not a database URL (sqlite:///… or postgresql://…)") from None
        driver = _DRIVERS.get(url.drivername)
        if driver is None:
            raise ValueError(
                f"uses {url.drivername!r}; use sqlite+aiosqlite:/// or postgresql+asyncpg://"
            )
        return url.set(drivername=driver).render_as_string(hide_password=False)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            bad = [p for p in parts if not p.lstrip("-").isdigit()]
            if bad:
                raise ValueError(f"must be comma-separated Telegram user ids, not {bad[0]!r}")
            return frozenset(int(p) for p in parts)
        return value

    @field_validator("connection_places", mode="before")
    @classmethod
    def _connection_places(cls, value: object) -> object:
        if isinstance(value, str):
            places = tuple(dict.fromkeys(p.strip() for p in value.split(",") if p.strip()))
            if len(places) > 12:
                raise ValueError("at most 12 places, comma-separated")
            long = [p for p in places if len(p) > 60]
            if long:
                raise ValueError(f"a place is at most 60 characters, not {long[0][:20]!r}…")
            return places
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone name such as Europe/London") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return level

    @field_validator("log_format", mode="before")
    @classmethod
    def _log_format(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return "text"
        if not isinstance(value, str) or value.strip().lower() not in {"text", "json"}:
            raise ValueError("must be text or json")
        return value.strip().lower()

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not re.match(r"^https://[^/\s]+(/\S*)?$", value.strip()):
            raise ValueError("must be the public https:// URL Telegram posts updates to")
        return value.strip()

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str) and not value.strip():
            value = None
        if info.data.get("webhook_url") is None:
            return value  # polling: the secret is not used
        if value is None:
            raise ValueError("is required when TCAG_WEBHOOK_URL is set (32-256 of A-Z a-z 0-9 _ -)")
        if not isinstance(value, str) or not _SECRET_RE.match(value.strip()):
            raise ValueError(
                f"must be {MIN_SECRET_LENGTH} to 256 characters, each A-Z, a-z, 0-9, _ or -"
            )
        return value.strip()

    @field_validator("webhook_path", mode="before")
    @classmethod
    def _webhook_path(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return "telegram"
        path = str(value).strip().strip("/")
        if not _PATH_RE.match(path) or path == "healthz":
            raise ValueError("must be a URL path such as telegram (letters, digits, _ - . /)")
        return path

    @field_validator("webhook_listen")
    @classmethod
    def _webhook_listen(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must be an address to listen on, such as 127.0.0.1")
        return value.strip()

    @field_validator("alert_escalate_second_minutes")
    @classmethod
    def _second_step_later(cls, value: int, info: ValidationInfo) -> int:
        first = info.data.get("alert_escalate_minutes")
        if isinstance(first, int) and value <= first:
            raise ValueError(f"must be more than TCAG_ALERT_ESCALATE_MINUTES ({first})")
        return value

    @field_validator("concern_escalate_admins_minutes")
    @classmethod
    def _admins_step_later(cls, value: int, info: ValidationInfo) -> int:
        first = info.data.get("concern_escalate_minutes")
        if isinstance(first, int) and value <= first:
            raise ValueError(f"must be more than TCAG_CONCERN_ESCALATE_MINUTES ({first})")
        return value

    @field_validator("weekly_summary_at")
    @classmethod
    def _weekly_summary_at(cls, value: str) -> str:
        parse_weekly_at(value)  # raises ValueError with the reason
        return " ".join(value.strip().lower().split()) or "off"

    # Derived values, so no caller rebuilds them.
    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def briefing_lead(self) -> timedelta:
        return timedelta(minutes=self.briefing_lead_minutes)

    @property
    def digest_delay(self) -> timedelta:
        return timedelta(minutes=self.digest_delay_minutes)

    @property
    def schedule_grace(self) -> timedelta:
        return timedelta(minutes=self.schedule_grace_minutes)

    @property
    def weekly_summary(self) -> WeeklyAt | None:
        """When the weekly summary goes out, or None when it is off."""
        return parse_weekly_at(self.weekly_summary_at)

    @property
    def token_value(self) -> str | None:
        return self.token.get_secret_value() if self.token else None

    @property
    def base_url(self) -> str:
        return self.api_base_url or TELEGRAM_API_BASE_URL

    @property
    def base_file_url(self) -> str:
        """Telegram serves files under /file/bot<token>; a local server mirrors that."""
        base = self.base_url
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base + "/file/bot"

    @property
    def webhook_secret_value(self) -> str | None:
        return self.webhook_secret.get_secret_value() if self.webhook_secret else None

    @property
    def database_url_shown(self) -> str:
        """DATABASE_URL without its password (see masked_url)."""
        return masked_url(self.database_url)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        database = make_url(self.database_url).database
        if not database or database == ":memory:":
            return None
        return Path(database)


def _alias_of(field_name: str) -> str:
    field = Settings.model_fields.get(field_name)
    alias = field.validation_alias if field else None
    if isinstance(alias, AliasChoices):
        alias = alias.choices[0]
    return alias if isinstance(alias, str) else field_name.upper()


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning a validation error into a one-line `SettingsError`."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = first["loc"][0] if first["loc"] else "settings"
        name = _alias_of(str(loc)) if str(loc) in Settings.model_fields else str(loc)
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"Setting {name}: {message}") from None
