"""Stage 3, statistics: growth, trend tests, per-unit ratios, channel comparisons, the growth summary, and the
comparison of several provinces. Pure functions that take a `Dataset` or tidy frames and return new frames.

May import: `data`, `errors`, `text`.
"""
