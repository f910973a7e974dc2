"""The live pipeline in one call: collect, score, test, check, report.

:func:`run` collects Google Trends and Reddit for the themes (resumable
through the store), takes prices (the shipped data, a DataFrame or CSV in
yfinance's layout, or live from yfinance), puts everything on Google's
weekly calendar, runs the feedback-loop test per theme and source, checks
the article's claims, and writes the report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from pathlib import Path

import numpy as np
import pandas as pd

from ._results import ResultMixin, fmt_p, new_axes
from ._typing import DateLike, RedditBackend, StrPath, ThemesArg
from .errors import DataError
from .themes import DEFAULT_THEMES, Theme, get_theme

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .claims import Claims
    from .collectors import Politeness
    from .correlation import FeedbackLoopResult
    from .store import Store

__all__ = ["PipelineResult", "run"]


@dataclass(frozen=True, eq=False, repr=False)
class PipelineResult(ResultMixin):
    """Everything :func:`run` collected and concluded.

    Attributes
    ----------
    observations : DataFrame
        Every tidy observation collected (Google Trends and Reddit).
    weekly : DataFrame
        The weekly panel the tests ran on: columns ``(theme, series)``.
    loops : dict
        ``(theme, source)`` -> FeedbackLoopResult.
    screen : DataFrame
        One row per loop: ``p_loop``, ``p_bh`` (Benjamini-Hochberg across
        the loops), ``supported``, ``n``.
    claims : Claims
        The article's claims (empty when not checked).
    notes : tuple of str
    report : Path or None
    flow_measures : dict
        Theme -> what its "flows" series is: net creations of named ETFs
        (from the issuers' shares outstanding) or the dollar-volume PROXY,
        with the reason the real flows were not used.

    Examples
    --------
    What :func:`run` returns: the data, the tests and the verdicts.

    >>> import dataclasses
    >>> [field.name for field in dataclasses.fields(PipelineResult)]  # doctest: +NORMALIZE_WHITESPACE
    ['observations', 'weekly', 'loops', 'screen', 'claims', 'notes', 'report', 'flow_measures']
    """

    observations: pd.DataFrame
    weekly: pd.DataFrame
    loops: dict[tuple[str, str], FeedbackLoopResult]
    screen: pd.DataFrame
    claims: Claims
    notes: tuple[str, ...]
    report: Path | None = field(default=None)
    flow_measures: dict[str, str] = field(default_factory=dict)

    def _key_numbers(self) -> dict[str, Any]:
        supported = int(self.screen["supported"].sum()) if "supported" in self.screen else 0
        return {"observations": len(self.observations), "loops": len(self.loops), "supported": supported,
                "claims": len(self.claims)}

    def to_frame(self) -> pd.DataFrame:
        return self.screen.copy()

    def summary(self) -> str:
        lines = ["Attention pipeline", ""]
        span = self.weekly.dropna(how="all")
        if not span.empty:
            lines.append(f"weeks {span.index[0]:%Y-%m-%d} to {span.index[-1]:%Y-%m-%d}, "
                         f"{self.observations['term'].nunique()} theme(s), sources: "
                         f"{', '.join(sorted(self.observations['source'].astype(str).unique()))}")
            lines.append("")
        if len(self.screen):
            lines.append(f"{'theme':<20}{'source':<15}{'flows':<11}{'n':>5}{'p_loop':>9}{'p_BH':>8}  supported")
            for (theme, source), r in self.screen.iterrows():
                kind = r.get("flows", "")
                lines.append(f"{theme:<20}{source:<15}{kind:<11}{int(r.n):>5}{fmt_p(r.p_loop):>9}{fmt_p(r.p_bh):>8}"
                             f"  {'yes' if r.supported else 'no'}")
            n_yes = int(self.screen["supported"].sum())
            lines += ["", f"{n_yes} of {len(self.screen)} loops supported after Benjamini-Hochberg at 5%."]
        else:
            lines.append("No feedback loop could be tested: too few weeks with attention, returns and flows.")
        if self.flow_measures:
            lines += ["", "Flows"] + [f"  {theme}: {measure}" for theme, measure in self.flow_measures.items()]
        if self.claims:
            lines += ["", "The article's claims:"]
            lines += [f"  [{c.verdict}] {c.claim}" for c in self.claims]
        lines += ["", "Notes"] + [f"- {n}" for n in self.notes]
        if self.report:
            lines += ["", f"Report: {self.report}"]
        return "\n".join(lines)

    def plot(self, ax: Axes | None = None) -> Figure:
        """Weekly attention per theme and source, each scaled to its own maximum."""
        fig, ax = new_axes(ax, figsize=(9, 4))
        attention = self.weekly.xs("attention level", axis=1, level=1, drop_level=False)
        for (theme, _), series in attention.items():
            s = series.dropna()
            if not s.empty and s.max() > 0:
                ax.plot(s.index, s / s.max(), label=theme)
        ax.set(ylabel="share of own maximum", title="Attention by theme (Google Trends, weekly)")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
        fig.autofmt_xdate()
        return fig

    def results(self) -> dict[str, ResultMixin]:
        """Title -> result, in reading order (what the report renders)."""
        out: dict[str, ResultMixin] = {"Attention by theme": self}
        for (theme, source), loop in self.loops.items():
            out[f"Feedback loop: {theme} ({source})"] = loop
        if self.claims:
            out["The article's claims"] = self.claims
        return out


def _themes(themes: ThemesArg) -> list[Theme]:
    if themes is None:
        return list(DEFAULT_THEMES)
    if isinstance(themes, (str, Theme)):
        themes = [themes]
    out = [t if isinstance(t, Theme) else get_theme(t) for t in themes]
    missing = [t.name for t in out if not t.ticker or not t.benchmark]
    if missing:
        raise DataError(f"themes: {missing} have no ticker and benchmark to test against")
    return out


def _prices(prices: pd.DataFrame | StrPath | None, tickers: list[str], start: pd.Timestamp | None,
            end: pd.Timestamp) -> pd.DataFrame:
    from .datasets import PRICE_TICKERS, load_prices
    from .market import load_yfinance

    if prices is None:
        unknown = [t for t in tickers if t not in PRICE_TICKERS]
        if unknown:
            raise DataError(f"prices: {unknown} are not shipped; pass prices= a DataFrame, a CSV path or 'yfinance'")
        return load_prices(tickers)
    if isinstance(prices, str) and prices == "yfinance":
        return load_yfinance(tickers, start, end + pd.Timedelta(days=1))
    if isinstance(prices, (str, Path)):
        try:
            frame = pd.read_csv(prices, header=[0, 1], index_col=0, parse_dates=True)
        except (OSError, ValueError) as exc:
            raise DataError(f"prices: cannot read {prices} as a yfinance-layout CSV ({exc})") from None
        return frame
    if not isinstance(prices, pd.DataFrame) or not isinstance(prices.columns, pd.MultiIndex):
        raise DataError("prices: expected a DataFrame in yfinance's layout (columns (field, ticker)), a CSV path, "
                        "'yfinance' or None")
    return prices


def _weekly_market(prices: pd.DataFrame, theme: Theme, creations: pd.Series | None = None) -> dict[str, pd.Series]:
    """Weekly relative returns and flows: ``creations`` when given, else the dollar-volume proxy."""
    from .market import abnormal_dollar_volume_proxy, log_returns, to_google_weeks

    try:
        close = prices["Close"][[theme.ticker, theme.benchmark]].dropna()
        volume = prices["Volume"][theme.ticker].dropna()
    except KeyError:
        raise DataError(f"prices: need Close of {theme.ticker!r} and {theme.benchmark!r} and Volume of "
                        f"{theme.ticker!r} for theme {theme.name!r}") from None
    daily = log_returns(close)
    relative = to_google_weeks(daily[theme.ticker] - daily[theme.benchmark], "sum")
    if creations is None:
        flows = abnormal_dollar_volume_proxy(close[theme.ticker], volume, weekly=True)
        flows = flows.rename(f"{theme.ticker} abnormal dollar volume (PROXY, not flows)")
    else:
        flows = creations
    return {"returns": relative.rename(f"{theme.ticker} minus {theme.benchmark}, weekly log return"), "flows": flows}


def _collect_shares(
    chosen: list[Theme], start: pd.Timestamp, end: pd.Timestamp, *, store: Store | None, session: Any,
    politeness: Politeness | None, progress: bool,
) -> tuple[pd.DataFrame | None, dict[str, str]]:
    """Shares outstanding of the themes' flow ETFs that have a collector; ticker -> why not, for the rest."""
    from .collectors.etf import ISSUERS, collect_etf_shares
    from .errors import AttentionError

    frames: list[pd.DataFrame] = []
    failed: dict[str, str] = {}
    for ticker in sorted({t for th in chosen for t in th.flow_etfs}):
        if ticker not in ISSUERS:
            failed[ticker] = "no issuer collector (pass flows= from read_etf_shares)"
            continue
        try:
            # Two weeks before the start: the first week's flow needs the count before it.
            frames.append(collect_etf_shares(ticker, start - pd.Timedelta(days=14), end, store=store,
                                             session=session, politeness=politeness, progress=progress))
        except AttentionError as exc:
            failed[ticker] = f"{type(exc).__name__}: {exc}"
    return (pd.concat(frames, ignore_index=True) if frames else None), failed


def _collect_sectors(
    as_of: DateLike, *, store: Store | None, session: Any, politeness: Politeness | None
) -> tuple[pd.DataFrame | None, str]:
    """The SPDR sector funds' NAVs over the article's year (eleven requests), or None and why not."""
    from .claims import SECTOR_FUNDS
    from .collectors.etf import collect_etf_shares
    from .errors import AttentionError

    day = pd.Timestamp(as_of)
    try:
        return collect_etf_shares(list(SECTOR_FUNDS), pd.Timestamp(day.year - 1, 12, 1), day, store=store,
                                  session=session, politeness=politeness), ""
    except AttentionError as exc:
        return None, f"{type(exc).__name__}: {exc}"


def _weekly_creations(
    theme: Theme, shares: pd.DataFrame | None, prices: pd.DataFrame, failed: dict[str, str]
) -> tuple[pd.Series | None, str]:
    """The theme's weekly net creations (% of assets of its flow ETFs), or None and why not."""
    import warnings

    from .errors import AttentionError, AttentionWarning
    from .market import etf_flows
    from .schema import to_wide

    if not theme.flow_etfs:
        return None, "the theme names no flow ETFs"
    have = [] if shares is None else [t for t in theme.flow_etfs if t in set(shares["term"])]
    why = [f"{t}: {failed[t]}" for t in theme.flow_etfs if t in failed]
    if shares is None or not have:
        return None, "no shares outstanding for " + ", ".join(theme.flow_etfs) + (f" ({'; '.join(why)})" if why else "")
    obs = shares[shares["term"].isin(have)]
    so = to_wide(obs, metric="shares_outstanding", source="etf_shares")
    so.index = so.index.tz_convert(None)
    nav = (to_wide(obs, metric="nav", source="etf_shares") if (obs["metric"] == "nav").any()
           else pd.DataFrame(index=so.index))
    nav.index = nav.index.tz_convert(None) if nav.index.tz is not None else nav.index
    nav = nav.reindex(index=so.index, columns=have)
    close = prices["Close"] if "Close" in prices.columns.get_level_values(0) else pd.DataFrame()
    kept: list[str] = []
    stand_in: list[str] = []
    for t in have:
        if nav[t].isna().all() and t in close.columns:
            nav[t] = close[t].reindex(so.index)  # iShares files carry no NAV; the close is within bps of it
            stand_in.append(t)
        if nav[t].notna().any():
            kept.append(t)
    if not kept:
        return None, f"no NAV or closing price for {', '.join(have)}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", AttentionWarning)  # split days are counted in the label instead
            weekly = etf_flows(so[kept], nav[kept], unit="percent", weekly=True, total=True)
    except AttentionError as exc:
        return None, f"flows could not be computed ({exc})"
    splits = weekly.attrs["splits"]
    label = f"net creations of {'+'.join(kept)}, % of assets (issuers' shares outstanding x NAV)"
    if stand_in:
        label += f"; closing price as NAV for {', '.join(stand_in)}"
    dropped = [t for t in have if t not in kept]
    if dropped:
        label += f"; without {', '.join(dropped)} (no NAV in its files and no closing price in prices=)"
    if why:
        label += f"; without {'; '.join(why)}"
    if splits:
        label += f"; {len(splits)} split day(s) left out"
    return weekly.rename(f"{'+'.join(kept)} net creations, % of assets"), label


def _given_shares(flows: pd.DataFrame | str | None) -> pd.DataFrame | None:
    """``flows=`` as ETF shares observations, or None for "collect" and "proxy"."""
    if flows is None or (isinstance(flows, str) and flows == "proxy"):
        return None
    if isinstance(flows, pd.DataFrame) and "metric" in flows.columns:
        from .schema import validate_observations

        obs = validate_observations(flows)
        if not (obs["source"] == "etf_shares").any():
            raise DataError("flows: the observations hold no source 'etf_shares' (use read_etf_shares or "
                            "collect_etf_shares)")
        return obs[obs["source"] == "etf_shares"]
    raise DataError(f"flows: expected None (collect), 'proxy' or observations from read_etf_shares / "
                    f"collect_etf_shares, got {type(flows).__name__}")


def _weekly_attention(observations: pd.DataFrame, theme: Theme) -> dict[str, tuple[pd.Series, pd.Series]]:
    """Weekly attention series of one theme from each source that has any."""
    from .market import to_google_weeks
    from .scoring import abnormal_mentions, log_change

    out: dict[str, tuple[pd.Series, pd.Series]] = {}
    obs = observations[observations["term"] == theme.name]
    google = obs[(obs["source"] == "google_trends") & (obs["metric"] == "search_interest")]
    if not google.empty:
        level = to_google_weeks(google.set_index("date")["value"], "mean").rename("attention level")
        out["google_trends"] = (level, log_change(level).rename(f"dlog Google search '{theme.google_query}'"))
    reddit = obs[(obs["source"] == "reddit") & (obs["metric"] == "mentions")]
    if not reddit.empty:
        counts = to_google_weeks(reddit.set_index("date")["value"], "sum")
        out["reddit"] = (counts, abnormal_mentions(counts.fillna(0)).rename(f"abnormal Reddit mentions of {theme.name}"))
    return out


def run(
    themes: ThemesArg = None,
    start: DateLike | None = None,
    end: DateLike | None = None,
    *,
    prices: pd.DataFrame | StrPath | None = None,
    google: bool = True,
    reddit: bool = True,
    reddit_backend: RedditBackend = "arctic_shift",
    subreddits: Iterable[str] | None = None,
    store: Store | StrPath | None = None,
    google_session: Any = None,
    reddit_session: Any = None,
    politeness: Politeness | None = None,
    lags: int = 2,
    n_surrogates: int = 999,
    seed: int = 0,
    check_claims: bool = True,
    as_of: DateLike = "2026-01-16",
    report: StrPath | None = None,
    progress: bool = False,
    flows: pd.DataFrame | Literal["proxy"] | None = None,
    etf_session: Any = None,
) -> PipelineResult:
    """Collect, score and test attention to market themes, then check the article.

    Parameters
    ----------
    themes : list of Theme or str, optional
        Defaults to the three default themes.
    start, end : date-like
        The weeks to study; ``end`` defaults to the last shipped price date.
    prices : DataFrame, str, Path or "yfinance", optional
        Prices in yfinance's layout; by default the shipped data.
    google, reddit : bool
        Which sources to collect.
    reddit_backend : {"arctic_shift", "praw"}
    subreddits : sequence of str, optional
    store : Store, str or Path, optional
        Keeps every raw answer: an interrupted run resumes.
    google_session, reddit_session : session-like, optional
        Injected transports (``attention.testing.FakeGoogleTrends`` and
        ``FakeArcticShift`` run the pipeline offline).
    politeness : Politeness, optional
    lags, n_surrogates, seed :
        Passed to :func:`attention.feedback_loop`.
    check_claims : bool
        Check the January 2026 article's claims (on the shipped prices).
    as_of : date-like
        Date of the article checks.
    report : str or Path, optional
        Folder to write the HTML report into.
    progress : bool
    flows : None, "proxy" or DataFrame, optional
        The loop's "flows" node. ``None`` (default): collect the shares
        outstanding of each theme's ``flow_etfs`` from their issuers
        (:func:`attention.collect_etf_shares`) and use net creations as % of
        assets; a theme whose funds cannot be collected falls back to the
        dollar-volume PROXY, said so in ``flow_measures``, the summary, the
        notes and the report. SPDR funds cost one request each; iShares
        funds one per trading day (about 1,500 for IWM and IJR over three
        years, some 40 minutes at the default pace, resumable through the
        store). ``"proxy"``: the proxy for every theme.
        Observations from :func:`attention.read_etf_shares` (or a previous
        collection): used as they are, nothing collected.
    etf_session : session-like, optional
        Injected transport of the ETF issuers (``attention.testing.FakeIssuers``).

    Returns
    -------
    PipelineResult

    Raises
    ------
    DataError
        For bad arguments or prices lacking a theme's tickers.
    CollectorError
        When a source fails; everything fetched before is in the store.

    Examples
    --------
    Offline: Google answered by a fake, the shipped prices, the dollar-volume proxy for flows:

    >>> from attention.collectors import Politeness
    >>> from attention.testing import FakeGoogleTrends, latent_attention
    >>> google = FakeGoogleTrends(latent_attention(["small cap stocks"], seed=2), seed=2)
    >>> result = run(["small-cap stocks"], "2022-01-02", "2025-12-27", reddit=False, flows="proxy",
    ...              check_claims=False, google_session=google, politeness=Politeness(pace=0), n_surrogates=99,
    ...              seed=1)
    >>> result
    PipelineResult(observations=624, loops=1, supported=0, claims=0)
    >>> loop = result.screen.loc[("small-cap stocks", "google_trends")]
    >>> int(loop["n"]), bool(loop["p_loop"] > 0.2)  # made-up searches do not drive real prices
    (205, True)
    """
    from .claims import Claims, check_article
    from .collectors import collect_google_trends, collect_reddit
    from .collectors.reddit import DEFAULT_SUBREDDITS
    from .correlation import feedback_loop
    from .correlation._screen import bh_screen
    from .store import _opened

    chosen = _themes(themes)
    if not (google or reddit):
        raise DataError("google, reddit: at least one source must be collected")
    tickers = sorted({t for th in chosen for t in (th.ticker, th.benchmark) if t is not None})  # both checked
    asked_end = pd.Timestamp(end) if end is not None else None
    asked_start = pd.Timestamp(start) if start is not None else None
    price_data = _prices(prices, tickers, asked_start, asked_end or pd.Timestamp.now().normalize())
    last_price = price_data.dropna(how="all").index.max()
    last = asked_end if asked_end is not None else last_price
    first = asked_start if asked_start is not None else last - pd.Timedelta(days=3 * 365)
    if first >= last:
        raise DataError(f"start: expected a date before end ({last:%Y-%m-%d}), got {first:%Y-%m-%d}")

    shares, sectors = _given_shares(flows), None
    failed: dict[str, str] = {}
    proxy_only = isinstance(flows, str) and flows == "proxy"
    frames: list[pd.DataFrame] = []
    notes: list[str] = []
    with _opened(store) as opened:
        if google:
            frames.append(collect_google_trends(chosen, first, last, resolution="weekly", store=opened,
                                                session=google_session, politeness=politeness, progress=progress))
        if reddit:
            frames.append(collect_reddit(chosen, tuple(subreddits or DEFAULT_SUBREDDITS), first, last,
                                         backend=reddit_backend, store=opened, session=reddit_session,
                                         politeness=politeness, progress=progress))
        if flows is None:
            shares, failed = _collect_shares(chosen, first, last, store=opened, session=etf_session,
                                             politeness=politeness, progress=progress)
            if check_claims:
                sectors, why_not = _collect_sectors(as_of, store=opened, session=etf_session, politeness=politeness)
                if why_not:
                    notes.append(f"The sector claim is not checked: the SPDR sector funds could not be collected"
                                 f" ({why_not}).")
    observations = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    panel: dict[tuple[str, str], pd.Series] = {}
    loops: dict[tuple[str, str], FeedbackLoopResult] = {}
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    measures: dict[str, str] = {}
    rng = np.random.default_rng(seed)
    for theme in chosen:
        creations: pd.Series | None
        if proxy_only:
            creations, measure = None, "flows='proxy' was asked for"
        else:
            creations, measure = _weekly_creations(theme, shares, price_data, failed)
        if creations is None:
            measure = (f"PROXY - abnormal dollar volume of {theme.ticker}, how much trades, not whether money "
                       f"flows in or out ({measure})")
        measures[theme.name] = measure
        market = _weekly_market(price_data, theme, creations)
        panel[(theme.name, "returns")] = market["returns"]
        panel[(theme.name, "flows")] = market["flows"]
        for source, (level, score) in _weekly_attention(observations, theme).items():
            if source == "google_trends":
                panel[(theme.name, "attention level")] = level
            panel[(theme.name, f"attention {source}")] = score
            try:
                loop = feedback_loop(score, **market, lags=lags, n_surrogates=n_surrogates, seed=rng)
            except DataError as exc:
                notes.append(f"{theme.name} ({source}): loop not tested - {exc}")
                continue
            loops[(theme.name, source)] = loop
            rows[(theme.name, source)] = {"n": int(loop.links["n"].iloc[0]), "p_loop": loop.p_loop}
    screen = pd.DataFrame.from_dict(rows, orient="index", columns=["n", "p_loop"])
    if len(screen):
        screen.index = pd.MultiIndex.from_tuples(screen.index, names=["theme", "source"])
        screen = bh_screen(screen)
        screen["flows"] = [("PROXY" if measures[name].startswith("PROXY") else "creations") for name, _ in screen.index]
    weekly = pd.DataFrame(panel).loc[first - pd.Timedelta(days=7): last]
    for name, measure in measures.items():
        notes.append(f"Flows of {name}: {measure}.")
    notes.append("Returns are the theme ETF's weekly log return minus its benchmark's (e.g. IWM minus SPY).")

    # The article is about January 2026, which the shipped prices cover whatever prices the loops used.
    claims = check_article(None, as_of, sectors=sectors) if check_claims else Claims(())

    result = PipelineResult(observations, weekly, loops, screen, claims, tuple(notes), flow_measures=measures)
    if report is not None:
        from dataclasses import replace

        from .report import write_report

        path = write_report(result.results(), report, title="market-attention: attention, flows and returns",
                            notes=result.notes)
        result = replace(result, report=path)
    return result
