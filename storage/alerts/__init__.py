"""Alerts, their copies and the outbox that delivers them once: repositories over the alert and
outbox tables.
"""
