"""Speed of the feedback-loop test against the naive statsmodels loop computing the same numbers.

Run from the repository root:

    python benchmarks/loop_speed.py              # every surrogate of the naive loop (about a minute or two)
    python benchmarks/loop_speed.py --subset 100 # the naive loop on 100 surrogates per link, extrapolated

The work: the three-link loop returns -> attention -> flows -> returns on ten
years of daily data (n = 2520 business days), lags chosen per link by BIC
from 1..8 - in the data AND again in every surrogate, so each of the
3 x (1 + 999) regressions is really 8 candidate regressions - with 999
circular-shift surrogates.

- ours: one call of ``attention.feedback_loop(..., lags="bic", max_lag=8)``,
  including its ADF/KPSS screen of the inputs (which the naive loop does not
  do, so the ratio is conservative);
- naive: for every link and every surrogate (``np.roll`` of the cause by the
  same shifts), statsmodels ``OLS(...).fit()`` for L = 1..8 on the common
  sample - the effect's own lags, the lags of |returns| (the default
  volatility control) and the cause's lags - the L with the smallest
  ``.bic``, then the HC3 ``t_test`` of the summed cause coefficients (the
  default statistic).

The script asserts that both give the same statistics (observed and every
surrogate t, to 1e-8) and the same lags, and prints the ratio (target >= 20x).
BLAS runs on one thread for both (set OPENBLAS_NUM_THREADS to override).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np
import pandas as pd

N, MAX_LAG, B, SEED = 2520, 8, 999, 0
LINKS = (("returns", "attention"), ("attention", "flows"), ("flows", "returns"))


def daily_data(n: int = N, seed: int = 1) -> dict:
    """Ten years of business days: a weak loop with heavy-tailed (t, 4 df) shocks and persistent flows."""
    rng = np.random.default_rng(seed)
    e = rng.standard_t(4, size=(n + 100, 3))
    a, r, f = np.zeros(n + 100), np.zeros(n + 100), np.zeros(n + 100)
    for t in range(2, n + 100):
        a[t] = 0.3 * a[t - 1] + 0.08 * r[t - 2] + e[t, 0]
        f[t] = 0.5 * f[t - 1] + 0.06 * a[t - 1] + e[t, 1]
        r[t] = 0.03 * f[t - 1] + e[t, 2]
    idx = pd.bdate_range("2015-01-01", periods=n)
    return {
        "attention": pd.Series(a[100:], idx, name="attention"),
        "returns": pd.Series(r[100:], idx, name="returns"),
        "flows": pd.Series(f[100:], idx, name="flows"),
    }


def naive_link(x: np.ndarray, y: np.ndarray, vol: np.ndarray, shifts) -> tuple[np.ndarray, np.ndarray]:
    """statsmodels, one surrogate at a time: (t, lag) for the data (first) and every shift."""
    import statsmodels.api as sm

    n = len(y)
    rows = np.arange(MAX_LAG, n)
    ts, lags = [], []
    for s in [0, *shifts]:
        xs = np.roll(x, s)
        fits = {}
        for L in range(1, MAX_LAG + 1):
            shared = [np.ones(len(rows))] + [v[rows - j] for v in (y, vol) for j in range(1, L + 1)]
            X = np.column_stack(shared + [xs[rows - j] for j in range(1, L + 1)])
            fits[L] = sm.OLS(y[MAX_LAG:], X).fit(cov_type="HC3")
        best = min(fits, key=lambda L: fits[L].bic)
        contrast = np.r_[np.zeros(1 + 2 * best), np.ones(best)]
        ts.append(fits[best].t_test(contrast).tvalue.item())
        lags.append(best)
    return np.array(ts), np.array(lags)


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subset", type=int, default=B,
                        help=f"surrogates per link for the naive loop (default all {B}); fewer are extrapolated")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs of ours")
    args = parser.parse_args(argv)
    subset = max(1, min(args.subset, B))

    from attention import feedback_loop

    data = daily_data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        feedback_loop(**data, lags="bic", max_lag=MAX_LAG, n_surrogates=99, seed=SEED)  # warm up imports
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            result = feedback_loop(**data, lags="bic", max_lag=MAX_LAG, n_surrogates=B, seed=SEED)
            times.append(time.perf_counter() - t)
    ours = min(times)
    from attention import stationarity

    frame = pd.DataFrame(data)
    screen = min(_timed(lambda: stationarity(frame)) for _ in range(args.repeat))

    # The same shifts feedback_loop drew: the first draw of its generator.
    from attention.correlation._surrogates import _min_shift

    n = len(data["attention"])
    min_shift = _min_shift(MAX_LAG)
    shifts = np.random.default_rng(SEED).integers(min_shift, n - min_shift + 1, size=B)

    naive_time, worst, checked = 0.0, 0.0, 0
    for cause, effect in LINKS:
        name = f"{cause} -> {effect}"
        x, y = data[cause].to_numpy(), data[effect].to_numpy()
        t = time.perf_counter()
        t_naive, lag_naive = naive_link(x, y, np.abs(data["returns"].to_numpy()), shifts[:subset])
        naive_time += time.perf_counter() - t
        row = result.links.loc[name]
        ours_t = np.r_[row["t_stat"], result.null[name][:subset]]  # signs are (1, 1, 1)
        assert row["lags"] == lag_naive[0], (name, row["lags"], lag_naive[0])
        np.testing.assert_allclose(ours_t, t_naive, rtol=1e-8, atol=1e-8, err_msg=name)
        worst = max(worst, float(np.max(np.abs(ours_t - t_naive))))
        checked += len(t_naive)
    full = naive_time * (1 + B) / (1 + subset)

    print(f"Feedback loop, n = {n} daily periods, lags by BIC from 1..{MAX_LAG} (re-chosen in every surrogate), "
          f"{B} circular-shift surrogates, 3 links, HC3 t with |returns| as a control (the defaults)")
    print("  lags chosen: " + ", ".join(f"{k} {int(v)}" for k, v in result.links["lags"].items()))
    print(f"  ours  (feedback_loop, incl. ADF/KPSS of the inputs): {ours:8.2f} s  (best of {args.repeat}; "
          f"the ADF/KPSS screen alone takes {screen:.2f} s)")
    if subset == B:
        print(f"  naive (statsmodels OLS x 8 lags + HC3 t_test, per surrogate and link): {full:8.2f} s  (all {B} x 3)")
    else:
        print(f"  naive (statsmodels OLS x 8 lags + HC3 t_test, per surrogate and link): {full:8.2f} s  "
              f"EXTRAPOLATED from {naive_time:.2f} s on the data + {subset} of {B} surrogates per link")
    print(f"  identical statistics: {checked} t values (observed + surrogates) agree to "
          f"{worst:.1e} (assert 1e-8), chosen lags equal")
    ratio = full / ours
    print(f"  -> {ratio:.0f}x faster (target >= 20x)")
    return 0 if ratio >= 20 else 1


if __name__ == "__main__":
    sys.exit(main())
