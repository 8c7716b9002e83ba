"""Pure rules and values: the clock, roles and the permission table, callback codecs,
places and geography, reading a quick report, report drafts, shift windows and periods,
the schedule plan, retention and outreach rules, audit words and summary figures. Nothing
here imports telegram, sqlalchemy, texts or any other package of ours (not even the
settings): tests need neither a bot nor a database, and every layer above may use it."""
