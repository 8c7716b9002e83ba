"""Staff safety: lone-working check-in sessions, role defaults, and safety alerts."""
