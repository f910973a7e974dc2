"""Stationarity: ADF and KPSS with one plain verdict, and the warning the tests raise."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._typing import SeriesOrFrame
from .._validate import as_frame
from ..errors import DataError, NonStationaryWarning


def stationarity(data: SeriesOrFrame, alpha: float = 0.05) -> pd.DataFrame:
    """ADF and KPSS tests on each column, and whether both call it stationary.

    ADF's null is a unit root, KPSS's null is stationarity, so a series is
    called stationary only when ADF rejects and KPSS does not.

    Parameters
    ----------
    data : Series or DataFrame
    alpha : float
        Level of both tests.

    Returns
    -------
    DataFrame
        One row per series: ``n``, ``adf_stat``, ``adf_p``, ``kpss_stat``,
        ``kpss_p`` (KPSS p-values are interpolated from a table that stops
        at 0.01 and 0.10, so they are clipped there), ``stationary``.

    Raises
    ------
    DataError
        If a series has fewer than 20 observations or is constant (the
        tests are undefined without variation).

    Examples
    --------
    >>> import pandas as pd
    >>> from attention.testing import planted_loop_weekly
    >>> data = planted_loop_weekly(300, 0.4, seed=1)  # returns -> attention -> flows -> returns, planted
    >>> attention, returns, flows = data["attention"], data["returns"], data["flows"]

    >>> stationarity(pd.DataFrame({"attention": attention, "level": attention.cumsum()}))["stationary"]
    attention     True
    level        False
    Name: stationary, dtype: bool
    """
    from statsmodels.tools.sm_exceptions import InterpolationWarning
    from statsmodels.tsa.stattools import adfuller, kpss

    frame = as_frame(data, "data")
    rows = {}
    for name in frame.columns:
        x = frame[name].dropna().to_numpy()
        if len(x) < 20:
            raise DataError(f"data[{name!r}]: stationarity tests need at least 20 observations, got {len(x)}")
        if np.ptp(x) <= 1e-12 * max(1.0, np.abs(x).max()):
            raise DataError(
                f"data[{name!r}]: the series is constant ({x[0]:g}), so ADF and KPSS are undefined; "
                "a flat series has no dynamics to test"
            )
        adf = adfuller(x, autolag="AIC", result_object=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InterpolationWarning)
            kp = kpss(x, regression="c", nlags="auto", result_object=True)
        rows[name] = {
            "n": len(x),
            "adf_stat": adf.statistic,
            "adf_p": adf.pvalue,
            "kpss_stat": kp.statistic,
            "kpss_p": kp.pvalue,
            "stationary": bool(adf.pvalue < alpha and kp.pvalue > alpha),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


_TEST_CHANGES = "test changes, not levels (attention.scoring.log_change, asvi; attention.market.log_returns)"


def warn_nonstationary(table: pd.DataFrame, advice: str = _TEST_CHANGES) -> None:
    """NonStationaryWarning naming the series of a :func:`stationarity` table that are not called stationary."""
    bad = table.index[~table["stationary"]].tolist()
    if bad:
        # stacklevel 3: the user's call of the public function, not this helper or its caller
        warnings.warn(f"{bad} may not be stationary (ADF/KPSS); {advice}", NonStationaryWarning, stacklevel=3)
