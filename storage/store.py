"""The repository API the bot talks to, in the language of the domain."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.clock import Clock
from storage import db
from storage.access.audit import AuditLog
from storage.access.invites import Invites
from storage.access.members import Members
from storage.alerts.alerts import Alerts
from storage.alerts.cctv import CctvRequests
from storage.alerts.outbox import Outbox
from storage.catalog import Categories, Hotspots
from storage.outreach import Outreach
from storage.outreach.contacts import Contacts
from storage.outreach.counts import OutreachStats
from storage.outreach.erasure import Erasure
from storage.outreach.figures import OutreachFigureQueries
from storage.outreach.outcomes import Outcomes
from storage.outreach.people import People
from storage.outreach.referrals import Referrals
from storage.partnership.actions import PartnershipActions
from storage.partnership.exports import Exports
from storage.partnership.notes import Notes
from storage.partnership.pack import PackQueries
from storage.partnership.quarterly import QuarterlyStats
from storage.partnership.stats import Stats
from storage.partnership.survey import Surveys
from storage.reports import Reports
from storage.retention import Retention
from storage.safeguarding.concerns import Concerns
from storage.safety.alerts import SafetyAlerts
from storage.safety.checkins import CheckIns
from storage.shifts import Duty, ShiftPatterns
from storage.state.bot_state import BotStates
from storage.state.ledger import Ledger


class Store:
    """One engine, one session per repository call (PTB has no per-update middleware)."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        sessions = db.session_factory(engine)
        self.members = Members(sessions, clock)
        self.invites = Invites(sessions, clock)
        self.audit = AuditLog(sessions)
        self.categories = Categories(sessions, clock)
        self.hotspots = Hotspots(sessions, clock)
        self.reports = Reports(sessions, clock)
        self.outbox = Outbox(sessions, clock)
        self.alerts = Alerts(sessions, clock)  # urgent alerts: copies, responses, escalation
        self.cctv = CctvRequests(sessions, clock)  # CCTV review requests to the control room
        self.bot_state = BotStates(sessions, clock, engine.dialect.name)
        self.people = People(sessions, clock)  # outreach: find, read, edit, merge records
        self.contacts = Contacts(sessions, clock)  # outreach contacts
        self.referrals = Referrals(sessions, clock)  # rough sleepers seen, the referral queue
        self.erasure = Erasure(sessions, clock)  # erasing a person on request
        self.outreach_stats = OutreachStats(sessions)  # outreach counts: how many, never who
        self.outcomes = Outcomes(sessions, clock)  # moves into accommodation, from /person
        # A period's rough sleeping figures (monthly command, quarterly pack): counts only.
        self.outreach_figures = OutreachFigureQueries(sessions)
        # The facade handlers/ still call; see storage.outreach.
        self.outreach = Outreach(
            self.people, self.contacts, self.referrals, self.erasure, self.outreach_stats
        )
        self.shifts = ShiftPatterns(sessions, clock)  # shift patterns (admins)
        self.duty = Duty(sessions, clock)  # /on, /off: who is on duty
        self.ledger = Ledger(sessions, clock)  # briefings, digests, summaries: once each
        self.exports = Exports(sessions, clock)  # coordinator outputs: CSV, quarterly
        self.quarterly = QuarterlyStats(sessions)
        self.pack = PackQueries(sessions)  # the meeting pack: times, points, coded outcomes
        self.actions = PartnershipActions(sessions, clock)  # /action: partnership actions
        self.stats = Stats(sessions, clock, engine.dialect.name)  # digests, briefings
        self.notes = Notes(sessions, clock)  # coordinators' briefing notes
        self.concerns = Concerns(sessions, clock)  # safeguarding concerns: leads and admins
        self.retention = Retention(sessions)  # purges what is past its period
        self.survey = Surveys(sessions, clock)  # the public survey: anonymous answers
        self.checkins = CheckIns(sessions, clock)  # lone working: check-in sessions
        self.safety = SafetyAlerts(sessions, clock)  # missed check-ins, "Need help"

    @classmethod
    def from_url(cls, database_url: str, clock: Clock) -> Store:
        return cls(db.create_engine(database_url), clock)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def upgrade(self) -> None:
        """Migrate to the newest schema and add the default categories to a new database."""
        await db.upgrade(self.engine)
        await self.categories.seed_defaults()

    async def schema_is_current(self) -> bool:
        return await db.schema_is_current(self.engine)

    async def close(self) -> None:
        await self.engine.dispose()
