"""Speed and memory of the hot paths, as ratios against baselines run alongside.

Run from the repository root (every benchmark, a few minutes):

    python benchmarks/run.py

Each line names the work, the baseline and the ratio (higher is better for
speed-ups). Absolute times vary by machine; the ratios are what
docs/performance.md records.
"""

from __future__ import annotations

import subprocess
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd


def best_of(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def bench_surrogates():
    """The loop test's surrogate engine against refitting statsmodels OLS per surrogate."""
    import statsmodels.api as sm

    from _kernels import _shifted_lags, _sum_t_stats  # benchmarks/ is on sys.path when run as a script

    from attention._linalg import lagmat as _lags

    rng = np.random.default_rng(0)
    n, lags, b = 370, 2, 199
    x, y = rng.normal(size=n), rng.normal(size=n)
    own = np.hstack([np.ones((n - lags, 1)), _lags(y, lags)])
    shifts = rng.integers(5, n - 5, size=b)
    contrast = np.r_[np.zeros(own.shape[1]), np.ones(lags)]

    def naive():
        out = []
        for k in shifts:
            fit = sm.OLS(y[lags:], np.hstack([own, _lags(np.roll(x, k), lags)])).fit()
            out.append(fit.t_test(contrast).tvalue.item())
        return np.array(out)

    def ours():
        return _sum_t_stats(y[lags:], own, _shifted_lags(x, lags, shifts))[0]

    assert np.allclose(naive(), ours())
    t_naive, t_ours = best_of(naive, 3), best_of(ours)
    print(f"surrogate t-stats, n={n}, {b} shifts: statsmodels loop {t_naive * 1e3:.1f} ms, "
          f"batched FWL {t_ours * 1e3:.2f} ms -> {t_naive / t_ours:.0f}x faster")


def bench_feedback_loop_memory():
    """Peak memory of a daily-length loop test against the size of its inputs."""
    from attention import feedback_loop

    rng = np.random.default_rng(1)
    n = 6000
    idx = pd.bdate_range("2002-01-01", periods=n)
    series = [pd.Series(rng.normal(size=n), idx, name=k) for k in ("a", "r", "f")]
    feedback_loop(*series, n_surrogates=99, seed=0)  # warm up imports
    tracemalloc.start()
    t = time.perf_counter()
    feedback_loop(*series, lags=5, n_surrogates=999, seed=0)
    elapsed = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    inputs = 3 * n * 8
    unchunked = 999 * n * 5 * 8 * 3  # one (B, n, lags) array and its two residual copies
    print(f"feedback_loop n={n} daily, lags=5, 999 surrogates: {elapsed:.2f} s, peak {peak / 2**20:.1f} MiB = "
          f"{peak / inputs:.0f}x the inputs, {unchunked / peak:.1f}x below an unchunked batch")


def bench_import():
    """`import attention` against `import pandas`, each in a fresh interpreter."""

    def cold(stmt):
        return best_of(lambda: subprocess.run([sys.executable, "-c", stmt], check=True), 5)

    base = cold("import pandas")
    ours = cold("import attention")
    print(f"import: pandas {base * 1e3:.0f} ms, attention {ours * 1e3:.0f} ms -> {ours / base:.2f}x pandas")


def bench_demo():
    """The whole demo against one feedback loop on the same data."""
    from attention.demo import _market_inputs, run_demo
    from attention import feedback_loop, load_preis2013, load_prices, log_change

    run_demo(n_surrogates=99)  # warm up imports and caches
    market = _market_inputs(load_prices("SPY"), "SPY")
    attention = log_change(load_preis2013()["stocks"])
    one = best_of(lambda: feedback_loop(attention, **market, seed=0), 3)
    demo = best_of(lambda: run_demo(), 2)
    print(f"demo: {demo:.2f} s = {demo / one:.1f}x one 999-surrogate loop test ({one:.2f} s); it runs ten")


OTHERS = (("loop_speed.py", "--subset", "100"), ("stitching.py",), ("sentiment.py",), ("archives.py",),
          ("google_requests.py",), ("matcher.py",), ("dask_scan.py",), ("scan_passes.py",), ("calibration.py", "--quick"),
          ("flows.py",))


if __name__ == "__main__":
    from pathlib import Path

    bench_import()
    bench_surrogates()
    bench_feedback_loop_memory()
    bench_demo()
    # The other benchmarks are scripts of their own; run each in a fresh interpreter.
    for script, *args in OTHERS:
        print(f"\n== benchmarks/{script} {' '.join(args)}", flush=True)
        subprocess.run([sys.executable, str(Path(__file__).parent / script), *args], check=True)
    print("\n(The full calibration study, benchmarks/calibration.py without --quick, runs 1000 data sets per process "
          "and length for most of an hour: run it alone, niced.)")
