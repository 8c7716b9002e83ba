"""Shifts and duty as rules: shift windows, typed shift input, the schedule plan, duty
sessions. Pure: imports nothing of ours outside bot.domain.
"""
