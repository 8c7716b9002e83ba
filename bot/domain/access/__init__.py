"""Who may do what: roles and permissions, invites, commands, the per-member flood gate, audit
words and the audit view. Pure: imports nothing of ours outside bot.domain.
"""
