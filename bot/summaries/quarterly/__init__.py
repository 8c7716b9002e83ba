"""The quarterly meeting pack: its figures gathered through the store (content, pack, survey),
its sections, charts, maps and layout, drawn as a PDF (document).
"""
