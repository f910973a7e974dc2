"""Trading on attention: the Preis, Moat & Stanley (2013) rule, replicated.

The rule: when searches for a term rose last week against the mean of the
``delta_t`` weeks before, sell the index at the first close of this week and
buy it back a week later; otherwise buy and sell a week later. Preis et al.
report that "debt" with ``delta_t = 3`` turned the DJIA's +16% (2004-2011)
into +326%. :func:`preis2013` replays it on the paper's own data;
:func:`preis_strategy` runs the rule on any weekly search series and daily
prices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, cast

import numpy as np
import pandas as pd

from ._results import ResultMixin, fmt_p, new_axes
from ._validate import as_series, calendar_name, naive_utc, positive_int
from .errors import DataError
from .scoring import preis_delta

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: How the trailing mean of the Preis rule is computed and its ties resolved (see :func:`preis2013`).
Arithmetic = Literal["exact", "paper"]

__all__ = ["PREIS2013_PUBLISHED", "BacktestResult", "preis2013", "preis_strategy"]

#: Figures from the paper's text for "debt", delta_t = 3 (total returns).
PREIS2013_PUBLISHED = {"strategy": 3.26, "buy_and_hold": 0.16, "price_rule": 0.33}


@dataclass(frozen=True, eq=False, repr=False)
class BacktestResult(ResultMixin):
    """A weekly long/short strategy driven by attention, against two baselines.

    Attributes
    ----------
    term : str
    delta_t : int
    weekly : DataFrame
        Per trading week: ``price`` at entry, ``signal`` (the Preis delta that
        decided), ``position`` (+1 long, -1 short), ``log_return`` of the
        strategy, ``market_log_return``, ``price_rule_position``.
    total_return, buy_and_hold_return, price_rule_return : float
        Simple total returns over the whole period (3.26 means +326%).
    z_random : float
        The strategy's cumulative log return in standard deviations of
        random strategies (long or short with equal odds each week), the
        measure Preis et al. average over their 98 terms.
    p_shift : float
        One-sided p-value against every circular shift of the positions
        relative to the returns (keeps the signal's persistence, breaks its
        timing).
    n_ties : int
        Traded weeks where the search volume equals its trailing mean (to
        1e-9 with ``arithmetic="exact"``, exactly with ``"paper"``); how they
        are resolved can move the result.
    arithmetic : {"exact", "paper"}
        How the trailing mean was computed and ties resolved (see
        :func:`preis2013`).
    tie_spread : dict
        Total return with the tie weeks long, out of the market (``"none"``)
        and short, everything else unchanged: how much the result hangs on
        a rule the paper does not state.

    Examples
    --------
    >>> import attention
    >>> attention.preis2013("debt", delta_t=3)  # doctest: +NORMALIZE_WHITESPACE
    BacktestResult(term='debt', delta_t=3, total_return=3.142, buy_and_hold_return=0.1645, price_rule_return=0.3304,
                   z_random=2.905, p_shift=0.00271, n_ties=12, arithmetic='exact')
    """

    term: str
    delta_t: int
    weekly: pd.DataFrame
    total_return: float
    buy_and_hold_return: float
    price_rule_return: float
    z_random: float
    p_shift: float
    n_ties: int
    arithmetic: str = "exact"
    tie_spread: dict[str, float] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return self.weekly.copy()

    def summary(self) -> str:
        w = self.weekly
        lines = [
            f"Preis et al. (2013) trading rule: term {self.term!r}, delta_t = {self.delta_t} weeks",
            f"  {len(w)} weekly trades, {w.index[0]:%Y-%m-%d} to {w.index[-1]:%Y-%m-%d}"
            f" ({int((w['position'] < 0).sum())} short, {int((w['position'] > 0).sum())} long)",
            "",
            f"  attention strategy   {self.total_return:+9.1%}",
            f"  buy and hold         {self.buy_and_hold_return:+9.1%}",
            f"  same rule on prices  {self.price_rule_return:+9.1%}",
            "",
            f"  {self.z_random:.2f} sds of random strategies; circular-shift p = {fmt_p(self.p_shift)}",
        ]
        if self.n_ties:
            rule = "no position" if self.arithmetic == "paper" else "the rule goes long"
            spread = ", ".join(f"{k} {v:+.1%}" for k, v in self.tie_spread.items())
            lines.append(f"  {self.n_ties} week(s) tie with their trailing mean ({rule} on them here);"
                         f" with the ties {spread}.")
        lines.append(
            "  Trailing mean: "
            + ("the paper's sequential sum in doubles, no position on an exact tie (as the authors' code)."
               if self.arithmetic == "paper" else "ties within 1e-9 of the mean go long (the library's default).")
        )
        lines.append(
            "  One term and one delta_t picked from many: a single backtest is not evidence that attention"
            " predicts prices."
        )
        return "\n".join(lines)

    def plot(self, ax: Axes | None = None) -> Figure:
        """Cumulative value of 1 invested: strategy, buy and hold, price rule."""
        fig, ax = new_axes(ax, figsize=(8, 4))
        w = self.weekly
        exit_dates = w.index  # value after each trade, plotted at its entry week
        ax.plot(exit_dates, np.exp(w["log_return"].cumsum()), label=f"search '{self.term}'", color="#c44e52")
        ax.plot(exit_dates, np.exp(w["market_log_return"].cumsum()), label="buy and hold", color="grey")
        rule = (w["price_rule_position"] * w["market_log_return"]).cumsum()
        ax.plot(exit_dates, np.exp(rule), label="same rule on prices", color="#4c72b0")
        ax.set(ylabel="value of 1", title=f"Preis et al. rule, delta_t = {self.delta_t}")
        ax.legend()
        return fig


_ARITHMETIC = ("exact", "paper")


def _paper_delta(search: pd.Series, delta_t: int) -> pd.Series:
    """n_t - (n_{t-1} + n_{t-2} + ... + n_{t-delta_t}) / delta_t, summed in this order in doubles, as the authors' code.

    The order matters only in the last bit, but that bit decides whether a
    week whose volume repeats its recent values is an exact tie.
    """
    n = search.to_numpy(dtype=float)
    out = np.full(len(n), np.nan)
    for i in range(delta_t, len(n)):
        total = 0.0
        for k in range(1, delta_t + 1):
            total += n[i - k]
        out[i] = n[i] - total / delta_t
    return pd.Series(out, index=search.index)


def _run(term: str, search: pd.Series, price: pd.Series, delta_t: int, arithmetic: str = "exact") -> BacktestResult:
    """The rule on aligned weekly arrays: ``price[i]`` is the first close after search week ``i``."""
    if arithmetic == "paper":
        signal = _paper_delta(search, delta_t)
        ties = signal == 0.0
        tie_position = 0.0
    else:
        signal = preis_delta(search, delta_t)
        # Google's rounding makes exact ties common; decide them explicitly (long),
        # not by floating-point noise in the rolling mean.
        ties = signal.abs() <= 1e-9 * search.abs().max()
        tie_position = 1.0
    position = pd.Series(np.where(signal > 0, -1.0, 1.0), index=search.index)
    position[ties] = tie_position
    market = np.log(price).diff().shift(-1)  # return from this entry to the next
    price_signal = preis_delta(price, delta_t).shift(1)  # p(t-1) against the weeks before it
    price_position = pd.Series(np.where(price_signal > 0, -1.0, 1.0), index=price.index)
    price_position[price_signal.isna()] = 0.0
    weekly = pd.DataFrame(
        {
            "price": price,
            "signal": signal,
            "position": position,
            "market_log_return": market,
            "price_rule_position": price_position,
        }
    )
    # Trade once the search rule has its look-back, while a next price exists. The
    # price rule needs one week more and stays out of the market until it has it.
    weekly = weekly[signal.notna() & market.notna()]
    if len(weekly) < 10:
        raise DataError(f"search, prices: only {len(weekly)} tradable weeks for delta_t={delta_t}, need 10")
    weekly["log_return"] = weekly["position"] * weekly["market_log_return"]
    r = weekly["market_log_return"].to_numpy()
    pos = weekly["position"].to_numpy()
    spread_risk = float(np.sqrt((pos * pos) @ (r * r)))  # sd of random +-1 strategies trading the same weeks
    if not spread_risk > 0:
        raise DataError(
            f"prices: the price does not change over the {len(weekly)} tradable weeks, so there is nothing to trade"
            " (check that prices is a price series, not a constant)"
        )
    total = float(pos @ r)
    shifted = np.array([np.roll(pos, k) @ r for k in range(1, len(r))])
    tied = ties[weekly.index].to_numpy()
    base = float(pos[~tied] @ r[~tied])
    tie_spread = {rule: float(np.expm1(base + side * r[tied].sum())) for rule, side in
                  (("long", 1.0), ("none", 0.0), ("short", -1.0))}
    return BacktestResult(
        term=term,
        delta_t=delta_t,
        weekly=weekly,
        total_return=float(np.expm1(total)),
        buy_and_hold_return=float(np.expm1(r.sum())),
        price_rule_return=float(np.expm1(weekly["price_rule_position"].to_numpy() @ r)),
        z_random=total / spread_risk,
        p_shift=float((1 + np.sum(shifted >= total)) / len(r)),
        n_ties=int(tied.sum()),
        arithmetic=arithmetic,
        tie_spread=tie_spread,
    )


def _check_arithmetic(arithmetic: object) -> Arithmetic:
    if arithmetic not in _ARITHMETIC:
        raise DataError(f"arithmetic: expected 'exact' or 'paper', got {arithmetic!r}")
    return cast(Arithmetic, arithmetic)


def preis2013(term: str = "debt", delta_t: int = 3, *, arithmetic: Arithmetic = "exact") -> BacktestResult:
    """Replicate Preis, Moat & Stanley (2013) on their data (2004-2011, DJIA).

    Parameters
    ----------
    term : str
        One of the 98 search terms of :func:`attention.datasets.load_preis2013`.
    delta_t : int
        Weeks in the trailing mean.
    arithmetic : {"exact", "paper"}, default "exact"
        ``"exact"`` (the default): the trailing mean as pandas computes it,
        and a week within 1e-9 of its trailing mean counts as a tie and goes
        long ("otherwise buy"), so the result does not depend on rounding
        noise. ``"paper"``: the authors' published arithmetic, which sums
        the previous weeks in order (n[t-1] + ... + n[t-delta_t], in
        doubles), divides by delta_t and takes no position in a week whose
        change is exactly zero; it reproduces the published figures.

    Returns
    -------
    BacktestResult
        For "debt" and ``delta_t = 3`` compare with
        :data:`PREIS2013_PUBLISHED` (+326%, +16%, +33%);
        ``tie_spread`` shows the result under each tie rule.

    Raises
    ------
    DataError
        If ``term`` is not in the data, ``delta_t`` is not a positive integer
        or ``arithmetic`` is unknown.

    Notes
    -----
    The paper does not say what to do when search volume equals its trailing
    mean, and the published file rounds to six digits, so for "debt" at
    delta_t = 3 twelve weeks tie exactly. The default sends them long, which
    gives +314%; the authors' code sums the weeks sequentially, so that
    rounding makes some of those weeks tiny rises or falls and only the rest
    exact ties, which it sits out: +326%, the published figure.
    ``docs/backtest.md`` tabulates both for delta_t = 1..6.

    Examples
    --------
    >>> from attention.backtest import preis2013
    >>> result = preis2013("debt", delta_t=3)
    >>> round(result.buy_and_hold_return, 3), round(result.price_rule_return, 3)
    (0.165, 0.33)
    >>> round(preis2013("debt", 3, arithmetic="paper").total_return, 2)
    3.26
    """
    from .datasets import load_preis2013

    delta_t = positive_int(delta_t, "delta_t")
    arithmetic = _check_arithmetic(arithmetic)
    data = load_preis2013()
    terms = [c for c in data.columns if c not in ("djia_date", "djia_close")]
    if not isinstance(term, str):
        raise DataError(f"term: expected the name of one of the 98 Preis et al. terms, got {type(term).__name__}")
    if term not in terms:
        raise DataError(f"term: {term!r} is not one of the 98 Preis et al. terms, e.g. {terms[:5]}")
    return _run(term, data[term], data["djia_close"], delta_t, arithmetic)


def preis_strategy(
    search: pd.Series, prices: pd.Series, delta_t: int = 3, *, arithmetic: Arithmetic = "exact",
    require_weekly: bool = True,
) -> BacktestResult:
    """Run the Preis et al. rule on any weekly search series and daily prices.

    Parameters
    ----------
    search : Series
        Weekly search interest indexed by the Sunday that starts each Google
        week (as Google Trends and :func:`attention.market.to_google_weeks`
        label weeks).
    prices : Series
        Daily closing prices. Each week trades at the first close after its
        search week has ended, so the signal never uses data it could not
        have had.
    delta_t : int
    arithmetic : {"exact", "paper"}, default "exact"
        As in :func:`preis2013`.
    require_weekly : bool, default True
        The rule is defined on weeks: ``search`` on any other calendar is
        refused unless this is False (then each period trades at the first
        close at least seven days after its label).

    Returns
    -------
    BacktestResult

    Raises
    ------
    DataError
        If inputs are empty, non-numeric or do not overlap enough, prices are
        not positive or never change, or ``search`` is not weekly.

    Examples
    --------
    The paper's own data: weekly searches for "debt" and the DJIA's close on the first trading day of the next week.

    >>> from attention.datasets import load_preis2013
    >>> data = load_preis2013()
    >>> djia = data.set_index("djia_date")["djia_close"]
    >>> result = preis_strategy(data["debt"], djia, delta_t=3)
    >>> f"{result.total_return:.0%} against {result.buy_and_hold_return:.0%} buy and hold"
    '314% against 16% buy and hold'
    """
    delta_t = positive_int(delta_t, "delta_t")
    arithmetic = _check_arithmetic(arithmetic)
    if not isinstance(require_weekly, (bool, np.bool_)):
        raise DataError(f"require_weekly: expected True or False, got {require_weekly!r}")
    s = naive_utc(as_series(search, "search", min_obs=delta_t + 10))
    days = float(np.median(np.diff(s.dropna().index.values).astype("timedelta64[s]").astype(float))) / 86_400
    if require_weekly and not 6 < days <= 8:
        raise DataError(
            f"search: the Preis et al. rule trades weekly, but search is {calendar_name(days)}; aggregate it to"
            " Google's weeks first (attention.to_google_weeks(search, 'mean')) or pass require_weekly=False"
        )
    p = naive_utc(as_series(prices, "prices", min_obs=delta_t + 10)).dropna()
    if (p <= 0).any():
        raise DataError("prices: must be positive")
    after_week = s.index + pd.Timedelta(days=7)
    pos = p.index.searchsorted(after_week)
    ok = pos < len(p)
    entry = pd.Series(np.nan, index=s.index)
    entry[ok] = p.to_numpy()[pos[ok]]
    # A week whose "first close after" is more than a week later has no price of its own.
    stale = np.zeros(len(s), dtype=bool)
    stale[ok] = (p.index[pos[ok]] - after_week[ok]) > pd.Timedelta(days=6)
    entry[stale] = np.nan
    if (entry.notna() & s.notna()).sum() < delta_t + 10:
        raise DataError(
            f"search, prices: only {int((entry.notna() & s.notna()).sum())} weeks have both search data and a"
            " following close; check that search is weekly (Sunday-labelled) and prices daily over the same years"
        )
    # Signals come from consecutive weeks of search; weeks without a price just do not trade.
    return _run(str(s.name), s, entry, delta_t, arithmetic)
