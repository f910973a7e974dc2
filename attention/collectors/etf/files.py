"""Shares outstanding from any file: an issuer's download, a vendor's export, your own table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..._typing import StrPath
from ...errors import DataError
from ._table import MAX_GAP_DAYS, tidy_shares, to_number

__all__ = ["read_etf_shares"]

#: Column names tried, in order, for each field (compared case-insensitively, ignoring _ and spaces).
COLUMN_NAMES = {
    "date": ("date", "as of date", "as of", "trade date", "nav date"),
    "ticker": ("ticker", "symbol", "fund ticker", "etf ticker"),
    "shares_outstanding": ("shares outstanding", "shares_outstanding", "shares out", "so", "shares"),
    "nav": ("nav", "net asset value", "nav per share"),
    "close": ("close", "closing price", "market price", "price"),
    "total_net_assets": ("total net assets", "net assets", "aum", "tna"),
}


def _key(name: object) -> str:
    return " ".join(str(name).replace("_", " ").replace("\ufeff", "").lower().split())


def _find(columns: pd.Index, field: str, given: str | None, what: str, *, required: bool) -> Any:
    by_key = {_key(c): c for c in columns}
    if given is not None:
        if _key(given) not in by_key:
            raise DataError(f"{what}: no column {given!r} (columns: {list(columns)})")
        return by_key[_key(given)]
    for candidate in COLUMN_NAMES[field]:
        if candidate in by_key:
            return by_key[candidate]
    if required:
        tried = ", ".join(repr(c) for c in COLUMN_NAMES[field])
        raise DataError(
            f"{what}: no {field.replace('_', ' ')} column; looked for {tried} among {list(columns)}; "
            f"name it with {'shares' if field == 'shares_outstanding' else field}="
        )
    return None


def _load(source: StrPath, what: str, sheet: str | int | None) -> pd.DataFrame:
    path = Path(source)
    if not path.exists():
        raise DataError(f"path_or_frame: {path} does not exist")
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            return pd.read_excel(path, sheet_name=sheet if sheet is not None else 0)
        return pd.read_csv(path, thousands=",", encoding="utf-8-sig")
    except (OSError, ValueError, ImportError) as exc:
        raise DataError(f"{what}: cannot read it as a {'workbook' if suffix.startswith('.xls') else 'CSV'} ({exc})") from None


def _issuer_file(path: Path, ticker: str | None) -> pd.DataFrame | None:
    """Parse a SPDR workbook or an iShares holdings CSV by their own parsers; None for other files."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx" and path.read_bytes()[:2] == b"PK":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        try:
            is_spdr = "navhist" in book.sheetnames
        finally:
            book.close()
        if is_spdr:
            from .spdr import parse_spdr_navhist

            return parse_spdr_navhist(path.read_bytes(), ticker=ticker)
    if suffix == ".csv":
        head = path.read_bytes()[:4096].decode("utf-8-sig", errors="replace")
        if "Fund Holdings as of" in head:
            from .ishares import parse_ishares_holdings

            return parse_ishares_holdings(path.read_bytes(), ticker=ticker)
    return None


def read_etf_shares(
    path_or_frame: str | Path | pd.DataFrame, *, ticker: str | None = None, date: str | None = None,
    shares: str | None = None, nav: str | None = None, sheet: str | int | None = None,
    max_gap_days: int | None = MAX_GAP_DAYS,
) -> pd.DataFrame:
    """Read shares outstanding (and NAV) of one or more ETFs from a file or a DataFrame.

    The way in for any ETF the collectors do not reach (Invesco's QQQ,
    Vanguard's funds, a data vendor's export) and for issuer files you
    downloaded by hand: a SPDR ``navhist-us-en-<ticker>.xlsx`` workbook and
    an iShares holdings CSV are recognised and read by their own parsers.
    Any other table needs a date column and a shares-outstanding column; a
    NAV column is used when present, else a closing-price column (flagged
    ``close_price``), and a ticker column splits one file into several ETFs.

    Parameters
    ----------
    path_or_frame : str, Path or DataFrame
        A .csv or .xlsx file, or a DataFrame with such columns.
    ticker : str, optional
        The ETF, when the table has no ticker column (default: the file's stem).
    date, shares, nav : str, optional
        Column names, when they are not among the usual ones (``Date``,
        ``Shares Outstanding``, ``NAV``, ``Close`` ... in any case).
    sheet : str or int, optional
        Worksheet of an Excel file (default: the first).
    max_gap_days : int or None, default 7
        Refuse consecutive dates further apart than this (missing dates);
        ``None`` for weekly or monthly data.

    Returns
    -------
    DataFrame
        Tidy observations, source ``etf_shares``, term = ticker, metrics
        ``shares_outstanding`` and, where the file has them, ``nav`` and
        ``total_net_assets``.

    Raises
    ------
    DataError
        If the file is missing or unreadable, a needed column is absent (the
        message lists the names tried and the columns found), or values are
        not positive numbers on their dates, or dates are missing.
    UpstreamFormatError
        If an issuer file recognised as such is malformed.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"Date": ["2026-01-15", "2026-01-16"],
    ...                       "Shares Outstanding": ["245,000,000", "246,500,000"],
    ...                       "NAV": [263.1, 264.0]})
    >>> frame = read_etf_shares(table, ticker="IWM")
    >>> frame.pivot(index="date", columns="metric", values="value").iloc[-1].to_dict()
    {'nav': 264.0, 'shares_outstanding': 246500000.0}
    """
    if isinstance(path_or_frame, pd.DataFrame):
        raw, what, stem = path_or_frame, "path_or_frame", None
    elif isinstance(path_or_frame, (str, Path)):
        path = Path(path_or_frame)
        what, stem = path.name, path.stem
        if path.exists():
            parsed = _issuer_file(path, ticker)
            if parsed is not None:
                return parsed
        raw = _load(path, what, sheet)
    else:
        raise DataError(f"path_or_frame: expected a file path or a DataFrame, got {type(path_or_frame).__name__}")
    cols = raw.columns
    date_col = _find(cols, "date", date, what, required=True)
    shares_col = _find(cols, "shares_outstanding", shares, what, required=True)
    nav_col = _find(cols, "nav", nav, what, required=False)
    flags = ""
    if nav_col is None and nav is None:
        nav_col = _find(cols, "close", None, what, required=False)
        flags = "close_price" if nav_col is not None else ""
    tna_col = _find(cols, "total_net_assets", None, what, required=False)
    ticker_col = _find(cols, "ticker", None, what, required=False) if ticker is None else None
    table = pd.DataFrame({"date": raw[date_col]})
    for field, col in (("shares_outstanding", shares_col), ("nav", nav_col), ("total_net_assets", tna_col)):
        if col is not None:
            values = raw[col].map(to_number)
            text = raw[col].notna() & values.isna() & (raw[col].astype(str).str.strip() != "")
            if text.any():
                raise DataError(f"{what}: column {col!r} holds {raw.loc[text, col].iloc[0]!r}, not a number")
            table[field] = values
    if ticker_col is not None:
        groups = [(str(t).strip().upper(), part) for t, part in table.groupby(raw[ticker_col].to_numpy())]
    else:
        label = ticker or stem
        if not label:
            raise DataError(f"{what}: no ticker column; pass ticker=")
        groups = [(label.upper(), table)]
    frames = [tidy_shares(part, ticker=t, what=f"{what} ({t})", max_gap_days=max_gap_days, flags=flags)
              for t, part in groups]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
