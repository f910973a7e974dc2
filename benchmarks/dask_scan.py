"""Reddit dump files on Dask: the same answer as one process, the speed-up of workers, the cost per byte.

Run from the repository root (about two minutes on two idle cores):

    python benchmarks/dask_scan.py [--files 8] [--lines 60000]

A synthetic dump is written to a temporary folder: ``--files`` monthly
comment files of ``--lines`` lines each, every line a real-format comment
(the fields of ``benchmarks/archives.py``) whose body is a real
r/wallstreetbets comment from ``tests/data/reddit`` (10,401 texts, drawn
with replacement); 2% of the lines are in the wanted subreddits, as in real
dumps, and zstd uses the dumps' 2 GiB window. Measured in one run:

1. the daily metrics serially (``workers=1``) and on ``LocalCluster``\\ s of
   1 and 2 worker processes (one thread each): they must be equal to the
   last bit; the speed-up is the 1-worker time over the 2-worker time;
2. how many cores two processes really get right now (pure CPU work timed
   in two processes against one after the other) and the load average,
   since the machine may be shared;
3. the scan against bare decompression of the same file, interleaved and
   best of five: ``scan_archive`` (filters and parsing) and the per-file
   task of ``read_reddit_archives`` (the same plus sentiment of the matches).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from archives import (OTHER_SUBREDDITS, START, TEMPLATE, decompress_only, interleaved, machine_parallelism, timed,
                      write_dump)
from attention.collectors.archives import DEFAULT_SUBREDDITS, _partial, read_reddit_archives, scan_archive
from attention.themes import DEFAULT_THEMES

WSB = Path(__file__).resolve().parent.parent / "tests" / "data" / "reddit" / "reddit_wsb_hot_2024-07_AnnaDS.csv.gz"
WANTED_SHARE = 0.02


def wsb_texts() -> list[str]:
    posts = pd.read_csv(WSB)
    return [text for cell in posts["comments"].dropna() for text in ast.literal_eval(cell)]


def month_lines(texts: list[str], n: int, month: int, seed: int) -> list[str]:
    """``n`` comment lines of one month, bodies drawn from ``texts``."""
    rng = np.random.default_rng(seed)
    bodies = [json.dumps(texts[i]) for i in rng.integers(len(texts), size=n)]
    wanted = rng.random(n) < WANTED_SHARE
    subs = np.where(wanted, np.array(DEFAULT_SUBREDDITS)[np.arange(n) % len(DEFAULT_SUBREDDITS)],
                    np.array(OTHER_SUBREDDITS)[rng.integers(len(OTHER_SUBREDDITS), size=n)]).tolist()
    ints = rng.integers(0, [50_000, 1 << 40, 28 * 86400, 205, 1 << 30], size=(n, 5)).tolist()
    start = START + month * 31 * 86400
    tag = f"m{month}"
    return [TEMPLATE % (a, full, bodies[i], start + off, tag, i, tag, tag, subs[i], tag, tag, i,
                        start + 40 * 86400, score - 5, subs[i], sid)
            for i, (a, full, off, score, sid) in enumerate(ints)]


def on_cluster(paths, workers: int):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        # Start-up is not the scan: import the library and build the scorer on every worker first.
        client.run(lambda: __import__("attention.collectors.archives").collectors.archives._default_scorer() and None)
        return timed(lambda: read_reddit_archives(paths, client=client))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--lines", type=int, default=60_000)
    args = parser.parse_args()
    texts = wsb_texts()
    with tempfile.TemporaryDirectory() as tmp:
        paths, ndjson = [], 0
        for month in range(args.files):
            path = Path(tmp) / f"RC_2024-{month + 1:02d}.zst"
            ndjson += write_dump(path, month_lines(texts, args.lines, month, seed=month))
            paths.append(path)
        compressed = sum(p.stat().st_size for p in paths)
        print(f"synthetic dump: {args.files} files x {args.lines:,} real-text comment lines, "
              f"{ndjson / 1e6:.0f} MB NDJSON, {compressed / 1e6:.0f} MB zstd; os.cpu_count() = {os.cpu_count()}")

        load_before = os.getloadavg()
        parallelism = machine_parallelism()
        t_serial, serial = timed(lambda: read_reddit_archives(paths, workers=1))
        t_one, one = on_cluster(paths, 1)
        t_two, two = on_cluster(paths, 2)
        load_after = os.getloadavg()
        for name, frame in (("1 worker", one), ("2 workers", two)):
            pd.testing.assert_frame_equal(frame, serial, check_exact=True)
            assert frame.attrs["reddit"]["accounting"] == serial.attrs["reddit"]["accounting"], name
        lines = serial.attrs["reddit"]["accounting"]
        mentions = int(serial.loc[serial["metric"] == "mentions", "value"].sum())
        print(f"equal to the last bit, serial and on both clusters: {len(serial)} observations, {mentions} mentions; "
              f"{lines['read']:,} lines read = {lines['kept']} kept + dropped {lines['dropped']}")
        print(f"\n{'run':<34}{'seconds':>9}{'MB/s':>8}{'vs 1 worker':>13}")
        for name, seconds in (("serial, this process", t_serial), ("LocalCluster, 1 worker process", t_one),
                              ("LocalCluster, 2 worker processes", t_two)):
            print(f"{name:<34}{seconds:>9.2f}{ndjson / 1e6 / seconds:>8.0f}{t_one / seconds:>12.2f}x")
        print(f"\nspeed-up on 2 workers: {t_one / t_two:.2f}x; two CPU-bound processes get {parallelism:.2f}x here "
              f"right now; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after")

        one_file = paths[0]
        size = one_file.stat().st_size
        args_ = (frozenset(s.lower() for s in DEFAULT_SUBREDDITS), DEFAULT_THEMES, None, None, 2**20, None)
        _partial(one_file, *args_)  # warm up: imports, the scorer
        best = interleaved({
            "decompression only": lambda: decompress_only(one_file),
            "scan_archive": lambda: scan_archive(one_file, subreddits=DEFAULT_SUBREDDITS),
            "per-file task (+ sentiment)": lambda: _partial(one_file, *args_),
        })
        mb = ndjson / args.files / 1e6
        print(f"\none file ({mb:.0f} MB NDJSON, {size / 1e6:.1f} MB zstd), best of 5, interleaved:")
        print(f"{'':<30}{'seconds':>9}{'MB/s':>8}{'x decompression':>17}")
        for name, seconds in best.items():
            print(f"{name:<30}{seconds:>9.3f}{mb / seconds:>8.0f}{seconds / best['decompression only']:>16.2f}x")


if __name__ == "__main__":
    main()
