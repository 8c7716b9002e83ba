"""The `tcag` command (`main`) and its sub-commands: run (polling or webhook, with the
health line), check, console, demo, db upgrade, admin, hotspots, shifts, report, export,
purge and audit. It sits on top: it may import every layer, and nothing imports it."""
