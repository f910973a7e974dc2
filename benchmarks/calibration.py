"""Is the feedback-loop test calibrated when markets are volatile? Size, power and interval coverage.

Run from the repository root, niced, in the background (the full study: 8 minutes on 2 idle cores, 30 when shared):

    nice python benchmarks/calibration.py --log calibration.log      # 1000 runs per process and length
    python benchmarks/calibration.py --quick                          # 100 weekly runs, for benchmarks/run.py

The data-generating processes below are written here from their textbook
definitions and share no code with the library (not even its planted-loop
simulator). Three series - attention a, returns r, flows f - are AR(1)s
(a: 0.3, r: 0, f: 0.5) whose shocks share one market volatility:

- ``SV``: stochastic volatility, sigma_t = exp(h_t), h_t a Gaussian AR(1)
  with coefficient 0.98 and stationary sd 0.375 (the log-volatility of an
  equity index is about that persistent and that variable);
- ``SV strong``: the same with stationary sd 1.0 (strong volatility of
  volatility: turbulent periods some 7 times as volatile as calm ones);
- ``GARCH``: one market GARCH(1,1) (omega 0.05, alpha 0.08, beta 0.90) with
  Student t(5) shocks, driven by the returns' own shocks, scaling all three;
- ``common driver``: returns GARCH(1,1) as above; attention and flows both
  respond to the size of last period's move, a_t = 0.3 a_{t-1} +
  0.5 |r_{t-1}| + e, f_t = 0.5 f_{t-1} + 0.5 |r_{t-1}| + e, and neither
  drives the other;
- ``AR(1)``: homoskedastic, independent AR(1)s with coefficient 0.9 (a check
  that robustness costs nothing where it is not needed);
- ``loop b = 0.1`` / ``0.2`` on SV: a planted loop, each link a lag-1
  coefficient b (power, and coverage of the effect intervals).

Each runs at two lengths: weekly n = 400 (eight years) and daily n = 1500
(six years). Every data set goes through ``feedback_loop``'s own battery
(called through its internals, skipping only the ADF/KPSS screen, which
never changes a p-value) with B = 199 circular-shift surrogates, lags = 2,
one-sided at 5%, in two configurations measured in the same run:

- ``default``: the library's default (HC3-studentised t, lags of |returns|
  as a control);
- ``previous``: the earlier default (classical t, no controls);
- ``hc1`` (on request): the default with HC1 instead of HC3.

Reported per link: rejection rate (size under the nulls, power under the
loops), the loop verdict's rate (all three links reject), and for the
default the coverage of the 90% effect intervals (the truth is 0 under the
nulls, b sd(cause) / sd(effect) under the loops) and the mean minimum
detectable effect. Monte Carlo standard error of a rate p over N runs:
sqrt(p (1 - p) / N), 0.007 at p = 0.05, N = 1000. The script exits with
status 1 when a null link of the default leaves [0.03, 0.07] or its loop
verdict exceeds 0.05 (checked only with at least 1000 runs).
"""

from __future__ import annotations

import argparse
import functools
import itertools
import os
import sys
import time

# One BLAS thread per worker process: the work is many small problems.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np
import pandas as pd

B = 199
ALPHA = 0.05
LAGS = 2
BURN = 300
AR = {"a": 0.3, "r": 0.0, "f": 0.5}
LINKS = ("returns -> attention", "attention -> flows", "flows -> returns")
CONFIGS = {
    "default": {"controls": ("volatility",), "se": "hc3"},
    "previous": {"controls": None, "se": "classical"},
    "hc1": {"controls": ("volatility",), "se": "hc1"},
}
NULLS = ("SV", "SV strong", "GARCH", "common driver", "AR(1)")
POWER = ("loop b = 0.1", "loop b = 0.2")
LENGTHS = {"weekly": 400, "daily": 1500}


# ---------------------------------------------------------------- data-generating processes


def sv_sigma(rng, n: int, sd: float, phi: float = 0.98) -> np.ndarray:
    """exp(h_t), h a Gaussian AR(1) with coefficient phi and stationary sd ``sd``, started in its stationary law."""
    e = rng.normal(size=n) * sd * np.sqrt(1 - phi**2)
    h = np.empty(n)
    h[0] = rng.normal() * sd
    for t in range(1, n):
        h[t] = phi * h[t - 1] + e[t]
    return np.exp(h)


def garch(rng, n: int, omega=0.05, alpha=0.08, beta=0.90, df=5):
    """Returns r_t = sigma_t z_t, sigma_t^2 = omega + alpha r_{t-1}^2 + beta sigma_{t-1}^2, z unit-variance t(df)."""
    z = rng.standard_t(df, size=n) / np.sqrt(df / (df - 2))
    s2, r = np.empty(n), np.empty(n)
    s2[0] = omega / (1 - alpha - beta)
    r[0] = np.sqrt(s2[0]) * z[0]
    for t in range(1, n):
        s2[t] = omega + alpha * r[t - 1] ** 2 + beta * s2[t - 1]
        r[t] = np.sqrt(s2[t]) * z[t]
    return r, np.sqrt(s2)


def ar_loop(shocks: np.ndarray, b: float, ar=AR) -> tuple:
    """a, r, f with a_t = ar_a a_{t-1} + b r_{t-1} + shock, f_t = ... + b a_{t-1}, r_t = ... + b f_{t-1}."""
    N = len(shocks)
    a, r, f = np.zeros(N), np.zeros(N), np.zeros(N)
    for t in range(1, N):
        a[t] = ar["a"] * a[t - 1] + b * r[t - 1] + shocks[t, 0]
        f[t] = ar["f"] * f[t - 1] + b * a[t - 1] + shocks[t, 1]
        r[t] = ar["r"] * r[t - 1] + b * f[t - 1] + shocks[t, 2]
    return a, r, f


def simulate(process: str, n: int, rng) -> tuple[dict, float]:
    """One data set: ({"attention", "returns", "flows"} arrays of length n, planted coefficient b)."""
    N = n + BURN
    b = 0.0
    if process in ("SV", "SV strong") or process in POWER:
        b = float(process.split("=")[1]) if process in POWER else 0.0
        sigma = sv_sigma(rng, N, 1.0 if process == "SV strong" else 0.375)
        a, r, f = ar_loop(rng.normal(size=(N, 3)) * sigma[:, None], b)
    elif process == "GARCH":
        r0, sigma = garch(rng, N)
        z = rng.standard_t(5, size=(N, 2)) / np.sqrt(5 / 3)
        # The market's own shock is the returns' shock; attention and flows share its volatility.
        a, r, f = ar_loop(np.column_stack([z[:, 0] * sigma, z[:, 1] * sigma, r0]), 0.0)
    elif process == "common driver":
        r, _ = garch(rng, N)
        e = rng.normal(size=(N, 2))
        a, f = np.zeros(N), np.zeros(N)
        for t in range(1, N):
            a[t] = 0.3 * a[t - 1] + 0.5 * abs(r[t - 1]) + e[t, 0]
            f[t] = 0.5 * f[t - 1] + 0.5 * abs(r[t - 1]) + e[t, 1]
    elif process == "AR(1)":
        a, r, f = ar_loop(rng.normal(size=(N, 3)), 0.0, {"a": 0.9, "r": 0.9, "f": 0.9})
    else:
        raise ValueError(process)
    return {"attention": a[-n:], "returns": r[-n:], "flows": f[-n:]}, b


# ---------------------------------------------------------------- the library's battery


@functools.cache
def _index(n: int) -> pd.DatetimeIndex:
    return pd.date_range("1990-01-07", periods=n, freq="W-SUN")


def battery(data: dict, config: dict, rng) -> pd.DataFrame:
    """``feedback_loop``'s link table for one data set, without the ADF/KPSS screen."""
    from attention._validate import checked_panel
    from attention.correlation._loop import _LINKS, _loop_controls, _with_controls
    from attention.correlation._surrogates import _links_table, _make_plan, _run_links

    idx = _index(len(data["returns"]))
    series = {k: pd.Series(v, idx, name=k) for k, v in data.items()}
    _, keys, _ = _loop_controls(config["controls"])
    plan = _make_plan(LAGS, 8, B, "circular", None, ALPHA, config["se"], 0.1, len(keys[_LINKS[0]]))
    frame = _with_controls(checked_panel(series, min_obs=plan.min_obs, why=plan.why)[0], keys)
    rows, _, _ = _run_links(frame, _LINKS, (1, 1, 1), plan, rng, {k: k for k in frame.columns}, keys)
    return _links_table(rows, plan)


def run_chunk(args) -> dict:
    """Per-run results of runs [lo, hi) of one process and length."""
    process, n, lo, hi, root, configs = args
    out = {c: {"p": np.empty((hi - lo, 3)), "cover": np.empty((hi - lo, 3), dtype=bool),
               "mde": np.empty((hi - lo, 3))} for c in configs}
    for i, seed in enumerate(np.random.SeedSequence(root).spawn(hi)[lo:hi]):
        rng = np.random.default_rng(seed)
        data, b = simulate(process, n, rng)
        sd = {k: v.std(ddof=1) for k, v in data.items()}
        # The estimand: the summed lag coefficients in sds of the sample, b sd(cause) / sd(effect).
        truth = np.array([b * sd["returns"] / sd["attention"], b * sd["attention"] / sd["flows"],
                          b * sd["flows"] / sd["returns"]])
        for name in configs:
            links = battery(data, CONFIGS[name], rng)
            out[name]["p"][i] = links["p_surrogate"].to_numpy()
            out[name]["cover"][i] = (links["ci_low"].to_numpy() <= truth) & (truth <= links["ci_high"].to_numpy())
            out[name]["mde"][i] = links["mde"].to_numpy()
    return {"process": process, "n": n, "out": out}


def _rate(x: np.ndarray) -> str:
    p = x.mean()
    return f"{p:.3f} ({np.sqrt(p * (1 - p) / len(x)):.3f})"


def report(parts: dict, runs: int, log) -> bool:
    """Print the table; True if every null link of the default is in [0.03, 0.07] and every loop verdict <= 0.05."""
    ok = True
    head = f"{'process':<16}{'length':<14}{'config':<10}" + "".join(f"{k:>24}" for k in LINKS) + f"{'loop':>8}"
    print(head, file=log)
    for (process, n), chunks in parts.items():
        label = next(k for k, v in LENGTHS.items() if v == n) + f" {n}"
        for config in chunks[0]["out"]:
            p = np.concatenate([c["out"][config]["p"] for c in chunks])
            rej = p <= ALPHA
            line = f"{process:<16}{label:<14}{config:<10}" + "".join(f"{_rate(rej[:, j]):>24}" for j in range(3))
            line += f"{rej.all(axis=1).mean():>8.3f}"
            print(line, file=log)
            if config == "default" and process in NULLS and len(p) >= 1000:
                bad = [LINKS[j] for j in range(3) if not 0.03 <= rej[:, j].mean() <= 0.07]
                if bad or rej.all(axis=1).mean() > 0.05:
                    ok = False
                    print(f"    ^ OUTSIDE [0.03, 0.07] or loop > 0.05: {bad}", file=log)
            cover = np.concatenate([c["out"][config]["cover"] for c in chunks])
            mde = np.concatenate([c["out"][config]["mde"] for c in chunks])
            print(f"{'':<40}90% interval coverage" + "".join(f"{cover[:, j].mean():>14.3f}" for j in range(3))
                  + "   mean mde " + ", ".join(f"{m:.3f}" for m in mde.mean(axis=0)), file=log)
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1000, help="runs per process and length (default 1000)")
    parser.add_argument("--quick", action="store_true", help="100 weekly runs of each process (a smoke run)")
    parser.add_argument("--processes", default=",".join(NULLS[:4] + POWER),
                        help="comma-separated, from: " + ", ".join(NULLS + POWER) + " (default all but AR(1))")
    parser.add_argument("--lengths", default="weekly,daily", help="weekly, daily or both")
    parser.add_argument("--configs", default="default,previous", help="comma-separated: default, previous, hc1")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--log", help="also append progress and the table to this file")
    args = parser.parse_args(argv)
    runs, lengths = (100, ["weekly"]) if args.quick else (args.runs, args.lengths.split(","))
    processes, configs = args.processes.split(","), tuple(args.configs.split(","))
    log = open(args.log, "a") if args.log else None

    def say(text):
        for out in (sys.stdout, log):
            if out is not None:
                print(text, file=out, flush=True)

    from concurrent.futures import ProcessPoolExecutor

    t0 = time.perf_counter()
    tasks = []
    for k, (process, length) in enumerate(itertools.product(processes, lengths)):
        bounds = np.linspace(0, runs, 5).astype(int)
        tasks += [(process, LENGTHS[length], lo, hi, args.seed + k, configs) for lo, hi in itertools.pairwise(bounds) if hi > lo]
    parts: dict = {}
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for i, res in enumerate(pool.map(run_chunk, tasks), 1):
            key = (res["process"], res["n"])
            parts.setdefault(key, []).append(res)
            say(f"[{time.perf_counter() - t0:6.0f} s] {i}/{len(tasks)} chunks done ({res['process']}, n = {res['n']})")
            if log is not None and sum(t[:2] == key for t in tasks) == len(parts[key]):
                report({key: parts[key]}, runs, log)  # each finished process at once, in case the run is cut short
    elapsed = time.perf_counter() - t0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    say(f"\nFeedback-loop calibration: lags = {LAGS}, B = {B} circular-shift surrogates, alpha = {ALPHA}, "
        f"{runs} runs per process and length ({elapsed:.0f} s on {args.workers} worker(s), load average {load:.1f})")
    say("rejection rate (Monte Carlo s.e.) of each one-sided link test; loop = all three links reject\n")
    ok = report(parts, runs, sys.stdout)
    if log is not None:
        report(parts, runs, log)
    say("\nNull links of the default " + ("all within [0.03, 0.07], loop verdicts <= 0.05." if ok else
                                          "NOT all within [0.03, 0.07] (or a loop verdict above 0.05)."))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
