"""The bot's own state: PTB persistence (bot_state), conversation drafts, and the schedule
ledger that makes each run happen once.
"""
