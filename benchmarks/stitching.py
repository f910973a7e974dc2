"""How well does chaining Google Trends windows and batches recover the truth?

Run from the repository root:

    python benchmarks/stitching.py

A fake Google (attention.testing.FakeGoogleTrends) answers requests over a
known latent series, exactly as Google would: each request scaled to its own
maximum of 100, sampled with noise, rounded to integers. Latent worlds come
from two generators: attention.testing.latent_attention, and an independent
one written here (a different process: AR(1) log-levels, a yearly cycle, a
weekday profile of its own, level shifts and bursts), so the methods are not
judged only on the world they were developed against.

1. Stitching daily windows. The same answers are joined five ways:

   - ours: each window scaled by the ratio of sums over the overlap, on
     cells where both windows are positive (attention.collectors.stitching);
   - ours + drift correction (``benchmark=True``): also one weekly pull of
     the whole range, the smoothed and shrunk drift removed;
   - naive: windows concatenated as they come (later windows win overlaps);
   - one shared point: each window scaled so its first overlapping day
     equals the previous window's value on that day;
   - min-max affine: each window mapped linearly so the min and max over
     the overlap match the previous window's (what several tools do).

   Quality is the median absolute percentage error after the whole series
   is scaled to its reference (so only shape matters) and the correlation of
   daily log-changes, against the latent truth and against the noise floor:
   the same answers stitched with the true factors (each window divided by
   its true scale), which no method can beat because what remains is
   Google's own sampling noise and rounding.

2. Twelve terms spanning 1000:1, listed in several orders (popular first,
   rarest first, shuffled): the error of each term's level relative to the
   busiest, for the three rarest, the coverage of the stated 95% intervals,
   and the requests sent against the minimum.

3. Requests for N terms x D days against the minimum possible.
"""

from __future__ import annotations

import math
import time
import warnings

import numpy as np
import pandas as pd

from attention.collectors import Politeness, collect_google_trends
from attention.collectors.google_trends import DAILY_MAX_DAYS, _timeline, plan_windows
from attention.collectors._google_http import TrendsConnection
from attention.collectors.stitching import Scaled, benchmark_to_coarse, chain_windows
from attention.store import Store
from attention.testing import FakeGoogleTrends, latent_attention

QUIET = Politeness(pace=0, sleep=lambda s: None)
START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2025-12-31")


def independent_world(terms, start, end, *, seed: int, levels=None) -> pd.DataFrame:
    """Latent daily volumes from a process unlike attention.testing.latent_attention."""
    days = pd.date_range(start, end, freq="D", tz="UTC")
    rng = np.random.default_rng(10_000 + seed)
    n = len(days)
    levels = levels if levels is not None else 10 ** rng.uniform(0.5, 3.0, len(terms))
    out = {}
    for term, level in zip(terms, levels):
        ar = np.zeros(n)
        shocks = rng.normal(0, 0.04, n)
        for t in range(1, n):
            ar[t] = 0.97 * ar[t - 1] + shocks[t]
        yearly = rng.uniform(0.05, 0.3) * np.sin(2 * np.pi * (days.day_of_year.to_numpy() / 365.25 + rng.uniform()))
        weekday = rng.normal(0, 0.08, 7)[days.day_of_week.to_numpy()]
        shifts = np.cumsum(np.where(rng.random(n) < 1 / 200, rng.normal(0, 0.25, n), 0.0))
        bursts = np.zeros(n)
        for at in np.flatnonzero(rng.random(n) < 1 / 90):
            age = np.arange(n - at)
            bursts[at:] += rng.uniform(0.5, 3.0) * age * np.exp(-age / rng.uniform(1, 4)) / 2
        series = np.exp(ar + yearly + weekday + shifts) * (1 + bursts)
        out[term] = level * series / series.mean()
    return pd.DataFrame(out, index=days)


def fetch_windows(fake, terms, windows):
    conn = TrendsConnection(fake, QUIET)
    out = []
    for a, z in windows:
        body = conn.timeline(terms, f"{a:%Y-%m-%d} {z:%Y-%m-%d}", "US", 0, "")
        out.append(_timeline(body, terms)[0])
    return out


def ours(frames):
    return chain_windows([Scaled.from_rounded(f) for f in frames])[0].value


def ours_benchmarked(frames, coarse):
    return benchmark_to_coarse(chain_windows([Scaled.from_rounded(f) for f in frames])[0], coarse)[0].value


def week_by_week(frames, coarse):
    """The drift correction as it was: each day scaled by its week's coarse / daily-sum ratio, unsmoothed."""
    fine = ours(frames)
    week = fine.index - pd.to_timedelta((fine.index.dayofweek + 1) % 7, unit="D")  # the Sunday starting it
    sums = fine.groupby(week).sum(min_count=7)
    ratio = (coarse.reindex(sums.index) / sums).where(lambda r: np.isfinite(r) & (r > 0))
    ratio = ratio / ratio.stack().mean()
    return fine * ratio.reindex(week).set_axis(fine.index).fillna(1.0)


def true_factors(frames, truth):
    """The noise floor: each window divided by its true scale (its sum over the truth's sum)."""
    placed = [f * (truth.reindex(f.index)[f.columns].sum() / f.sum()) for f in frames]
    return pd.concat(placed).groupby(level=0).mean()


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


def worlds(seeds):
    """(generator name, terms, latent) for every seed of both generators."""
    for seed in seeds:
        terms = [f"term {seed}-{i}" for i in range(3)]
        yield "latent_attention", terms, latent_attention(terms, START, END, seed=seed)
        terms = [f"word {seed}-{i}" for i in range(3)]
        yield "independent", terms, independent_world(terms, START, END, seed=seed)


def stitching_quality(seeds=range(5)):
    windows = plan_windows(START, END, "daily")
    methods = {"ours (ratio of sums)": ours, "ours + drift correction": None,
               "ours + week-by-week drift (before)": None, "naive concatenation": naive,
               "one shared point": one_point, "min-max affine": min_max, "true factors (noise floor)": None}
    rows = []
    for generator, terms, latent in worlds(seeds):
        fake = FakeGoogleTrends(latent, seed=len(rows))
        frames = fetch_windows(fake, terms, windows)
        coarse = fetch_windows(fake, terms, [(START, END)])[0]
        floor = true_factors(frames, latent)
        for name, method in methods.items():
            if name == "ours + drift correction":
                estimate = ours_benchmarked(frames, coarse)
            elif name.startswith("ours + week-by-week"):
                estimate = week_by_week(frames, coarse)
            elif name.startswith("true factors"):
                estimate = floor
            else:
                estimate = method(frames)
            vs_truth, vs_floor = quality(estimate, latent), quality(estimate, floor)
            for term in terms:
                rows.append({"generator": generator, "method": name, "corr_dlog": vs_truth.at[term, "corr_dlog"],
                             "mape": vs_truth.at[term, "mape"], "mape_vs_floor": vs_floor.at[term, "mape"]})
    table = pd.DataFrame(rows)
    n_worlds = len(list(seeds))
    print(f"Daily {START:%Y-%m-%d}..{END:%Y-%m-%d}: {len(windows)} windows of <= {DAILY_MAX_DAYS} days, "
          f"{n_worlds} worlds x 3 terms from each of two generators")
    summary = table.groupby(["generator", "method"], sort=False)[["corr_dlog", "mape", "mape_vs_floor"]].median()
    print(f"{'generator':<18}{'method':<36}{'corr dlog':>10}{'MAPE vs truth':>15}{'MAPE vs floor':>15}")
    for (generator, name), row in summary.iterrows():
        print(f"{generator:<18}{name:<36}{row['corr_dlog']:>10.3f}{row['mape']:>15.2%}{row['mape_vs_floor']:>15.2%}")
    pivot = table.pivot_table(index="method", values="mape", aggfunc="median", sort=False)
    plain, drift = pivot.at["ours (ratio of sums)", "mape"], pivot.at["ours + drift correction", "mape"]
    with_d, without = (table[table["method"] == m] for m in ("ours + drift correction", "ours (ratio of sums)"))
    change = with_d["mape"].to_numpy() / without["mape"].to_numpy() - 1
    to_floor = with_d["mape_vs_floor"].to_numpy() - without["mape_vs_floor"].to_numpy()
    touched = np.abs(change) > 1e-9
    print(f"drift correction: median error {drift:.2%} with, {plain:.2%} without; it changed {touched.sum()} of"
          f" {len(change)} series: error vs truth {change.max():+.1%} at worst, {change.min():+.1%} at best;"
          f" error vs the noise floor {to_floor[touched].max() * 100:+.2f} to {to_floor[touched].min() * 100:+.2f}"
          " points" if touched.any() else "")
    return summary


def thousand_to_one(generator: str, seed: int, start, end) -> pd.DataFrame:
    terms = [f"q{i:02d}" for i in range(12)]
    levels = 1000.0 ** (-np.arange(12) / 11) * 1000
    if generator == "independent":
        return independent_world(terms, start, end, seed=seed, levels=levels)
    latent = latent_attention(terms, start, end, seed=seed)
    return latent / latent.mean() * levels


def multi_term_scale(seeds=range(6)):
    start, end = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-06-30")
    terms = [f"q{i:02d}" for i in range(12)]
    orders = {"popular first": terms, "rarest first": terms[::-1],
              "shuffled A": [str(t) for t in np.random.default_rng(1).permutation(terms)],
              "shuffled B": [str(t) for t in np.random.default_rng(2).permutation(terms)]}
    rows = []
    started = time.perf_counter()
    for generator in ("latent_attention", "independent"):
        for seed in seeds:
            latent = thousand_to_one(generator, seed, start, end)
            truth = latent.loc[f"{start:%Y-%m-%d}":f"{end:%Y-%m-%d}"].mean()
            for k, (order_name, order) in enumerate(orders.items()):
                fake = FakeGoogleTrends(latent, seed=100 * seed + k)
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    frame = collect_google_trends(order, start, end, session=fake, politeness=QUIET)
                levels = frame.attrs["google_trends"]["levels"]
                reference = levels.index[levels["reference"]][0]
                expected = levels.at[reference, "level"] * truth / truth[reference]
                sent = sum(1 for _, path in fake.calls if path.endswith("multiline"))
                for term in terms:
                    if term == reference:
                        continue
                    rows.append({"generator": generator, "order": order_name, "term": term,
                                 "error": levels.at[term, "level"] / expected[term] - 1,
                                 "covered": levels.at[term, "level_low"] <= expected[term] <= levels.at[term, "level_high"],
                                 "half_width": np.expm1(1.959964 * levels.at[term, "se"]), "sent": sent,
                                 "warnings": len(caught)})
    table = pd.DataFrame(rows)
    rare = table[table["term"].isin(terms[-3:])]
    print(f"\nTwelve terms at 1000:1 ({start:%Y-%m-%d}..{end:%Y-%m-%d}, daily, one window), "
          f"{len(list(seeds))} worlds of each generator, {time.perf_counter() - started:.0f} s")
    print(f"{'generator':<18}{'order':<15}{'rarest 3: median |err|':>23}{'max |err|':>11}{'coverage (all)':>16}"
          f"{'median 95% half-width':>23}{'requests':>10}")
    for (generator, order_name), part in table.groupby(["generator", "order"], sort=False):
        r = rare[(rare["generator"] == generator) & (rare["order"] == order_name)]
        print(f"{generator:<18}{order_name:<15}{r['error'].abs().median():>23.2%}{r['error'].abs().max():>11.2%}"
              f"{part['covered'].mean():>16.1%}{part['half_width'].median():>23.2%}{part['sent'].iloc[0]:>10}")
    print(f"coverage of the stated 95% intervals over all {len(table)} (order, term) pairs: {table['covered'].mean():.1%}; "
          f"minimum requests: {math.ceil(12 / 5)}; floor warnings: {table['warnings'].max()}")
    return table


def request_counts():
    print("\nRequests (multiline answers) for N terms x D days, daily resolution:")
    print(f"{'N':>4}{'D':>6}{'span':>7}{'sent':>7}{'probes':>8}{'minimum':>9}{'ratio':>7}{'cached rerun':>14}")
    for n_terms, days, span in [(3, 365, 100), (3, 1095, 100), (12, 365, 100), (12, 1095, 100), (12, 365, 1000),
                                (12, 1095, 1000)]:
        terms = [f"q{i:02d}" for i in range(n_terms)]
        end = START + pd.Timedelta(days=days - 1)
        latent = latent_attention(terms, START, end, seed=n_terms)
        latent = latent / latent.mean() * (float(span) ** (-np.arange(n_terms) / max(n_terms - 1, 1)) * 1000)
        fake = FakeGoogleTrends(latent, seed=1)
        store = Store(":memory:")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = collect_google_trends(terms, START, end, resolution="daily", session=fake, politeness=QUIET,
                                          store=store)
            sent = sum(1 for _, path in fake.calls if path.endswith("multiline"))
            before = len(fake.calls)
            collect_google_trends(terms, START, end, resolution="daily", session=fake, politeness=QUIET, store=store)
        again = len(fake.calls) - before
        probe = frame.attrs["google_trends"]["probe"]
        probes = 0 if probe is None else sent - len(frame.attrs["google_trends"]["batches"]) * len(
            frame.attrs["google_trends"]["windows"])
        minimum = math.ceil(n_terms / 5) * math.ceil(days / DAILY_MAX_DAYS)
        print(f"{n_terms:>4}{days:>6}{span:>6}:1{sent:>7}{probes:>8}{minimum:>9}{sent / minimum:>7.2f}{again:>14}")


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    stitching_quality()
    multi_term_scale()
    request_counts()
