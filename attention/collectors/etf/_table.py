"""One validator for every ETF shares table, whoever published it.

Each issuer parser (and :func:`~attention.collectors.etf.read_etf_shares`
for users' own files) reduces its file to a small table - date, shares
outstanding and, where the file has them, NAV and total net assets - and
hands it to :func:`tidy_shares`. The checks therefore hold the same way for
every source, and a file either passes whole or fails whole: nothing
half-parsed reaches the store or the caller.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...errors import DataError
from ...schema import validate_observations

#: ``source`` of every observation the ETF collectors return.
SOURCE = "etf_shares"
#: Metrics an ETF shares table may hold, in this order.
METRICS = ("shares_outstanding", "nav", "total_net_assets")
#: Longest calendar gap between two consecutive daily rows; longer means missing dates.
MAX_GAP_DAYS = 7


def to_number(value: object) -> float:
    """A cell as a float: numbers as they are, text with thousands separators parsed; else NaN."""
    if value is None:
        return np.nan
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace(",", "").replace("$", "")
    if text in ("", "-", "--", "N/A", "n/a", "NA"):
        return np.nan
    try:
        return float(text)
    except ValueError:
        return np.nan


def tidy_shares(table: pd.DataFrame, *, ticker: str, what: str, error: type[Exception] = DataError,
                max_gap_days: int | None = MAX_GAP_DAYS, flags: str = "") -> pd.DataFrame:
    """Check one ETF's table and return it as tidy observations.

    Parameters
    ----------
    table : DataFrame
        Columns ``date`` and ``shares_outstanding``, optionally ``nav`` and
        ``total_net_assets``; values already numbers or NaN.
    ticker : str
        The ETF; becomes ``term``.
    what : str
        Names the file in every message (e.g. ``"SPDR navhist-us-en-xlk.xlsx"``).
    error : exception class
        :class:`~attention.errors.UpstreamFormatError` for an issuer's
        download, :class:`~attention.errors.DataError` for a user's file.
    max_gap_days : int or None
        Refuse two consecutive dates further apart than this (missing dates);
        ``None`` for weekly or monthly files.
    flags : str
        Flags put on every observation (e.g. ``close_price`` when the "NAV"
        is a closing price).

    Raises
    ------
    DataError or ``error``
        Naming the file, the field and the date: a missing or repeated date,
        shares outstanding or NAV that are not positive, a gap of missing
        dates.
    """
    if table.empty:
        raise error(f"{what}: no dated rows")
    dates = pd.to_datetime(table["date"], errors="coerce")
    if dates.isna().any():
        bad = table.loc[dates.isna(), "date"].iloc[0]
        raise error(f"{what}: field 'Date' holds {bad!r}, which is not a date")
    table = table.assign(date=dates.dt.normalize()).sort_values("date")
    dup = table["date"].duplicated()
    if dup.any():
        raise error(f"{what}: date {table.loc[dup, 'date'].iloc[0]:%Y-%m-%d} appears twice")
    for metric, label in (("shares_outstanding", "Shares Outstanding"), ("nav", "NAV"),
                          ("total_net_assets", "Total Net Assets")):
        if metric not in table:
            continue
        bad = table[metric] <= 0
        if bad.any():
            row = table[bad].iloc[0]
            raise error(f"{what}: field {label!r} is {row[metric]:g} on {row['date']:%Y-%m-%d}; it must be positive")
    if table["shares_outstanding"].isna().all():
        raise error(f"{what}: field 'Shares Outstanding' is empty on every date")
    if max_gap_days is not None and len(table) > 1:
        step = table["date"].diff().dt.days
        if (step > max_gap_days).any():
            at = int(np.argmax(step.to_numpy() > max_gap_days))
            before, after = table["date"].iloc[at - 1], table["date"].iloc[at]
            raise error(
                f"{what}: dates jump from {before:%Y-%m-%d} to {after:%Y-%m-%d} ({int(step.iloc[at])} days): "
                f"a gap of missing dates, more than {max_gap_days} days"
            )
    metrics = [m for m in METRICS if m in table]
    long = table.melt(id_vars="date", value_vars=metrics, var_name="metric", value_name="value")
    # A column the file has but leaves empty on a day stays missing; a column it lacks is simply absent.
    long["source"] = SOURCE
    long["term"] = ticker
    long["flags"] = flags
    return validate_observations(long)


def empty_shares() -> pd.DataFrame:
    """Tidy observations with no rows (a file that holds no trading day)."""
    return validate_observations(pd.DataFrame(columns=["date", "source", "term", "metric", "value", "flags"]))
