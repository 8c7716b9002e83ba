"""Briefings, digests, weekly summaries, on-demand stats and exports, and the quarterly
partnership pack: the content (what is counted, from storage's figures), its rendering
into messages, charts and PDF pages. May import domain, storage, texts, keyboards and the
typed context; never jobs or handlers (the scheduler calls in here, not the reverse)."""
