"""The tidy observation frame every collector returns.

One row is one observation of one metric for one term from one source in one
period:

======  ========================  ==============================================
column  dtype                     meaning
======  ========================  ==============================================
date    datetime64[ns, UTC]       period start (Google weeks start on Sunday)
source  category                  ``google_trends``, ``reddit``, ``prices``, ...
term    str                       theme or query as the user named it
metric  str                       ``search_interest``, ``mentions``, ...
value   float64                   NaN where the source said "no data" (never 0)
flags   str                       e.g. ``partial``; several joined by ``|``
======  ========================  ==============================================

:func:`validate_observations` checks and coerces a frame to this schema and
:func:`to_wide` turns it into one column per term for analysis.
"""

from __future__ import annotations

import pandas as pd

from .errors import DataError

__all__ = ["OBSERVATION_COLUMNS", "to_wide", "validate_observations"]

#: Column order of the tidy observation frame.
OBSERVATION_COLUMNS = ("date", "source", "term", "metric", "value", "flags")
_KEY = ["date", "source", "term", "metric"]


def validate_observations(frame: pd.DataFrame) -> pd.DataFrame:
    """Check ``frame`` against the observation schema and return a coerced copy.

    Parameters
    ----------
    frame : DataFrame
        Must hold the columns of :data:`OBSERVATION_COLUMNS`; ``flags`` may be
        missing and is then filled with empty strings. Naive dates are taken
        as UTC.

    Returns
    -------
    DataFrame
        Columns in schema order and dtype, sorted by source, term, metric, date.

    Raises
    ------
    DataError
        If a column is missing, a value cannot be coerced, or a
        (date, source, term, metric) key appears twice.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"date": ["2024-01-14", "2024-01-07"], "source": "google_trends",
    ...                     "term": "small caps", "metric": "search_interest", "value": [80, 100]})
    >>> obs = validate_observations(raw)
    >>> obs[["date", "value", "flags"]]  # doctest: +NORMALIZE_WHITESPACE
                           date  value flags
    0 2024-01-07 00:00:00+00:00  100.0
    1 2024-01-14 00:00:00+00:00   80.0
    >>> validate_observations(raw.drop(columns="metric"))
    Traceback (most recent call last):
    attention.errors.DataError: frame: missing column(s) ['metric']; expected ['date', 'source', 'term', 'metric', 'value', 'flags']
    """
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"frame: expected a DataFrame, got {type(frame).__name__}")
    out = frame.copy()
    if "flags" not in out:
        out["flags"] = ""
    missing = [c for c in OBSERVATION_COLUMNS if c not in out]
    if missing:
        raise DataError(f"frame: missing column(s) {missing}; expected {list(OBSERVATION_COLUMNS)}")
    try:
        dates = pd.to_datetime(out["date"])
    except (TypeError, ValueError) as exc:
        raise DataError(f"frame['date']: expected dates ({exc})") from None
    if dates.isna().any():
        raise DataError(f"frame['date']: {int(dates.isna().sum())} missing date(s)")
    if out["source"].isna().any():
        raise DataError(f"frame['source']: {int(out['source'].isna().sum())} missing source(s)")
    out["date"] = dates.dt.tz_localize("UTC") if dates.dt.tz is None else dates.dt.tz_convert("UTC")
    out["date"] = out["date"].astype("datetime64[ns, UTC]")
    try:
        out["value"] = pd.to_numeric(out["value"], errors="raise").astype("float64")
    except (TypeError, ValueError) as exc:
        raise DataError(f"frame['value']: expected numbers ({exc})") from None
    for col in ("term", "metric"):
        if out[col].isna().any() or (out[col].astype(str).str.len() == 0).any():
            raise DataError(f"frame[{col!r}]: empty or missing names are not allowed")
        out[col] = out[col].astype(str)
    out["source"] = out["source"].astype(str).astype("category")
    out["flags"] = out["flags"].fillna("").astype(str)
    dup = out.duplicated(_KEY)
    if dup.any():
        first = out.loc[dup, _KEY].iloc[0].to_dict()
        raise DataError(f"frame: {int(dup.sum())} duplicate observation key(s), first {first}")
    out = out[list(OBSERVATION_COLUMNS)].sort_values(["source", "term", "metric", "date"])
    return out.reset_index(drop=True)


def to_wide(frame: pd.DataFrame, metric: str | None = None, source: str | None = None) -> pd.DataFrame:
    """Pivot tidy observations to one column per term, indexed by date.

    Parameters
    ----------
    frame : DataFrame
        Tidy observations (validated here).
    metric, source : str, optional
        Select one metric and/or source. Required when the frame holds more
        than one, so that different quantities never share a table silently.

    Returns
    -------
    DataFrame
        One column per term, one row per date, values as observed (NaN where missing).

    Raises
    ------
    DataError
        If the selection is empty or still mixes metrics or sources.

    Examples
    --------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"date": ["2024-01-07", "2024-01-07", "2024-01-14", "2024-01-14"],
    ...                     "source": "google_trends", "term": ["small caps", "AI stocks"] * 2,
    ...                     "metric": "search_interest", "value": [40, 100, 55, 90]})
    >>> to_wide(obs)  # doctest: +NORMALIZE_WHITESPACE
                               AI stocks  small caps
    date
    2024-01-07 00:00:00+00:00      100.0        40.0
    2024-01-14 00:00:00+00:00       90.0        55.0
    """
    obs = validate_observations(frame)
    for col, want in (("metric", metric), ("source", source)):
        if want is not None:
            obs = obs[obs[col] == want]
            if obs.empty:
                raise DataError(f"{col}: no observations with {col} == {want!r}")
        elif obs[col].nunique() > 1:
            raise DataError(
                f"{col}: the frame mixes {sorted(obs[col].unique().astype(str))}; pass {col}= to pick one"
            )
    wide = obs.pivot(index="date", columns="term", values="value")
    wide.columns.name = None
    return wide
