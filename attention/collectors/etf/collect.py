"""Collect shares outstanding from the issuers, politely, through the store.

Each fund goes to its issuer's adapter: State Street SPDR funds cost one
request each (the workbook holds the fund's whole history); iShares funds
cost one request per trading day (the holdings CSV holds one day), planned
on the exchange's calendar so weekends and holidays are never asked for.
Every answer passes its parser before it is stored as good, so an
interrupted backfill resumes with nothing lost and no date fetched twice,
and an answer that is not a valid file (a captcha, the site's HTML page) is
never served from the store: the next run asks again.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..._typing import DateLike, StrPath
from ..._validate import utc_day
from ...errors import DataError, UpstreamFormatError
from ...schema import validate_observations
from .._http import HttpClient, Politeness
from ._calendar import trading_days
from ._table import SOURCE, empty_shares, tidy_shares
from .ishares import ISHARES_PRODUCTS, holdings_record, holdings_url
from .spdr import SPDR_TICKERS, navhist_url, parse_spdr_navhist

if TYPE_CHECKING:
    from tqdm import tqdm

    from ...store import Store

__all__ = ["ISSUERS", "collect_etf_shares"]

#: ticker -> issuer adapter ("spdr" or "ishares").
ISSUERS = {**{t: "spdr" for t in SPDR_TICKERS}, **{t: "ishares" for t in ISHARES_PRODUCTS}}
#: One request a second plus jitter: issuer sites are not APIs and say nothing about quotas.
ISSUER_POLITENESS = Politeness(pace=1.0, jitter=0.5, max_retries=4, backoff=10.0, max_wait=600.0)


def _tickers(tickers: str | Iterable[str]) -> list[str]:
    if isinstance(tickers, str):
        tickers = [tickers]
    try:
        wanted = list(dict.fromkeys(str(t).strip().upper() for t in tickers))
    except TypeError:
        raise DataError(f"tickers: expected a ticker or a list of tickers, got {tickers!r}") from None
    if not wanted or "" in wanted:
        raise DataError(f"tickers: expected non-empty tickers, got {tickers!r}")
    unknown = [t for t in wanted if t not in ISSUERS]
    if unknown:
        raise DataError(
            f"tickers: no issuer collector for {unknown}; collectors exist for SPDR {list(SPDR_TICKERS)} and "
            f"iShares {sorted(ISHARES_PRODUCTS)}. Download the fund's shares history (e.g. Invesco's QQQ page) "
            "and read it with attention.read_etf_shares(); docs/flows.md lists the sources"
        )
    return wanted


class _Run:
    """One collection: the client, the store, the counts and the progress bar."""

    def __init__(self, http: HttpClient, store: Store | None, bar: tqdm[Any] | None) -> None:
        self.http, self.store, self.bar = http, store, bar
        self.fetched = self.cached = self.skipped = 0

    def _note(self) -> None:
        kept = ("every answer so far is in the store: rerun with the same store to resume"
                if self.store is not None else "no store was given, so pass store= to keep answers across runs")
        self.http.progress = f"{self.fetched} files fetched, {self.cached} read from the store before this one; {kept}"

    def _tick(self) -> None:
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(fetched=self.fetched, cached=self.cached, skipped=self.skipped, refresh=False)

    def spdr(self, ticker: str, end: pd.Timestamp) -> pd.DataFrame:
        key = f"{SOURCE}:spdr:{ticker}"

        def check(body: str) -> pd.DataFrame:
            return parse_spdr_navhist(base64.b64decode(body), ticker=ticker)

        hit = self.store.get_response(key) if self.store is not None else None
        # The workbook is the whole history up to the day it was fetched: fetched after `end`, it covers it.
        if hit is not None and hit["fetched_at"].tz_convert(None).normalize() > end:
            self.cached += 1
            self._tick()
            return check(hit["body"])
        self._note()
        url = navhist_url(ticker)
        body = base64.b64encode(self.http.request("get", url).content).decode("ascii")
        self.fetched += 1
        request = {"issuer": "spdr", "ticker": ticker, "url": url}
        if self.store is None:
            frame = check(body)
        else:
            frame = self.store.put_response(key, source=SOURCE, request=request, status=200, body=body, validate=check)
        self._tick()
        return frame

    def ishares(self, ticker: str, day: pd.Timestamp) -> dict[str, Any] | None:
        """One day's record (date, shares), or None for a day without holdings."""
        key = f"{SOURCE}:ishares:{ticker}:{day:%Y%m%d}"

        def check(body: str) -> dict[str, Any] | None:
            return holdings_record(body, ticker=ticker, date=day)

        hit = self.store.get_response(key) if self.store is not None else None
        if hit is not None:
            self.cached += 1
            record = check(hit["body"])
        else:
            self._note()
            url = holdings_url(ticker, day)
            body = self.http.request("get", url).text
            self.fetched += 1
            request = {"issuer": "ishares", "ticker": ticker, "date": f"{day:%Y-%m-%d}", "url": url}
            record = (check(body) if self.store is None else
                      self.store.put_response(key, source=SOURCE, request=request, status=200, body=body,
                                              validate=check))
        # No holdings that day (a closure the calendar does not know), or another day's file: not this day's data.
        if record is None or record["date"] != day:
            self.skipped += 1
            record = None
        self._tick()
        return record


def collect_etf_shares(
    tickers: str | Iterable[str], start: DateLike | None = None, end: DateLike | None = None, *,
    store: Store | StrPath | None = None, session: Any = None, politeness: Politeness | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Daily shares outstanding (and NAV where the issuer gives it) of ETFs, from their issuers.

    Parameters
    ----------
    tickers : str or list of str
        Funds with a collector: State Street SPDR (SPY, XLB, XLC, XLE, XLF,
        XLI, XLK, XLP, XLRE, XLU, XLV, XLY) and iShares (IJR, IVV, IWB,
        IWM). Others (QQQ, Vanguard funds): :func:`read_etf_shares`.
    start, end : date-like, optional
        Inclusive range; ``end`` defaults to today, ``start`` to a year before.
    store : Store, str or Path, optional
        Keeps every validated answer. A rerun with the same store sends no
        request already answered: iShares days are never fetched twice, and a
        SPDR workbook fetched after ``end`` is reused.
    session : requests.Session-like, optional
        The HTTP session (``attention.testing.FakeSPDR`` / ``FakeIShares``
        offline).
    politeness : Politeness, optional
        Pacing, retries and backoff (default: one request a second).
    progress : bool
        Show a progress bar over the files needed.

    Returns
    -------
    DataFrame
        Tidy observations, source ``etf_shares``, term = ticker, dated by the
        issuer's as-of date: ``shares_outstanding`` for every fund, ``nav``
        and ``total_net_assets`` for SPDR funds (iShares' holdings files carry
        no NAV: pass closing prices to :func:`attention.etf_flows`).
        ``frame.attrs["etf_shares"]`` records each fund's issuer and how many
        files were fetched, read from the store and skipped (days without
        holdings), and the requests sent.

    Raises
    ------
    DataError
        For unknown tickers (the message points to :func:`read_etf_shares`)
        or bad dates.
    UpstreamFormatError
        If an answer is not the issuer's file: a captcha or the site's HTML
        page (iShares may now serve only that: the message says so and points
        to :func:`read_etf_shares`), a moved header, no ``Shares
        Outstanding`` line, a NAV that is not positive, a gap of missing
        dates. Nothing of that answer is stored as good; the next run asks
        again.
    RateLimitError
        When the issuer keeps answering 429; everything fetched before is in
        the store.

    Examples
    --------
    >>> from attention.testing import FakeSPDR
    >>> from attention.collectors._http import Politeness
    >>> frame = collect_etf_shares("XLK", "2026-01-05", "2026-01-09", session=FakeSPDR(),
    ...                            politeness=Politeness(pace=0))
    >>> frame.attrs["etf_shares"]["fetched"], sorted(frame["metric"].unique())
    (1, ['nav', 'shares_outstanding', 'total_net_assets'])
    """
    wanted = _tickers(tickers)
    today = pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
    last = utc_day(end, "end") if end is not None else today
    first = utc_day(start, "start") if start is not None else last - pd.Timedelta(days=365)
    if first > last:
        raise DataError(f"start: expected a date on or before end ({last:%Y-%m-%d}), got {first:%Y-%m-%d}")
    from ...store import _opened

    days = trading_days(first, last)
    total = sum(1 if ISSUERS[t] == "spdr" else len(days) for t in wanted)
    bar = _progress_bar(total) if progress else None
    http = HttpClient(SOURCE, session=session, politeness=politeness or ISSUER_POLITENESS, name="ETF issuer")
    frames: list[pd.DataFrame] = []
    with _opened(store) as opened:
        run = _Run(http, opened, bar)
        try:
            for ticker in wanted:
                if ISSUERS[ticker] == "spdr":
                    http.name = "State Street SPDR"
                    frames.append(run.spdr(ticker, last))
                else:
                    http.name = "iShares"
                    records = [r for r in (run.ishares(ticker, day) for day in days) if r is not None]
                    if records:
                        table = pd.DataFrame(records).drop(columns="ticker")
                        frames.append(tidy_shares(table, ticker=ticker, error=UpstreamFormatError,
                                                  what=f"iShares {ticker} holdings {first:%Y-%m-%d}..{last:%Y-%m-%d}"))
            frame = pd.concat(frames, ignore_index=True) if frames else empty_shares()
            naive = frame["date"].dt.tz_convert(None)
            frame = validate_observations(frame[(naive >= first) & (naive <= last)])
            meta: dict[str, Any] = {"issuers": {t: ISSUERS[t] for t in wanted}, "fetched": run.fetched,
                                    "cached": run.cached, "skipped": run.skipped, "requests": http.sent,
                                    "trading_days": len(days)}
            if opened is not None and not frame.empty:
                label = json.dumps({"tickers": wanted, "start": f"{first:%Y-%m-%d}", "end": f"{last:%Y-%m-%d}"})
                meta["run"] = f"{SOURCE}:" + hashlib.sha256(label.encode()).hexdigest()[:16]
                opened.put_observations(frame, run=meta["run"])
        finally:
            if bar is not None:
                bar.close()
    frame.attrs["etf_shares"] = meta
    return frame


def _progress_bar(total: int) -> tqdm[Any] | None:
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, desc="ETF shares", unit="file")
