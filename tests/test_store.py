"""attention.store: responses and observations survive crashes and are never duplicated."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from attention.errors import DataError, MissingDependencyError
from attention.schema import validate_observations
from attention.store import DEFAULT_STORE_ENV, Store, default_store_path

BODY = ")]}',\n{\"default\": {\"timelineData\": [{\"formattedTime\": \"Jan\u2009\u2013\u2009Feb 2024\"}]}}"
REQUEST = {"q": "debt", "geo": "US", "time": "2004-01-01 2024-01-01"}


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.sqlite") as s:
        yield s


def _obs(values=(1.0, np.nan, 0.0), term="debt", source="google_trends", flags=("", "partial", "")):
    n = len(values)
    return pd.DataFrame(
        {
            "date": pd.date_range("2024-01-07", periods=n, freq="W-SUN"),
            "source": [source] * n,
            "term": [term] * n,
            "metric": ["search_interest"] * n,
            "value": list(values),
            "flags": list(flags)[:n],
        }
    )


# -- responses ------------------------------------------------------------------


def test_response_round_trip_is_exact(store):
    before = pd.Timestamp.now(tz="UTC")
    store.put_response("trends:debt", source="google_trends", request=REQUEST, status=200, body=BODY)
    got = store.get_response("trends:debt")
    assert got["body"] == BODY
    assert got["request"] == REQUEST
    assert (got["key"], got["source"], got["status"]) == ("trends:debt", "google_trends", 200)
    fetched = got["fetched_at"]
    assert isinstance(fetched, pd.Timestamp) and str(fetched.tz) == "UTC"
    assert before - pd.Timedelta(seconds=1) <= fetched <= pd.Timestamp.now(tz="UTC")


def test_has_response_keys_and_replace(store):
    assert not store.has_response("a") and store.get_response("a") is None
    store.put_response("a", source="google_trends", request={}, status=200, body="1")
    store.put_response("b", source="reddit", request={"sub": "wsb"}, status=429, body="")
    store.put_response("a", source="google_trends", request={}, status=200, body="2")
    assert store.has_response("a") and store.get_response("a")["body"] == "2"
    assert store.response_keys() == {"a", "b"}
    assert store.response_keys("reddit") == {"b"}
    assert store.response_keys("nope") == set()


def test_request_is_stored_as_canonical_json(store):
    store.put_response("k", source="s", request={"b": 1, "a": "\u2013"}, status=200, body="")
    raw = sqlite3.connect(store.path).execute("SELECT request FROM responses").fetchone()[0]
    assert raw == '{"a": "\u2013", "b": 1}'


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"key": ""}, "key"),
        ({"key": 3}, "key"),
        ({"source": ""}, "source"),
        ({"request": "q=debt"}, "request"),
        ({"request": {"when": pd.Timestamp("2024-01-01")}}, "request"),
        ({"status": "200"}, "status"),
        ({"status": True}, "status"),
        ({"body": b"bytes"}, "body"),
    ],
)
def test_bad_response_arguments_name_the_argument(store, kwargs, name):
    args = {"key": "k", "source": "s", "request": {}, "status": 200, "body": ""} | kwargs
    key = args.pop("key")
    with pytest.raises(DataError, match=rf"^{name}:"):
        store.put_response(key, **args)
    assert store.response_keys() == set()


def test_response_survives_an_unclosed_store(tmp_path):
    path = tmp_path / "crash.sqlite"
    writer = Store(path)  # deliberately never closed before reading
    writer.put_response("k", source="google_trends", request=REQUEST, status=200, body=BODY)
    with Store(path) as reader:
        assert reader.get_response("k")["body"] == BODY
    writer.close()


def test_response_survives_a_killed_process(tmp_path):
    path = tmp_path / "killed.sqlite"
    script = textwrap.dedent(
        f"""
        import os
        from attention.store import Store
        store = Store({str(path)!r})
        store.put_response("k", source="google_trends", request={REQUEST!r}, status=200, body={BODY!r})
        os._exit(1)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    with Store(path) as store:
        got = store.get_response("k")
    assert got["body"] == BODY and got["request"] == REQUEST


# -- observations ---------------------------------------------------------------


def test_observations_round_trip_equals_validated_input(store):
    frame = pd.concat([_obs(), _obs((5.0, 6.0, np.nan), term="crash"), _obs((3.0,), source="reddit")])
    frame["date"] = frame["date"] + pd.Timedelta(nanoseconds=1)  # full precision survives
    assert store.put_observations(frame) == 7
    got = store.observations()
    pd.testing.assert_frame_equal(got, validate_observations(frame))
    assert got["value"].isna().sum() == 2  # NaN stays NaN, never 0
    assert (got["value"] == 0).sum() == 1


def test_observations_filters(store):
    store.put_observations(pd.concat([_obs(), _obs(term="crash"), _obs((3.0,), source="reddit")]))
    assert set(store.observations(term="crash")["term"]) == {"crash"}
    reddit = store.observations(source="reddit")
    pd.testing.assert_frame_equal(reddit, validate_observations(_obs((3.0,), source="reddit")))
    assert store.observations(metric="mentions").empty


def test_empty_store_gives_empty_schema_frame(store):
    got = store.observations()
    assert got.empty
    pd.testing.assert_frame_equal(got, validate_observations(_obs().iloc[:0]))


def test_reputting_replaces_instead_of_duplicating(store):
    store.put_observations(_obs())
    store.put_observations(_obs())
    assert len(store.observations()) == 3
    store.put_observations(_obs((7.0, 8.0, 9.0), flags=("revised",) * 3))
    got = store.observations()
    assert got["value"].tolist() == [7.0, 8.0, 9.0] and set(got["flags"]) == {"revised"}


def test_runs_are_kept_apart_and_never_mixed_silently(store):
    store.put_observations(_obs((1.0, 2.0, 3.0)), run="2024-05-01")
    store.put_observations(_obs((4.0, 5.0, 6.0)), run="2024-06-01")
    store.put_observations(_obs((9.0,), source="reddit"), run="2024-06-01")
    assert store.runs() == ["2024-05-01", "2024-06-01"]
    with pytest.raises(DataError, match=r"^run:.*2024-05-01.*2024-06-01"):
        store.observations()
    assert store.observations(run="2024-05-01")["value"].tolist() == [1.0, 2.0, 3.0]
    assert store.observations(run="2024-06-01", source="google_trends")["value"].tolist() == [4.0, 5.0, 6.0]
    # Only one run has reddit rows, so no choice is needed there.
    assert store.observations(source="reddit")["value"].tolist() == [9.0]


def test_bad_observation_arguments(store):
    with pytest.raises(DataError, match=r"^run:"):
        store.put_observations(_obs(), run=None)
    with pytest.raises(DataError, match=r"missing column"):
        store.put_observations(_obs().drop(columns="value"))
    with pytest.raises(DataError, match=r"^term:"):
        store.observations(term=["debt"])
    assert store.runs() == []


def test_a_failed_write_writes_nothing(store):
    store.put_observations(_obs((1.0, 2.0, 3.0)))
    frame = _obs((7.0, 8.0, 9.0)).astype({"value": object})
    frame.loc[2, "value"] = "oops"
    with pytest.raises(DataError):
        store.put_observations(frame)
    # A failure half way through the batch rolls back the rows already sent.
    store._db.execute(
        "CREATE TEMP TRIGGER boom BEFORE UPDATE ON observations WHEN NEW.value = 8"
        " BEGIN SELECT RAISE(ABORT, 'boom'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="boom"):
        store.put_observations(_obs((7.0, 8.0, 9.0)))
    assert store.observations()["value"].tolist() == [1.0, 2.0, 3.0]
    assert not store._db.in_transaction


# -- location, files, lifecycle -------------------------------------------------


def test_default_path_honours_env(tmp_path, monkeypatch):
    target = tmp_path / "deep" / "folder" / "mine.sqlite"
    monkeypatch.setenv(DEFAULT_STORE_ENV, str(target))
    assert default_store_path() == target
    with Store() as store:
        assert store.path == target
    assert target.exists()


def test_default_path_without_env_is_user_data_dir(monkeypatch):
    monkeypatch.delenv(DEFAULT_STORE_ENV, raising=False)
    path = default_store_path()
    assert path.name == "attention.sqlite" and "market-attention" in str(path)


def test_non_sqlite_file_is_a_data_error(tmp_path):
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("this is not a database, just some text that is long enough " * 20)
    with pytest.raises(DataError, match="not a SQLite database") as info:
        Store(bogus)
    assert isinstance(info.value.__cause__, sqlite3.DatabaseError)


def test_foreign_sqlite_file_is_refused(tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE things (x)")
    with pytest.raises(DataError, match="not a market-attention store"):
        Store(other)


@pytest.mark.parametrize("bad", ["", 42])
def test_bad_path_is_a_data_error(bad):
    with pytest.raises(DataError, match=r"^path:"):
        Store(bad)


def test_wal_mode_and_reopen(tmp_path):
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        store.put_observations(_obs())
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(path) as store:
        assert len(store.observations()) == 3


def test_memory_store_and_closing():
    store = Store(":memory:")
    assert store.path == ":memory:"
    store.put_response("k", source="s", request={}, status=200, body="x")
    store.close()
    store.close()
    assert "closed" in repr(store)
    with pytest.raises(DataError, match="closed"):
        store.has_response("k")


def test_summary_counts_and_hides_requests(store):
    secret = "sk-very-secret-token"
    store.put_response("a", source="reddit", request={"token": secret}, status=200, body=secret)
    store.put_observations(_obs(), run="r1")
    text = store.summary()
    assert str(store.path) in text and "reddit: 1" in text and "google_trends / debt: 3" in text
    assert secret not in text and secret not in repr(store)
    assert "responses=1" in repr(store) and "observations=3" in repr(store)


# -- parquet --------------------------------------------------------------------


def test_to_parquet_without_pyarrow(store, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes `import pyarrow` fail
    store.put_observations(_obs())
    with pytest.raises(MissingDependencyError, match=r"market-attention\[parquet\]"):
        store.to_parquet(tmp_path / "o.parquet")


def test_to_parquet_round_trip(store, tmp_path):
    pytest.importorskip("pyarrow")
    store.put_observations(pd.concat([_obs(), _obs(term="crash")]), run="r1")
    store.put_observations(_obs((2.0,)), run="r2")
    out = store.to_parquet(tmp_path / "sub" / "o.parquet", run="r1", term="crash")
    back = pd.read_parquet(out)
    pd.testing.assert_frame_equal(validate_observations(back), store.observations(run="r1", term="crash"))
    assert back["value"].isna().sum() == 1
