"""Work the bot does on its own: the scheduler (briefings, digests, weekly summaries),
the outbox sender and the alerts it renders, escalation, duty auto-close, draft expiry and
the retention purge. Each job's work is a plain function that tests call with a fake
clock. May import domain, storage, texts, keyboards, the typed context and summaries;
never handlers."""
