"""Every string a person reads, one module per feature (access, reports, alerts, incidents,
outreach, people, referrals, duty, shifts, summaries, coordinator, quarterly, catalog,
audit, survey, actions...; common holds the shared helpers such as esc() and local times;
split cuts long messages to Telegram's limits). HTML parse mode: every piece of user text
goes through esc(). Texts import only bot.domain, never keyboards or storage. Import the
feature module you need: `from bot.texts import reports as reports_texts`."""
