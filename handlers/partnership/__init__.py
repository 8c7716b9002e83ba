"""What coordinators take to the partnership: briefings, digests, /stats, exports, /quarter,
partnership actions, and the public survey. Telegram glue only.
"""
