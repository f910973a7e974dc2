"""Requests the Google Trends backends send, against the minimum the task needs.

The official API (alpha) puts every request on one scale, so the minimum is
one ``fetchTimeSeries`` per term (or term group) and range, whatever the
range, plus the polls of its long-running operation; a rerun on the same
store should send nothing. Measured on attention.testing.FakeTrendsApi,
which answers each operation after one unfinished poll (``polls=1``).

Run from the repository root:

    python benchmarks/google_requests.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from attention import collect_google_trends
from attention.collectors._http import Politeness
from attention.testing import FakeTrendsApi

FAST = Politeness(pace=0.0, jitter=0.0, sleep=lambda s: None)


def official(terms: int, days: int, resolution: str) -> None:
    names = [f"term {i}" for i in range(terms)]
    end = pd.Timestamp.now(tz="UTC").normalize().tz_localize(None) - pd.Timedelta(days=10)
    start = end - pd.Timedelta(days=days)
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store.sqlite"
        api = FakeTrendsApi(polls=1)
        collect_google_trends(names, start, end, backend="official", resolution=resolution, session=api,
                              politeness=FAST, store=store)
        posts = sum(1 for method, _ in api.log if method == "POST")
        polls = len(api.log) - posts
        sent = len(api.log)
        collect_google_trends(names, start, end, backend="official", resolution=resolution, session=api,
                              politeness=FAST, store=store)
        rerun = len(api.log) - sent
    print(f"official API, {terms:>2} terms x {days:>4} days ({resolution:>7}): {posts} fetchTimeSeries "
          f"(minimum {terms}, ratio {posts / terms:.2f}) + {polls} polls; cached rerun: {rerun} requests")


if __name__ == "__main__":
    for terms, days, resolution in ((3, 365, "daily"), (3, 1700, "weekly"), (12, 365, "daily"),
                                    (12, 1700, "monthly")):
        official(terms, days, resolution)
