"""Benchmarks, run on demand (`python -m bench.quick_report`, `python -m bench.fanout`).

They print figures and ratios; pytest never collects them (testpaths = ["tests"], and no
file here is named test_*).
"""
