"""Input checks shared by the analysis modules.

Every public function funnels its series through these helpers so that bad
input fails early with a :class:`~attention.errors.DataError` that names the
argument, instead of a traceback from deep inside pandas or numpy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import DataError


def as_series(x, name: str, *, min_obs: int = 1) -> pd.Series:
    """Return ``x`` as a float Series on a sorted, unique DatetimeIndex."""
    if isinstance(x, pd.DataFrame):
        if x.shape[1] != 1:
            raise DataError(
                f"{name}: expected a Series or a one-column DataFrame, got {x.shape[1]} columns"
            )
        x = x.iloc[:, 0]
    if not isinstance(x, pd.Series):
        raise DataError(f"{name}: expected a pandas Series with a DatetimeIndex, got {type(x).__name__}")
    if not isinstance(x.index, pd.DatetimeIndex):
        x = x.set_axis(as_datetime_index(x.index, name))
    if x.index.has_duplicates:
        dup = x.index[x.index.duplicated()][0]
        raise DataError(f"{name}: the index has duplicate dates (first: {dup.date()})")
    if not (pd.api.types.is_numeric_dtype(x.dtype) or x.dtype == object):
        raise DataError(f"{name}: expected numeric values, got dtype {x.dtype}")
    if pd.api.types.is_bool_dtype(x.dtype):
        raise DataError(f"{name}: expected numeric values, got booleans")
    try:
        values = pd.to_numeric(x, errors="raise").astype("float64")
    except (TypeError, ValueError) as exc:
        raise DataError(f"{name}: expected numeric values ({exc})") from None
    values = values.replace([np.inf, -np.inf], np.nan).sort_index()
    # yfinance columns are (field, ticker) tuples; the ticker is the useful label.
    label = x.name[-1] if isinstance(x.name, tuple) else x.name
    values.name = label if label is not None else name
    n = int(values.notna().sum())
    if len(values) == 0:
        raise DataError(f"{name}: the series is empty")
    if n == 0:
        raise DataError(f"{name}: every value is NaN")
    if n < min_obs:
        raise DataError(f"{name}: needs at least {min_obs} non-missing observations, got {n}")
    return values


def as_datetime_index(index: pd.Index, name: str) -> pd.DatetimeIndex:
    """``index`` as a DatetimeIndex where its meaning is clear, else a DataError naming ``name``.

    A DatetimeIndex is returned as is; a PeriodIndex (what ``resample`` and
    ``to_period`` give) becomes the start of each period, which is how this
    library labels periods (a Google week by its Sunday); ISO 8601 date
    strings ("2026-01-05", "2026-01-05 14:30") are parsed. Anything else -
    integers, "01/02/2026" (January or February?) - is refused.
    """
    if isinstance(index, pd.DatetimeIndex):
        return index
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp(how="start")
    if len(index) and (index.dtype == object or pd.api.types.is_string_dtype(index.dtype)) and all(
        isinstance(v, str) for v in index
    ):
        try:
            return pd.DatetimeIndex(pd.to_datetime(index, format="ISO8601"))
        except (TypeError, ValueError):
            raise DataError(
                f"{name}: the index holds strings that are not ISO 8601 dates (first: {index[0]!r}); "
                "expected a DatetimeIndex, a PeriodIndex or dates written like '2026-01-05'"
            ) from None
    raise DataError(f"{name}: expected a DatetimeIndex (or a PeriodIndex, or ISO date strings), "
                    f"got {type(index).__name__}")


def as_frame(x, name: str) -> pd.DataFrame:
    """Return ``x`` as a float DataFrame on a sorted, unique DatetimeIndex."""
    if isinstance(x, pd.Series):
        return as_series(x, name).to_frame()
    if not isinstance(x, pd.DataFrame):
        raise DataError(f"{name}: expected a pandas Series or DataFrame, got {type(x).__name__}")
    if x.shape[1] == 0:
        raise DataError(f"{name}: the DataFrame has no columns")
    cols = {c: as_series(x[c], f"{name}[{c!r}]") for c in x.columns}
    return pd.DataFrame(cols)


def naive_utc(x):
    """Observations carry UTC-aware dates, market data usually naive ones; compare them as naive UTC."""
    if isinstance(x.index, pd.DatetimeIndex) and x.index.tz is not None:
        x = x.copy()
        x.index = x.index.tz_convert("UTC").tz_localize(None)
    return x


def align(series: dict[str, pd.Series], *, min_obs: int, why: str = "") -> pd.DataFrame:
    """Inner-join named series on their dates, drop rows with any NaN, check length.

    Raises a DataError naming the arguments when they share too few dates, which
    is what misaligned indexes (daily against weekly, wrong week anchor) produce.
    """
    series = {k: naive_utc(s) for k, s in series.items()}
    frame = pd.concat(series, axis=1, join="inner").dropna()
    if len(frame) < min_obs:
        names = ", ".join(series)
        spans = "; ".join(
            f"{k}: {s.first_valid_index():%Y-%m-%d}..{s.last_valid_index():%Y-%m-%d} ({s.notna().sum()} obs)"
            for k, s in series.items()
        )
        raise DataError(
            f"{names}: only {len(frame)} dates have every series present, need at least {min_obs}"
            f"{' ' + why if why else ''}. Check that the indexes share dates and frequency ({spans})."
        )
    return frame


def utc_day(value, name: str) -> pd.Timestamp:
    """A date argument as a naive UTC midnight; DataError naming ``name`` if it is not a date."""
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{name}: expected a date, got {value!r} ({exc})") from None
    if ts is pd.NaT:
        raise DataError(f"{name}: expected a date, got {value!r}")
    return (ts.tz_convert("UTC").tz_localize(None) if ts.tz is not None else ts).normalize()


def positive_int(value, name: str, *, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise DataError(f"{name}: expected an integer >= {minimum}, got {value!r}")
    return int(value)
