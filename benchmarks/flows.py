"""How many requests does collecting ETF shares cost, against the fewest possible?

Run from the repository root:

    python benchmarks/flows.py

Offline fakes of the issuers (attention.testing.FakeSPDR / FakeIShares,
speaking their real file formats) answer every request and count them. For
N funds x D days the script reports the requests sent

- on a first collection, against the minimum: one per SPDR fund (its
  workbook holds the whole history) plus one per iShares fund and trading
  day (its holdings file holds one day), and against asking every calendar
  day (what a collector without the exchange calendar would do);
- on a rerun with the same store (the minimum is 0);
- over an interrupted backfill (HTTP 429 halfway) and its resumed rerun.

It also times the collector's per-day parse of an iShares file against the
public one-frame-per-file parser on the same answers (the per-day record
keeps a year's backfill from spending its time building one-row frames).
"""

from __future__ import annotations

import pandas as pd
from run import best_of  # benchmarks/run.py, beside this script

from attention.collectors._http import Politeness
from attention.collectors.etf import collect_etf_shares, parse_ishares_holdings
from attention.collectors.etf._calendar import trading_days
from attention.collectors.etf.ishares import holdings_record
from attention.errors import RateLimitError
from attention.store import Store
from attention.testing import FakeIssuers, latent_shares

QUIET = Politeness(pace=0, max_retries=0, sleep=lambda s: None)
FUNDS = ("SPY", "XLK", "IWM", "IJR")
END = pd.Timestamp("2026-01-30")


def requests_table():
    history = latent_shares(FUNDS, "2024-01-02", "2026-02-27")
    print(f"{'funds':<18}{'days':>5}{'trading':>8}{'sent':>6}{'minimum':>8}{'ratio':>7}{'every day':>10}"
          f"{'rerun':>7}{'resumed total':>15}")
    for funds in (("SPY", "XLK"), ("IWM", "IJR"), FUNDS):
        for days in (30, 90, 365):
            start = END - pd.Timedelta(days=days - 1)
            n_trading = len(trading_days(start, END))
            n_spdr = sum(f in ("SPY", "XLK") for f in funds)
            minimum = n_spdr + (len(funds) - n_spdr) * n_trading
            every_day = n_spdr + (len(funds) - n_spdr) * days
            with Store(":memory:") as store:
                fake = FakeIssuers(history)
                collect_etf_shares(funds, start, END, store=store, session=fake, politeness=QUIET)
                sent = fake.requests
                collect_etf_shares(funds, start, END, store=store, session=fake, politeness=QUIET)
                rerun = fake.requests - sent
            with Store(":memory:") as store:
                first = FakeIssuers(history, quota=minimum // 2)
                try:
                    collect_etf_shares(funds, start, END, store=store, session=first, politeness=QUIET)
                except RateLimitError:
                    pass
                second = FakeIssuers(history)
                collect_etf_shares(funds, start, END, store=store, session=second, politeness=QUIET)
                # The refused request is the only one asked twice.
                resumed = first.requests - 1 + second.requests
            print(f"{'+'.join(funds):<18}{days:>5}{n_trading:>8}{sent:>6}{minimum:>8}{sent / minimum:>7.2f}"
                  f"{every_day:>10}{rerun:>7}{resumed:>15}")


def parse_speed():
    history = latent_shares(("IWM",), "2025-01-02", "2025-12-31")
    fake = FakeIssuers(history)
    days = history["IWM"].index
    bodies = [fake.ishares.holdings_csv("IWM", d) for d in days]

    frames = best_of(lambda: [parse_ishares_holdings(b, ticker="IWM") for b in bodies], 3)
    records = best_of(lambda: [holdings_record(b, ticker="IWM") for b in bodies], 3)
    print(f"\nparse {len(bodies)} iShares days: one frame per file {frames * 1e3:.0f} ms, per-day record "
          f"{records * 1e3:.0f} ms -> {frames / records:.0f}x faster")


if __name__ == "__main__":
    requests_table()
    parse_speed()
