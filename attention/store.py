"""A local SQLite store for raw responses and tidy observations.

Collecting attention data is slow and rate limited: Google Trends allows a few
requests a minute and a long collection can run for hours. Two rules follow,
and this module exists to keep them:

* **Never lose work.** Every raw response is committed the moment it arrives,
  in its own transaction, so a crash, a ``Ctrl-C`` or a killed process keeps
  everything fetched so far and a rerun resumes where it stopped. File
  databases run in WAL mode, which leaves a consistent file however the
  process dies.
* **Never fetch the same request twice.** Responses are keyed by a string the
  collector derives from its request; :meth:`Store.has_response` answers
  "already fetched?" before any network call.
* **Never keep a bad answer as good.** Given ``validate=``,
  :meth:`Store.put_response` parses the answer first and commits it as good
  only if the parser accepts it. An answer it refuses (a captcha page, an
  empty body, truncated JSON) is kept marked bad, for diagnosis
  (:meth:`Store.bad_responses`), is never served by :meth:`Store.get_response`
  or :meth:`Store.has_response`, and the next run asks again.

Parsed results go to an ``observations`` table in the tidy schema of
:mod:`attention.schema`, keyed by (date, source, term, metric, run) so that
writing the same rows again replaces them instead of duplicating them. The
``run`` label keeps separate collections (say, two download dates of the same
Google Trends query, which Google samples differently) apart.

>>> from attention.store import Store
>>> with Store(":memory:") as store:
...     store.put_response("trends:debt", source="demo", request={"q": "debt"}, status=200, body="{}")
...     store.has_response("trends:debt")
True
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sqlite3
from datetime import datetime, timezone
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar, overload

import pandas as pd

from ._typing import StrPath
from .errors import AttentionError, DataError, MissingDependencyError, UpstreamFormatError
from .schema import OBSERVATION_COLUMNS, validate_observations

__all__ = ["DEFAULT_STORE_ENV", "SCHEMA_VERSION", "Store", "default_store_path"]

#: Environment variable that overrides the default store location.
DEFAULT_STORE_ENV = "ATTENTION_STORE"
#: Version of the store's tables; a store written by a newer version is refused.
SCHEMA_VERSION = 2

_MEMORY = ":memory:"
_T = TypeVar("_T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS responses (
    key        TEXT PRIMARY KEY,
    source     TEXT NOT NULL,
    request    TEXT NOT NULL,
    status     INTEGER NOT NULL,
    body       TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    ok         INTEGER NOT NULL DEFAULT 1,
    problem    TEXT
);
CREATE INDEX IF NOT EXISTS responses_source ON responses (source);
CREATE TABLE IF NOT EXISTS observations (
    date   TEXT NOT NULL,
    source TEXT NOT NULL,
    term   TEXT NOT NULL,
    metric TEXT NOT NULL,
    run    TEXT NOT NULL,
    value  REAL,
    flags  TEXT NOT NULL,
    PRIMARY KEY (date, source, term, metric, run)
);
"""


def default_store_path() -> Path:
    """Return where :class:`Store` keeps its database when no path is given.

    Returns
    -------
    Path
        ``$ATTENTION_STORE`` if that variable is set and not empty, else
        ``attention.sqlite`` in the per-user data folder of
        ``market-attention`` (from :func:`platformdirs.user_data_dir`).

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"ATTENTION_STORE": "/data/trends.sqlite"}):
    ...     default_store_path().as_posix()
    '/data/trends.sqlite'
    """
    env = os.environ.get(DEFAULT_STORE_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs  # imported here: only needed when no path is configured

    return Path(platformdirs.user_data_dir("market-attention")) / "attention.sqlite"


class Store:
    """Raw responses and tidy observations in one SQLite file.

    Parameters
    ----------
    path : str or PathLike, optional
        Database file; created with its parent folders if missing. ``None``
        uses :func:`default_store_path`; ``":memory:"`` keeps everything in
        memory (for tests; nothing survives :meth:`close`).

    Raises
    ------
    DataError
        If ``path`` is not a path, cannot be opened, is not a SQLite
        database, or is a SQLite database that is not a market-attention store
        (or one written by a newer version).

    Notes
    -----
    A Store holds one connection and is meant for one thread. Several Stores
    (or processes) may open the same file; SQLite serialises their writes.

    Examples
    --------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"date": ["2024-01-07", "2024-01-14"], "source": "google_trends",
    ...                     "term": "small caps", "metric": "search_interest", "value": [100, 80]})
    >>> with Store(":memory:") as store:
    ...     store.put_observations(obs, run="2024-02-01")
    ...     store.observations(term="small caps")["value"].tolist()
    2
    [100.0, 80.0]
    """

    def __init__(self, path: StrPath | None = None) -> None:
        self._conn: sqlite3.Connection | None = None
        if path is None:
            path = default_store_path()
        if isinstance(path, str) and path == _MEMORY:
            self._path: Path | str = _MEMORY
        elif isinstance(path, (str, os.PathLike)) and os.fspath(path) != "":
            self._path = Path(path).expanduser()
            try:
                self._path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DataError(f"path: cannot create the folder for {self._path} ({exc})") from exc
        else:
            raise DataError(f"path: expected a file path or ':memory:', got {path!r}")
        self._conn = self._open()

    def _open(self) -> sqlite3.Connection:
        # The one place where SQLite's own errors about the file become DataError.
        conn = None
        try:
            # Autocommit mode: transactions are opened explicitly in _transaction(),
            # so exactly what each public method promises is committed together.
            conn = sqlite3.connect(self._path, isolation_level=None)
            if self._path != _MEMORY:
                # WAL keeps the file consistent if the process is killed mid-write.
                # synchronous stays at its default (FULL): a committed response must
                # survive a power cut too, and the writes are small.
                conn.execute("PRAGMA journal_mode=WAL")
            self._init_schema(conn)
        except sqlite3.OperationalError as exc:
            if conn is not None:
                conn.close()
            raise DataError(f"path: cannot open the SQLite database {self._path} ({exc})") from exc
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
            raise DataError(f"path: {self._path} exists but is not a SQLite database ({exc})") from exc
        except DataError:
            if conn is not None:
                conn.close()
            raise
        return conn

    def _init_schema(self, conn: sqlite3.Connection) -> None:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "meta" not in tables:
            # Someone else's database: adding our tables to it would be rude and confusing.
            raise DataError(
                f"path: {self._path} is a SQLite database but not a market-attention store "
                f"(it holds tables {sorted(tables)})"
            )
        if "meta" in tables:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise DataError(
                    f"path: {self._path} was written by a newer market-attention "
                    f"(store schema {version}, this version reads {SCHEMA_VERSION}); upgrade the package"
                )
        with _transaction(conn):
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            columns = {row[1] for row in conn.execute("PRAGMA table_info(responses)")}
            if "ok" not in columns:  # schema 1: every stored answer was taken as good
                conn.execute("ALTER TABLE responses ADD COLUMN ok INTEGER NOT NULL DEFAULT 1")
                conn.execute("ALTER TABLE responses ADD COLUMN problem TEXT")
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )

    @property
    def path(self) -> Path | str:
        """The database file, or ``":memory:"``."""
        return self._path

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise DataError(f"store: the Store at {self._path} is closed")
        return self._conn

    # -- raw responses ---------------------------------------------------------

    @overload
    def put_response(
        self, key: str, *, source: str, request: dict[str, Any], status: int, body: str, validate: None = None
    ) -> None: ...

    @overload
    def put_response(
        self, key: str, *, source: str, request: dict[str, Any], status: int, body: str,
        validate: Callable[[str], _T],
    ) -> _T: ...

    def put_response(
        self, key: str, *, source: str, request: dict[str, Any], status: int, body: str,
        validate: Callable[[str], _T] | None = None,
    ) -> _T | None:
        """Save one raw response, committed before this method returns.

        With ``validate``, the answer is parsed first and committed as good
        only if the parser accepts it; otherwise it is kept marked bad (see
        :meth:`bad_responses`), never served from the store, and the
        parser's error is raised.

        Parameters
        ----------
        key : str
            Identifies the request; a response already stored under ``key`` is
            replaced.
        source : str
            Data source name, e.g. ``"google_trends"``.
        request : dict
            What was asked, JSON-serialisable; stored as canonical JSON
            (sorted keys) so equal requests store equal text.
        status : int
            HTTP status (or the source's equivalent).
        body : str
            The response text exactly as received.
        validate : callable, optional
            ``validate(body)`` parses the answer and raises if it is not
            what was expected.

        Returns
        -------
        object
            ``validate(body)``, or ``None`` without ``validate``.

        Raises
        ------
        DataError
            If an argument has the wrong type, ``key`` or ``source`` is empty,
            or ``request`` is not JSON-serialisable.
        UpstreamFormatError
            If ``validate`` refuses the answer (an ``AttentionError`` it raises
            is raised as is; anything else is wrapped). The answer is then
            stored marked bad.

        Examples
        --------
        >>> import json
        >>> with Store(":memory:") as store:
        ...     try:
        ...         store.put_response("k", source="demo", request={}, status=200, body="<html>captcha",
        ...                            validate=json.loads)
        ...     except UpstreamFormatError:
        ...         pass
        ...     store.has_response("k"), len(store.bad_responses())
        (False, 1)
        """
        _check_name(key, "key")
        _check_name(source, "source")
        if not isinstance(request, dict):
            raise DataError(f"request: expected a dict, got {type(request).__name__}")
        try:
            request_json = json.dumps(request, sort_keys=True, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise DataError(f"request: must be JSON-serialisable ({exc})") from exc
        if isinstance(status, bool) or not isinstance(status, int):
            raise DataError(f"status: expected an int, got {status!r}")
        if not isinstance(body, str):
            raise DataError(f"body: expected str, got {type(body).__name__}")
        result: _T | None = None
        problem: str | None = None
        if validate is not None:
            try:
                result = validate(body)
            except AttentionError as exc:
                problem, error = f"{type(exc).__name__}: {exc}", exc
            except Exception as exc:  # a parser tripping on an unexpected shape: the answer is bad
                problem = f"{type(exc).__name__}: {exc}"
                error = UpstreamFormatError(f"{source}: the answer could not be read ({problem})", source=source)
                error.__cause__ = exc
        fetched_at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
        with _transaction(self._db) as db:
            db.execute(
                "INSERT OR REPLACE INTO responses (key, source, request, status, body, fetched_at, ok, problem)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (key, source, request_json, int(status), body, fetched_at, int(problem is None), problem),
            )
        if problem is not None:
            raise error
        return result

    def get_response(self, key: str) -> dict[str, Any] | None:
        """Return the good response stored under ``key``, or ``None``.

        An answer stored as bad is never returned: it must be asked again.

        Returns
        -------
        dict or None
            Keys ``key``, ``source``, ``request`` (decoded dict), ``status``,
            ``body`` and ``fetched_at`` (UTC :class:`pandas.Timestamp`).

        Raises
        ------
        DataError
            If ``key`` is not a non-empty string.
        """
        _check_name(key, "key")
        row = self._db.execute(
            f"SELECT {_RESPONSE_COLUMNS} FROM responses WHERE key = ? AND ok = 1", (key,)
        ).fetchone()
        return None if row is None else _response(row)

    def bad_responses(self, source: str | None = None) -> list[dict[str, Any]]:
        """Answers a parser refused, kept for diagnosis (never served as data).

        Returns
        -------
        list of dict
            As :meth:`get_response`, plus ``problem``: why the answer was refused.

        Raises
        ------
        DataError
            If ``source`` is given and is not a non-empty string.
        """
        where, params = "WHERE ok = 0", []
        if source is not None:
            _check_name(source, "source")
            where, params = "WHERE ok = 0 AND source = ?", [source]
        rows = self._db.execute(
            f"SELECT {_RESPONSE_COLUMNS}, problem FROM responses {where} ORDER BY fetched_at", params
        ).fetchall()
        return [{**_response(row), "problem": row[6]} for row in rows]

    def has_response(self, key: str) -> bool:
        """Whether a response is stored under ``key`` (ask before fetching).

        Raises
        ------
        DataError
            If ``key`` is not a non-empty string.
        """
        _check_name(key, "key")
        return self._db.execute("SELECT 1 FROM responses WHERE key = ? AND ok = 1", (key,)).fetchone() is not None

    def response_keys(self, source: str | None = None) -> set[str]:
        """Keys of the stored good responses, optionally of one source only.

        Raises
        ------
        DataError
            If ``source`` is given and is not a non-empty string.
        """
        if source is None:
            rows = self._db.execute("SELECT key FROM responses WHERE ok = 1")
        else:
            _check_name(source, "source")
            rows = self._db.execute("SELECT key FROM responses WHERE ok = 1 AND source = ?", (source,))
        return {row[0] for row in rows}

    # -- observations ----------------------------------------------------------

    def put_observations(self, frame: pd.DataFrame, *, run: str = "") -> int:
        """Write tidy observations, replacing rows that share their key.

        Parameters
        ----------
        frame : DataFrame
            Observations in the schema of :func:`attention.validate_observations`.
        run : str, default ""
            Label of the collection these rows belong to; the key is
            (date, source, term, metric, run).

        Returns
        -------
        int
            Number of rows written (all in one transaction).

        Raises
        ------
        DataError
            If ``frame`` fails validation or ``run`` is not a string.
        """
        if not isinstance(run, str):
            raise DataError(f"run: expected str, got {type(run).__name__}")
        obs = validate_observations(frame)
        rows = [
            (
                date.isoformat(),
                source,
                term,
                metric,
                run,
                # NULL, not 0: "no data" must stay distinguishable from a zero reading.
                None if math.isnan(value) else float(value),
                flags,
            )
            for date, source, term, metric, value, flags in zip(
                obs["date"], obs["source"].astype(str), obs["term"], obs["metric"], obs["value"], obs["flags"]
            )
        ]
        with _transaction(self._db) as db:
            db.executemany(
                "INSERT INTO observations (date, source, term, metric, run, value, flags)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (date, source, term, metric, run)"
                " DO UPDATE SET value = excluded.value, flags = excluded.flags",
                rows,
            )
        return len(rows)

    def runs(self) -> list[str]:
        """Sorted labels of the runs that have observations."""
        return [row[0] for row in self._db.execute("SELECT DISTINCT run FROM observations ORDER BY run")]

    def observations(
        self,
        *,
        source: str | None = None,
        term: str | None = None,
        metric: str | None = None,
        run: str | None = None,
    ) -> pd.DataFrame:
        """Read observations back as a tidy frame.

        Parameters
        ----------
        source, term, metric : str, optional
            Keep only rows with this value.
        run : str, optional
            The run to read. May be omitted only when the selected rows come
            from a single run, so that two collections are never mixed silently.

        Returns
        -------
        DataFrame
            Exactly the columns and dtypes of :func:`attention.validate_observations`
            (no ``run`` column); missing values are NaN. Empty if nothing matches.

        Raises
        ------
        DataError
            If a filter is not a string, or ``run`` is omitted and the selected
            rows span several runs (the message lists them).
        """
        filters = {"source": source, "term": term, "metric": metric}
        for name, value in filters.items():
            if value is not None and not isinstance(value, str):
                raise DataError(f"{name}: expected str or None, got {type(value).__name__}")
        if run is not None and not isinstance(run, str):
            raise DataError(f"run: expected str or None, got {type(run).__name__}")
        clauses = [f"{name} = ?" for name, value in filters.items() if value is not None]
        params = [value for value in filters.values() if value is not None]
        if run is None:
            where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
            found = [r[0] for r in self._db.execute(f"SELECT DISTINCT run FROM observations{where}", params)]
            if len(found) > 1:
                raise DataError(
                    f"run: the selected observations come from {len(found)} runs {sorted(found)}; "
                    "pass run= to choose one (Store.runs() lists them)"
                )
        else:
            clauses.append("run = ?")
            params.append(run)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._db.execute(
            f"SELECT date, source, term, metric, value, flags FROM observations{where}", params
        ).fetchall()
        frame = pd.DataFrame(rows, columns=list(OBSERVATION_COLUMNS))
        # Stored timestamps carry nanoseconds only when needed, so the format varies.
        frame["date"] = pd.to_datetime(frame["date"], utc=True, format="ISO8601")
        frame["value"] = pd.to_numeric(frame["value"]).astype("float64")
        return validate_observations(frame)

    def to_parquet(
        self,
        path: StrPath,
        *,
        source: str | None = None,
        term: str | None = None,
        metric: str | None = None,
        run: str | None = None,
    ) -> Path:
        """Write :meth:`observations` (same filters) to a Parquet file.

        Returns
        -------
        Path
            The file written.

        Raises
        ------
        MissingDependencyError
            If ``pyarrow`` is not installed.
        DataError
            As :meth:`observations`, or if ``path`` is not a path.
        """
        try:
            import pyarrow  # noqa: F401  (checked before any work so the error is clear)
        except ImportError as exc:
            raise MissingDependencyError(
                "to_parquet needs pyarrow; install it with: pip install 'market-attention[parquet]'"
            ) from exc
        if not isinstance(path, (str, os.PathLike)) or os.fspath(path) == "":
            raise DataError(f"path: expected a file path, got {path!r}")
        frame = self.observations(source=source, term=term, metric=metric, run=run)
        out = Path(path).expanduser()
        out.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(out, engine="pyarrow", index=False)
        return out

    # -- housekeeping ----------------------------------------------------------

    def summary(self) -> str:
        """Describe the store: where it is and what it holds.

        Only counts are shown: requests and bodies may embed credentials, so
        they are never printed.
        """
        if self._conn is None:
            return f"market-attention store at {self._path} (closed)"
        db = self._conn
        lines = [f"market-attention store at {self._path}"]
        by_source = db.execute(
            "SELECT source, COUNT(*), SUM(ok = 0) FROM responses GROUP BY source ORDER BY source"
        ).fetchall()
        lines.append(f"responses: {sum(n - bad for _, n, bad in by_source)}")
        lines += [f"  {source}: {n - bad}" + (f" (and {bad} refused as bad)" if bad else "")
                  for source, n, bad in by_source]
        by_term = db.execute(
            "SELECT source, term, COUNT(*) FROM observations GROUP BY source, term ORDER BY source, term"
        ).fetchall()
        runs = self.runs()
        run_note = f" in {len(runs)} run(s) {runs}" if runs else ""
        lines.append(f"observations: {sum(n for *_, n in by_term)}{run_note}")
        lines += [f"  {source} / {term}: {n}" for source, term, n in by_term]
        return "\n".join(lines)

    def __repr__(self) -> str:
        if self._conn is None:
            return f"Store({str(self._path)!r}, closed)"
        n_resp = self._conn.execute("SELECT COUNT(*) FROM responses WHERE ok = 1").fetchone()[0]
        n_obs = self._conn.execute("SELECT COUNT(*) FROM observations").fetchone()[0]
        return f"Store({str(self._path)!r}, responses={n_resp}, observations={n_obs})"

    def close(self) -> None:
        """Close the connection; calling it again does nothing."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


_RESPONSE_COLUMNS = "key, source, request, status, body, fetched_at"


@contextlib.contextmanager
def _opened(store: Store | StrPath | None) -> Iterator[Store | None]:
    """``store`` as a :class:`Store` for a ``with`` block, as every collector takes it.

    A path is opened here and closed when the block ends, even on error; a
    Store (or None) is used as given and left open, as its owner may go on
    using it.
    """
    if store is None or isinstance(store, Store):
        yield store
        return
    opened = Store(store)
    try:
        yield opened
    finally:
        opened.close()


def _response(row: tuple[Any, ...]) -> dict[str, Any]:
    return {
        "key": row[0],
        "source": row[1],
        "request": json.loads(row[2]),
        "status": row[3],
        "body": row[4],
        "fetched_at": pd.Timestamp(row[5]).tz_convert("UTC"),
    }


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    # IMMEDIATE takes the write lock up front, so a concurrent writer makes us
    # wait (up to the connection timeout) instead of failing halfway through.
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        # SQLite may already have rolled back on its own (e.g. disk full).
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _check_name(value: object, name: str) -> None:
    if not isinstance(value, str) or value == "":
        raise DataError(f"{name}: expected a non-empty string, got {value!r}")
