"""State Street SPDR funds: the NAV-history workbook, one request per fund for its whole history.

State Street publishes, for each SPDR ETF, ``navhist-us-en-<ticker>.xlsx``:
sheet ``navhist``, a three-row header block (``Fund Name:``,
``Ticker Symbol:``, a blank row), the column header ``Date, NAV, Shares
Outstanding, Total Net Assets`` in row 4, one row per trading day (newest
first, dates as text such as ``21-May-2026``), then a disclaimer footer.
SPY's workbook runs daily from December 2003.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pandas as pd

from ..._typing import StrPath
from ...errors import UpstreamFormatError
from ._table import tidy_shares, to_number

__all__ = ["NAVHIST_URL", "SPDR_TICKERS", "navhist_url", "parse_spdr_navhist"]

NAVHIST_URL = "https://www.ssga.com/library-content/products/fund-data/etfs/us/navhist-us-en-{ticker}.xlsx"
#: SPDR funds the collector knows: SPY and the Select Sector funds.
SPDR_TICKERS = ("SPY", "XLB", "XLC", "XLE", "XLF", "XLI", "XLK", "XLP", "XLRE", "XLU", "XLV", "XLY")
SHEET = "navhist"
HEADER = ("Date", "NAV", "Shares Outstanding", "Total Net Assets")
HEADER_ROW = 4
_COLUMNS = ("date", "nav", "shares_outstanding", "total_net_assets")


def navhist_url(ticker: str) -> str:
    """The workbook's address for ``ticker`` (State Street spells it in lower case).

    Examples
    --------
    >>> navhist_url("XLK")
    'https://www.ssga.com/library-content/products/fund-data/etfs/us/navhist-us-en-xlk.xlsx'
    """
    return NAVHIST_URL.format(ticker=ticker.lower())


def _name(ticker: str | None) -> str:
    return f"SPDR navhist-us-en-{ticker.lower()}.xlsx" if ticker else "SPDR NAV-history workbook"


def _text(cell: object) -> str:
    # Trademark glyphs ride on some names and tickers ("GLD®"); they are not part of the ticker.
    return re.sub(r"[®™©]", "", str(cell)).strip() if cell is not None else ""


def _workbook(content: bytes, what: str) -> Any:
    if not content.startswith(b"PK"):
        head = content[:200].decode("utf-8", "replace").strip()
        kind = "an HTML page" if head.lstrip().lower().startswith(("<!doctype", "<html", "<")) else "no workbook"
        raise UpstreamFormatError(
            f"{what}: expected an Excel workbook, got {kind} ({head[:60]!r}); a captcha or error page is not data"
        )
    try:
        from openpyxl import load_workbook
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        from ...errors import MissingDependencyError

        raise MissingDependencyError("reading SPDR workbooks needs openpyxl: pip install openpyxl") from exc
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, ...: mapped once, here
        raise UpstreamFormatError(f"{what}: not a readable Excel workbook ({type(exc).__name__}: {exc})") from exc


def parse_spdr_navhist(content: bytes | StrPath, *, ticker: str | None = None) -> pd.DataFrame:
    """Tidy observations from a SPDR NAV-history workbook.

    Parameters
    ----------
    content : bytes, str or Path
        The workbook as downloaded, or its path.
    ticker : str, optional
        The fund asked for; the workbook's ``Ticker Symbol:`` must match it.
        Defaults to the workbook's own ticker.

    Returns
    -------
    DataFrame
        Observations (source ``etf_shares``, term = ticker) with metrics
        ``shares_outstanding``, ``nav`` and ``total_net_assets`` per day.

    Raises
    ------
    UpstreamFormatError
        If the content is not a workbook (an HTML or captcha page), has no
        ``navhist`` sheet, its header is not ``Date, NAV, Shares Outstanding,
        Total Net Assets`` in row 4, it names another fund, a value is not a
        number, NAV or shares are not positive, or dates are missing. The
        message names the file and the field.

    Examples
    --------
    >>> from attention.testing import FakeSPDR
    >>> body = FakeSPDR().workbook("XLK")
    >>> frame = parse_spdr_navhist(body, ticker="XLK")
    >>> sorted(frame["metric"].unique())
    ['nav', 'shares_outstanding', 'total_net_assets']
    """
    if not isinstance(content, (bytes, bytearray)):
        from pathlib import Path

        try:
            content = Path(content).read_bytes()
        except (OSError, TypeError) as exc:
            raise UpstreamFormatError(f"{_name(ticker)}: cannot read {content!r} ({exc})") from None
    what = _name(ticker)
    book = _workbook(bytes(content), what)
    try:
        if SHEET not in book.sheetnames:
            raise UpstreamFormatError(f"{what}: no sheet {SHEET!r} (sheets: {book.sheetnames})")
        rows = [tuple(r) for r in book[SHEET].iter_rows(values_only=True)]
    finally:
        book.close()
    named = _text(rows[1][1]) if len(rows) > 1 and len(rows[1]) > 1 else ""
    if ticker is not None and named.upper() != ticker.upper():
        raise UpstreamFormatError(f"{what}: field 'Ticker Symbol:' says {named!r}, not {ticker!r}")
    ticker = (ticker or named).upper()
    if not ticker:
        raise UpstreamFormatError(f"{what}: field 'Ticker Symbol:' (row 2) is empty")
    what = _name(ticker)
    found = next((i + 1 for i, r in enumerate(rows[:20]) if tuple(_text(c) for c in r[:4]) == HEADER), None)
    if found != HEADER_ROW:
        where = f"it is in row {found}" if found else "no row in the first 20 holds it"
        seen = [_text(c) for c in rows[HEADER_ROW - 1][:4]] if len(rows) >= HEADER_ROW else []
        raise UpstreamFormatError(
            f"{what}: expected the header {', '.join(HEADER)} in row {HEADER_ROW}, but {where} "
            f"(row {HEADER_ROW} holds {seen}); the layout changed, so nothing was read"
        )
    records = []
    for r in rows[HEADER_ROW:]:
        if not r or r[0] is None or str(r[0]).strip() == "":
            continue
        date = r[0] if not isinstance(r[0], str) else pd.to_datetime(r[0].strip(), format="%d-%b-%Y", errors="coerce")
        if pd.isna(date):
            break  # the disclaimer footer starts here
        values = [to_number(c) for c in (list(r[1:4]) + [None] * 3)[:3]]
        for label, raw, value in zip(HEADER[1:], r[1:4], values):
            if raw not in (None, "") and pd.isna(value):
                raise UpstreamFormatError(f"{what}: field {label!r} holds {raw!r} on {pd.Timestamp(date):%Y-%m-%d}")
        records.append((date, values[0], values[1], values[2]))
    table = pd.DataFrame.from_records(records, columns=list(_COLUMNS))
    return tidy_shares(table, ticker=ticker, what=what, error=UpstreamFormatError)
