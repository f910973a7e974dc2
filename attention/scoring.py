"""Attention scores that are stationary and never look ahead.

Google Trends rescales every request to the maximum inside its window, so a
level, a full-sample z-score or a fixed threshold changes meaning when the
window moves and leaks the future into the past. Every score here uses only
the current and earlier values: appending rows never changes an earlier score.

Zeros and missing data
----------------------
The floor is explicit and the same everywhere:

- **No logarithm of zero.** Where a score takes ``ln x`` (:func:`asvi`,
  :func:`log_change`) a zero or negative value, or a zero median, is treated
  as missing: the score is NaN, never ``-inf`` and never a clipped
  ``log(0)`` stand-in such as ``log(1e-9)``. Zero search interest says the
  term fell below Google's reporting floor, not that attention was
  infinitely far below normal.
- **Counts are shifted by one.** :func:`abnormal_mentions` scores Reddit
  mention counts with ``ln(1 + M)``, so zero mentions are an ordinary value
  (``ln 1 = 0``) and need no floor.
- **Missing stays missing.** NaN in gives NaN out for that date, and a NaN
  inside a baseline window counts as absent: a baseline needs its minimum
  number of non-missing values or the score is NaN. Nothing is filled with 0
  or carried forward.
- **Zero spread is undefined.** A z-score whose baseline has zero standard
  deviation (or zero MAD) is NaN, not ``+-inf``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ._typing import SeriesOrFrame, SeriesOrFrameT
from ._validate import as_frame, flag, naive_utc, positive_int
from .errors import DataError

__all__ = [
    "abnormal_mentions",
    "asvi",
    "attention_share",
    "composite_index",
    "log_change",
    "preis_delta",
    "trailing_zscore",
]

#: ``1 / Phi^{-1}(3/4)``: makes the median absolute deviation estimate the
#: standard deviation of normal data (Rousseeuw & Croux 1993).
MAD_SCALE = 1.4826


def _apply(data: SeriesOrFrameT, name: str, fn: Callable[[pd.DataFrame], pd.DataFrame]) -> SeriesOrFrameT:
    frame = as_frame(data, name)
    out = fn(frame)
    if isinstance(data, pd.Series):
        out = out.iloc[:, 0]
        out.name = data.name
    return out


def _log_positive(frame: pd.DataFrame) -> pd.DataFrame:
    # Zero search interest has no logarithm; it is missing information, not -inf.
    return np.log(frame.where(frame > 0))


def asvi(svi: SeriesOrFrameT, window: int = 8) -> SeriesOrFrameT:
    """Abnormal search volume index of Da, Engelberg & Gao (2011).

    ``ASVI_t = ln SVI_t - ln median(SVI_{t-1}, ..., SVI_{t-window})``.

    Parameters
    ----------
    svi : Series or DataFrame
        Search interest, one column per term.
    window : int, default 8
        Prior periods in the median (8 weeks in the paper).

    Returns
    -------
    Series or DataFrame
        NaN for the first ``window`` periods and wherever the current value or
        the median is zero or missing.

    Raises
    ------
    DataError
        If ``svi`` is not numeric on a DatetimeIndex or ``window`` < 1.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([10.0, 10, 10, 20], index=pd.date_range("2026-01-04", periods=4, freq="W-SUN"))
    >>> asvi(s, window=3).round(3).tolist()
    [nan, nan, nan, 0.693]
    """
    window = positive_int(window, "window")

    def fn(f: pd.DataFrame) -> pd.DataFrame:
        med = f.shift(1).rolling(window, min_periods=window).median()
        return _log_positive(f) - _log_positive(med)

    return _apply(svi, "svi", fn)


def log_change(data: SeriesOrFrameT, periods: int = 1) -> SeriesOrFrameT:
    """``ln x_t - ln x_{t-periods}``; zeros and gaps give NaN.

    The simplest stationary transform of a trending attention series.

    Examples
    --------
    >>> import pandas as pd
    >>> weeks = pd.date_range("2024-01-07", periods=4, freq="W-SUN")
    >>> log_change(pd.Series([100.0, 110.0, 0.0, 121.0], weeks)).round(4)  # a zero has no logarithm: NaN
    2024-01-07       NaN
    2024-01-14    0.0953
    2024-01-21       NaN
    2024-01-28       NaN
    Freq: W-SUN, dtype: float64
    """
    periods = positive_int(periods, "periods")
    return _apply(data, "data", lambda f: _log_positive(f).diff(periods))


def _nan_median_rows(a: np.ndarray[Any, Any], counts: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Median of each row ignoring NaN, given the rows' non-NaN counts (>= 1)."""
    a = np.sort(a, axis=1)  # NaN sorts last
    rows = np.arange(a.shape[0])
    median: np.ndarray[Any, Any] = (a[rows, (counts - 1) // 2] + a[rows, counts // 2]) / 2
    return median


def _trailing_median_mad(
    values: np.ndarray[Any, Any], window: int, min_periods: int
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Median and MAD of ``values[t-window..t-1]`` for every t, ignoring NaN.

    One column at a time (memory ``len x window``); a baseline with fewer than
    ``min_periods`` non-missing values gives NaN.
    """
    padded = np.concatenate([np.full(window, np.nan), values])[:-1]
    windows = np.lib.stride_tricks.sliding_window_view(padded, window)
    counts = np.sum(~np.isnan(windows), axis=1)
    enough = counts >= min_periods
    windows, counts = windows[enough], counts[enough]
    median = np.full(len(values), np.nan)
    mad = np.full(len(values), np.nan)
    median[enough] = m = _nan_median_rows(windows, counts)
    mad[enough] = _nan_median_rows(np.abs(windows - m[:, None]), counts)
    return median, mad


def _window_args(window: int, min_periods: int | None) -> tuple[int, int]:
    window = positive_int(window, "window", minimum=2)
    if min_periods is None:
        min_periods = window
    else:
        min_periods = positive_int(min_periods, "min_periods", minimum=2)
    if min_periods > window:
        raise DataError(f"min_periods: expected at most window={window}, got {min_periods}")
    return window, min_periods


def _zscore_frame(f: pd.DataFrame, window: int, min_periods: int, robust: bool) -> pd.DataFrame:
    if robust:
        values = f.to_numpy(dtype="float64")
        parts = [_trailing_median_mad(values[:, j], window, min_periods) for j in range(values.shape[1])]
        centre = pd.DataFrame(np.column_stack([p[0] for p in parts]), index=f.index, columns=f.columns)
        mad = pd.DataFrame(np.column_stack([p[1] for p in parts]), index=f.index, columns=f.columns)
        spread = MAD_SCALE * mad
    else:
        prior = f.shift(1).rolling(window, min_periods=min_periods)
        centre = prior.mean()
        spread = prior.std()
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        z = (f - centre) / spread.where(spread > 0)
    # A spread that is zero to floating point (a MAD of 1e-211 under a jump of 1) makes z overflow: no score.
    return z.where(np.isfinite(z))


def trailing_zscore(
    data: SeriesOrFrameT, window: int = 52, min_periods: int | None = None, robust: bool = False
) -> SeriesOrFrameT:
    """Z-score of each value against the ``window`` values before it.

    Classical (``robust=False``)::

        z_t = (x_t - mean(x_{t-w..t-1})) / sd(x_{t-w..t-1})

    Robust (``robust=True``)::

        z_t = (x_t - median(x_{t-w..t-1})) / (1.4826 * MAD(x_{t-w..t-1}))
        MAD(y) = median(|y_i - median(y)|)

    The current value is excluded from its own baseline so a spike is
    measured against what was known before it. The factor 1.4826 =
    1/Phi^{-1}(3/4) makes the MAD a consistent estimate of the standard
    deviation for normal data (Rousseeuw & Croux 1993, JASA 88:1273; Leys et
    al. 2013, J. Exp. Soc. Psychol. 49:764), so the two variants share a
    scale; the robust one is not dragged by the few extreme weeks that
    attention series are made of.

    Parameters
    ----------
    data : Series or DataFrame
        One column per series; columns are scored independently.
    window : int, default 52
        Prior periods in the baseline (52 weeks: one year).
    min_periods : int, optional
        Fewest non-missing prior values needed to score; defaults to
        ``window``. At least 2.
    robust : bool, default False
        Use the median and scaled MAD instead of the mean and the sample
        standard deviation (ddof=1).

    Returns
    -------
    Series or DataFrame
        NaN where the current value is missing, the baseline has fewer than
        ``min_periods`` values, or the baseline has zero spread (sd or MAD),
        or one so small against the jump that the score overflows.

    Raises
    ------
    DataError
        If ``data`` is not numeric on a DatetimeIndex, ``window`` < 2,
        ``min_periods`` < 2 or ``min_periods`` > ``window``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([1.0, 2, 3, 4, 100, 5], index=pd.date_range("2026-01-04", periods=6, freq="W-SUN"))
    >>> trailing_zscore(s, window=5, robust=True).round(3).tolist()
    [nan, nan, nan, nan, nan, 1.349]
    >>> trailing_zscore(s, window=5).round(3).tolist()  # the 100 inflates mean and sd
    [nan, nan, nan, nan, nan, -0.39]
    """
    window, min_periods = _window_args(window, min_periods)
    robust = flag(robust, "robust")
    return _apply(data, "data", lambda f: _zscore_frame(f, window, min_periods, robust))


def abnormal_mentions(counts: SeriesOrFrameT, window: int = 8) -> SeriesOrFrameT:
    """Abnormal mention count: ASVI on ``1 + count``.

    ``AM_t = ln(1 + M_t) - ln(1 + median(M_{t-1}, ..., M_{t-window}))``

    The abnormal search volume of Da, Engelberg & Gao (2011, J. Finance
    66:1461) with one added to each count, so that a week (or day) with no
    mentions - common for Reddit counts of a niche theme - is an ordinary
    value instead of a missing logarithm: ``ln(1 + 0) = 0``.

    Parameters
    ----------
    counts : Series or DataFrame
        Non-negative mention counts (e.g. Reddit posts and comments matching
        a theme per period), one column per theme.
    window : int, default 8
        Prior periods in the median.

    Returns
    -------
    Series or DataFrame
        NaN for the first ``window`` periods, where the current count is
        missing, and where any of the ``window`` prior counts is missing (a
        missing count is not a zero).

    Raises
    ------
    DataError
        If ``counts`` is not numeric on a DatetimeIndex, has negative values,
        or ``window`` < 1.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.Series([0.0, 2, 0, 1, 9], index=pd.date_range("2026-01-04", periods=5, freq="W-SUN"))
    >>> abnormal_mentions(m, window=4).round(3).tolist()  # ln(10) - ln(1 + 0.5)
    [nan, nan, nan, nan, 1.897]
    """
    window = positive_int(window, "window")

    def fn(f: pd.DataFrame) -> pd.DataFrame:
        if (f < 0).any().any():
            col = f.columns[(f < 0).any()][0]
            raise DataError(f"counts: mention counts must be non-negative; column {col!r} has values < 0")
        med = f.shift(1).rolling(window, min_periods=window).median()
        return np.log1p(f) - np.log1p(med)

    return _apply(counts, "counts", fn)


def attention_share(data: pd.DataFrame) -> pd.DataFrame:
    """Each term's share of the attention paid to a set of terms.

    ``share_{i,t} = x_{i,t} / sum_j x_{j,t}``

    The share sums to 1 across the terms on every scored date. It removes
    what moves all terms together (overall search or posting activity, and
    Google's per-request rescaling) and keeps the shift between them, in the
    spirit of the relative search volume of Google's own comparisons.

    Parameters
    ----------
    data : DataFrame
        Non-negative attention, one column per term, **all on one scale**:
        Google Trends terms fetched in the same request (or stitched onto a
        common anchor), or raw counts from one source. Separately requested
        Google series are each scaled to their own maximum of 100, so their
        ratios are meaningless.

    Returns
    -------
    DataFrame
        Same shape as ``data``. A whole row is NaN when any term is missing
        on that date (the denominator needs every term; a partial sum would
        inflate the shares of the terms present) or when the row sums to 0
        (no attention to any term: the shares are undefined, not 0).

    Raises
    ------
    DataError
        If ``data`` is not numeric on a DatetimeIndex, has fewer than two
        columns, or has negative values.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"a": [1.0, 0.0, 3.0], "b": [3.0, 0.0, None]},
    ...                  index=pd.date_range("2026-01-04", periods=3, freq="W-SUN"))
    >>> attention_share(x)["a"].tolist()
    [0.25, nan, nan]
    """
    frame = as_frame(data, "data")
    if isinstance(data, pd.Series) or frame.shape[1] < 2:
        raise DataError(
            f"data: expected a DataFrame with one column per term (at least 2), got {frame.shape[1]}"
        )
    if (frame < 0).any().any():
        col = frame.columns[(frame < 0).any()][0]
        raise DataError(f"data: attention must be non-negative; column {col!r} has values < 0")
    total = frame.sum(axis=1, min_count=1)
    ok = frame.notna().all(axis=1) & (total > 0)
    return frame.div(total.where(ok), axis=0)


def composite_index(
    *sources: SeriesOrFrame, window: int = 52, min_periods: int | None = None, robust: bool = False
) -> SeriesOrFrame:
    """Cross-source attention index from trailing z-scores (e.g. Google + Reddit).

    ``C_t = mean over sources s available at t of z_{s,t}``, where ``z_s``
    is :func:`trailing_zscore` of source ``s`` on its own dates with its own
    ``window`` prior values (the current value excluded).

    Each source is standardised against its own past only, so sources with
    different units and scales (a 0-100 Google index, raw Reddit counts)
    contribute on the same footing, and nothing from the future - neither
    the source's later values nor any full-sample mean - enters a past value:
    appending rows never changes an earlier composite value. This is the
    equal-weighted average of z-score-normalised indicators (OECD/JRC,
    *Handbook on Constructing Composite Indicators*, 2008, steps 5 and 6:
    normalisation, weighting and aggregation) with the standardisation made
    trailing.

    Parameters
    ----------
    *sources : Series or DataFrame
        One argument per source. Either all Series (one theme; the result is
        a Series named ``"composite"``) or all DataFrames with the same
        columns (one column per theme; the result has those columns and
        column ``c`` combines ``source[c]`` of every source). Put the sources
        on the same calendar first (e.g. Google weeks); transform them first
        too if wanted (e.g. :func:`log_change` of a trending level).
    window : int, default 52
        Prior periods in each source's baseline.
    min_periods : int, optional
        Fewest prior values to score; defaults to ``window``.
    robust : bool, default False
        Standardise with the median and MAD instead of the mean and sd.

    Returns
    -------
    Series or DataFrame
        On the union of the sources' dates. At each date the mean of the
        z-scores that exist there: one available source is enough, and the
        value is NaN only when no source has a score. The number of sources
        behind a value can therefore change over time; ask
        ``trailing_zscore`` for the parts when that matters.

    Raises
    ------
    DataError
        If no source is given, a source is not numeric on a DatetimeIndex
        (named ``sources[i]``), the sources mix Series and DataFrames or have
        different columns, or the window arguments are invalid.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.date_range("2026-01-04", periods=4, freq="W-SUN")
    >>> google = pd.Series([50.0, 52, 48, 56], index=idx)  # z = (56 - 50) / 2 = 3
    >>> reddit = pd.Series([3.0, 5, 4, 4], index=idx)  # z = (4 - 4) / 1 = 0
    >>> composite_index(google, reddit, window=3).tolist()
    [nan, nan, nan, 1.5]
    """
    window, min_periods = _window_args(window, min_periods)
    if not sources:
        raise DataError("sources: expected at least one Series or DataFrame")
    series_in = [isinstance(s, pd.Series) for s in sources]
    if any(series_in) and not all(series_in):
        raise DataError("sources: expected all Series or all DataFrames, got a mix")
    robust = flag(robust, "robust")
    frames = [naive_utc(as_frame(s, f"sources[{i}]")) for i, s in enumerate(sources)]
    if all(series_in):
        for f in frames:
            f.columns = ["composite"]
    else:
        columns = list(frames[0].columns)
        for i, f in enumerate(frames[1:], start=1):
            if set(f.columns) != set(columns):
                raise DataError(
                    f"sources[{i}]: expected the columns of sources[0] {columns}, got {list(f.columns)}"
                )
    z = [_zscore_frame(f, window, min_periods, robust) for f in frames]
    index = z[0].index
    for other in z[1:]:
        index = index.union(other.index)
    columns = list(z[0].columns)
    stacked = np.stack([zi.reindex(index=index, columns=columns).to_numpy() for zi in z])
    counts = np.sum(~np.isnan(stacked), axis=0)
    totals = np.nansum(stacked, axis=0)
    mean = np.where(counts > 0, totals / np.maximum(counts, 1), np.nan)
    out = pd.DataFrame(mean, index=index, columns=columns)
    if all(series_in):
        return out["composite"]
    return out


def preis_delta(data: SeriesOrFrameT, delta_t: int = 3) -> SeriesOrFrameT:
    """Change in search volume of Preis, Moat & Stanley (2013).

    ``dn_t = n_t - (n_{t-1} + ... + n_{t-delta_t}) / delta_t``: this week's
    volume against the mean of the ``delta_t`` weeks before it. Positive
    values mean rising attention; the paper sells the market on them.

    Raises
    ------
    DataError
        If ``data`` is not numeric on a DatetimeIndex or ``delta_t`` < 1.

    Examples
    --------
    >>> import pandas as pd
    >>> weeks = pd.date_range("2024-01-07", periods=4, freq="W-SUN")
    >>> preis_delta(pd.Series([10.0, 12.0, 14.0, 20.0], weeks), delta_t=3).tolist()  # 20 - mean(10, 12, 14)
    [nan, nan, nan, 8.0]
    """
    delta_t = positive_int(delta_t, "delta_t")
    return _apply(data, "data", lambda f: f - f.shift(1).rolling(delta_t, min_periods=delta_t).mean())
