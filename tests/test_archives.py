"""Reddit dump files: streaming, prefilter exactness, daily counts, parallel reading, memory.

Every file is written here, in tmp_path, the way the Pushshift / Arctic Shift
dumps are: NDJSON, zstd with a 2 GiB window and no content size.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import zstandard

from attention.collectors import archives
from attention.collectors.archives import read_reddit_archives, scan_archive
from attention.collectors.reddit_items import clean_text, items_frame
from attention.errors import AttentionWarning, DataError
from attention.themes import DEFAULT_THEMES, Theme

DAY1 = 1717372800  # 2024-06-03 00:00 UTC
DAY2 = DAY1 + 86400
DAY3 = DAY2 + 86400
SMALL, AI, MAG7 = (t.name for t in DEFAULT_THEMES)
LONG_WINDOW = zstandard.ZstdCompressionParameters.from_level(3, window_log=31)


class StubScorer:
    """Scores every text 0.5 (positive): enough for counts, no VADER needed."""

    def __init__(self):
        self.calls = []

    def score(self, texts, themes=None):
        self.calls.append((list(texts), themes))
        n = len(texts)
        return pd.DataFrame({"neg": [0.0] * n, "neu": [0.5] * n, "pos": [0.5] * n, "compound": [0.5] * n})


def dump_line(item) -> bytes:
    return (item if isinstance(item, str) else json.dumps(item)).encode() + b"\n"


def write_zst(path, items, *, frames=1):
    """Write items (dicts, or raw lines as str) as the dumps are written, in ``frames`` frames."""
    raw = [dump_line(item) for item in items]
    step = -(-len(raw) // frames)
    with open(path, "wb") as fh:
        for i in range(0, len(raw), step):
            # No size given: zstd keeps the 2 GiB window instead of fitting it to the data.
            cctx = zstandard.ZstdCompressor(compression_params=LONG_WINDOW)
            with cctx.stream_writer(fh, closefd=False) as writer:
                writer.write(b"".join(raw[i : i + step]))
    return path


def post(ident, subreddit, author, created, title, selftext="", score=1):
    return {"id": ident, "subreddit": subreddit, "author": author, "created_utc": created, "title": title,
            "selftext": selftext, "score": score, "num_comments": 0, "over_18": False,
            "permalink": f"/r/{subreddit}/comments/{ident}/x/", "url": "https://www.reddit.com/"}


def comment(ident, subreddit, author, created, body, score=1):
    return {"id": ident, "subreddit": subreddit, "author": author, "created_utc": created, "body": body,
            "score": score, "link_id": "t3_s1", "parent_id": "t3_s1", "controversiality": 0, "gilded": 0}


POSTS = [
    post("s1", "wallstreetbets", "alice", DAY1 + 36000, "Small caps are finally waking up", "IWM calls", 10),
    post("s2", "stocks", "bob", DAY1 + 43200, "Mag 7 earnings week", "[removed]", 5),
    post("s3", "AskReddit", "carol", DAY1 + 1000, "Are small caps worth it?", "", 100),
    post("s4", "wallstreetbets", "[deleted]", DAY1 + 50000, "Russell 2000 vs Mag 7", "[deleted]", 3),
    post("s5", "investing", "dave", DAY2 + 1000, "My magnitude 7 quake portfolio", "SAID stock is up", 7),
    post("s6", "wallstreetbets", "erin", DAY2 + 2000, "$IWM $IWM $IWM", "", 2),
    post("s7", "WallStreetBets", "frank", str(DAY2 - 1), "small-cap rally", "", 4),
]
COMMENTS = [
    comment("c1", "stocks", "alice", DAY1 + 40000, "Buying\nIWM and the Mag 7", 1),
    comment("c2", "StockMarket", "gina", DAY2 + 3000, 'They said "AI stocks" are a bubble', 12),
    comment("c3", "wallstreetbets", "harry", DAY2 + 4000, "[removed]", 50),
    comment("c4", "wallstreetbets", "ivan", DAY2 + 5000, "It\u2019s small caps season", 9),
    # An encoder that escapes quotes and apostrophes as \u00XX, written by hand.
    '{"id":"c5","subreddit":"investing","author":"judy","created_utc":%d,'
    '"body":"\\u0027Mag 7\\u0027 is \\u0022crowded\\u0022","score":6}' % (DAY2 + 7200),
    comment("c6", "smallstreetbets", "kim", DAY3 + 100, "russell 2k squeeze", 8),
    comment("c7", "politics", "lena", DAY1 + 100, "Mag 7 is all that matters", 40),
    '{"id":"bad","subreddit":"wallstreetbets","body":"small caps',  # a truncated line
]
#: (theme, day) -> (mentions, unique_authors, score), worked out by hand from POSTS and COMMENTS.
EXPECTED = {
    (SMALL, DAY1): (4, 2, 18.0),  # s1 alice, s4 deleted, s7 frank (created as a string), c1 alice
    (SMALL, DAY2): (2, 2, 11.0),  # s6 ($IWM three times counts once), c4
    (SMALL, DAY3): (1, 1, 8.0),  # c6
    (MAG7, DAY1): (3, 2, 9.0),  # s2, s4 deleted, c1
    (MAG7, DAY2): (1, 1, 6.0),  # c5
    (AI, DAY2): (1, 1, 12.0),  # c2; "SAID stock" (s5) is no mention, nor is "magnitude 7"
}


@pytest.fixture
def dumps(tmp_path):
    return write_zst(tmp_path / "RS_2024-06.zst", POSTS), write_zst(tmp_path / "RC_2024-06.zst", COMMENTS)


def counts(obs):
    """(theme, day) -> (mentions, unique_authors, score) from tidy observations."""
    wide = obs.pivot_table(index=["term", "date"], columns="metric", values="value")
    return {(term, int(date.timestamp())): (row["mentions"], row["unique_authors"], row["score"])
            for (term, date), row in wide.iterrows()}


def read(paths, **kwargs):
    kwargs.setdefault("scorer", StubScorer())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AttentionWarning)  # the truncated line
        return read_reddit_archives(paths, **kwargs)


def quietly(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AttentionWarning)
        return scan_archive(path, **kwargs)


# ---------------------------------------------------------------- reading


def test_test_files_need_the_2gib_window(dumps):
    with open(dumps[0], "rb") as fh, pytest.raises(zstandard.ZstdError, match="too much memory"):
        zstandard.ZstdDecompressor().stream_reader(fh).read()
    assert zstandard.get_frame_parameters(dumps[0].read_bytes()).window_size == 2**31


def test_scan_archive_items(dumps):
    items = scan_archive(dumps[0], subreddits=archives.DEFAULT_SUBREDDITS).set_index("id")
    assert list(items.columns) == ["kind", "created", "subreddit", "author", "score", "text"]
    assert sorted(items.index) == ["t3_s1", "t3_s2", "t3_s4", "t3_s6", "t3_s7"]
    assert pd.isna(items.at["t3_s4", "author"]) and items.at["t3_s4", "text"] == "Russell 2000 vs Mag 7"
    assert items.at["t3_s2", "text"] == "Mag 7 earnings week"  # "[removed]" body dropped
    assert items.at["t3_s7", "created"] == pd.Timestamp(DAY2 - 1, unit="s", tz="UTC")
    assert set(items["kind"]) == {"post"} and str(items["created"].dtype) == "datetime64[ns, UTC]"
    assert "t3_s3" in set(scan_archive(dumps[0])["id"])  # subreddits=None reads r/AskReddit too
    comments = quietly(dumps[1], subreddits="r/stocks")
    assert list(comments["id"]) == ["t1_c1"] and comments.at[0, "kind"] == "comment"


def test_subreddit_names_are_case_insensitive(dumps):
    items = scan_archive(dumps[0], subreddits=["r/WALLSTREETBETS"])
    assert sorted(items["id"]) == ["t3_s1", "t3_s4", "t3_s6", "t3_s7"]


def test_daily_counts_per_theme(dumps):
    scorer = StubScorer()
    obs = read(list(dumps), scorer=scorer, workers=1)
    assert counts(obs) == EXPECTED
    assert set(obs["source"]) == {"reddit"}
    assert np.allclose(obs[obs["metric"] == "sentiment"]["value"], 0.5)
    assert all(len(themes) == 1 for _, themes in scorer.calls)  # each theme's aliases masked on its own


def test_parallel_equals_serial(dumps):
    pd.testing.assert_frame_equal(read(list(dumps), workers=1), read(list(dumps), workers=2))


def test_start_end_inclusive(dumps):
    obs = read(list(dumps), start="2024-06-04", end=pd.Timestamp("2024-06-04 13:00"), workers=1)
    assert counts(obs) == {k: v for k, v in EXPECTED.items() if k[1] == DAY2}
    assert counts(read(list(dumps), end="2024-06-03")) == {k: v for k, v in EXPECTED.items() if k[1] == DAY1}
    with pytest.raises(DataError, match="start"):
        read(list(dumps), start="2024-06-05", end="2024-06-04")


def test_duplicates_across_files_count_once(dumps, tmp_path):
    overlap = write_zst(tmp_path / "RC_2024-06_again.zst", COMMENTS[:4])
    assert counts(read([*dumps, overlap], workers=2)) == EXPECTED
    assert counts(read([*dumps, dumps[0]], workers=1)) == EXPECTED  # the same path twice


def test_nothing_found(dumps):
    obs = read(list(dumps), subreddits=["nba"])
    assert obs.empty and list(obs.columns) == ["date", "source", "term", "metric", "value", "flags"]


def test_real_sentiment_scorer(dumps):
    pytest.importorskip("vaderSentiment")
    obs = read(list(dumps), scorer=None, workers=1)
    assert counts(obs) == EXPECTED
    values = obs[obs["metric"] == "sentiment"]["value"]
    assert values.between(-1, 1).all() and len(values) == len(EXPECTED)


def test_lines_split_across_chunks(dumps, tmp_path):
    plain = tmp_path / "RC_2024-06.ndjson"
    plain.write_bytes(b"".join(map(dump_line, COMMENTS))[:-1])  # no final newline
    whole = quietly(dumps[1])
    assert len(whole) == 6  # c1, c2, c4, c5, c6 and r/politics c7
    for size in (1, 7, 64):  # plain text is read chunk_size bytes at a time
        pd.testing.assert_frame_equal(whole, quietly(plain, chunk_size=size))
    pd.testing.assert_frame_equal(whole, quietly(dumps[1], chunk_size=7))


def test_several_frames_and_blocks(tmp_path):
    # 3 frames of ~230 KB: zstd hands out each 128 KiB block as it decodes it, cutting lines anywhere.
    lines = [comment(f"x{i}", "stocks", "u", DAY1 + i, "small caps " + "x" * (i % 300)) for i in range(3000)]
    path = write_zst(tmp_path / "RC_frames.zst", lines, frames=3)
    for size in (1, 1000, 2**20):
        items = scan_archive(path, chunk_size=size)
        assert len(items) == 3000 and items["id"].is_unique


def test_progress_bar(dumps, capsys):
    read(list(dumps), workers=1, progress=True)
    assert "Reddit archives" in capsys.readouterr().err


# ---------------------------------------------------------------- errors


def test_malformed_lines_warn_once_with_count(dumps):
    with pytest.warns(AttentionWarning, match=r"skipped 1 malformed line.*RC_2024-06.zst \(1\)") as record:
        items = scan_archive(dumps[1])
    assert len([w for w in record if issubclass(w.category, AttentionWarning)]) == 1
    assert "t1_c1" in set(items["id"])
    with pytest.warns(AttentionWarning, match="skipped 1 malformed") as record:
        read_reddit_archives(list(dumps), scorer=StubScorer(), workers=2)  # warned by the parent, once
    assert len([w for w in record if issubclass(w.category, AttentionWarning)]) == 1


def test_not_zstd_missing_corrupt_truncated(tmp_path):
    fake = tmp_path / "RC_2024-06.zst"
    fake.write_bytes(b'{"id": "x"}\n')
    with pytest.raises(DataError, match=re.escape(str(fake))):
        scan_archive(fake)
    with pytest.raises(DataError, match=re.escape(str(fake))):
        read_reddit_archives([fake], scorer=StubScorer())
    with pytest.raises(DataError, match="no such file"):
        scan_archive(tmp_path / "RS_1999-01.zst")
    good = write_zst(tmp_path / "good.zst", POSTS * 50).read_bytes()
    corrupt = tmp_path / "RS_corrupt.zst"
    corrupt.write_bytes(good[:12] + bytes(len(good)))
    with pytest.raises(DataError, match="corrupt"):
        scan_archive(corrupt)
    truncated = tmp_path / "RS_truncated.zst"  # an interrupted download
    truncated.write_bytes(good[:-10])
    with pytest.raises(DataError, match="truncated"):
        scan_archive(truncated)


def test_every_cut_inside_a_frame_is_caught(tmp_path):
    # Frames as zstd writes them: content size known (single segment) and a
    # checksum; a skippable frame; a streamed frame with the 2 GiB window.
    data = b"".join(dump_line(comment(f"z{i}", "stocks", "u", DAY1, f"small caps {i}")) for i in range(12))
    streamed = write_zst(tmp_path / "streamed.zst", [data[1000:-1].decode()])
    frames = [
        zstandard.ZstdCompressor(write_checksum=True).compress(data[:1000]),
        b"\x5e\x2a\x4d\x18" + (5).to_bytes(4, "little") + b"skip!",
        streamed.read_bytes(),
    ]
    whole = b"".join(frames)
    ends = set(np.cumsum([len(f) for f in frames]).tolist())
    path = tmp_path / "RC_cut.zst"
    path.write_bytes(whole)
    assert len(scan_archive(path)) == 12
    for cut in range(5, len(whole)):
        path.write_bytes(whole[:cut])
        if cut in ends:
            quietly(path)
        else:
            with pytest.raises(DataError, match="truncated|corrupt"):
                quietly(path)


@pytest.mark.parametrize(
    "kwargs",
    [{"subreddits": ["wall street bets"]}, {"subreddits": []}, {"chunk_size": 0}, {"chunk_size": True},
     {"themes": ["no such theme"]}, {"themes": []}, {"start": "not a date"}],
)
def test_invalid_arguments(dumps, kwargs):
    with pytest.raises(DataError):
        scan_archive(dumps[0], **kwargs)


def test_invalid_reader_arguments(dumps):
    with pytest.raises(DataError, match="workers"):
        read_reddit_archives(list(dumps), workers=0, scorer=StubScorer())
    with pytest.raises(DataError, match="paths"):
        read_reddit_archives([], scorer=StubScorer())


# ---------------------------------------------------------------- the prefilter is exact


def reference(path, subreddits, themes):
    """json.loads every line and check exactly: what the prefilters must reproduce."""
    wanted = None if subreddits is None else {s.lower() for s in subreddits}
    with open(path, "rb") as fh:
        raw = zstandard.ZstdDecompressor(max_window_size=2**31).stream_reader(fh).read()
    records = []
    for line in raw.split(b"\n"):
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        sub = obj.get("subreddit")
        if wanted is not None and not (isinstance(sub, str) and sub.isascii() and sub.lower() in wanted):
            continue
        is_post = "title" in obj
        text = clean_text(obj.get("title"), obj.get("selftext")) if is_post else clean_text(obj.get("body"))
        if any(t.mentions(text) for t in themes):
            records.append({
                "id": ("t3_" if is_post else "t1_") + obj["id"], "kind": "post" if is_post else "comment",
                "created": float(obj["created_utc"]), "subreddit": sub, "author": obj.get("author"),
                "score": obj.get("score"), "text": text,
            })
    return items_frame(records)


TRICKY_TEXTS = [
    "Buying\nIWM",  # \n right before an alias: the raw line has "\nIWM", no word boundary
    "Buying\tIWM\r",
    '"Mag 7" again',
    "(Mag 7)",
    "ma\\g 7",  # a backslash inside: no mention
    "caf\u00e9 small caps",
    "\u017fmall caps",  # long s: case-insensitive re reads it as "small caps"
    "\u212a R2\u212a",  # Kelvin sign for K
    "\u0130WM and \u0131wm",
    "magnitude 7",
    "SAID stock",
    "AI stocks",
    "AIstocks",
    "small capsule",
    "smallcaps",
    "small-caps stocks",
    "russell2000",
    "$RUT$IWM",
    "emoji \U0001f680 IWM \U0001f680",
    "MAG7",
    "mag\u00a07",
    "AI\u2011heavy stocks",
    "small\u2013cap value",
    "Mag\u20117 earnings",
    "stocks tied to AI",
    "artificial intelligence stock",
    "nothing to see",
    "",
]


def test_prefilter_never_drops_what_the_exact_check_keeps(tmp_path):
    rng = np.random.default_rng(3)
    lines = []
    for i in range(600):
        text = " ".join(rng.choice(TRICKY_TEXTS, size=rng.integers(1, 3)))
        sub = rng.choice(["wallstreetbets", "WallStreetBets", "stocks", "pics", "investing"])
        obj = comment(f"k{i}", sub, f"user{i % 7}", DAY1 + i, text)
        # Both ways dumps are written (\u escapes or raw UTF-8), compact or not.
        line = json.dumps(obj, ensure_ascii=bool(i % 2), separators=(",", ":") if i % 3 else (", ", ": "))
        if i % 5 == 0:  # an encoder escaping ASCII letters: legal JSON, though no dump writer does it
            line = line.replace("IWM", "\\u0049WM").replace("Mag", "Ma\\u0067")
        lines.append(line)
    lines.append('{"id":"esc","subreddit":"\\u0073tocks","created_utc":%d,"body":"IWM","score":1}' % DAY1)
    path = write_zst(tmp_path / "RC_tricky.zst", lines)
    for subreddits in (None, ["wallstreetbets", "stocks"]):
        got = scan_archive(path, subreddits=subreddits, chunk_size=4096)
        want = reference(path, subreddits, DEFAULT_THEMES)
        assert len(want) > 100
        pd.testing.assert_frame_equal(got.sort_values("id", ignore_index=True),
                                      want.sort_values("id", ignore_index=True))


@pytest.mark.parametrize("pattern", [r"\bIWM", r"small.caps", r"caf\u00e9", r"a/b", r"(?<=x)IWM", r"(a)\1",
                                     r"\w+cap", r"(?:foo)?"])
def test_patterns_that_cannot_be_prefiltered_turn_it_off(pattern, tmp_path):
    theme = Theme("custom", reddit_patterns=[pattern, "IWM"])
    assert archives._Aliases.build([theme]) is None
    texts = TRICKY_TEXTS + ["small\ncaps", "a/b"]
    path = write_zst(tmp_path / "RC_custom.zst", [comment(f"p{i}", "stocks", "u", DAY1, t) for i, t in
                                                  enumerate(texts)])
    pd.testing.assert_frame_equal(scan_archive(path, themes=[theme]), reference(path, None, [theme]))


def test_required_literals():
    def build(themes):
        return set(archives._Aliases.build(themes).keys) - set(archives._DISGUISE_KEYS)

    assert build(DEFAULT_THEMES) == {
        b"small", b"smid", b"stocks", b"russel", b"r2k", b"iwm", b"ijr", b"rut", b"rty", b"mag",
        b"ai ", b"ai-", b"a.i", b"'ai'", b"intelligence", b" ai", b" bubble",
        b"ai\xe2\x80", b"ai\\u201",  # "ai" before a Unicode hyphen, raw or escaped
    }  # "magnificent" is found wherever "mag" is: not searched for on its own
    assert all(any(h.startswith(stem) for stem in archives._HYPHEN_STEMS) for h in archives._HYPHEN_BYTES)
    energy = Theme("energy", reddit_patterns=[r"[Ee]nergy stocks?|\$XLE"])
    assert build([energy]) == {b"energy stock", b"$xle"}


@pytest.mark.skipif(sys.maxunicode < 0x10FFFF, reason="narrow build")
def test_only_four_non_ascii_letters_fold_onto_ascii():
    # The alias prefilter lets lines holding these through; any other non-ASCII
    # character matched case-insensitively by printable ASCII would break it.
    printable = re.compile("[" + re.escape("".join(map(chr, range(0x20, 0x7F)))) + "]", re.IGNORECASE)
    folded = [c for c in map(chr, range(0x80, sys.maxunicode + 1)) if printable.fullmatch(c)]
    assert folded == ["\u0130", "\u0131", "\u017f", "\u212a"]


# ---------------------------------------------------------------- memory


def test_memory_stays_flat_as_the_file_grows(tmp_path):
    filler = ('{"id":"f%07d","subreddit":"pics","author":"someone","created_utc":%d,"score":3,'
              '"body":"a photo of my cat sitting in the garden, nothing about markets at all %s"}')
    hits = [comment(f"h{i}", "stocks", f"u{i}", DAY1 + i, "small caps and the Mag 7") for i in range(20)]

    def peak(n):
        lines = hits + [filler % (i, DAY1, "x" * (i % 50)) for i in range(n)]
        path = write_zst(tmp_path / f"RC_{n}.zst", lines)
        scan_archive(path, subreddits=["stocks"], chunk_size=2**16)  # warm up lazy imports
        tracemalloc.start()
        items = scan_archive(path, subreddits=["stocks"], chunk_size=2**16)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert len(items) == 20
        return top

    small, large = peak(5_000), peak(50_000)  # about 0.9 MB and 9 MB of NDJSON
    assert large < 2 * small, (small, large)
    assert large < 9e6 / 10


# ---------------------------------------------------------------- every line accounted for


def test_every_line_is_kept_or_counted(tmp_path):
    lines = [dump_line(item) for item in COMMENTS] + [
        b'{"id":"cut","created_utc":1717459200,"body":"small caps are\n',  # cut before its "subreddit" key
        b'{"id":"bin","subreddit":"pics","created_utc":1717459200,"body":"caf\xe9"}\n',  # not UTF-8
        b"\n",  # a blank line
        dump_line(comment("old", "stocks", "x", DAY1 - 86400, "small caps")),
        dump_line(comment("c1", "stocks", "alice", DAY1 + 40000, "IWM again")),  # an id seen before
    ]
    path = tmp_path / "RC_2024-06.zst"
    path.write_bytes(zstandard.ZstdCompressor(compression_params=LONG_WINDOW).compress(b"".join(lines)))
    for subreddits in (archives.DEFAULT_SUBREDDITS, None):
        for size in (64, 2**20):
            report = quietly(path, subreddits=subreddits, start="2024-06-03", chunk_size=size).attrs["reddit"]
            lines_ = report["accounting"]
            assert lines_["read"] == 13
            assert lines_["kept"] + sum(lines_["dropped"].values()) == 13
            dropped = lines_["dropped"]
            # "bad" and "cut" are cut short, "bin" is not UTF-8: counted as malformed, however filtered
            assert dropped["malformed"] == 3 and dropped["blank"] == 1 and dropped["duplicate"] == 1
            assert dropped["outside the range"] == 1 and set(dropped) <= set(archives.DROP_REASONS)
    report = read(path, workers=1).attrs["reddit"]["accounting"]
    assert report["read"] == 13 and report["kept"] + sum(report["dropped"].values()) == 13


def test_duplicates_across_files_are_counted(dumps, tmp_path):
    overlap = write_zst(tmp_path / "RC_again.zst", COMMENTS[:4])
    lines = read([*dumps, overlap], workers=1).attrs["reddit"]["accounting"]
    assert lines["read"] == len(POSTS) + len(COMMENTS) + 4
    assert lines["kept"] + sum(lines["dropped"].values()) == lines["read"]
    assert lines["dropped"]["duplicate"] == 3  # c1, c2, c4 again (c3 is removed: no mention)


# ---------------------------------------------------------------- URLs, checkpoints, Dask


def wsb_comments(n_files, per_file=150):
    """Comment dicts from real r/wallstreetbets comment texts: each file a day, its share of the 19 that
    mention a theme among ``per_file`` that do not, in three subreddits (one unwanted)."""
    import ast
    from pathlib import Path

    posts = pd.read_csv(Path(__file__).parent / "data" / "reddit" / "reddit_wsb_hot_2024-07_AnnaDS.csv.gz")
    texts = [t for cell in posts["comments"].dropna() for t in ast.literal_eval(cell)]
    hits = [t for t in texts if any(theme.mentions(t) for theme in DEFAULT_THEMES)]
    others = [t for t in texts if t not in hits]
    files = []
    for f in range(n_files):
        chunk = hits[f::n_files] + others[f * per_file : (f + 1) * per_file]
        files.append([comment(f"w{f}_{i}", ["wallstreetbets", "stocks", "pics"][i % 7 // 3], f"user{i % 40}",
                              DAY1 + f * 86400 + i * 60, text, score=i % 17 - 3) for i, text in enumerate(chunk)])
    return files


@pytest.fixture
def wsb_dumps(tmp_path):
    return [write_zst(tmp_path / f"RC_wsb_{i}.zst", items) for i, items in enumerate(wsb_comments(3))]


def test_urls_are_read_through_fsspec(dumps, wsb_dumps):
    fsspec = pytest.importorskip("fsspec")
    memory = fsspec.filesystem("memory")
    urls = []
    for path in [*dumps, *wsb_dumps]:
        memory.pipe(f"/archives/{path.name}", path.read_bytes())
        urls.append(f"memory://archives/{path.name}")
    local = read([*dumps, *wsb_dumps], workers=1)
    pd.testing.assert_frame_equal(read(urls, workers=1), local)
    pd.testing.assert_frame_equal(read([f"file://{p}" for p in [*dumps, *wsb_dumps]], workers=1), local)
    with pytest.raises(DataError, match="no such file"):
        read(["memory://archives/RC_1999-01.zst"])
    pd.testing.assert_frame_equal(read(["memory://archives/R[CS]_2024-*.zst"], workers=1),
                                  read([u for u in urls if "wsb" not in u], workers=1))
    pd.testing.assert_frame_equal(read([str(dumps[0].parent / "R?_2024-06.zst")], workers=1),
                                  read(list(dumps), workers=1))
    with pytest.raises(DataError, match="no file matches"):
        read(["memory://archives/RC_1999-*.zst"])


def test_checkpoint_resumes_without_rescanning(dumps, wsb_dumps, tmp_path, monkeypatch):
    pytest.importorskip("pyarrow")
    paths = [*dumps, *wsb_dumps]
    fresh = read(paths, workers=1)

    class Interrupted(Exception):
        pass

    real_scan, scanned = archives._scan, []

    def scan_then_stop(source, *args):  # the job is stopped while it reads the third file
        scanned.append(source)
        if len(scanned) == 3:
            raise Interrupted
        return real_scan(source, *args)

    folder = tmp_path / "checkpoint"
    monkeypatch.setattr(archives, "_scan", scan_then_stop)
    with pytest.raises(Interrupted):
        read(paths, workers=1, checkpoint=folder)
    saved = 2  # the files finished before the stop
    assert len(list(folder.glob("*.parquet"))) == saved
    scanned.clear()
    monkeypatch.setattr(archives, "_scan", lambda source, *a: scanned.append(source) or real_scan(source, *a))
    resumed = read(paths, workers=1, checkpoint=folder)
    pd.testing.assert_frame_equal(resumed, fresh)
    assert len(scanned) == len(paths) - saved and resumed.attrs["reddit"]["resumed"] == saved
    assert resumed.attrs["reddit"]["accounting"] == fresh.attrs["reddit"]["accounting"]
    scanned.clear()
    again = read(paths, workers=1, checkpoint=folder)
    pd.testing.assert_frame_equal(again, fresh)
    assert scanned == []
    changed = read(paths, workers=1, checkpoint=folder, start="2024-06-04")  # other options: scanned afresh
    assert len(scanned) == len(paths) and not changed.equals(fresh)
    scanned.clear()
    for kept in folder.glob("*.parquet"):  # a damaged checkpoint file is scanned again, not trusted
        kept.write_bytes(b"PAR1 not parquet")
    pd.testing.assert_frame_equal(read(paths, workers=1, checkpoint=folder), fresh)
    assert len(scanned) == len(paths)


@pytest.fixture(scope="module")
def threads_client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        yield client


def test_cluster_equals_serial(dumps, wsb_dumps, threads_client):
    pytest.importorskip("vaderSentiment")
    paths = [*dumps, *wsb_dumps]
    serial = read(paths, workers=1, scorer=None)
    on_cluster = read(paths, client=threads_client, scorer=None)
    pd.testing.assert_frame_equal(on_cluster, serial, check_exact=True)
    assert on_cluster.attrs["reddit"] == serial.attrs["reddit"]
    assert serial["value"][serial["metric"] == "mentions"].sum() > 20


@pytest.mark.filterwarnings("ignore:skipped 1 malformed line")
def test_collect_reddit_archive_backend_and_cli(dumps, threads_client, tmp_path, capsys):
    from attention.cli import main
    from attention.collectors import collect_reddit

    obs = collect_reddit(backend="archive", archives=list(dumps), client=threads_client, scorer=StubScorer())
    assert counts(obs) == EXPECTED
    with pytest.raises(DataError, match="archives"):
        collect_reddit(backend="archive")
    with pytest.raises(DataError, match="client"):
        collect_reddit(client=threads_client)
    out = tmp_path / "obs.csv"
    main(["collect", "reddit", "--archives", *map(str, dumps), "--scheduler", threads_client.scheduler.address,
          "--out", str(out), "--no-progress"])
    printed = capsys.readouterr().out
    assert "2 file(s)" in printed and "1 malformed" in printed
    assert len(pd.read_csv(out)) == len(obs)


@pytest.mark.filterwarnings("ignore:skipped 1 malformed line")
def test_a_corrupt_file_fails_alone(dumps, tmp_path, threads_client):
    good = write_zst(tmp_path / "good.zst", POSTS * 50).read_bytes()
    corrupt = tmp_path / "RS_corrupt.zst"
    corrupt.write_bytes(good[:12] + bytes(len(good)))
    with pytest.raises(DataError, match="corrupt"):
        read([*dumps, corrupt], workers=1)
    with pytest.warns(AttentionWarning, match="1 of 3 Reddit archive.*RS_corrupt.zst.*corrupt"):
        obs = read_reddit_archives([*dumps, corrupt], client=threads_client, scorer=StubScorer())
    assert counts(obs) == EXPECTED
    assert list(obs.attrs["reddit"]["failed"]) == [str(corrupt)]
    assert "corrupt zstd data" in obs.attrs["reddit"]["failed"][str(corrupt)]
    with pytest.raises(DataError, match="every file failed.*corrupt"):
        read_reddit_archives([corrupt], client=threads_client, scorer=StubScorer())


def test_client_arguments(dumps, threads_client):
    with pytest.raises(DataError, match="client"):
        read(list(dumps), client="tcp://localhost:8786")
    with pytest.raises(DataError, match="workers"):
        read(list(dumps), client=threads_client, workers=2)


class KillsItsWorkerOnce(Theme):
    """A theme whose first look at a line, in any process, ends that process, as a lost machine would:
    the worker dies while it is reading a file (the marker file says it happened)."""

    def mentions(self, text):
        import os

        try:
            with open(os.environ["ATTENTION_TEST_KILL_MARKER"], "x"):
                pass
        except FileExistsError:
            return super().mentions(text)
        os._exit(1)


def test_a_worker_killed_mid_file_is_retried_exactly(dumps, wsb_dumps, tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    # Worker processes start from this process's sys.path and must import this module to unpickle the theme
    # class; pytest imports test modules by path, so put the repository root on the path.
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1]))
    paths = [*dumps, *wsb_dumps]
    serial = read(paths, workers=1)
    marker = tmp_path / "killed"
    monkeypatch.setenv("ATTENTION_TEST_KILL_MARKER", str(marker))  # inherited by the worker processes
    themes = [KillsItsWorkerOnce(**{f.name: getattr(t, f.name) for f in dataclasses.fields(t) if f.init})
              for t in DEFAULT_THEMES]  # the same themes in every respect but the kill
    # Two worker processes: when one dies, the scheduler reruns its file on the other (whether or not the
    # dead one's nanny manages to start a replacement, which is racy on a small machine).
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  worker_class=distributed.Nanny) as cluster, distributed.Client(cluster) as client:
        obs = read(paths, client=client, themes=themes)
    assert marker.exists()  # a worker did die
    pd.testing.assert_frame_equal(obs, serial, check_exact=True)
    report = obs.attrs["reddit"]
    assert report["failed"] == {} and report["accounting"] == serial.attrs["reddit"]["accounting"]
