"""Admins' and coordinators' set-up screens: categories, hotspots, shift times, members,
invites, the audit log, and the typed inputs they share. Telegram glue only.
"""
