"""Attention scores that are stationary and never look ahead.

Google Trends rescales every request to the maximum inside its window, so a
level, a full-sample z-score or a fixed threshold changes meaning when the
window moves and leaks the future into the past. Every score here uses only
the current and earlier values: appending rows never changes an earlier score.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._validate import as_frame, positive_int
from .errors import DataError

__all__ = ["asvi", "log_change", "preis_delta", "trailing_zscore"]


def _apply(data, name: str, fn):
    frame = as_frame(data, name)
    out = fn(frame)
    if isinstance(data, pd.Series):
        out = out.iloc[:, 0]
        out.name = data.name
    return out


def _log_positive(frame: pd.DataFrame) -> pd.DataFrame:
    # Zero search interest has no logarithm; it is missing information, not -inf.
    return np.log(frame.where(frame > 0))


def asvi(svi, window: int = 8):
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

    def fn(f):
        med = f.shift(1).rolling(window, min_periods=window).median()
        return _log_positive(f) - _log_positive(med)

    return _apply(svi, "svi", fn)


def log_change(data, periods: int = 1):
    """``ln x_t - ln x_{t-periods}``; zeros and gaps give NaN.

    The simplest stationary transform of a trending attention series.
    """
    periods = positive_int(periods, "periods")
    return _apply(data, "data", lambda f: _log_positive(f).diff(periods))


def trailing_zscore(data, window: int = 52, min_periods: int | None = None):
    """Z-score of each value against the ``window`` values before it.

    ``z_t = (x_t - mean(x_{t-window..t-1})) / std(x_{t-window..t-1})``; the
    current value is excluded from its own baseline so a spike is measured
    against what was known before it.

    Parameters
    ----------
    data : Series or DataFrame
    window : int, default 52
    min_periods : int, optional
        Fewest prior values to score; defaults to ``window``.

    Returns
    -------
    Series or DataFrame
        NaN where the baseline is too short or has zero spread.
    """
    window = positive_int(window, "window", minimum=2)
    min_periods = window if min_periods is None else positive_int(min_periods, "min_periods", minimum=2)
    if min_periods > window:
        raise DataError(f"min_periods: expected at most window={window}, got {min_periods}")

    def fn(f):
        prior = f.shift(1).rolling(window, min_periods=min_periods)
        sd = prior.std()
        return (f - prior.mean()) / sd.where(sd > 0)

    return _apply(data, "data", fn)


def preis_delta(data, delta_t: int = 3):
    """Change in search volume of Preis, Moat & Stanley (2013).

    ``dn_t = n_t - (n_{t-1} + ... + n_{t-delta_t}) / delta_t``: this week's
    volume against the mean of the ``delta_t`` weeks before it. Positive
    values mean rising attention; the paper sells the market on them.

    Raises
    ------
    DataError
        If ``data`` is not numeric on a DatetimeIndex or ``delta_t`` < 1.
    """
    delta_t = positive_int(delta_t, "delta_t")
    return _apply(data, "data", lambda f: f - f.shift(1).rolling(delta_t, min_periods=delta_t).mean())
