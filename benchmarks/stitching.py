"""How well does chaining Google Trends windows recover the truth?

Run from the repository root:

    python benchmarks/stitching.py

A fake Google (attention.testing.FakeGoogleTrends) answers overlapping
daily windows over a known latent series, exactly as Google would: each
window scaled to its own maximum of 100, sampled with noise, rounded to
integers. The same answers are then joined four ways:

- ours: each window scaled by the ratio of sums over the overlap, on cells
  where both windows are positive (attention.collectors.stitching);
- naive: windows concatenated as they come (later windows win overlaps);
- one shared point: each window scaled so its first overlapping day equals
  the previous window's value on that day;
- min-max affine: each window mapped linearly so the min and max over the
  overlap match the previous window's (what several tools do).

Quality is measured against the latent truth: the correlation of daily
log-changes, and the median absolute percentage error after the whole
series is scaled to the truth (so only shape matters). The script also
counts requests for N terms x D days against the minimum possible.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from attention.collectors import Politeness, collect_google_trends
from attention.collectors.google_trends import DAILY_MAX_DAYS, _timeline, plan_windows
from attention.collectors._google_http import TrendsConnection
from attention.collectors.stitching import Scaled, chain_windows
from attention.store import Store
from attention.testing import FakeGoogleTrends, latent_attention

QUIET = Politeness(pace=0, sleep=lambda s: None)
START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2025-12-31")


def fetch_windows(fake, terms, windows):
    conn = TrendsConnection(fake, QUIET)
    out = []
    for a, z in windows:
        body = conn.timeline(terms, f"{a:%Y-%m-%d} {z:%Y-%m-%d}", "US", 0, "")
        out.append(_timeline(body, terms)[0])
    return out


def ours(frames):
    return chain_windows([Scaled.from_rounded(f) for f in frames])[0].value


def naive(frames):
    return pd.concat(frames).groupby(level=0).last()


def one_point(frames):
    placed = [frames[0]]
    for f in frames[1:]:
        common = placed[-1].index.intersection(f.index)
        day = common[0]
        factor = placed[-1].loc[day] / f.loc[day].replace(0, np.nan)
        placed.append(f * factor)
    return pd.concat(placed).groupby(level=0).last()


def min_max(frames):
    placed = [frames[0]]
    for f in frames[1:]:
        common = placed[-1].index.intersection(f.index)
        prev, cur = placed[-1].loc[common], f.loc[common]
        slope = (prev.max() - prev.min()) / (cur.max() - cur.min()).replace(0, np.nan)
        placed.append((f - cur.min()) * slope + prev.min())
    return pd.concat(placed).groupby(level=0).last()


def quality(estimate, truth):
    est, tru = estimate.align(truth, join="inner")
    rows = {}
    for term in tru.columns:
        e, t = est[term], tru[term]
        ok = (e > 0) & (t > 0)
        e, t = e[ok], t[ok]
        scaled = e * (t.sum() / e.sum())
        de, dt = np.diff(np.log(e.to_numpy())), np.diff(np.log(t.to_numpy()))
        rows[term] = {"corr_dlog": np.corrcoef(de, dt)[0, 1], "mape": float(np.median(np.abs(scaled / t - 1)))}
    return pd.DataFrame(rows).T


def stitching_quality(seeds=range(5)):
    windows = plan_windows(START, END, "daily")
    methods = {"ours (ratio of sums)": ours, "naive concatenation": naive, "one shared point": one_point,
               "min-max affine": min_max}
    results = {m: [] for m in methods}
    for seed in seeds:
        terms = [f"term {seed}-{i}" for i in range(3)]
        latent = latent_attention(terms, START, END, seed=seed)
        frames = fetch_windows(FakeGoogleTrends(latent, seed=seed), terms, windows)
        truth = latent.tz_localize(None) if latent.index.tz is None else latent
        for name, method in methods.items():
            results[name].append(quality(method(frames), truth))
    print(f"Daily {START:%Y-%m-%d}..{END:%Y-%m-%d}: {len(windows)} windows of <= {DAILY_MAX_DAYS} days, "
          f"{len(list(seeds))} latent worlds x 3 terms")
    print(f"{'method':<24}{'corr of dlog (median)':>24}{'MAPE (median)':>16}")
    table = {}
    for name, parts in results.items():
        q = pd.concat(parts)
        table[name] = (q["corr_dlog"].median(), q["mape"].median())
        print(f"{name:<24}{table[name][0]:>24.3f}{table[name][1]:>16.1%}")
    return table


def request_counts():
    print("\nRequests (multiline answers) for N terms x D days, daily resolution:")
    print(f"{'N':>4}{'D':>6}{'sent':>7}{'minimum':>9}{'ratio':>7}{'cached rerun':>14}")
    for n_terms, days in [(3, 365), (3, 1095), (12, 365), (12, 1095)]:
        terms = [f"q{i}" for i in range(n_terms)]
        end = START + pd.Timedelta(days=days - 1)
        fake = FakeGoogleTrends(latent_attention(terms, START, end, seed=n_terms), seed=1)
        store = Store(":memory:")
        collect_google_trends(terms, START, end, resolution="daily", session=fake, politeness=QUIET, store=store)
        sent = sum(1 for _, path in fake.calls if path.endswith("multiline"))
        before = len(fake.calls)
        collect_google_trends(terms, START, end, resolution="daily", session=fake, politeness=QUIET, store=store)
        again = len(fake.calls) - before
        minimum = math.ceil(n_terms / 5) * math.ceil(days / DAILY_MAX_DAYS)
        print(f"{n_terms:>4}{days:>6}{sent:>7}{minimum:>9}{sent / minimum:>7.2f}{again:>14}")


if __name__ == "__main__":
    import warnings

    warnings.simplefilter("ignore")
    stitching_quality()
    request_counts()
