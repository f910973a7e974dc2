"""`attention collect trends` end to end against the offline fake of Google."""

import json

import pytest

from attention.cli import main
from attention.collectors import Politeness, google_trends
from attention.store import Store
from attention.testing import FakeGoogleTrends


@pytest.fixture
def fake(monkeypatch):
    fake = FakeGoogleTrends(today="2026-01-31", seed=4)
    real = google_trends.TrendsConnection
    quiet = Politeness(pace=0, sleep=lambda s: None)
    monkeypatch.setattr(google_trends, "TrendsConnection", lambda session, politeness: real(fake, quiet))
    return fake


def test_collect_trends_fetches_then_resumes_from_store(fake, tmp_path, capsys):
    store, out = tmp_path / "s.sqlite", tmp_path / "t.csv"
    args = ["collect", "trends", "--start", "2025-06-01", "--end", "2026-01-31", "--store", str(store),
            "--out", str(out), "--no-progress"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "answers fetched: 1, read from the store: 0, partial points skipped: 3" in text
    assert "3 term(s), 2025-06-01 to 2026-01-30" in text
    assert out.read_text().startswith("date,source,term,metric,value,flags")
    calls = len(fake.calls)
    assert main(args) == 0
    assert "answers fetched: 0, read from the store: 1" in capsys.readouterr().out
    assert len(fake.calls) == calls  # nothing sent on the rerun
    with Store(store) as s:
        assert set(s.observations()["term"]) == {"small-cap stocks", "AI stocks", "Magnificent Seven"}


def test_collect_trends_json(fake, capsys):
    assert main(["collect", "trends", "AI stocks", "--start", "2025-12-01", "--end", "2026-01-15",
                 "--no-store", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    values = [o for o in payload["observations"] if o["metric"] == "search_interest"]
    assert len(values) == 46 and max(o["value"] for o in values) == 100


def test_collect_trends_errors_are_one_line(fake, capsys):
    assert main(["collect", "trends", "--start", "2026-02-01", "--end", "2026-01-01", "--no-store"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("attention: error: start:") and err.count("\n") == 1
    assert main(["collect", "trends", "--no-store", "--out", "x.txt", "--start", "2025-12-01",
                 "--end", "2026-01-15"]) == 2
    assert "--out: expected a .csv or .parquet" in capsys.readouterr().err


def test_collect_reddit_from_archive_files(tmp_path, capsys):
    import zstandard

    day = 1767571200  # 2026-01-05 00:00 UTC
    lines = [
        {"id": "a1", "subreddit": "wallstreetbets", "author": "u1", "created_utc": day + 60, "score": 12,
         "title": "Small caps ripping, $IWM to the moon 🚀", "selftext": ""},
        {"id": "a2", "subreddit": "stocks", "author": "u2", "created_utc": day + 120, "score": 3,
         "title": "Mag 7 looks overvalued", "selftext": "[removed]"},
        {"id": "a3", "subreddit": "pics", "author": "u3", "created_utc": day + 180, "score": 99,
         "title": "small caps everywhere", "selftext": ""},
    ]
    path = tmp_path / "RS_2026-01.zst"
    params = zstandard.ZstdCompressionParameters.from_level(3, window_log=31)
    with open(path, "wb") as fh, zstandard.ZstdCompressor(compression_params=params).stream_writer(fh) as w:
        w.write("".join(json.dumps(x) + "\n" for x in lines).encode())
    out = tmp_path / "reddit.csv"
    assert main(["collect", "reddit", "--archives", str(path), "--out", str(out), "--no-progress"]) == 0
    text = capsys.readouterr().out
    assert "small-cap stocks: 1 mentions" in text and "Magnificent Seven: 1 mentions" in text  # r/pics is not read
    rows = out.read_text().splitlines()
    assert rows[0] == "date,source,term,metric,value,flags" and any(",sentiment," in r for r in rows)

    # --basket: a post naming the Magnificent Seven only by tickers counts too.
    with open(path, "ab") as fh, zstandard.ZstdCompressor(compression_params=params).stream_writer(fh) as w:
        w.write((json.dumps({"id": "a4", "subreddit": "stocks", "author": "u4", "created_utc": day + 240,
                             "score": 1, "title": "$MSFT $TSLA $GOOGL", "selftext": ""}) + "\n").encode())
    args = ["collect", "reddit", "Magnificent Seven", "--archives", str(path), "--out", str(out), "--no-progress"]
    assert main(args) == 0 and "Magnificent Seven: 1 mentions" in capsys.readouterr().out
    assert main([*args, "--basket"]) == 0 and "Magnificent Seven: 2 mentions" in capsys.readouterr().out
