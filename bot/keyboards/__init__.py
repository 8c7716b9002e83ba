"""Inline and reply keyboards, one module per feature (access, catalog, alerts, reports,
outreach, people, referrals, audit, coordinator, shifts, duty, incidents, survey; common
holds the record Protocols and layout helpers). Callback data comes only from the codecs
in bot.domain.callbacks and wording from bot.texts; keyboards import only bot.domain,
bot.texts and telegram, never storage (records are typed with common's Protocols, which
storage.models objects fit). Import the feature module you need:
`from bot.keyboards import reports as reports_keyboards`."""
