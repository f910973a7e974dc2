"""Input checks shared by the analysis modules.

Every public function funnels its series through these helpers so that bad
input fails early with a :class:`~attention.errors.DataError` that names the
argument, instead of a traceback from deep inside pandas or numpy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ._typing import SeriesOrFrameT
from .errors import DataError

#: Largest magnitude accepted: sums of squares of a few thousand such values still fit in a float64.
HUGE = 1e150


def as_series(x: Any, name: str, *, min_obs: int = 1) -> pd.Series:
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
        raise DataError(
            f"{name}: the index has duplicate dates (first: {dup.date()}); aggregate them first, e.g. "
            "x.groupby(level=0).last() for levels or .sum() for returns and volumes"
        )
    if not (pd.api.types.is_numeric_dtype(x.dtype) or x.dtype == object):
        raise DataError(f"{name}: expected numeric values, got dtype {x.dtype}")
    if pd.api.types.is_bool_dtype(x.dtype):
        raise DataError(f"{name}: expected numeric values, got booleans")
    try:
        values = pd.to_numeric(x, errors="raise").astype("float64")
    except (TypeError, ValueError) as exc:
        raise DataError(f"{name}: expected numeric values ({exc})") from None
    values = values.replace([np.inf, -np.inf], np.nan).sort_index()
    biggest = float(np.nanmax(np.abs(values.to_numpy()))) if values.notna().any() else 0.0
    if biggest > HUGE:
        raise DataError(
            f"{name}: values as large as {biggest:.3g} overflow the statistics (their squares exceed the"
            f" float range); rescale the series (e.g. divide by 1e6 or take logs) so values stay below {HUGE:.0e}"
        )
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


def as_frame(x: object, name: str) -> pd.DataFrame:
    """Return ``x`` as a float DataFrame on a sorted, unique DatetimeIndex."""
    if isinstance(x, pd.Series):
        return as_series(x, name).to_frame()
    if not isinstance(x, pd.DataFrame):
        raise DataError(f"{name}: expected a pandas Series or DataFrame, got {type(x).__name__}")
    if x.shape[1] == 0:
        raise DataError(f"{name}: the DataFrame has no columns")
    cols = {c: as_series(x[c], f"{name}[{c!r}]") for c in x.columns}
    return pd.DataFrame(cols)


def naive_utc(x: SeriesOrFrameT) -> SeriesOrFrameT:
    """Observations carry UTC-aware dates, market data usually naive ones; compare them as naive UTC."""
    if isinstance(x.index, pd.DatetimeIndex) and x.index.tz is not None:
        x = x.copy()
        x.index = x.index.tz_convert("UTC").tz_localize(None)
    return x


def _spans(series: Mapping[str, pd.Series]) -> str:
    """Where each series has data, for messages about dates that do not meet."""
    return "; ".join(
        f"{k}: {s.first_valid_index():%Y-%m-%d}..{s.last_valid_index():%Y-%m-%d} ({s.notna().sum()} obs)"
        for k, s in series.items()
    )


def align(series: dict[str, pd.Series], *, min_obs: int, why: str = "") -> pd.DataFrame:
    """Inner-join named series on their dates, drop rows with any NaN, check length.

    Raises a DataError naming the arguments when they share too few dates, which
    is what misaligned indexes (daily against weekly, wrong week anchor) produce.
    """
    series = {k: naive_utc(s) for k, s in series.items()}
    frame = pd.concat(series, axis=1, join="inner").dropna()
    if len(frame) < min_obs:
        names = ", ".join(series)
        spans = _spans(series)
        raise DataError(
            f"{names}: only {len(frame)} dates have every series present, need at least {min_obs}"
            f"{' ' + why if why else ''}. Check that the indexes share dates and frequency ({spans})."
        )
    return frame


def utc_day(value: object, name: str) -> pd.Timestamp:
    """A date argument as a naive UTC midnight; DataError naming ``name`` if it is not a date."""
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{name}: expected a date, got {value!r} ({exc})") from None
    if ts is pd.NaT:
        raise DataError(f"{name}: expected a date, got {value!r}")
    return (ts.tz_convert("UTC").tz_localize(None) if ts.tz is not None else ts).normalize()


def flag(value: object, name: str) -> bool:
    """A True/False argument; strings such as ``"no"`` are refused rather than read as True."""
    if not isinstance(value, (bool, np.bool_)):
        raise DataError(f"{name}: expected True or False, got {value!r}")
    return bool(value)


def random_generator(seed: Any, name: str = "seed") -> np.random.Generator:
    """``np.random.default_rng(seed)``, with a DataError naming ``name`` for what numpy cannot seed from."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (bool, np.bool_, float, str, bytes)):
        raise DataError(f"{name}: expected None, a non-negative integer or a numpy Generator, got {seed!r}")
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError) as exc:
        raise DataError(
            f"{name}: expected None, a non-negative integer or a numpy Generator, got {seed!r} ({exc})"
        ) from None


def positive_int(value: object, name: str, *, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise DataError(f"{name}: expected an integer >= {minimum}, got {value!r}")
    return int(value)


# ---------------------------------------------------------------- panels of series for the time-series tests

_CALENDARS = ((0, 1.5, "daily"), (6, 8, "weekly"), (27, 32, "monthly"), (88, 93, "quarterly"))


def _spacing_days(s: pd.Series) -> float | None:
    idx = s.dropna().index
    if len(idx) < 3:
        return None
    return float(np.median((idx[1:] - idx[:-1]).total_seconds())) / 86_400


def calendar_name(days: float) -> str:
    """``"weekly (dates 7 day(s) apart)"``: what a median spacing of ``days`` looks like."""
    for lo, hi, label in _CALENDARS:
        if lo < days <= hi:
            return f"{label} (dates {days:g} day(s) apart)"
    return f"dates {days:g} days apart"


def checked_panel(
    series: Mapping[str, Any], *, min_obs: int, why: str = ""
) -> tuple[pd.DataFrame, list[str]]:
    """Check named series and join them on common dates into a gap-free frame.

    The one input check of the time-series tests (correlation and leadlag):
    each input through :func:`as_series`; leading and trailing rows with a
    missing value dropped (log changes and trailing scores start with NaN);
    then a DataError saying what to do for mixed frequencies, too few common
    dates, a missing value or a skipped period inside the sample (the lags
    would silently bridge it; daily data skip holidays, so skipped days are
    not checked) and a constant series.

    Returns the frame (columns keyed like ``series``) and display names: the
    series' own names, or the keys when those clash.
    """
    clean = {k: naive_utc(as_series(s, k)) for k, s in series.items()}
    keys = ", ".join(clean)
    spacing = {k: d for k, d in ((k, _spacing_days(s)) for k, s in clean.items()) if d is not None and d > 0}
    mixed = len(spacing) > 1 and max(spacing.values()) > 1.5 * min(spacing.values())
    hint = (
        "Mixed frequencies: "
        + "; ".join(f"{k} is {calendar_name(d)}" for k, d in spacing.items())
        + ". Put them on one calendar first, e.g. attention.to_google_weeks(daily, 'sum') for"
        " Google's Sunday weeks (use 'last' for prices)."
    )
    full = pd.concat(clean, axis=1, join="inner")
    ok = full.notna().all(axis=1).to_numpy()
    if ok.sum() < min_obs:
        spans = _spans(clean)
        raise DataError(
            f"{keys}: only {int(ok.sum())} dates have every series present, need at least {min_obs}"
            f"{' ' + why if why else ''}. Lower the lags or use a longer sample; if the spans overlap, check "
            "that the indexes share dates and frequency (a weekly series labelled Sunday never meets one "
            f"labelled Friday) ({spans}).{' ' + hint if mixed else ''}"
        )
    if mixed:
        raise DataError(f"{keys}: the series share dates but not a frequency. {hint}")
    first, last = int(ok.argmax()), len(ok) - 1 - int(ok[::-1].argmax())
    frame, holes = full.iloc[first : last + 1], ~ok[first : last + 1]
    if holes.any():
        gaps = frame[holes]
        which = ", ".join(k for k in frame.columns if gaps[k].isna().any())
        raise DataError(
            f"{which}: {int(holes.sum())} date(s) inside the common sample have a missing value "
            f"(first {gaps.index[0]:%Y-%m-%d}); the lags would silently bridge the gap. Fill short gaps "
            "(e.g. x.interpolate(limit=2)) or test a stretch without gaps (x.loc[start:end])."
        )
    step = np.diff(frame.index.values).astype("timedelta64[s]").astype(float) / 86_400
    if len(step) and np.median(step) >= 6 and step.max() > 1.5 * np.median(step):  # weekly or coarser
        skipped = step > 1.5 * np.median(step)
        at = int(np.argmax(skipped))
        raise DataError(
            f"{keys}: the common dates skip {int(skipped.sum())} period(s) "
            f"(first after {frame.index[at]:%Y-%m-%d}, next date {frame.index[at + 1]:%Y-%m-%d}); the lags "
            "would silently bridge the gap. Reindex to the full calendar and fill short gaps "
            "(e.g. x.asfreq('W-SUN').interpolate(limit=2)) or test a stretch without gaps."
        )
    for k in frame.columns:
        col = frame[k].to_numpy()
        if np.ptp(col) <= 1e-12 * max(1.0, np.abs(col).max()):
            raise DataError(
                f"{k}: the series is constant ({col[0]:g}) over the {len(col)} common dates, so there is "
                "no variation to test. Check the input: a search term too rare for Google comes back as "
                "zeros (pick a more searched term or a longer window), and the log change of a flat series is 0."
            )
    labels = [str(s.name) for s in clean.values()]
    return frame, labels if len(set(labels)) == len(labels) else list(clean)
