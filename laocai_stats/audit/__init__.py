"""Stage 4, the reviewer's audit: printed totals recomputed (totals), the text's counts checked (facts), the
claims ledger weighed (claims), all run and graded per table (checks), and rendered for people (report).

May import: `data`, `stats`, `errors`, `text`.
"""
