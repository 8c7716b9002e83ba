"""Telegram without Telegram: the in-process Bot API that tests and the console talk to,
its HTTP server for end-to-end runs of `tcag run`, the local chat driver, the console and
the demo evening. It sits on top beside the CLI and may import every layer."""
