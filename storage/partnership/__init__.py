"""The partnership's figures: stats, exports, the quarterly data and meeting pack, partnership
actions, the public survey and its tables.
"""
