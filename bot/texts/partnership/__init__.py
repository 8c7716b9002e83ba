"""What coordinators and the partnership read: briefings, digests and /stats (summaries,
coordinator), the quarterly pack, partnership actions, the public survey.
"""
