"""What admins read on their set-up screens: members and access requests (people), categories
and hotspots (catalog), the audit log.
"""
