"""iShares funds: the holdings CSV, one request per trading day.

iShares serves each fund's holdings for a date at
``.../<product>/1467271812596.ajax?fileType=csv&fileName=<TICKER>_holdings&dataType=fund&asOfDate=YYYYMMDD``.
The CSV opens with a header block - the fund's name, ``Fund Holdings as
of,"May 05, 2026"``, ``Inception Date``, ``Shares Outstanding,"278,750,000.00"``,
asset-class lines and a blank line - then the holdings table and a quoted
disclaimer. It carries no NAV. For a date with no holdings (a weekend or
holiday) the ``Fund Holdings as of`` value is empty (public clients of the
endpoint step back a day when it is); ``-`` is read the same way. Public reports from 2026
disagree on whether the endpoint still serves the CSV or only the site's
HTML page; the parser tells the two apart.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pandas as pd

from ..._typing import DateLike
from ...errors import UpstreamFormatError
from ._table import empty_shares, tidy_shares, to_number

__all__ = ["ISHARES_PRODUCTS", "holdings_url", "parse_ishares_holdings"]

#: Product path of each fund on ishares.com (the number is the fund's product id).
ISHARES_PRODUCTS = {
    "IJR": "239774/ishares-core-sp-small-cap-etf",
    "IVV": "239726/ishares-core-sp-500-etf",
    "IWB": "239707/ishares-russell-1000-etf",
    "IWM": "239710/ishares-russell-2000-etf",
}
HOLDINGS_URL = (
    "https://www.ishares.com/us/products/{product}/1467271812596.ajax"
    "?fileType=csv&fileName={ticker}_holdings&dataType=fund&asOfDate={date:%Y%m%d}"
)
READ_HINT = "download the fund's holdings or NAV history from its page and read it with attention.read_etf_shares()"


def holdings_url(ticker: str, date: DateLike) -> str:
    """The holdings CSV's address for ``ticker`` on ``date``.

    Examples
    --------
    >>> holdings_url("IWM", "2026-01-16").rsplit("?", 1)[1]
    'fileType=csv&fileName=IWM_holdings&dataType=fund&asOfDate=20260116'
    """
    return HOLDINGS_URL.format(product=ISHARES_PRODUCTS[ticker.upper()], ticker=ticker.upper(),
                               date=pd.Timestamp(date))


def _name(ticker: str | None, date: DateLike | None) -> str:
    day = f" {pd.Timestamp(date):%Y-%m-%d}" if date is not None else ""
    return f"iShares {ticker or ''}_holdings.csv{day}".replace(" _", " ")


def is_html(text: str) -> bool:
    """Whether an answer is a web page rather than a CSV (the site's shell, a captcha, an error page)."""
    head = text.lstrip("\ufeff \r\n\t")[:512].lower()
    return head.startswith(("<!doctype", "<html", "<?xml", "<head", "<body", "<")) or "<html" in head


def _header_block(text: str) -> dict[str, str]:
    """``label -> value`` of the lines above the holdings table."""
    block: dict[str, str] = {}
    for row in csv.reader(io.StringIO(text)):
        if not row or not row[0].strip():
            continue
        label = row[0].strip()
        if label == "Ticker" or label.startswith("Name") and "CUSIP" in row:
            break
        if len(row) >= 2:
            block[label] = row[1].strip()
        elif not block:
            block["fund"] = label
        if len(block) > 20:
            break
    return block


def parse_ishares_holdings(
    text: str | bytes, *, ticker: str | None = None, date: DateLike | None = None
) -> pd.DataFrame:
    """Tidy observations (one day) from an iShares holdings CSV.

    Parameters
    ----------
    text : str or bytes
        The CSV as downloaded (a UTF-8 byte-order mark is allowed).
    ticker : str, optional
        The fund; ``term`` of the observations (default: the fund's name).
    date : date-like, optional
        The date asked for, for messages.

    Returns
    -------
    DataFrame
        Observations (source ``etf_shares``) dated by ``Fund Holdings as
        of``: ``shares_outstanding``, and ``total_net_assets`` when the file
        has that line (older files). Empty when the file holds no trading
        day (``Fund Holdings as of`` left empty, as for weekends and holidays).

    Raises
    ------
    UpstreamFormatError
        If the answer is an HTML page (the site's shell or a captcha) instead
        of the CSV, or the header block lacks ``Fund Holdings as of`` or
        ``Shares Outstanding``, or a value there is not a date or a positive
        number. The message names the file and the field.

    Examples
    --------
    >>> from attention.testing import FakeIShares
    >>> body = FakeIShares().holdings_csv("IWM", "2026-01-16")
    >>> frame = parse_ishares_holdings(body, ticker="IWM")
    >>> frame["metric"].tolist(), f"{frame['date'].iloc[0]:%Y-%m-%d}"
    (['shares_outstanding'], '2026-01-16')
    """
    record = holdings_record(text, ticker=ticker, date=date)
    if record is None:
        return empty_shares()
    label = record.pop("ticker")
    return tidy_shares(pd.DataFrame([record]), ticker=label, what=_name(label, record["date"]), error=UpstreamFormatError)


def holdings_record(
    text: str | bytes, *, ticker: str | None = None, date: DateLike | None = None
) -> dict[str, Any] | None:
    """The header block's day, shares and (older files) net assets, checked; None for a day without holdings.

    The collector's per-day parser: :func:`parse_ishares_holdings` without
    building a frame for each day. Raises as it does.
    """
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8-sig", errors="replace")
    what = _name(ticker, date)
    if not isinstance(text, str) or not text.strip():
        raise UpstreamFormatError(f"{what}: the answer is empty")
    if is_html(text):
        raise UpstreamFormatError(
            f"{what}: iShares answered with its web site's HTML page, not the holdings CSV (since 2026 the "
            f"download address may only serve the site); {READ_HINT}"
        )
    block = _header_block(text.lstrip("\ufeff"))
    if "Fund Holdings as of" not in block:
        raise UpstreamFormatError(
            f"{what}: no 'Fund Holdings as of' line in the header block (lines seen: {list(block)[:6]}); "
            "this is not the holdings CSV layout"
        )
    as_of = block["Fund Holdings as of"]
    if as_of in ("", "-"):
        return None
    day = pd.to_datetime(as_of, format="%b %d, %Y", errors="coerce")
    if pd.isna(day):
        raise UpstreamFormatError(f"{what}: field 'Fund Holdings as of' holds {as_of!r}, not a date like 'May 05, 2026'")
    if "Shares Outstanding" not in block:
        raise UpstreamFormatError(f"{what}: no 'Shares Outstanding' line in the header block (lines seen: {list(block)})")
    shares = to_number(block["Shares Outstanding"])
    if not shares > 0:
        raise UpstreamFormatError(f"{what}: field 'Shares Outstanding' holds {block['Shares Outstanding']!r}, "
                                  "not a positive number")
    record = {"ticker": (ticker or block.get("fund", "")).upper() or "ISHARES", "date": day,
              "shares_outstanding": shares}
    if "Total Net Assets" in block:
        record["total_net_assets"] = to_number(block["Total Net Assets"])
    return record
