"""What the bot does with alerts once sent: presses on an urgent alert (Attending,
Acknowledge; presses), the CCTV control room's answers and review requests (cctv), and staff
safety: check-ins, Need help and missed check-ins (safety). Telegram glue only.
"""
