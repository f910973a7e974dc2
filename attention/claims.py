"""The January 2026 small-cap story's checkable claims, checked on prices.

The story: the Russell 2000 raced ahead of the S&P 500 in January 2026,
beating it day after day. Two claims can be settled with prices alone:

- :func:`ytd_gap` - how far apart the two were year-to-date on a date;
- :func:`streak_record` - how long the run of days on which small caps beat
  large caps was on a date, and when an equal or longer run was last seen.

:func:`outperformance_streaks` lists every such run for your own questions.
Every check uses only prices up to its ``as_of`` date. Results depend on the
large-cap series: an ETF (SPY) is not the index (^GSPC), and each result
names the series it used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._results import ResultMixin, fmt_p, new_axes
from ._validate import align, as_series, positive_int, random_generator, utc_day
from ._typing import DateLike
from .errors import DataError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["ARTICLE_CLAIMS", "CHARTS", "SECTOR_FUNDS", "ClaimResult", "Claims", "check_article",
           "outperformance_streaks", "streak_record", "ytd_gap"]


@dataclass(frozen=True, eq=False, repr=False)
class ClaimResult(ResultMixin):
    """One claim, the number that settles it, and the evidence behind it.

    Attributes
    ----------
    claim : str
        What is being checked, in words.
    value : float
        The number that answers it (unit in ``unit``).
    unit : str
    finding : str
        The answer in one sentence, naming the series used.
    evidence : dict
        The inputs behind ``value`` (dates, returns, streak ends...).
    series : DataFrame
        The data the claim is about, drawn by :meth:`plot` as ``chart`` says.
    verdict : str
        "supported", "not supported" or "not checkable" for the article's
        claims; empty for a plain measurement.
    id : str
        A stable key (``"ytd_gap"``, ``"streak"``...), the same in every run
        and in JSON output.
    title : str
        A short name for headings; the claim itself when empty.
    chart : {"levels", "bars", "line", "scatter"}
        What ``series`` holds, and so how :meth:`plot` draws it: ``"levels"``
        are prices, drawn as the percent change of each column since its
        first observation; ``"bars"`` are returns, one bar per row (per year
        for annual data); ``"line"`` are returns drawn as they are; and
        ``"scatter"`` draws the second column against the first, one point
        per row. Returns are drawn in percent and never rebased.

    Examples
    --------
    >>> from attention.datasets import load_prices
    >>> close = load_prices(["^RUT", "SPY"])["Close"]
    >>> gap = ytd_gap(close["^RUT"], close["SPY"], as_of="2026-01-16")
    >>> gap  # doctest: +NORMALIZE_WHITESPACE
    ClaimResult(id='ytd_gap', claim='Year-to-date gap, ^RUT minus SPY', value=6.462, unit='percentage points',
                verdict='')
    >>> f"{gap.evidence['ytd_^RUT']:.1%} against {gap.evidence['ytd_SPY']:.1%}"
    '7.9% against 1.4%'
    """

    claim: str
    value: float
    unit: str
    finding: str
    evidence: dict[str, Any]
    series: pd.DataFrame
    verdict: str = ""
    id: str = ""
    title: str = ""
    chart: str = "levels"

    def __post_init__(self) -> None:
        if self.chart not in CHARTS:
            raise DataError(f"chart: expected one of {CHARTS}, got {self.chart!r}")

    @property
    def heading(self) -> str:
        """The short title, or the claim when there is none."""
        return self.title or self.claim

    def evidence_rows(self) -> list[tuple[str, str]]:
        """The evidence as (label, formatted value) pairs, in order, for tables."""
        return [_evidence_row(k, v) for k, v in self.evidence.items()]

    def _key_numbers(self) -> dict[str, Any]:
        return {"id": self.id, "claim": self.claim, "value": self.value, "unit": self.unit, "verdict": self.verdict}

    def summary(self) -> str:
        import textwrap

        head = f"[{self.verdict}] " if self.verdict else ""
        lines = [head + self.claim, textwrap.fill(self.finding, 100, initial_indent="  ", subsequent_indent="  ")]
        rows = self.evidence_rows()
        width = max((len(label) for label, _ in rows), default=0)
        lines += [f"  {label:<{width}}  {value}" for label, value in rows]
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        row = {"id": self.id, "claim": self.claim, "verdict": self.verdict, "value": self.value,
               "unit": self.unit, **self.evidence}
        return pd.DataFrame([row])

    def report_html(self, figure: Callable[[Any], str] | None = None) -> str:
        """The claim as HTML: the claim quoted, verdict and finding, evidence table, figure.

        ``figure`` turns a result into an ``<img>`` tag (the report passes
        its own); without it the section has no figure.
        """
        import html

        parts = []
        if self.title and self.title != self.claim:
            parts.append(f"<blockquote>{html.escape(self.claim)}</blockquote>")
        badge = _badge(self.verdict) + " " if self.verdict else ""
        parts.append(f"<p>{badge}{html.escape(self.finding)}</p>")
        rows = "".join(f"<tr><th scope='row'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                       for k, v in self.evidence_rows())
        if rows:
            parts.append(f"<table class='evidence'><caption>Evidence</caption>{rows}</table>")
        if figure is not None and not self.series.dropna(how="all").empty:
            parts.append(figure(self))
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        import html

        return f"<h4>{html.escape(self.heading)}</h4>\n{self.report_html()}"

    def plot(self, ax: Axes | None = None) -> Figure:
        """Draw ``series`` as ``chart`` says: price levels as percent change, returns as returns."""
        fig, ax = new_axes(ax, figsize=(8, 4))
        data = self.series.dropna(how="all")
        if data.empty:
            ax.text(0.5, 0.5, "not checkable with these data", ha="center", va="center")
            ax.set_axis_off()
            return fig
        draw = {"levels": _draw_levels, "bars": _draw_bars, "line": _draw_line, "scatter": _draw_scatter}
        draw[self.chart](ax, data, self.evidence)
        if isinstance(data.index, pd.DatetimeIndex) and self.chart in ("levels", "line"):
            import matplotlib.dates as mdates

            locator = mdates.AutoDateLocator(maxticks=8)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
        return fig


#: How :meth:`ClaimResult.plot` can draw a claim's series.
CHARTS = ("levels", "bars", "line", "scatter")
# Artists that are not data (zero lines, averages) carry this gid, so readers of a figure can tell them apart.
REFERENCE = "reference"


def _draw_levels(ax: Axes, data: pd.DataFrame, evidence: dict[str, Any]) -> None:
    # Prices are levels: compare them as the change since the first date each column has.
    change = 100 * (data / data.bfill().iloc[0] - 1)
    for col in change:
        s = change[col].dropna()
        ax.plot(s.index, s.to_numpy(), label=str(col))
    start: Any = evidence.get("streak_start")
    end: Any = evidence.get("streak_end")
    if start is not None:
        ax.axvspan(start, end, color="#f2d7a6", alpha=0.6, label="streak")
    ax.axhline(0, color="grey", lw=0.8, gid=REFERENCE)
    ax.set(ylabel=f"change since {data.index[0]:%Y-%m-%d}, %", title=_title(data))


def _title(data: pd.DataFrame, default: str = "") -> str:
    """The chart's title: the columns' name when set (what they measure), else the columns."""
    if data.columns.name:
        return str(data.columns.name)
    return default or " and ".join(map(str, data.columns))


def _years(index: pd.Index) -> np.ndarray[Any, Any]:
    return np.asarray(index.year if isinstance(index, pd.DatetimeIndex) else index)


def _draw_bars(ax: Axes, data: pd.DataFrame, evidence: dict[str, Any]) -> None:
    col = data.columns[0]
    values = 100 * data[col].to_numpy()
    x = _years(data.index)
    ax.bar(x, values, color=np.where(values >= 0, "#55a868", "#c44e52"), label=str(col))
    ax.axhline(0, color="grey", lw=0.8, gid=REFERENCE)
    mean = values.mean()
    ax.axhline(mean, color="black", lw=1, ls="--", gid=REFERENCE, label=f"mean of all years, {mean:+.2f}%")
    ax.set(ylabel="%", xlabel="year", title=_title(data))


def _draw_line(ax: Axes, data: pd.DataFrame, evidence: dict[str, Any]) -> None:
    for col in data:
        s = 100 * data[col].dropna()
        ax.plot(s.index, s.to_numpy(), label=str(col))
    ax.axhline(0, color="grey", lw=0.8, gid=REFERENCE)
    ax.set(ylabel="%", title=_title(data))


def _draw_scatter(ax: Axes, data: pd.DataFrame, evidence: dict[str, Any]) -> None:
    xcol, ycol = data.columns[:2]
    both = data[[xcol, ycol]].dropna()
    ax.plot(100 * both[xcol].to_numpy(), 100 * both[ycol].to_numpy(), "o", ls="none", color="#4c72b0",
            label=f"one point per year ({len(both)})")
    for (xv, yv), year in zip(100 * both.to_numpy(), _years(both.index)):
        ax.annotate(str(year), (xv, yv), fontsize=6, xytext=(2, 2), textcoords="offset points", color="#555")
    ax.axhline(0, color="grey", lw=0.8, gid=REFERENCE)
    ax.axvline(0, color="grey", lw=0.8, gid=REFERENCE)
    ax.set(xlabel=f"{xcol}, %", ylabel=f"{ycol}, %", title=_title(data, f"{ycol} against {xcol}"))


# Evidence keys -> (label, format). Formats: date, pct (a fraction shown in percent), pp (percentage
# points already), p (a p-value), num, int, days, months, years, bool, text.
_EVIDENCE = {
    "base_date": ("Year-to-date from the close of", "date"),
    "as_of": ("As of", "date"),
    "streak_start": ("Streak began", "date"),
    "streak_end": ("Streak's last winning day", "date"),
    "still_running": ("Still running on the last date", "bool"),
    "data_start": ("Data begin", "date"),
    "previous_start": ("Last run as long began", "date"),
    "previous_end": ("Last run as long ended", "date"),
    "previous_length": ("Last run as long, length", "days"),
    "final_length": ("Streak's final length", "days"),
    "final_end": ("Streak ended", "date"),
    "span_days": ("Trading days since the last run as long", "int"),
    "p_coin_flip": ("Chance of a run this long: fair coin", "p"),
    "p_empirical_win_rate": ("Chance of a run this long: observed daily win rate", "p"),
    "p_bootstrap": ("Chance of a run this long: bootstrap of daily returns", "p"),
    "mean_january_since_1997": ("Mean January gap since 1997", "pct"),
    "n_years_since_1997": ("Januaries since 1997", "int"),
    "t_stat": ("t statistic", "num"),
    "p_value": ("p-value (t test)", "p"),
    "bootstrap_95_low": ("Bootstrap 95% interval, low", "pct"),
    "bootstrap_95_high": ("Bootstrap 95% interval, high", "pct"),
    "mean_january_all_years": ("Mean January gap, all years", "pct"),
    "n_years_all": ("Januaries, all years", "int"),
    "first_january": ("First January", "date"),
    "january_rank_among_months": ("January's rank among the 12 months", "int"),
    "years": ("Years", "int"),
    "first_year": ("First year", "int"),
    "last_year": ("Last year", "int"),
    "hit_rate": ("Years the January sign matched the rest of the year", "share"),
    "fisher_p": ("Fisher exact p-value", "p"),
    "jan_up_rest_up": ("January ahead, rest of year ahead", "int"),
    "jan_up_rest_down": ("January ahead, rest of year behind", "int"),
    "jan_down_rest_up": ("January behind, rest of year ahead", "int"),
    "jan_down_rest_down": ("January behind, rest of year behind", "int"),
    "complete_regimes": ("Complete leadership regimes", "int"),
    "mean_regime_years": ("Mean regime length", "years"),
    "regime_lengths_months": ("Regime lengths, months", "text"),
    "definition": ("Regime definition", "text"),
    "random_walk_mean_years": ("Random walk: median mean regime length", "years"),
    "random_walk_90_low": ("Random walk: 90% range, low", "years"),
    "random_walk_90_high": ("Random walk: 90% range, high", "years"),
    "months": ("Months of data", "int"),
    "data_needed": ("Data needed", "text"),
}


def _evidence_row(key: str, value: object) -> tuple[str, str]:
    if key in _EVIDENCE:
        label, kind = _EVIDENCE[key]
    elif key.startswith("ytd_"):
        label, kind = f"{key[4:]} year-to-date return", "pct"
    else:
        label, kind = key.replace("_", " ").capitalize(), "auto"
    return label, _format(value, kind)


def _format(v: Any, kind: str) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "n/a"
    if kind == "date" or isinstance(v, pd.Timestamp):
        return f"{pd.Timestamp(v):%Y-%m-%d}"
    if kind == "bool":
        return "yes" if v else "no"
    if kind == "pct":
        return f"{v:+.2%}"
    if kind == "share":
        return f"{v:.0%}"
    if kind == "p":
        return fmt_p(v)
    if kind == "days":
        return _days(v)
    if kind == "years":
        return f"{v:.1f} years"
    if kind == "num" or isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


def _badge(verdict: str) -> str:
    import html

    return f"<span class='verdict {verdict.replace(' ', '-')}'>{html.escape(verdict)}</span>"


def _days(n: float) -> str:
    return f"{int(n)} trading day{'s' if int(n) != 1 else ''}"


def _pair(small: pd.Series, large: pd.Series, as_of: DateLike | None = None) -> pd.DataFrame:
    s = as_series(small, "small", min_obs=2)
    g = as_series(large, "large", min_obs=2)
    sn, gn = (str(s.name), str(g.name)) if s.name != g.name else ("small", "large")
    both = align({sn: s, gn: g}, min_obs=2)
    if (both <= 0).any().any():
        raise DataError("small, large: prices must be positive")
    if as_of is not None:
        as_of = utc_day(as_of, "as_of")
        if as_of - both.index[-1] > pd.Timedelta(days=7):
            raise DataError(
                f"as_of: {as_of:%Y-%m-%d} is after the prices {sn} and {gn} share end "
                f"({both.index[-1]:%Y-%m-%d}); the answer would be stale"
            )
        if as_of < both.index[1]:
            raise DataError(
                f"as_of: {as_of:%Y-%m-%d} is before the prices {sn} and {gn} share "
                f"({both.index[0]:%Y-%m-%d} to {both.index[-1]:%Y-%m-%d})"
            )
        both = both.loc[:as_of]
    if len(both) < 2:
        raise DataError("small, large: fewer than two common dates with prices (up to as_of)")
    return both


def outperformance_streaks(small: pd.Series, large: pd.Series) -> pd.DataFrame:
    """Every run of consecutive trading days on which ``small`` beat ``large``.

    A day counts when ``small``'s close-to-close return exceeds ``large``'s,
    on the dates both trade.

    Parameters
    ----------
    small, large : Series
        Daily closing prices.

    Returns
    -------
    DataFrame
        Columns ``start``, ``end`` (first and last winning day) and
        ``length`` (trading days), in date order.

    Raises
    ------
    DataError
        If the inputs are not positive prices sharing at least two dates.

    Examples
    --------
    >>> from attention.datasets import load_prices
    >>> close = load_prices(["^RUT", "SPY"])["Close"]
    >>> runs = outperformance_streaks(close["^RUT"], close["SPY"])
    >>> runs.loc[runs["length"].idxmax()].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'start': Timestamp('2026-01-02 00:00:00'), 'end': Timestamp('2026-01-22 00:00:00'), 'length': 14}
    """
    both = _pair(small, large)
    r = np.log(both).diff().iloc[1:]
    win = r.iloc[:, 0] > r.iloc[:, 1]
    run_id = (win != win.shift()).cumsum()[win]
    dates = run_id.index.to_series()
    runs = dates.groupby(run_id.to_numpy()).agg(["first", "last", "size"])
    runs.columns = ["start", "end", "length"]
    return runs.reset_index(drop=True)


def streak_record(small: pd.Series, large: pd.Series, as_of: DateLike | None = None) -> ClaimResult:
    """The outperformance streak running on ``as_of`` and the last one as long.

    Parameters
    ----------
    small, large : Series
        Daily closing prices.
    as_of : date-like, optional
        Only prices up to this date are used; by default all of them (up
        to the last date both have). If ``small`` did not beat ``large`` on
        that day, the streak is the one that ended last before it.

    Returns
    -------
    ClaimResult
        ``value`` is the streak's length in trading days; ``evidence`` holds
        its start and end and the last earlier streak at least as long (or
        says none exists since the data begin).

    Examples
    --------
    The Russell 2000 beat the S&P 500 ETF eleven sessions in a row into 16 January 2026; the last streak as
    long ended in June 2008:

    >>> from attention.datasets import load_prices
    >>> close = load_prices(["^RUT", "SPY"])["Close"]
    >>> streak = streak_record(close["^RUT"], close["SPY"], as_of="2026-01-16")
    >>> int(streak.value), f"{streak.evidence['previous_end']:%Y-%m-%d}", streak.evidence["previous_length"]
    (11, '2008-06-06', 13)
    """
    both = _pair(small, large, as_of)
    sn, gn = both.columns
    runs = outperformance_streaks(both[sn], both[gn])
    if runs.empty:
        raise DataError(f"small, large: {sn} never beat {gn} up to {both.index[-1]:%Y-%m-%d}")
    current = runs.iloc[-1]
    earlier = runs.iloc[:-1]
    rival = earlier[earlier["length"] >= current["length"]]
    last_day = both.index[-1]
    running = current["end"] == last_day
    evidence = {
        "streak_start": current["start"],
        "streak_end": current["end"],
        "still_running": bool(running),
        "data_start": both.index[0],
    }
    if rival.empty:
        since = f"the longest since the data begin ({both.index[0]:%Y-%m-%d})"
    else:
        r = rival.iloc[-1]
        evidence.update(previous_start=r["start"], previous_end=r["end"], previous_length=int(r["length"]))
        since = f"the longest since {r['start']:%Y-%m-%d} to {r['end']:%Y-%m-%d} ({_days(r['length'])})"
    tense = "has beaten" if running else "beat"
    finding = (
        f"As of {last_day:%Y-%m-%d}, {sn} {tense} {gn} {_days(current['length'])} in a row "
        f"({current['start']:%Y-%m-%d} to {current['end']:%Y-%m-%d}): {since}."
    )
    window = both.loc[current["start"] - pd.Timedelta(days=40) : last_day]
    return ClaimResult(
        claim=f"Outperformance streak of {sn} over {gn}",
        id="streak",
        value=float(current["length"]),
        unit="trading days",
        finding=finding,
        evidence=evidence,
        series=window,
    )


def ytd_gap(small: pd.Series, large: pd.Series, as_of: DateLike | None = None) -> ClaimResult:
    """Year-to-date return of ``small`` minus that of ``large`` on ``as_of``.

    Year-to-date runs from the last close of the previous year to the last
    close on or before ``as_of``; returns are price returns of the series
    given (an ETF's dividends are in it only if its prices are adjusted).

    Parameters
    ----------
    small, large : Series
        Daily closing prices.
    as_of : date-like, optional
        Only prices up to this date are used; by default all of them (up
        to the last date both have).

    Returns
    -------
    ClaimResult
        ``value`` is the gap in percentage points.

    Raises
    ------
    DataError
        If there is no close in the previous year to start from.

    Examples
    --------
    >>> from attention.datasets import load_prices
    >>> close = load_prices(["^RUT", "SPY"])["Close"]
    >>> round(ytd_gap(close["^RUT"], close["SPY"], as_of="2026-01-16").value, 2)  # percentage points
    6.46
    """
    both = _pair(small, large, as_of)
    sn, gn = both.columns
    end = both.index[-1]
    prior = both.loc[: pd.Timestamp(end.year - 1, 12, 31)]
    if prior.empty:
        raise DataError(f"small, large: no close before {end.year} to measure year-to-date from")
    base = prior.index[-1]
    ytd = both.loc[end] / both.loc[base] - 1
    gap = 100 * (ytd[sn] - ytd[gn])
    verb = "ahead of" if gap > 0 else "behind"
    finding = (
        f"As of {end:%Y-%m-%d}, {sn} is up {ytd[sn]:+.2%} year-to-date and {gn} {ytd[gn]:+.2%}: "
        f"{sn} is {abs(gap):.2f} percentage points {verb} {gn}."
    )
    return ClaimResult(
        claim=f"Year-to-date gap, {sn} minus {gn}",
        value=float(gap),
        unit="percentage points",
        finding=finding,
        evidence={"base_date": base, "as_of": end, f"ytd_{sn}": float(ytd[sn]), f"ytd_{gn}": float(ytd[gn])},
        series=both.loc[base:],
        id="ytd_gap",
    )


# ---------------------------------------------------------------- the article, claim by claim

SUPPORTED, NOT_SUPPORTED, NOT_CHECKABLE = "supported", "not supported", "not checkable"

#: The article's checkable claims, in its words (paraphrased), keyed as in :func:`check_article`.
ARTICLE_CLAIMS = {
    "ytd_gap": "The Russell 2000 beat the S&P 500 by more than five percentage points year to date.",
    "streak": "It beat the S&P 500 on each of the last ten days, the longest streak since 2008.",
    "january_effect": "Small caps beat large caps in January by about 1.4% on average since 1997.",
    "january_signal": "Early-year small-cap strength has not reliably signalled full-year leadership (since 1979).",
    "leadership_runs": "Leadership between small and large caps runs for about six years on average.",
    "sectors_eps": "Tech is the worst sector year to date, materials and industrials lead; the Russell 2000"
    " expects 61% EPS growth.",
}

# Short names for headings and tables, keyed like ARTICLE_CLAIMS.
_TITLES = {
    "ytd_gap": "Year-to-date gap",
    "streak": "Outperformance streak",
    "january_effect": "January effect",
    "january_signal": "January as a signal for the year",
    "leadership_runs": "Length of leadership runs",
    "sectors_eps": "Sectors and earnings",
}


def _article(key: str, **fields: Any) -> ClaimResult:
    """A ClaimResult for the article's claim ``key``: its words, id and title."""
    return ClaimResult(claim=ARTICLE_CLAIMS[key], id=key, title=_TITLES[key], **fields)


def _run_probability(n: int, length: int, p: float) -> float:
    """P(a run of at least ``length`` successes in ``n`` Bernoulli(p) trials), exactly.

    Dynamic programme over the length of the current run (Feller's problem of runs).
    """
    state = np.zeros(length)
    state[0] = 1.0
    done = 0.0
    for _ in range(n):
        new = np.zeros(length)
        new[0] = state.sum() * (1 - p)
        new[1:] = state[:-1] * p
        done += state[-1] * p
        state = new
    return float(done)


def _longest_runs(wins: np.ndarray) -> np.ndarray:
    """Longest run of True along the last axis."""
    best = np.zeros(wins.shape[:-1], dtype=int)
    run = np.zeros(wins.shape[:-1], dtype=int)
    for k in range(wins.shape[-1]):
        run = np.where(wins[..., k], run + 1, 0)
        best = np.maximum(best, run)
    return best


def _full_months(both: pd.DataFrame) -> pd.DataFrame:
    """Month-end closes, without a month the data stop inside of."""
    month_end = both.resample("ME").last()
    return month_end[month_end.index <= both.index[-1] + pd.offsets.BDay(3)]


def _monthly_relative(both: pd.DataFrame) -> pd.Series:
    """Small-minus-large simple return of each calendar month with a full month of prices."""
    month_end = _full_months(both)
    returns = month_end.pct_change().iloc[1:]
    return returns.iloc[:, 0] - returns.iloc[:, 1]


def _claim_ytd(both: pd.DataFrame, sn: str, gn: str, as_of: pd.Timestamp) -> ClaimResult:
    base = ytd_gap(both[sn], both[gn], as_of)
    ok = base.value > 5
    return replace(
        base,
        claim=ARTICLE_CLAIMS["ytd_gap"],
        title=_TITLES["ytd_gap"],
        verdict=SUPPORTED if ok else NOT_SUPPORTED,
        finding=base.finding + f" The claim needs more than 5: {'met' if ok else 'not met'}.",
    )


def _claim_streak(
    both: pd.DataFrame, sn: str, gn: str, as_of: pd.Timestamp, n_boot: int, rng: np.random.Generator
) -> ClaimResult:
    record = streak_record(both[sn], both[gn], as_of)
    ev = dict(record.evidence)
    length = int(record.value)
    runs = outperformance_streaks(both[sn], both[gn])
    final = runs[runs["start"] == ev["streak_start"]]["length"]
    ev["final_length"] = int(final.iloc[0]) if len(final) else length
    ev["final_end"] = runs[runs["start"] == ev["streak_start"]]["end"].iloc[0] if len(final) else ev["streak_end"]
    # Chance: how likely is a run this long somewhere in the span since the last equal-or-longer one?
    since = ev.get("previous_end", ev["data_start"])
    window = both.loc[since:pd.Timestamp(as_of)]
    rel = np.log(window).diff().dropna()
    rel = rel.iloc[:, 0] - rel.iloc[:, 1]
    n_days, p_win = len(rel), float((rel > 0).mean())
    ev["span_days"] = n_days
    ev["p_coin_flip"] = _run_probability(n_days, length, 0.5)
    ev["p_empirical_win_rate"] = _run_probability(n_days, length, p_win)
    draws = rng.choice(rel.to_numpy(), size=(n_boot, n_days), replace=True)
    ev["p_bootstrap"] = float((_longest_runs(draws > 0) >= length).mean())
    ten = length >= 10
    since_2008 = "previous_end" in ev and pd.Timestamp(ev["previous_end"]).year <= 2008
    verdict = SUPPORTED if ten and since_2008 else NOT_SUPPORTED
    finding = (
        record.finding
        + f" It reached {ev['final_length']} days (to {pd.Timestamp(ev['final_end']):%Y-%m-%d})."
        f" A run of {length} or more in the {n_days} trading days since has probability"
        f" {ev['p_coin_flip']:.2f} for fair coin flips and {ev['p_bootstrap']:.2f} in a bootstrap of the daily"
        " relative returns: long, but not unusual by chance."
    )
    return replace(record, claim=ARTICLE_CLAIMS["streak"], title=_TITLES["streak"], verdict=verdict,
                   finding=finding, evidence=ev)


def _claim_january(both: pd.DataFrame, sn: str, gn: str, n_boot: int, rng: np.random.Generator) -> ClaimResult:
    from scipy import stats

    rel = _monthly_relative(both)
    jan = rel[rel.index.month == 1]
    since = jan.loc["1997":]
    t = stats.ttest_1samp(since, 0.0)
    boot = rng.choice(since.to_numpy(), size=(n_boot, len(since)), replace=True).mean(axis=1)
    low, high = np.percentile(boot, [2.5, 97.5])
    by_month = rel.groupby(rel.index.month).mean()
    rank = int((by_month > by_month.loc[1]).sum()) + 1
    ev = {
        "mean_january_since_1997": float(since.mean()),
        "n_years_since_1997": len(since),
        "t_stat": float(t.statistic),
        "p_value": float(t.pvalue),
        "bootstrap_95_low": float(low),
        "bootstrap_95_high": float(high),
        "mean_january_all_years": float(jan.mean()),
        "n_years_all": len(jan),
        "first_january": jan.index[0],
        "january_rank_among_months": rank,
    }
    ok = low > 0 and since.mean() > 0.005
    finding = (
        f"{sn} minus {gn} in January since 1997: {since.mean():+.2%} on average over {len(since)} years"
        f" (t = {t.statistic:.2f}, p = {t.pvalue:.2f}; bootstrap 95% interval {low:+.2%} to {high:+.2%});"
        f" over all {len(jan)} Januaries {jan.mean():+.2%}. January ranks {rank} of 12 months."
        " The claimed +1.4% is not in these data."
        + (" (SPY's shipped prices include its dividends until mid-2025, which favours SPY; ^RUT is a price"
           " index.)" if (sn, gn) == ("^RUT", "SPY") else "")
        if not ok
        else f"{sn} minus {gn} in January since 1997: {since.mean():+.2%} (interval {low:+.2%} to {high:+.2%})."
    )
    series = pd.DataFrame({f"January return, {sn} minus {gn}": jan})
    return _article("january_effect", value=float(since.mean() * 100), unit="percentage points", finding=finding,
                    evidence=ev, series=series, verdict=SUPPORTED if ok else NOT_SUPPORTED, chart="bars")


def _claim_january_signal(both: pd.DataFrame, sn: str, gn: str) -> ClaimResult:
    from scipy import stats

    month_end = _full_months(both)
    rows = []
    for year in range(month_end.index[0].year, month_end.index[-1].year + 1):
        try:
            dec_prev = month_end.loc[f"{year - 1}-12"].iloc[0]
            jan = month_end.loc[f"{year}-01"].iloc[0]
            dec = month_end.loc[f"{year}-12"].iloc[0]
        except (KeyError, IndexError):
            continue
        if month_end.index[-1] < pd.Timestamp(f"{year}-12-31"):
            continue  # an unfinished year has no February-December return yet
        jan_rel = (jan / dec_prev).iloc[0] - (jan / dec_prev).iloc[1]
        rest_rel = (dec / jan).iloc[0] - (dec / jan).iloc[1]
        rows.append({"year": year, "january": jan_rel, "rest_of_year": rest_rel})
    table = pd.DataFrame(rows).set_index("year")
    up = table["january"] > 0
    lead = table["rest_of_year"] > 0
    hits = int((up == lead).sum())
    crosstab = [[int((up & lead).sum()), int((up & ~lead).sum())], [int((~up & lead).sum()), int((~up & ~lead).sum())]]
    _, p = stats.fisher_exact(crosstab)
    ev = {
        "years": len(table),
        "first_year": int(table.index[0]),
        "last_year": int(table.index[-1]),
        "hit_rate": hits / len(table),
        "fisher_p": float(p),
        "jan_up_rest_up": crosstab[0][0],
        "jan_up_rest_down": crosstab[0][1],
        "jan_down_rest_up": crosstab[1][0],
        "jan_down_rest_down": crosstab[1][1],
    }
    reliable = p < 0.05 and hits / len(table) > 0.5
    finding = (
        f"In {len(table)} years ({table.index[0]}-{table.index[-1]}; the data start there, the claim says 1979),"
        f" the sign of {sn}'s January lead over {gn} matched the sign of its February-December lead in {hits}"
        f" ({hits / len(table):.0%}); Fisher exact p = {p:.2f}. January did not reliably signal the rest of the"
        " year, as claimed." if not reliable else
        f"January's sign matched the rest of the year in {hits} of {len(table)} years (Fisher p = {p:.3f}):"
        " it did signal, against the claim."
    )
    series = table.set_axis(pd.Index(["January", "February to December"],
                                     name=f"{sn} minus {gn}: rest of the year against January"), axis=1)
    return _article("january_signal", value=hits / len(table), unit="hit rate", finding=finding, evidence=ev,
                    series=series, verdict=SUPPORTED if not reliable else NOT_SUPPORTED, chart="scatter")


def _regime_runs(relative_12m: pd.Series, min_months: int) -> list[int]:
    """Lengths (months) of leadership regimes: sign of the trailing 12-month relative return, flicker removed."""
    sign = np.sign(relative_12m.dropna().to_numpy())
    runs, current, length = [], None, 0
    for s in sign:
        if s == current or s == 0:
            length += 1
            continue
        runs.append((current, length))
        current, length = s, 1
    runs.append((current, length))
    runs = [r for r in runs if r[0] is not None]
    # Merge runs shorter than min_months into their neighbours: a month of flicker is not a new regime.
    merged: list[tuple[Any, int]] = []
    for s, n in runs:
        if merged and (n < min_months or merged[-1][0] == s):
            merged[-1] = (merged[-1][0], merged[-1][1] + n)
        else:
            merged.append((s, n))
    return [n for _, n in merged]


def _claim_leadership(
    both: pd.DataFrame, sn: str, gn: str, n_sim: int, rng: np.random.Generator, min_months: int = 6
) -> ClaimResult:
    month_end = _full_months(both)
    logs = np.log(month_end)
    rel12 = (logs.iloc[:, 0] - logs.iloc[:, 1]).diff(12)
    runs = _regime_runs(rel12, min_months)
    # Complete regimes only: the first and last are cut by the data's edges.
    inner = runs[1:-1]
    mean_years = float(np.mean(inner) / 12) if inner else np.nan
    monthly = (logs.iloc[:, 0] - logs.iloc[:, 1]).diff().dropna()
    simulated: list[float] = []
    for _ in range(n_sim):
        walk = pd.Series(np.cumsum(rng.normal(0, monthly.std(), len(monthly))))
        r = _regime_runs(walk.diff(12), min_months)[1:-1]
        if r:
            simulated.append(float(np.mean(r) / 12))
    sims = np.array(simulated)
    ev = {
        "complete_regimes": len(inner),
        "mean_regime_years": mean_years,
        "regime_lengths_months": ", ".join(str(n) for n in inner),
        "definition": f"sign of trailing 12-month log relative return, regimes shorter than {min_months} months merged",
        "random_walk_mean_years": float(np.median(sims)),
        "random_walk_90_low": float(np.percentile(sims, 5)),
        "random_walk_90_high": float(np.percentile(sims, 95)),
        "months": len(monthly),
    }
    ok = len(inner) >= 2 and 4 <= mean_years <= 8
    finding = (
        f"From {month_end.index[0]:%Y-%m} to {month_end.index[-1]:%Y-%m}: {len(inner)} complete leadership"
        f" regimes averaging {mean_years:.1f} years. A driftless random walk with the same monthly volatility"
        f" gives {ev['random_walk_mean_years']:.1f} years (90%: {ev['random_walk_90_low']:.1f}-"
        f"{ev['random_walk_90_high']:.1f}), so run lengths like these need no cycle to explain them."
    )
    series = pd.DataFrame({f"{sn} minus {gn}, trailing 12-month log return": rel12.dropna()})
    return _article("leadership_runs", value=mean_years, unit="years", finding=finding, evidence=ev,
                    series=series, verdict=SUPPORTED if ok else NOT_SUPPORTED, chart="line")


#: State Street's Select Sector SPDR funds, one per S&P 500 sector.
SECTOR_FUNDS = {"XLB": "materials", "XLC": "communication services", "XLE": "energy", "XLF": "financials",
                "XLI": "industrials", "XLK": "technology", "XLP": "consumer staples", "XLRE": "real estate",
                "XLU": "utilities", "XLV": "health care", "XLY": "consumer discretionary"}


def _sector_values(sectors: object) -> tuple[pd.DataFrame, str]:
    """Sector funds' NAVs (from ETF shares observations) or prices (a wide frame), and what they are."""
    if isinstance(sectors, pd.DataFrame) and "metric" in sectors.columns:
        from .schema import to_wide

        wide = to_wide(sectors[sectors["metric"] == "nav"], metric="nav", source="etf_shares")
        wide.index = wide.index.tz_convert(None)
        return wide, "NAVs from State Street's SPDR NAV-history files"
    if isinstance(sectors, pd.DataFrame) and isinstance(sectors.columns, pd.MultiIndex):
        return sectors["Close"], "closing prices passed in"
    if isinstance(sectors, pd.DataFrame):
        return sectors, "values passed in"
    raise DataError("sectors: expected ETF shares observations with NAV (collect_etf_shares of the sector SPDRs) "
                    f"or a DataFrame of sector fund prices, got {type(sectors).__name__}")


def _claim_sectors(sectors: pd.DataFrame | None = None, as_of: DateLike | None = None) -> ClaimResult:
    if sectors is None:
        return _article(
            "sectors_eps",
            value=float("nan"),
            unit="",
            finding="Not checkable with the shipped data: they hold index and ETF prices, not sector returns or"
            " earnings estimates. The SPDR sector funds' NAVs (collect_etf_shares of XLB ... XLY, or run()) check"
            " the first part; consensus EPS estimates for Russell 2000 members (FactSet, LSEG I/B/E/S) the second.",
            evidence={"data_needed": "sector fund NAVs or prices; analysts' EPS estimates"},
            series=pd.DataFrame(),
            verdict=NOT_CHECKABLE,
        )
    values, data = _sector_values(sectors)
    funds = [t for t in SECTOR_FUNDS if t in values.columns and values[t].notna().any()]
    missing = [t for t in ("XLK", "XLB", "XLI") if t not in funds]
    if missing or len(funds) < 5:
        raise DataError(f"sectors: need XLK, XLB, XLI and at least five sector funds, have {funds}")
    end = utc_day(as_of, "as_of")
    values = values[funds].loc[:end]
    prior = values.loc[: pd.Timestamp(end.year - 1, 12, 31)].dropna(how="all")
    if prior.empty or values.index[-1] < end - pd.Timedelta(days=7):
        raise DataError(f"sectors: values must cover the last close of {end.year - 1} and reach {end:%Y-%m-%d}")
    ytd = (values.ffill().iloc[-1] / prior.ffill().iloc[-1] - 1).sort_values(ascending=False)
    ranked = [f"{t} ({SECTOR_FUNDS[t]}) {ytd[t]:+.2%}" for t in ytd.index]
    ok = ytd.index[-1] == "XLK" and set(ytd.index[:2]) == {"XLB", "XLI"}
    finding = (
        f"Year to date to {values.index[-1]:%Y-%m-%d} ({data}; price returns, distributions not added back):"
        f" {', '.join(ranked)}. Tech is {'the worst' if ytd.index[-1] == 'XLK' else 'not the worst'} of"
        f" {len(ytd)} sectors and the leaders are {ytd.index[0]} and {ytd.index[1]}. The EPS part (61% growth"
        " expected for the Russell 2000) needs analysts' estimates and is not checked."
    )
    evidence = {"data": data, "as_of": values.index[-1], "base_date": prior.index[-1], "sectors": len(ytd),
                **{f"ytd_{t}": float(ytd[t]) for t in ytd.index}}
    series = values.loc[prior.index[-1]:]
    return _article("sectors_eps", value=float(ytd["XLK"] * 100), unit="% year to date (XLK)", finding=finding,
                    evidence=evidence, series=series, verdict=SUPPORTED if ok else NOT_SUPPORTED)


def check_article(prices: pd.DataFrame | None = None, as_of: DateLike = "2026-01-16", *, small: str = "^RUT",
                  large: str = "SPY", n_boot: int = 2000, seed: int = 0,
                  sectors: pd.DataFrame | None = None) -> Claims:
    """Check every checkable claim of the January 2026 small-cap article.

    Parameters
    ----------
    prices : DataFrame, optional
        Prices in yfinance's layout; defaults to the shipped data.
    as_of : date-like
        The article's date; claims about "now" use prices up to it only.
    small, large : str
        Tickers of the small- and large-cap series. The default large-cap
        series is SPY, an ETF whose shipped prices include dividends until
        mid-2025; the S&P 500 index itself is not shipped past 2022.
    n_boot : int
        Bootstrap and simulation draws, at least 100.
    seed : int
    sectors : DataFrame, optional
        The SPDR sector funds (:data:`SECTOR_FUNDS`): observations from
        :func:`attention.collect_etf_shares` (their NAVs are used) or a frame
        of their prices. Without it the sector claim is "not checkable".

    Returns
    -------
    Claims
        One :class:`ClaimResult` per entry of :data:`ARTICLE_CLAIMS`, in
        that order and indexed by its key (``claims["streak"]``), each with
        ``verdict`` "supported", "not supported" or "not checkable", and
        ``evidence["data"]`` naming the data it was checked on.

    Raises
    ------
    DataError
        If the tickers are missing from ``prices``, ``n_boot`` is below 100
        or ``seed`` cannot seed a random generator.

    Examples
    --------
    >>> claims = check_article(n_boot=100)  # the shipped prices, as of 16 January 2026
    >>> claims.to_frame()["verdict"].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'ytd_gap': 'supported', 'streak': 'supported', 'january_effect': 'not supported',
     'january_signal': 'supported', 'leadership_runs': 'not supported', 'sectors_eps': 'not checkable'}
    """
    shipped = prices is None
    n_boot = positive_int(n_boot, "n_boot", minimum=100)
    rng = random_generator(seed)
    if prices is None:
        from .datasets import load_prices

        prices = load_prices([small, large])
    try:
        close = prices["Close"][[small, large]]
    except KeyError:
        raise DataError(f"prices: expected Close prices of {small!r} and {large!r} in yfinance's layout") from None
    both = align({small: close[small], large: close[large]}, min_obs=500)
    history = both.loc[: utc_day(as_of, "as_of")]
    data = f"Close of {small} and {large} ({'shipped prices' if shipped else 'prices passed in'})"
    on_prices = (
        _claim_ytd(both, small, large, as_of),
        _claim_streak(both, small, large, as_of, n_boot, rng),
        _claim_january(history, small, large, n_boot, rng),
        _claim_january_signal(history, small, large),
        _claim_leadership(history, small, large, min(n_boot, 1000), rng),
    )
    return Claims(tuple(replace(c, evidence={**c.evidence, "data": data}) for c in on_prices) + (
        _claim_sectors(sectors, as_of),
    ))


@dataclass(frozen=True, eq=False, repr=False)
class Claims(ResultMixin):
    """Several checked claims, in order, indexable by their stable id.

    Iterate over it for the :class:`ClaimResult` objects; ``claims["streak"]``
    picks one by id and ``claims[0]`` by position.

    Attributes
    ----------
    claims : tuple of ClaimResult

    Examples
    --------
    >>> claims = check_article(n_boot=200)
    >>> claims.ids
    ('ytd_gap', 'streak', 'january_effect', 'january_signal', 'leadership_runs', 'sectors_eps')
    >>> claims["streak"].value
    11.0
    >>> claims.to_frame()["verdict"].value_counts()["supported"]
    np.int64(3)
    """

    claims: tuple[ClaimResult, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "claims", tuple(self.claims))
        bad = [c for c in self.claims if not isinstance(c, ClaimResult)]
        if bad:
            raise DataError(f"claims: expected ClaimResult objects, got {type(bad[0]).__name__}")
        ids = [c.id for c in self.claims]
        if "" in ids or len(set(ids)) != len(ids):
            raise DataError(f"claims: every claim needs its own non-empty id, got {ids}")

    def _key_numbers(self) -> dict[str, Any]:
        return {"ids": self.ids, "verdicts": tuple(c.verdict for c in self.claims)}

    @property
    def ids(self) -> tuple[str, ...]:
        """The claims' ids, in order."""
        return tuple(c.id for c in self.claims)

    def __iter__(self) -> Iterator[ClaimResult]:
        return iter(self.claims)

    def __len__(self) -> int:
        return len(self.claims)

    def __getitem__(self, key: str | int) -> ClaimResult:
        if isinstance(key, str):
            for c in self.claims:
                if c.id == key:
                    return c
            raise KeyError(f"no claim with id {key!r}; ids: {list(self.ids)}")
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            return self.claims[key]
        raise TypeError(f"claims are indexed by id (str) or position (int), got {type(key).__name__}")

    def to_frame(self) -> pd.DataFrame:
        """One row per claim, indexed by id: title, claim, verdict, value, unit, finding."""
        frame = pd.DataFrame(
            [{"id": c.id, "title": c.heading, "claim": c.claim, "verdict": c.verdict, "value": c.value,
              "unit": c.unit, "finding": c.finding} for c in self.claims],
            columns=["id", "title", "claim", "verdict", "value", "unit", "finding"],
        )
        return frame.set_index("id")

    def summary(self) -> str:
        import textwrap

        width = max((len(c.verdict) for c in self.claims), default=0)
        pad = " " * (width + 2)
        lines = []
        for c in self.claims:
            lines.append(f"{c.verdict.upper():<{width}}  {c.claim}")
            lines.append(textwrap.fill(c.finding, 100, initial_indent=pad, subsequent_indent=pad))
        return "\n".join(lines)

    def report_html(self, figure: Callable[[Any], str] | None = None) -> str:
        """A verdict table linking to one section per claim (quote, finding, evidence, figure)."""
        import html

        rows = "".join(
            f"<tr><td>{_badge(c.verdict)}</td><td><a href='#claim-{c.id}'>{html.escape(c.heading)}</a></td>"
            f"<td>{html.escape(_value_text(c))}</td></tr>"
            for c in self.claims
        )
        parts = ["<table class='claims'><thead><tr><th>Verdict</th><th>Claim</th><th>Number</th></tr></thead>"
                 f"<tbody>{rows}</tbody></table>"]
        for c in self.claims:
            parts.append(f"<section id='claim-{c.id}'><h3>{html.escape(c.heading)}</h3>")
            parts += [c.report_html(figure), "</section>"]
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.report_html()

    def plot(self, ax: Any = None) -> Figure:
        """Each claim's chart in its own panel (claims without data are left out)."""
        drawable = [c for c in self.claims if not c.series.dropna(how="all").empty]
        if not drawable:
            raise DataError("claims: none of these claims has data to draw")
        if ax is None:
            ncols = 2 if len(drawable) > 1 else 1
            nrows = -(-len(drawable) // ncols)
            fig, axes = new_axes(None, nrows, ncols, figsize=(7 * ncols, 3.6 * nrows))
            axes = np.atleast_1d(axes).ravel()
            for extra in axes[len(drawable):]:
                extra.set_axis_off()
        else:
            axes = np.atleast_1d(ax).ravel()
            if len(axes) < len(drawable):
                raise DataError(f"ax: expected {len(drawable)} axes, one per claim with data, got {len(axes)}")
            fig = axes[0].figure
        for c, a in zip(drawable, axes):
            c.plot(ax=a)
            a.set_title(f"{c.heading}: {a.get_title()}", fontsize=9)
        fig.tight_layout()
        return fig


def _value_text(c: ClaimResult) -> str:
    if c.value is None or np.isnan(c.value):
        return "n/a"
    if c.unit == "hit rate":
        return f"{c.value:.0%} hit rate"
    return f"{c.value:.2f} {c.unit}" if c.unit != "trading days" else _days(c.value)
