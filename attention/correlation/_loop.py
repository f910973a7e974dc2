"""The feedback loop returns -> attention -> flows -> returns, tested link by link."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .._method_notes import method_note
from .._results import ResultMixin, fmt_p, new_axes, stationarity_caution
from .._validate import as_series, checked_panel, random_generator
from ..errors import DataError, NonStationaryWarning
from ._diagram import _draw_links, _null_histograms
from ._stationarity import stationarity, warn_nonstationary
from ._surrogates import _SURROGATE_LABEL, _check_signs, _links_table, _make_plan, _Plan, _run_links

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure



_LINKS = (("returns", "attention"), ("attention", "flows"), ("flows", "returns"))
_LOOP_NODES = {"returns": (0.5, 0.9), "attention": (0.02, 0.08), "flows": (0.98, 0.08)}


@dataclass(frozen=True, eq=False, repr=False)
class FeedbackLoopResult(ResultMixin):
    """The loop returns -> attention -> flows -> returns, tested link by link.

    Attributes
    ----------
    links : DataFrame
        One row per link, indexed ``"returns -> attention"``,
        ``"attention -> flows"``, ``"flows -> returns"``:

        - ``cause``, ``effect``: series names; ``lags``: the lag used (fixed,
          or chosen by BIC); ``n``: observations in the regression;
        - ``expected_sign``: the claim; ``sign``: the sign of the estimate;
        - ``effect_size``: standardised cumulative response, the sum of the
          cause-lag coefficients x sd(cause) / sd(effect): how many sds the
          effect moves after a one-sd move of the cause;
        - ``se``: its standard error (HC3 unless ``se=`` says otherwise);
        - ``ci_low``, ``ci_high``: a 1 - 2 alpha interval for the effect
          (90% at alpha = 0.05) from the studentised surrogate null; its end
          on the claimed side excludes 0 exactly when the link holds;
        - ``mde``: minimum detectable effect, the effect in the claimed
          direction the test finds with 80% power at level alpha;
        - ``partial_r2``: share of the effect's remaining variance the cause's
          lags explain;
        - ``t_stat``: studentised t of the summed coefficients, signed so that
          positive agrees with the claim;
        - ``p_t``: its asymptotic one-sided p-value (Student t);
        - ``p_granger``: the classical two-sided Granger F-test p-value;
        - ``p_surrogate``: one-sided surrogate p-value in the claimed
          direction, ``(1 + #{T* >= T}) / (B + 1)`` - the test's p-value;
        - ``p_holm``: ``p_surrogate`` Holm-adjusted across the three links;
        - ``holds``: ``p_surrogate <= alpha`` and the sign is the claimed one;
        - ``effect_bound``: the interval's end on the claimed side, as a
          magnitude in the claimed direction: larger effects are ruled out;
        - ``conclusion``: ``"supported"`` (the link holds), ``"ruled out"``
          (it does not, and ``effect_bound < min_effect``) or
          ``"inconclusive"`` (too little data to rule out an effect of
          ``min_effect``).
    p_loop : float
        Intersection-union p-value of the whole loop: the largest link p.
    alpha : float
    n_surrogates : int
    stationarity : DataFrame
        ADF/KPSS on the three input series.
    names : dict
        ``{"returns": ..., "attention": ..., "flows": ...}`` series names.
    null : dict
        Link name -> the surrogate statistics (signed like ``t_stat``).
    surrogate : str
        ``"circular"`` or ``"stationary"``.
    lag_selection : str
        ``"fixed"`` or ``"bic"``; ``max_lag`` is the fixed lag or the BIC cap.
    max_lag : int
    block_length : dict
        Link name -> mean block length of the stationary bootstrap (None for
        circular shifts).
    placebo : DataFrame or None
        One row per placebo search term run through the same test: the
        three links' effect sizes and surrogate p-values, ``p_loop`` and
        ``supported``.
    controls : tuple of str
        What every link's regression controlled for, in words (empty for
        none).
    se : str
        ``"hc1"``, ``"hc3"`` or ``"classical"``: how the link t statistics were studentised.
    min_effect : float
        The smallest effect (in sds) worth finding; below it a failing link is
        "ruled out", above it "inconclusive".

    Examples
    --------
    >>> from attention.testing import planted_loop_weekly
    >>> data = planted_loop_weekly(300, 0.4, seed=1)  # returns -> attention -> flows -> returns, planted
    >>> attention, returns, flows = data["attention"], data["returns"], data["flows"]

    >>> loop = feedback_loop(attention, returns, flows, n_surrogates=199, seed=1)
    >>> loop
    FeedbackLoopResult(p_loop=0.005, conclusion='supported', n=298, surrogate='circular', n_surrogates=199)
    >>> loop.links["holds"].tolist()
    [True, True, True]
    """

    links: pd.DataFrame
    p_loop: float
    alpha: float
    n_surrogates: int
    stationarity: pd.DataFrame
    names: dict[str, str] = field(repr=False)
    null: dict[str, np.ndarray[Any, Any]] = field(repr=False)
    surrogate: str = "circular"
    lag_selection: str = "fixed"
    max_lag: int = 2
    block_length: dict[str, float | None] = field(default_factory=dict, repr=False)
    placebo: pd.DataFrame | None = field(default=None, repr=False)
    controls: tuple[str, ...] = ()
    se: str = "hc3"
    min_effect: float = 0.1

    @property
    def supported(self) -> bool:
        """Whether every link holds, with the claimed sign, at level ``alpha``."""
        return bool(self.links["holds"].all())

    @property
    def placebo_rank(self) -> int | None:
        """Rank of the real term's ``p_loop`` among itself and the placebos (1 = smallest; ties favour it)."""
        if self.placebo is None:
            return None
        return 1 + int((self.placebo["p_loop"] < self.p_loop).sum())

    @property
    def placebo_share(self) -> float | None:
        """Share of placebo terms whose ``p_loop`` is at least as small as the real term's."""
        if self.placebo is None:
            return None
        return float((self.placebo["p_loop"] <= self.p_loop).mean())

    @property
    def p_placebo(self) -> float | None:
        """``(1 + #{placebo p_loop <= p_loop}) / (K + 1)``: a p-value if the real term is exchangeable with the placebos."""
        if self.placebo is None:
            return None
        return (1 + int((self.placebo["p_loop"] <= self.p_loop).sum())) / (len(self.placebo) + 1)

    @property
    def conclusion(self) -> str:
        """``"supported"``, ``"ruled out"`` or ``"inconclusive"``: what the data say about the loop.

        The loop needs every link, so it is ruled out as soon as one link is
        ruled out, and supported only when all three hold.
        """
        return _loop_conclusion(self.links["conclusion"])

    @property
    def verdict(self) -> str:
        """The answer in one sentence a reader can quote."""
        how = f"{_SURROGATE_LABEL[self.surrogate]} surrogates, n = {int(self.links['n'].iloc[0])}"
        return _verdict(self.links, self.conclusion, f"intersection-union p = {fmt_p(self.p_loop)}; {how}")

    def _key_numbers(self) -> dict[str, Any]:
        return {"p_loop": self.p_loop, "conclusion": self.conclusion, "n": int(self.links["n"].iloc[0]),
                "surrogate": self.surrogate, "n_surrogates": self.n_surrogates}

    def to_frame(self) -> pd.DataFrame:
        return self.links.copy()

    def summary(self) -> str:
        n = self.names
        lag_text = (
            f"{self.max_lag} lag(s)"
            if self.lag_selection == "fixed"
            else f"lags by BIC from 1..{self.max_lag} (re-chosen in every surrogate)"
        )
        lines = [
            "Feedback loop test: returns -> attention -> flows -> returns",
            f"  returns = {n['returns']!r}, attention = {n['attention']!r}, flows = {n['flows']!r}",
            (
                f"  {int(self.links['n'].iloc[0])} periods, {lag_text}, "
                f"{self.n_surrogates} {_SURROGATE_LABEL[self.surrogate]} surrogates, alpha = {self.alpha}"
            ),
        ]
        if self.surrogate == "stationary":
            blocks = ", ".join(f"{b:.1f}" for b in self.block_length.values())
            lines.append(f"  mean block lengths (Politis-White unless given): {blocks}")
        lines.append(f"  controls in every link: {', '.join(self.controls) if self.controls else 'none'}")
        level = round(100 * (1 - 2 * self.alpha))
        lines += [
            "",
            (
                f"{'link':<22} {'lag':>3} {'effect':>7} {f'{level}% interval':>17} {'mde':>6} {'t':>6} "
                f"{'p(F)':>7} {'p':>7} {'p_holm':>7}  conclusion"
            ),
        ]
        for name, r in self.links.iterrows():
            lines.append(
                f"{name:<22} {int(r.lags):>3} {r.effect_size:>+7.3f} {f'[{r.ci_low:+.3f}, {r.ci_high:+.3f}]':>17} "
                f"{r.mde:>6.3f} {r.t_stat:>+6.2f} {fmt_p(r.p_granger):>7} {fmt_p(r.p_surrogate):>7} "
                f"{fmt_p(r.p_holm):>7}  {r.conclusion}"
            )
        se = {"hc1": "heteroskedasticity-robust (HC1)", "hc3": "heteroskedasticity-robust (HC3)"}.get(self.se, "classical")
        lines += [
            "",
            self.verdict,
            "effect = sds the effect moves after a one-sd move of the cause (sum over lags), with its",
            f"{level}% interval from the surrogates; mde = effect found with 80% power; t = {se} t;",
            "p = one-sided surrogate p-value in the claimed direction (the test); p(F) = textbook Granger F.",
            f"A failing link is 'ruled out' when its interval excludes effects of {self.min_effect:g} sd or more",
            "in the claimed direction, else 'inconclusive' (too little data to tell).",
            *method_note("loop"),
        ]
        if self.placebo is not None:
            k = len(self.placebo)
            ties = int((self.placebo["p_loop"] == self.p_loop).sum())
            lines.append(
                f"Placebos: against {k} placebo search term(s) the real p_loop ranks {self.placebo_rank} of {k + 1}"
                + (f" ({ties} tie)" if ties else "")
                + f"; {self.placebo_share:.0%} of placebos have a p_loop at least as small"
                f" (placebo p = {fmt_p(self.p_placebo)})."
            )
        lines += stationarity_caution(self.stationarity)
        return "\n".join(lines)

    def plot(self, ax: Axes | None = None, kind: Literal["loop", "null"] = "loop") -> Figure:
        """``kind="loop"``: the loop as a diagram; ``kind="null"``: each link's surrogate null and observed t.

        In the diagram arrow width shows |effect size|, colour whether the
        link holds (green), has the claimed sign but is not significant
        (grey) or has the opposite sign (red); labels give the effect, the
        lag and the surrogate p-value.
        """
        if kind == "null":
            return _null_histograms(ax, self.links, self.null, "p_surrogate", self.surrogate)
        if kind != "loop":
            raise DataError(f"kind: expected 'loop' or 'null', got {kind!r}")
        fig, ax = new_axes(ax, figsize=(6.4, 5.8))
        nodes = {k: (xy, k, self.names[k]) for k, xy in _LOOP_NODES.items()}
        keys = {f"{c} -> {e}": (c, e) for c, e in _LINKS}
        head = "Loop supported" if self.supported else "Loop not supported"
        _draw_links(ax, nodes, self.links.rename(columns={"p_surrogate": "p"}), keys, "p", f"{head} (intersection-union p = {fmt_p(self.p_loop)})")
        ax.set(xlim=(-0.3, 1.3), ylim=(-0.25, 1.12))
        return fig


def _loop_series(attention: pd.Series, returns: pd.Series, flows: pd.Series) -> dict[str, pd.Series]:
    return {
        "attention": as_series(attention, "attention"),
        "returns": as_series(returns, "returns"),
        "flows": as_series(flows, "flows"),
    }


def _stationarity_of(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    st = stationarity(frame)
    st.index = [names[k] for k in frame.columns]
    return st


def feedback_loop(
    attention: pd.Series,
    returns: pd.Series,
    flows: pd.Series,
    *,
    lags: int | Literal["bic"] = 2,
    max_lag: int = 8,
    signs: Sequence[int] = (1, 1, 1),
    n_surrogates: int = 999,
    surrogate: Literal["circular", "stationary"] = "circular",
    block_length: float | None = None,
    alpha: float = 0.05,
    controls: str | pd.Series | pd.DataFrame | Iterable[str | pd.Series] | None = ("volatility",),
    se: Literal["hc3", "hc1", "classical"] = "hc3",
    min_effect: float = 0.1,
    placebo_terms: pd.DataFrame | pd.Series | None = None,
    seed: int | np.random.Generator | None = None,
) -> FeedbackLoopResult:
    """Test the loop returns -> attention -> flows -> returns on data.

    Each link ``cause -> effect`` is a regression of the effect on a constant,
    its own L lags, L lags of each control and L lags of the cause. The
    statistic is the heteroskedasticity-robust (HC3) t of the *summed* cause
    coefficients (the cumulative response), signed so that large values
    agree with the claim. Its null distribution comes from surrogates of the
    cause that keep its autocorrelation and destroy only its alignment with
    the effect, each studentised the same way, so the p-value
    ``(1 + #{T* >= T}) / (B + 1)`` survives the autocorrelation that makes
    textbook p-values unreliable and the shared volatility that makes
    unstudentised ones too small. The asymptotic one-sided t p-value and the
    two-sided Granger F p-value are reported beside it.

    Every link also gets an interval for its effect, a minimum detectable
    effect and a conclusion: supported, ruled out (no evidence, and effects
    of ``min_effect`` or more are excluded) or inconclusive (no evidence, and
    too little data to exclude them).

    The three link p-values are Holm-adjusted (each link is a claim of its
    own). The loop is a conjunction, tested as an intersection-union test:
    ``p_loop = max`` of the link p-values, and it holds only if every link
    holds with its claimed sign.

    Parameters
    ----------
    attention, returns, flows : Series
        Stationary series on one calendar (e.g. weekly log change of search
        interest, weekly log returns, flows scaled by assets). Aligned on
        common dates; leading and trailing missing values are dropped.
    lags : int or "bic", default 2
        An integer fixes L for every link. ``"bic"`` chooses L per link from
        1..``max_lag`` by BIC of the unrestricted regression on the common
        sample t = max_lag..n-1, and chooses it again in every surrogate, so
        the p-value accounts for the choice. The default stays 2: a
        prespecified lag needs no selection (and callers keep their analysis).
    max_lag : int, default 8
        Largest lag BIC considers (only with ``lags="bic"``).
    signs : tuple of three of {+1, -1}
        Claimed direction of each link, in the order returns->attention,
        attention->flows, flows->returns. The story "rising performance
        drives search, search drives flows, flows push prices" is (1, 1, 1).
    n_surrogates : int, default 999
    surrogate : {"circular", "stationary"}
        ``"circular"``: circular shifts of the cause by max_lag to
        n - max_lag periods, so a surrogate's lags never overlap the data's
        (one set of shifts for all links).
        ``"stationary"``: the stationary bootstrap of the cause (Politis &
        Romano 1994), blocks of geometric length with a mean chosen by the
        Politis & White (2004) rule for each cause.
    block_length : float, optional
        Mean block length for ``surrogate="stationary"`` instead of the rule.
    alpha : float, default 0.05
        Level of each link test, between 0 and 0.5; intervals have
        coverage 1 - 2 alpha.
    controls : str, Series, DataFrame or sequence of them, default ("volatility",)
        Series whose lags enter every link's regression beside the effect's
        own. ``"volatility"``: the absolute returns, so that attention and
        flows that both swell after large moves are not mistaken for a link
        between them; ``"third"``: the loop's third variable (flows in
        returns -> attention, returns in attention -> flows, attention in
        flows -> returns); a Series or DataFrame columns: your own (realised
        volatility, VIX, ...) on the same calendar. ``None`` for none. The
        default is the one that held every link's size at 5% in the
        calibration study (docs/statistics.md).
    se : {"hc3", "hc1", "classical"}, default "hc3"
        How each t statistic (data and every surrogate) is studentised:
        heteroskedasticity-robust HC3, which inflates each residual by its
        leverage (the choice that held every link's size in the calibration
        study, docs/statistics.md); HC1, which does not (slightly more
        power, but 7-8% false links under extreme volatility of volatility);
        or the classical OLS standard error of earlier versions (which
        over-rejects whenever volatility is shared).
    min_effect : float, default 0.1
        The smallest effect, in sds of the effect per sd of the cause, worth
        finding. A link without evidence is "ruled out" when its interval
        excludes effects this large in the claimed direction, else
        "inconclusive".
    placebo_terms : DataFrame, optional
        Control attention series (searches unrelated to the story, same
        transform as ``attention``), one per column. Each runs through the
        same test with the same returns and flows; ``result.placebo`` holds
        their results and the summary says where the real term ranks. They
        do not change the real term's p-values.
    seed : int or numpy Generator, optional
        For reproducible surrogates.

    Returns
    -------
    FeedbackLoopResult

    Raises
    ------
    DataError
        For empty, non-numeric, all-NaN or constant inputs (controls
        included), duplicate dates, missing values inside the sample, mixed
        frequencies, too few common dates for the lags, controls collinear
        with the effect, or invalid parameters. The message says what to do.

    Warns
    -----
    NonStationaryWarning
        If ADF/KPSS suggest an input (or a placebo) is not stationary.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from attention.testing import planted_loop
    >>> a, r, f = planted_loop(400, 0.3, np.random.default_rng(0))
    >>> weeks = pd.date_range("2015-01-04", periods=400, freq="W-SUN")
    >>> loop = feedback_loop(pd.Series(a, weeks), pd.Series(r, weeks), pd.Series(f, weeks), seed=0)
    >>> loop.conclusion, loop.controls
    ('supported', ('volatility: lags of |returns|',))
    >>> loop.links[["effect_size", "ci_low", "ci_high", "conclusion"]].round(2)  # doctest: +NORMALIZE_WHITESPACE
                          effect_size  ci_low  ci_high conclusion
    returns -> attention         0.25    0.13     0.37  supported
    attention -> flows           0.42    0.31     0.52  supported
    flows -> returns             0.29    0.17     0.40  supported
    """
    signs = _check_signs(signs, 3, "returns->attention, attention->flows, flows->returns")
    series = _loop_series(attention, returns, flows)
    user, keys, labels = _loop_controls(controls)
    plan = _make_plan(lags, max_lag, n_surrogates, surrogate, block_length, alpha, se, min_effect,
                      len(keys[_LINKS[0]]))
    placebos = _placebo_inputs(placebo_terms)
    names = {k: str(s.name) for k, s in series.items()}
    panel = checked_panel({**series, **user}, min_obs=plan.min_obs, why=plan.why)[0]
    frame = panel[list(series)]
    st = _stationarity_of(frame, names)
    warn_nonstationary(st)

    rng = random_generator(seed)
    panel = _with_controls(panel, keys)
    rows, null, blocks = _run_links(panel, _LINKS, signs, plan, rng, {k: k for k in panel} | names, keys)
    links = _links_table(rows, plan)
    p_loop = float(links["p_surrogate"].max())
    placebo = None
    if placebos is not None:
        placebo = _placebo_table(placebos, {**series, **user}, keys, signs, plan, rng)
    return FeedbackLoopResult(
        links=links,
        p_loop=p_loop,
        alpha=plan.alpha,
        n_surrogates=plan.n_surrogates,
        stationarity=st,
        names=names,
        null=null,
        surrogate=plan.surrogate,
        lag_selection="fixed" if len(plan.lag_set) == 1 else "bic",
        max_lag=plan.max_lag,
        block_length=blocks,
        placebo=placebo,
        controls=labels,
        se=plan.se,
        min_effect=plan.min_effect,
    )


_THIRD = {link: next(k for k in ("returns", "attention", "flows") if k not in link) for link in _LINKS}
_CONTROL_LABELS = {"volatility": "volatility: lags of |returns|", "third": "the third loop variable's lags"}


def _loop_controls(controls: Any) -> tuple[dict[str, pd.Series], dict[tuple[str, str], tuple[str, ...]], tuple[str, ...]]:
    """The user's control series (to align with the inputs), each link's control columns, and their labels.

    ``"volatility"`` is the column |returns| (large moves either way), added
    after alignment by :func:`_with_controls`; ``"third"`` the loop variable
    outside the link; a Series or DataFrame column the user's own series
    (keyed ``control[name]``).
    """
    items: list[Any]
    if controls is None:
        items = []
    elif isinstance(controls, (str, pd.Series)):
        items = [controls]
    elif isinstance(controls, pd.DataFrame):
        items = [controls[c].rename(c) for c in controls.columns]
    else:
        try:
            items = list(controls)
        except TypeError:
            items = [controls]
    user: dict[str, pd.Series] = {}
    shared: list[str] = []
    labels: list[str] = []
    third = False
    for item in items:
        if isinstance(item, str) and item in _CONTROL_LABELS:
            third = third or item == "third"
            if item == "volatility":
                shared.append("volatility")
            label = _CONTROL_LABELS[item]
        elif isinstance(item, pd.Series):
            key = f"control[{item.name!r}]" if item.name is not None else f"control[{len(user)}]"
            user[key] = as_series(item, "controls")
            shared.append(key)
            label = f"lags of {key}"
        else:
            raise DataError(
                "controls: expected 'volatility', 'third', a Series or DataFrame of control series, a list of "
                f"these, or None; got {item!r}"
            )
        if label in labels:
            raise DataError(f"controls: {label!r} is given twice")
        labels.append(label)
    keys = {link: ((_THIRD[link],) if third else ()) + tuple(shared) for link in _LINKS}
    return user, keys, tuple(labels)


def _with_controls(frame: pd.DataFrame, keys: dict[tuple[str, str], tuple[str, ...]]) -> pd.DataFrame:
    """``frame`` with the derived control columns its links use (|returns| as ``volatility``)."""
    if any("volatility" in k for k in keys.values()):
        frame = frame.assign(volatility=frame["returns"].abs())
    return frame


def _loop_conclusion(conclusions: pd.Series) -> str:
    if (conclusions == "supported").all():
        return "supported"
    return "ruled out" if (conclusions == "ruled out").any() else "inconclusive"


def _verdict(links: pd.DataFrame, conclusion: str, how: str) -> str:
    """One quotable sentence: supported; not supported and ruled out; or not supported for want of data."""
    if conclusion == "supported":
        return (
            "The data support the loop returns -> attention -> flows -> returns: every link holds in the "
            f"claimed direction ({how})."
        )

    def detail(name: str, r: pd.Series) -> str:
        sign = "opposite sign; " if r["sign"] != r["expected_sign"] else ""
        if r["conclusion"] == "inconclusive":
            return f"{name} ({sign}could still be up to {r['effect_bound'] * r['expected_sign']:+.2f} sd)"
        side = "above" if r["expected_sign"] > 0 else "below"
        return f"{name} ({sign}effects {side} {r['effect_bound'] * r['expected_sign']:+.2f} sd ruled out)"

    failing = [detail(name, r) for name, r in links.iterrows() if not r["holds"]]
    why = "and rule it out as claimed" if conclusion == "ruled out" else "but are too few to rule it out"
    return (
        f"The data do not support the loop ({how}), {why}: {len(failing)} of 3 links fail - {'; '.join(failing)}."
    )


def _placebo_inputs(placebo_terms: pd.DataFrame | pd.Series | None) -> dict[str, pd.Series] | None:
    if placebo_terms is None:
        return None
    if isinstance(placebo_terms, pd.Series):
        placebo_terms = placebo_terms.to_frame()
    if not isinstance(placebo_terms, pd.DataFrame) or placebo_terms.shape[1] == 0:
        raise DataError(
            "placebo_terms: expected a DataFrame with one column per control search term "
            f"(transformed like attention), got {type(placebo_terms).__name__}"
        )
    if placebo_terms.columns.has_duplicates:
        raise DataError("placebo_terms: column names must be unique")
    return {str(c): as_series(placebo_terms[c], f"placebo_terms[{str(c)!r}]") for c in placebo_terms.columns}


def _placebo_table(placebos: dict[str, pd.Series], series: dict[str, pd.Series], keys: dict[tuple[str, str], tuple[str, ...]],
                   signs: tuple[int, ...], plan: _Plan, rng: np.random.Generator) -> pd.DataFrame:
    rows: dict[str, dict[str, Any]] = {}
    non_stationary: list[str] = []
    for term, s in placebos.items():
        arg = f"placebo_terms[{term!r}]"
        others = {k: v for k, v in series.items() if k != "attention"}
        checked, _ = checked_panel({arg: s, **others}, min_obs=plan.min_obs, why=plan.why)
        frame = _with_controls(checked.rename(columns={arg: "attention"}), keys)
        names = {k: k for k in frame.columns} | {"attention": arg}
        if not stationarity(frame[["attention"]])["stationary"].iloc[0]:
            non_stationary.append(term)
        links = _links_table(_run_links(frame, _LINKS, signs, plan, rng, names, keys)[0], plan)
        rows[term] = {
            "n": int(links["n"].iloc[0]),
            **links["effect_size"].to_dict(),
            **{f"p {k}": v for k, v in links["p_surrogate"].items()},
            "p_loop": float(links["p_surrogate"].max()),
            "supported": bool(links["holds"].all()),
        }
    if non_stationary:
        warnings.warn(
            f"placebo terms {non_stationary} may not be stationary (ADF/KPSS); transform them like attention",
            NonStationaryWarning,
            stacklevel=3,
        )
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "placebo"
    return table
