"""What the tests are built from; test modules import from here and never from each other.

harness        BotHarness (the real Application on the local Bot API), make_settings, and
               the people and times every test knows (ADMIN, STRANGER, START, ...)
databases      a copy of a template migrated once per session, on SQLite or PostgreSQL;
               require_postgres (skip, or fail with CI=true)
process        `tcag` as a separate process: its environment, commands, `tcag run`
e2e            seeding, driving and reading a running `tcag run` (crash and fault tests)
alerting       a team on duty and an urgent report (alert, duty and outbox tests)
reporting      members, a hotspot, photos and voice notes (report tests)
digest_data    one Friday late shift of known figures (digest, stats, retention tests)
coordinator_data   a quarter of known figures (coordinator commands, quarterly report)
outreach_data  December 2026 of known rough sleeping figures (statuses, moves, referrals)
fuzz_updates   Hypothesis strategies for random and malformed updates
"""
