"""Members, invites and the audit log: repositories over who may use the bot and what they did."""
