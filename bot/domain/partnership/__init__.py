"""What the partnership reads: figures dataclasses, comparisons, /stats scope, CSV export
rules, partnership actions, the public survey. Pure: imports nothing of ours outside
bot.domain.
"""
