"""Safeguarding concerns: a repository over the concerns table, for the leads and admins."""
