"""The whole method on embedded real data, offline: ``attention demo``.

1. The article's claims checked on prices as of a date (the January 2026
   small-cap streak and year-to-date gap, the January effect, January as a
   signal, leadership runs) - each supported, not supported or not
   checkable.
2. The feedback loop returns -> attention -> flows -> returns on real
   weekly data: Google search volume for finance terms (Preis et al. 2013,
   2004-2011) against SPY and IWM returns and a flow proxy, screened across
   terms with Benjamini-Hochberg, with one loop shown in full.
3. The Preis et al. (2013) trading-rule replication.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._results import ResultMixin, fmt_p
from ._typing import DateLike
from .backtest import PREIS2013_PUBLISHED, BacktestResult, preis2013
from .claims import Claims, check_article
from .correlation import FeedbackLoopResult, feedback_loop
from .correlation._screen import LoopScreen, bh_screen
from .datasets import load_preis2013, load_prices
from .market import abnormal_dollar_volume_proxy, log_returns, to_google_weeks
from .scoring import log_change

__all__ = ["DEMO_TERMS", "DEMO_TICKERS", "DemoResult", "LoopScreen", "run_demo"]

#: Finance terms from the Preis et al. data screened for the loop.
DEMO_TERMS = ("stocks", "stock market", "dow jones", "nasdaq", "markets")
#: ETFs whose returns and trading stand for large and small caps.
DEMO_TICKERS = ("SPY", "IWM")

_NOTES = (
    "Flows are a PROXY: abnormal dollar volume (log weekly dollar volume against its trailing"
    " 8-week mean) measures how much trades, not whether money flows in or out; the shipped"
    " data hold no shares outstanding for SPY or IWM.",
    "Search data are Preis et al.'s weekly US Google volumes for finance terms, 2004-2011;"
    " search data for the three 2026 themes (small-cap stocks, AI stocks, Magnificent Seven)"
    " are not shipped, so the loop is shown on these terms.",
    "Prices are Yahoo Finance closes; SPY is an ETF, not the S&P 500 index itself (^GSPC in"
    " the shipped data ends in 2022).",
    "Data sources: Yahoo Finance daily prices from public GitHub mirrors (alitalbi/storage_data_fy to"
    " 2026-02-23, xjcarter/data to 2022-11-18; Yahoo's terms apply); weekly search volumes of Preis, Moat &"
    " Stanley, Scientific Reports 3:1684 (2013) (cite the paper). Commits and checks:"
    " attention/datasets/README.md.",
)


@dataclass(frozen=True, eq=False, repr=False)
class DemoResult(ResultMixin):
    """Everything ``attention demo`` computed.

    Attributes
    ----------
    claims : Claims
        The article's claims, by id.
    screen : LoopScreen
        The loop for every (term, ticker) pair, Benjamini-Hochberg corrected.
    loop : FeedbackLoopResult
        The first loop of the screen, in full.
    backtest : BacktestResult
    notes : tuple of str
        Which quantities are proxies and what the data cannot show.

    Examples
    --------
    What :func:`run_demo` returns: one field per section of the demo.

    >>> import dataclasses
    >>> [field.name for field in dataclasses.fields(DemoResult)]
    ['claims', 'screen', 'loop', 'backtest', 'notes']
    """

    claims: Claims
    screen: LoopScreen
    loop: FeedbackLoopResult
    backtest: BacktestResult
    notes: tuple[str, ...]

    def _key_numbers(self) -> dict[str, Any]:
        return {"claims": len(self.claims), "loops": len(self.screen.table),
                "supported": int(self.screen.table["supported"].sum()), "backtest": self.backtest.total_return}

    def results(self) -> dict[str, ResultMixin]:
        """Title -> result, in reading order (what the report renders)."""
        out: dict[str, ResultMixin] = {"The article's claims": self.claims}
        out["Feedback loops screened across search terms"] = self.screen
        out[f"Feedback loop in full: {self.loop.names['attention']}, {self.loop.names['returns']}"] = self.loop
        out["Preis et al. (2013) replication"] = self.backtest
        return out

    def to_frame(self) -> pd.DataFrame:
        return self.screen.to_frame()

    def summary(self) -> str:
        bt = self.backtest
        pub = PREIS2013_PUBLISHED
        lines = ["1. The January 2026 small-cap story, checked on prices", ""]
        lines.append(self.claims.summary())
        lines += [
            "",
            "2. Does attention feed a loop with flows and returns? (weekly, 2004-2011)",
            "",
            self.screen.summary(),
            "",
            self.loop.summary(),
            "",
            "3. Replication: Preis, Moat & Stanley (2013), 'debt', delta_t = 3 weeks",
            "",
            f"{'':<22}{'here':>10}{'paper':>10}",
            f"{'attention strategy':<22}{bt.total_return:>+10.1%}{pub['strategy']:>+10.0%}",
            f"{'buy and hold':<22}{bt.buy_and_hold_return:>+10.1%}{pub['buy_and_hold']:>+10.0%}",
            f"{'same rule on prices':<22}{bt.price_rule_return:>+10.1%}{pub['price_rule']:>+10.0%}",
            f"{bt.n_ties} weeks tie with their trailing mean and go long here; the authors' arithmetic"
            f" (preis2013(..., arithmetic='paper'): weeks summed in order, exact ties sat out) gives"
            f" {preis2013(bt.term, bt.delta_t, arithmetic='paper').total_return:+.1%}.",
            f"Against every circular shift of its positions: p = {fmt_p(bt.p_shift)}; 'debt' is one of 98"
            " terms tried, so this p is not corrected for that search.",
            "",
            "Notes",
        ]
        lines += [f"- {n}" for n in self.notes]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready numbers and sentences."""
        bt = self.backtest
        return {
            "claims": [
                {"id": c.id, "claim": c.claim, "verdict": c.verdict, "value": None if np.isnan(c.value) else c.value,
                 "unit": c.unit, "finding": c.finding}
                for c in self.claims
            ],
            "feedback_loop": {
                "screen": _records(self.screen.table.reset_index()),
                "detail": {
                    "links": _records(self.loop.links.reset_index(names="link")),
                    "p_loop": self.loop.p_loop,
                    "supported": self.loop.supported,
                    "conclusion": self.loop.conclusion,
                    "verdict": self.loop.verdict,
                },
            },
            "preis2013": {
                "term": bt.term,
                "delta_t": bt.delta_t,
                "total_return": bt.total_return,
                "buy_and_hold_return": bt.buy_and_hold_return,
                "price_rule_return": bt.price_rule_return,
                "z_random": bt.z_random,
                "p_shift": bt.p_shift,
                "n_ties": bt.n_ties,
                "published": PREIS2013_PUBLISHED,
            },
            "notes": list(self.notes),
        }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    return [{k: (v.item() if isinstance(v, np.generic) else v) for k, v in r.items()} for r in out]


def _market_inputs(prices: pd.DataFrame, ticker: str) -> dict[str, pd.Series]:
    """Weekly log returns and the flow proxy of one ETF."""
    close, volume = prices[("Close", ticker)].dropna(), prices[("Volume", ticker)].dropna()
    returns = to_google_weeks(log_returns(close), "sum")
    flows = abnormal_dollar_volume_proxy(close, volume, weekly=True)
    return {
        "returns": returns.rename(f"{ticker} weekly log return"),
        "flows": flows.rename(f"{ticker} abnormal dollar volume (proxy)"),
    }


def run_demo(as_of: DateLike = "2026-01-16", *, n_surrogates: int = 999, seed: int = 2026) -> DemoResult:
    """Run the three demo sections on the embedded data.

    Parameters
    ----------
    as_of : date-like
        Date of the article checks; only prices up to it are used.
    n_surrogates : int
        Circular-shift surrogates per loop link.
    seed : int
        Makes the surrogate draws, and so the p-values, reproducible.

    Returns
    -------
    DemoResult

    Examples
    --------
    >>> demo = run_demo(n_surrogates=19, seed=1)  # few surrogates: quick, coarse p-values
    >>> demo
    DemoResult(claims=6, loops=10, supported=0, backtest=3.142)
    >>> list(demo.results())[1]
    'Feedback loops screened across search terms'
    """
    claims = check_article(None, as_of)
    search = load_preis2013()
    prices = load_prices(list(DEMO_TICKERS))
    market = {ticker: _market_inputs(prices, ticker) for ticker in DEMO_TICKERS}
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    first: FeedbackLoopResult | None = None
    rng = np.random.default_rng(seed)
    for term in DEMO_TERMS:
        attention = log_change(search[term]).rename(f"dlog search '{term}'")
        for ticker in DEMO_TICKERS:
            result = feedback_loop(attention, **market[ticker], n_surrogates=n_surrogates, seed=rng)
            first = first or result
            rows[(term, ticker)] = {
                **result.links["effect_size"].to_dict(),
                "n": int(result.links["n"].iloc[0]),
                "p_loop": result.p_loop,
            }
    assert first is not None  # DEMO_TERMS and DEMO_TICKERS are not empty
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.names = ["term", "ticker"]
    return DemoResult(claims=claims, screen=LoopScreen(bh_screen(table)), loop=first, backtest=preis2013("debt", 3), notes=_NOTES)
