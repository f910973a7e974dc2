"""The January 2026 small-cap story, checked on prices.

Run: python examples/january_2026.py
"""

from attention import outperformance_streaks, streak_record, ytd_gap
from attention.datasets import load_prices

close = load_prices(["^RUT", "SPY", "ES=F"])["Close"]

# What a reader knew on the day the story ran, and one week later.
for as_of in ("2026-01-16", "2026-01-22"):
    print(streak_record(close["^RUT"], close["SPY"], as_of).finding)
print(ytd_gap(close["^RUT"], close["SPY"], "2026-01-16").finding)

# The large-cap series matters: the S&P 500 future instead of the ETF.
print(ytd_gap(close["^RUT"], close["ES=F"], "2026-01-16").finding)

# Every streak of 10 or more days since 1993.
runs = outperformance_streaks(close["^RUT"], close["SPY"])
print(runs[runs["length"] >= 10].to_string(index=False))
