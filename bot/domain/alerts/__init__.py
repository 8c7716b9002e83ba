"""Alert delivery as rules: the escalation ladder, the send budget, update priority, outbox
purposes. Pure: imports nothing of ours outside bot.domain.
"""
