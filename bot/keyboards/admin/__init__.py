"""Buttons of the admins' set-up screens: members (people), categories and hotspots (catalog),
the audit log.
"""
