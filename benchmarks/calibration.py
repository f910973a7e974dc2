"""Is the feedback-loop test calibrated? Rejection rates under the null, and power.

Run from the repository root (about 2-4 minutes on 2 cores):

    python benchmarks/calibration.py            # 1000 simulations per scenario
    python benchmarks/calibration.py --sims 2000 --workers 2

Every simulated data set goes through the link battery of
``attention.feedback_loop`` - the same checks, regressions and surrogates,
called through the module's internals so that the ADF/KPSS screen (which
never changes a p-value, and costs more than the test at n = 250) is skipped.
Each link is tested one-sided in the claimed (+) direction at alpha = 0.05 by

- ``circular``: circular-shift surrogates (B = 199), lags fixed at 2 (the default);
- ``circular BIC``: the same, lags chosen by BIC from 1..4 in the data and in
  every surrogate;
- ``stationary``: the stationary bootstrap (B = 199), Politis-White block length;
- ``t``: the asymptotic one-sided t-test of the summed lag coefficients;
- ``F``: the classical two-sided Granger F-test.

Scenarios (n = 250 periods):

- ``AR(1) null``: three independent AR(1) series with phi = 0.9 (persistent,
  like search interest or volume measures);
- ``random walks, transformed``: three independent random walks passed
  through the library's transforms - ``log_change`` for attention (a
  positive level), ``log_returns`` for prices, first differences for flows;
- ``random walks, levels``: the same walks NOT transformed, to show why
  levels mislead (not part of the calibration requirement);
- ``loop b = 0.2`` / ``0.3``: a planted loop returns -> attention -> flows ->
  returns with lag-1 coefficients b (power).

Under the null the surrogate rates must lie in [0.03, 0.07]; the script exits
with status 1 if one does not. Monte Carlo standard errors are
sqrt(p (1 - p) / N).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time

# One BLAS thread per worker process: the work is many small problems.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np
import pandas as pd

N_PERIODS = 250
B = 199
ALPHA = 0.05
LINKS = ("returns -> attention", "attention -> flows", "flows -> returns")
METHODS = ("circular", "circular BIC", "stationary", "t", "F")
NULLS = ("AR(1) null", "random walks, transformed")
SCENARIOS = ("AR(1) null", "random walks, transformed", "random walks, levels", "loop b = 0.2", "loop b = 0.3")


def _weeks(n):
    return pd.date_range("2010-01-03", periods=n, freq="W-SUN")


def simulate(scenario: str, rng) -> dict:
    """One data set: {"attention", "returns", "flows"} Series of N_PERIODS weekly values."""
    from attention import log_change, log_returns
    from attention.testing import planted_loop

    n = N_PERIODS
    if scenario == "AR(1) null":
        phi = 0.9
        e = rng.normal(size=(n, 3))
        x = np.empty((n, 3))
        x[0] = e[0] / np.sqrt(1 - phi**2)  # start in the stationary distribution
        for t in range(1, n):
            x[t] = phi * x[t - 1] + e[t]
        a, r, f = x.T
    elif scenario.startswith("random walks"):
        walks = np.cumsum(rng.normal(size=(n + 1, 3)), axis=0)
        idx = _weeks(n + 1)
        searches = pd.Series(np.exp(3.0 + 0.1 * walks[:, 0]), idx)  # positive search interest
        price = pd.Series(100 * np.exp(0.02 * walks[:, 1]), idx)
        flows_level = pd.Series(walks[:, 2], idx)
        if scenario.endswith("levels"):
            return {
                "attention": searches.iloc[1:].rename("searches"),
                "returns": price.iloc[1:].rename("price"),
                "flows": flows_level.iloc[1:].rename("flows"),
            }
        return {
            "attention": log_change(searches).rename("searches"),
            "returns": log_returns(price).rename("returns"),
            "flows": flows_level.diff().rename("flows"),
        }
    else:
        a, r, f = planted_loop(n, float(scenario.split("=")[1]), rng)
    idx = _weeks(n)
    return {"attention": pd.Series(a, idx), "returns": pd.Series(r, idx), "flows": pd.Series(f, idx)}


def battery(series: dict, plan, rng) -> pd.DataFrame:
    """feedback_loop's link table without the ADF/KPSS screen."""
    from attention._validate import checked_panel
    from attention.correlation._loop import _LINKS
    from attention.correlation._surrogates import _links_table, _run_links

    frame, _ = checked_panel(series, min_obs=plan.min_obs, why=plan.why)
    names = {k: k for k in frame.columns}
    rows, _, _ = _run_links(frame, _LINKS, (1, 1, 1), plan, rng, names)
    return _links_table(rows, plan.alpha)


def run_chunk(args) -> dict:
    """p-values of every method for simulations [lo, hi) of one scenario: {method: (sims, 3)}, and p_loop."""
    scenario, lo, hi, root = args
    from attention.correlation._surrogates import _make_plan

    plans = {
        "circular": _make_plan(2, 8, B, "circular", None, ALPHA),
        "circular BIC": _make_plan("bic", 4, B, "circular", None, ALPHA),
        "stationary": _make_plan(2, 8, B, "stationary", None, ALPHA),
    }
    out = {m: np.empty((hi - lo, 3)) for m in METHODS}
    extra = {"levels_ols": np.zeros(hi - lo, dtype=bool)}
    for i, seed in enumerate(np.random.SeedSequence(root).spawn(hi)[lo:hi]):
        rng = np.random.default_rng(seed)
        series = simulate(scenario, rng)
        for name, plan in plans.items():
            links = battery(series, plan, rng)
            out[name][i] = links["p_surrogate"].to_numpy()
            if name == "circular":
                out["t"][i] = links["p_t"].to_numpy()
                out["F"][i] = links["p_granger"].to_numpy()
        if scenario.endswith("levels"):
            # Granger & Newbold (1974): the contemporaneous regression of one level on another.
            y, x = series["attention"].to_numpy(), series["returns"].to_numpy()
            X = np.column_stack([np.ones_like(x), x])
            beta, res, *_ = np.linalg.lstsq(X, y, rcond=None)
            se = np.sqrt(res[0] / (len(y) - 2) * np.linalg.inv(X.T @ X)[1, 1])
            extra["levels_ols"][i] = abs(beta[1] / se) > 1.97
    return {"scenario": scenario, "p": out, **extra}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sims", type=int, default=1000, help="simulations per scenario (default 1000)")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--seed", type=int, default=20260116)
    args = parser.parse_args(argv)
    from concurrent.futures import ProcessPoolExecutor

    t0 = time.perf_counter()
    tasks = []
    for k, scenario in enumerate(SCENARIOS):
        bounds = np.linspace(0, args.sims, 4 * args.workers + 1).astype(int)
        tasks += [(scenario, lo, hi, args.seed + k) for lo, hi in itertools.pairwise(bounds) if hi > lo]
    parts: dict = {s: [] for s in SCENARIOS}
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for res in pool.map(run_chunk, tasks):
            parts[res["scenario"]].append(res)
    elapsed = time.perf_counter() - t0

    print(f"Feedback-loop calibration: n = {N_PERIODS}, B = {B} surrogates, alpha = {ALPHA}, "
          f"{args.sims} simulations per scenario ({elapsed:.0f} s on {args.workers} worker(s))")
    print("rejection rate (Monte Carlo s.e.) of each one-sided link test; 'loop' = all three links reject\n")
    ok = True
    for scenario in SCENARIOS:
        p = {m: np.concatenate([r["p"][m] for r in parts[scenario]]) for m in METHODS}
        sims = len(p["circular"])
        print(f"{scenario}  ({sims} simulations)")
        print(f"  {'method':<14}" + "".join(f"{name:>24}" for name in LINKS) + f"{'pooled':>18}{'loop':>16}")
        for m in METHODS:
            rej = p[m] <= ALPHA
            cells = []
            for j in range(3):
                rate = rej[:, j].mean()
                cells.append(f"{rate:>15.3f} ({np.sqrt(rate * (1 - rate) / sims):.3f})")
            pooled = rej.mean()
            loop = rej.all(axis=1).mean() if m != "F" else np.nan
            line = f"  {m:<14}" + "".join(f"{c:>24}" for c in cells)
            line += f"{pooled:>10.3f} ({np.sqrt(pooled * (1 - pooled) / rej.size):.3f})"
            line += f"{loop:>16.3f}" if np.isfinite(loop) else f"{'':>16}"
            print(line)
            if scenario in NULLS and m in ("circular", "circular BIC", "stationary"):
                bad = [LINKS[j] for j in range(3) if not 0.03 <= rej[:, j].mean() <= 0.07]
                if bad:
                    ok = False
                    print(f"    ^ OUTSIDE [0.03, 0.07]: {bad}")
        if scenario == "AR(1) null":
            pc = p["circular"]
            print("  circular-shift p-values against the uniform: "
                  + ", ".join(f"P(p <= {a}) = {(pc <= a).mean():.3f}" for a in (0.01, 0.05, 0.10, 0.50)))
        if scenario.endswith("levels"):
            gn = np.concatenate([r["levels_ols"] for r in parts[scenario]]).mean()
            print(f"  for comparison, a contemporaneous OLS t-test of one level on another "
                  f"(Granger & Newbold 1974) rejects at 5% in {gn:.1%} of the simulations")
        print()
    print("Null scenarios: surrogate rates " + ("all within [0.03, 0.07]." if ok else "NOT all within [0.03, 0.07]."))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
