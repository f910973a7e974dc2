"""How fast, and in how much memory, are the Reddit dump files read?

Run from the repository root (under a minute):

    python benchmarks/archives.py

A synthetic month of comments is written to a temporary folder the way
Pushshift / Arctic Shift write theirs: compact NDJSON with the fields of a
real comment, zstd with a 2 GiB window. As in real dumps nearly every line
(98%) comes from subreddits nobody asked for; of the five wanted ones about
one comment in twenty names a theme, and a few comments elsewhere do too.

The same file is read three ways in the same run:

- decompression alone, the floor for any reader;
- the naive reader: every line through ``json.loads``, one ``re.search``
  per theme alias and VADER's ``polarity_scores`` on every comment of the
  wanted subreddits (what a first script does);
- :func:`~attention.collectors.archives.scan_archive` (prefilters on the raw
  bytes, parses only candidates) and
  :func:`~attention.collectors.archives.read_reddit_archives`, which adds
  the finance sentiment of each mention and the daily aggregation.

Throughput is MB/s of decompressed NDJSON on one core (every reader here
runs in one process) and lines/s; decompression and the two library readers
take turns, best of five, so that a load drifting on a shared machine hits
them alike. Both readers must find the same comments.
Memory is tracemalloc's peak while scanning the file and one four times
larger (C memory of the zstd decoder is not traced; see the module docs).
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import zstandard

from attention.collectors.archives import DEFAULT_SUBREDDITS, MAX_WINDOW, read_reddit_archives, scan_archive
from attention.themes import DEFAULT_THEMES

LINES = 200_000
START = 1717200000  # 2024-06-01 UTC
WANTED_SHARE = 0.02
MENTION_SHARE = 0.05  # of the wanted subreddits' comments
ELSEWHERE_MENTION_SHARE = 0.002
OTHER_SUBREDDITS = [f"sub{i}" for i in range(3000)] + ["AskReddit", "politics", "nba", "gaming", "pics"]
WORDS = (
    "the be to of and a in that have I it for not on with he as you do at this but his by from they we say "
    "her she or an will my one all would there their what so up out if about who get which go me when make "
    "can like time no just him know take people into year your good some could them see other than then now "
    "look only come its over think also back after use two how our work first well way even new want because "
    "any these give day most us is was are been has had were said did got made really lol yeah honestly "
    "literally actually market price buy sell calls puts earnings shares portfolio rally dip moon "
    "tendies bagholder hold long short rates fed inflation bonds yield index fund etf tech growth value "
    "dividend cash week month bull bear green red loss gain"
).split()
MENTIONS = [
    "small caps are ripping", "IWM calls printing", "$IWM to the moon", "Russell 2000 breakout",
    "R2K squeeze", "the Mag 7 carried the index", "Magnificent Seven earnings", "AI stocks are a bubble",
    "rotating out of mag7", "small-cap value is back", "Russell 2k lagging again",
]


#: A compact RC line with the fields of a real comment (the dumps hold a few more).
TEMPLATE = (
    '{"all_awardings":[],"archived":false,"author":"user%d","author_flair_css_class":null,'
    '"author_flair_text":null,"author_fullname":"t2_%x","body":%s,"collapsed":false,"controversiality":0,'
    '"created_utc":%d,"distinguished":null,"edited":false,"gilded":0,"id":"%s%07x","link_id":"t3_%s",'
    '"parent_id":"t3_%s","permalink":"/r/%s/comments/%s/x/%s%07x/","retrieved_on":%d,"score":%d,'
    '"stickied":false,"subreddit":"%s","subreddit_id":"t5_%x","subreddit_type":"public",'
    '"total_awards_received":0}'
)


def month(n: int, seed: int):
    """The varying parts of ``n`` comment lines: JSON-escaped bodies and the other fields."""
    rng = np.random.default_rng(seed)
    wanted = rng.random(n) < WANTED_SHARE
    mention = np.where(wanted, rng.random(n) < MENTION_SHARE, rng.random(n) < ELSEWHERE_MENTION_SHARE)
    lengths = np.clip(rng.lognormal(2.3, 0.9, n).astype(int), 1, 400)
    words = rng.choice(WORDS, size=int(lengths.sum()))
    cuts = np.r_[0, np.cumsum(lengths)]
    bodies = []
    for i in range(n):
        body = " ".join(words[cuts[i] : cuts[i + 1]])
        if mention[i]:
            body += " " + MENTIONS[i % len(MENTIONS)]
        if i % 7 == 0:  # line breaks, curly quotes and emoji, escaped as the dumps escape them
            body = body.replace(" ", "\n\n", 1) + " \u2019\U0001f680"
        bodies.append(json.dumps(body))
    subs = np.where(wanted, np.array(DEFAULT_SUBREDDITS)[np.arange(n) % 5],
                    np.array(OTHER_SUBREDDITS)[rng.integers(len(OTHER_SUBREDDITS), size=n)])
    ints = rng.integers(0, [50_000, 1 << 40, 30 * 86400, 205, 1 << 30], size=(n, 5))
    return bodies, subs.tolist(), ints.tolist()


def comment_lines(parts, tag: str, order) -> list[str]:
    """Lines of the comments ``order`` of ``month`` parts, with ids ``<tag><index>``."""
    bodies, subs, ints = parts
    lines = []
    for i in order:
        author, fullname, offset, score, subreddit_id = ints[i]
        lines.append(TEMPLATE % (author, fullname, bodies[i], START + offset, tag, i, tag, tag, subs[i], tag,
                                 tag, i, START + 40 * 86400, score - 5, subs[i], subreddit_id))
    return lines


def write_dump(path: Path, lines: list[str]) -> int:
    """Write ``lines`` as the dumps are written (2 GiB window); return the bytes of NDJSON."""
    params = zstandard.ZstdCompressionParameters.from_level(3, window_log=31)
    cctx = zstandard.ZstdCompressor(compression_params=params)
    raw = ("\n".join(lines) + "\n").encode()
    with open(path, "wb") as fh, cctx.stream_writer(fh) as writer:
        writer.write(raw)
    return len(raw)


def decompress_only(path: Path) -> None:
    buffer = bytearray(2**20)
    dctx = zstandard.ZstdDecompressor(max_window_size=MAX_WINDOW)
    with open(path, "rb") as fh, dctx.stream_reader(fh) as reader:
        while reader.readinto(buffer):
            pass


def naive(path: Path) -> set:
    """Every line parsed, every alias searched, VADER on every wanted comment: ids mentioning a theme."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    wanted = {s.lower() for s in DEFAULT_SUBREDDITS}
    aliases = [theme.regex for theme in DEFAULT_THEMES]
    found = set()
    dctx = zstandard.ZstdDecompressor(max_window_size=MAX_WINDOW)
    with open(path, "rb") as fh, dctx.stream_reader(fh) as reader:
        for line in io.TextIOWrapper(reader, encoding="utf-8"):
            obj = json.loads(line)
            if obj["subreddit"].lower() not in wanted:
                continue
            text = obj["body"]
            vader.polarity_scores(text)
            if any(alias.search(text) for alias in aliases):
                found.add("t1_" + obj["id"])
    return found


def burn(n: int) -> int:
    """Pure CPU work, to see how many cores this machine gives two processes right now."""
    return sum(i * i for i in range(n))


def machine_parallelism() -> float:
    """How much faster two CPU-bound processes finish than the same work one after another."""
    from concurrent.futures import ProcessPoolExecutor

    n = 3_000_000
    serial, _ = timed(lambda: [burn(n), burn(n)])
    with ProcessPoolExecutor(2) as pool:
        pool.submit(burn, 1).result()  # start the workers before timing
        parallel, _ = timed(lambda: list(pool.map(burn, [n, n])))
    return serial / parallel


def interleaved(fns: dict, repeat: int = 5) -> dict:
    """Best time of each function over ``repeat`` rounds, the functions taking turns (fair under drifting load)."""
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for name, fn in fns.items():
            best[name] = min(best[name], timed(fn)[0])
    return best


def timed(fn, repeat=1):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        parts = month(LINES, 0)
        rng = np.random.default_rng(1)
        one, four, second = tmp / "RC_2024-06.zst", tmp / "RC_2024-06_x4.zst", tmp / "RC_2024-07.zst"
        size = write_dump(one, comment_lines(parts, "a", range(LINES)))
        # Other months: the same comments in other orders, under other ids.
        write_dump(second, comment_lines(parts, "e", rng.permutation(LINES)))
        size4 = write_dump(four, [line for tag in "abcd" for line in
                                  comment_lines(parts, tag, rng.permutation(LINES))])
        mb = size / 1e6
        print(f"synthetic month: {LINES:,} comments, {mb:.0f} MB of NDJSON, "
              f"{one.stat().st_size / 1e6:.1f} MB compressed, {WANTED_SHARE:.0%} in the wanted subreddits "
              f"(written in {time.perf_counter() - started:.0f} s)")

        scan_archive(one, subreddits=DEFAULT_SUBREDDITS)  # warm up imports
        t_naive, naive_ids = timed(lambda: naive(one))
        items = scan_archive(one, subreddits=DEFAULT_SUBREDDITS)
        best = interleaved({"floor": lambda: decompress_only(one),
                            "scan": lambda: scan_archive(one, subreddits=DEFAULT_SUBREDDITS),
                            "read": lambda: read_reddit_archives(one, workers=1)})
        t_floor, t_scan, t_read = best["floor"], best["scan"], best["read"]
        assert set(items["id"]) == naive_ids, "the readers disagree"
        print(f"both readers find the same {len(items):,} comments mentioning a theme\n")
        print(f"{'reader (one core)':<38}{'seconds':>9}{'MB/s':>9}{'lines/s':>12}{'vs naive':>10}")
        for name, seconds in [
            ("decompression only (floor)", t_floor),
            ("naive: json.loads + re + VADER", t_naive),
            ("scan_archive", t_scan),
            ("read_reddit_archives (+ sentiment)", t_read),
        ]:
            print(f"{name:<38}{seconds:>9.2f}{mb / seconds:>9.0f}{LINES / seconds:>12,.0f}"
                  f"{t_naive / seconds:>9.1f}x")

        t_serial, _ = timed(lambda: read_reddit_archives([one, second], workers=1))
        t_parallel, _ = timed(lambda: read_reddit_archives([one, second], workers=2))
        print(f"\ntwo files ({2 * mb:.0f} MB): workers=1 {t_serial:.2f} s, workers=2 {t_parallel:.2f} s "
              f"-> {t_serial / t_parallel:.2f}x; pure CPU work in two processes runs "
              f"{machine_parallelism():.2f}x here (os.cpu_count() = {os.cpu_count()})")

        print(f"\n{'tracemalloc peak of scan_archive':<38}{'NDJSON MB':>10}{'items kept':>12}{'peak MB':>9}")
        for name, path, ndjson in [("1x file", one, size), ("4x file", four, size4)]:
            tracemalloc.start()
            kept = len(scan_archive(path, subreddits=DEFAULT_SUBREDDITS))
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(f"{name:<38}{ndjson / 1e6:>10.0f}{kept:>12,}{peak / 1e6:>9.2f}")
        print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
