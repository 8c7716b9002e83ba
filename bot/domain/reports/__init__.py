"""Reports as rules: the report draft, categories and hotspots (catalog), incidents, close
outcomes, /show pages. Pure: imports nothing of ours outside bot.domain.
"""
