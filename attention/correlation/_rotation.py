"""The rotation claim: does the share of attention lead a theme's relative return, or follow it?"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .._method_notes import method_note
from .._results import ResultMixin, fmt_p, new_axes, stationarity_caution
from .._validate import as_series, checked_panel, random_generator
from ..errors import DataError
from ._diagram import _draw_links, _null_histograms
from ._loop import _stationarity_of
from ._stationarity import warn_nonstationary
from ._surrogates import _SURROGATE_LABEL, _check_signs, _links_table, _make_plan, _run_links

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure



_ROTATION = (("share", "relative"), ("relative", "share"))
_ROTATION_NAMES = {"share -> relative": "share -> relative return", "relative -> share": "relative return -> share"}


@dataclass(frozen=True, eq=False, repr=False)
class RotationResult(ResultMixin):
    """Does the share of attention lead the relative return of the theme, or follow it?

    Attributes
    ----------
    links : DataFrame
        Two rows, ``"share -> relative return"`` and
        ``"relative return -> share"``, with the columns of
        :attr:`FeedbackLoopResult.links`; ``p_holm`` is Holm across the two
        directions and ``holds`` uses it.
    alpha, n_surrogates, surrogate, lag_selection, max_lag, block_length
        As in :class:`FeedbackLoopResult`.
    stationarity : DataFrame
    names : dict
        ``{"share": ..., "relative": ...}`` series names.
    null : dict
        Link name -> surrogate statistics.

    Examples
    --------
    >>> from attention.testing import planted_loop_weekly
    >>> data = planted_loop_weekly(300, 0.4, seed=1)  # returns -> attention -> flows -> returns, planted
    >>> attention, returns, flows = data["attention"], data["returns"], data["flows"]

    >>> share = (0.3 + 0.05 * attention).clip(0.01, 0.99)  # the theme's share of attention

    >>> rotation_test(share, returns, n_surrogates=199, seed=1)
    RotationResult(direction='attention follows', p_leads=0.98, p_follows=0.01, n=297)
    """

    links: pd.DataFrame
    alpha: float
    n_surrogates: int
    stationarity: pd.DataFrame
    names: dict[str, str] = field(repr=False)
    null: dict[str, np.ndarray[Any, Any]] = field(repr=False)
    surrogate: str = "circular"
    lag_selection: str = "fixed"
    max_lag: int = 2
    block_length: dict[str, float | None] = field(default_factory=dict, repr=False)

    @property
    def direction(self) -> str:
        """``"attention leads"``, ``"attention follows"``, ``"both"`` or ``"neither"``."""
        leads = bool(self.links["holds"].iloc[0])
        follows = bool(self.links["holds"].iloc[1])
        return {(True, True): "both", (True, False): "attention leads", (False, True): "attention follows"}.get(
            (leads, follows), "neither"
        )

    @property
    def verdict(self) -> str:
        """The answer in one sentence a reader can quote."""
        share, rel = self.names["share"], self.names["relative"]
        p1, p2 = (fmt_p(p) for p in self.links["p_holm"])
        tail = f"(Holm p = {p1} and {p2}; {_SURROGATE_LABEL[self.surrogate]} surrogates, n = {int(self.links['n'].iloc[0])})"
        return {
            "both": f"Attention and returns feed each other: {share!r} leads {rel!r} and {rel!r} leads {share!r} {tail}.",
            "attention leads": f"Attention leads: {share!r} predicts {rel!r} in the claimed direction, not the reverse {tail}.",
            "attention follows": f"Attention follows: {rel!r} predicts {share!r} in the claimed direction, not the reverse {tail}.",
            "neither": f"Neither direction is supported between {share!r} and {rel!r} {tail}.",
        }[self.direction]

    def _key_numbers(self) -> dict[str, Any]:
        p1, p2 = self.links["p_holm"]
        return {"direction": self.direction, "p_leads": p1, "p_follows": p2, "n": int(self.links["n"].iloc[0])}

    def to_frame(self) -> pd.DataFrame:
        return self.links.copy()

    def summary(self) -> str:
        lag_text = (
            f"{self.max_lag} lag(s)"
            if self.lag_selection == "fixed"
            else f"lags by BIC from 1..{self.max_lag} (re-chosen in every surrogate)"
        )
        lines = [
            "Rotation test: does the share of attention lead the relative return, or follow it?",
            f"  share = {self.names['share']!r}, relative return = {self.names['relative']!r}",
            (
                f"  {int(self.links['n'].iloc[0])} periods, {lag_text}, "
                f"{self.n_surrogates} {_SURROGATE_LABEL[self.surrogate]} surrogates, alpha = {self.alpha}"
            ),
            "",
            f"{'direction':<26} {'lag':>3} {'effect':>7} {'t':>6} {'p(t)':>7} {'p(F)':>7} {'p':>7} {'p_holm':>7}  holds",
        ]
        for name, r in self.links.iterrows():
            lines.append(
                f"{name:<26} {int(r.lags):>3} {r.effect_size:>+7.3f} {r.t_stat:>+6.2f} {fmt_p(r.p_t):>7} "
                f"{fmt_p(r.p_granger):>7} {fmt_p(r.p_surrogate):>7} {fmt_p(r.p_holm):>7}  {'yes' if r.holds else 'no'}"
            )
        lines += ["", self.verdict, "holds = Holm-adjusted surrogate p <= alpha with the claimed sign."]
        lines += method_note("rotation")
        lines += stationarity_caution(self.stationarity)
        return "\n".join(lines)

    def plot(self, ax: Axes | None = None, kind: Literal["loop", "null"] = "loop") -> Figure:
        """``kind="loop"``: two nodes and the two directions; ``kind="null"``: surrogate nulls."""
        if kind == "null":
            return _null_histograms(ax, self.links, self.null, "p_holm", self.surrogate)
        if kind != "loop":
            raise DataError(f"kind: expected 'loop' or 'null', got {kind!r}")
        fig, ax = new_axes(ax, figsize=(6.4, 4.2))
        nodes = {
            "share": ((0.0, 0.5), "share", self.names["share"]),
            "relative": ((1.0, 0.5), "relative\nreturn", self.names["relative"]),
        }
        keys = {"share -> relative return": ("share", "relative"), "relative return -> share": ("relative", "share")}
        title = {"neither": "neither direction supported", "both": "both directions supported"}.get(
            self.direction, self.direction
        )
        _draw_links(ax, nodes, self.links.rename(columns={"p_holm": "p_Holm"}), keys, "p_Holm", f"Rotation: {title}")
        ax.set(xlim=(-0.3, 1.3), ylim=(0.05, 0.95))
        return fig


def rotation_test(
    share: pd.Series,
    relative_returns: pd.Series,
    *,
    share_transform: str | None = "logit_change",
    lags: int | Literal["bic"] = 2,
    max_lag: int = 8,
    signs: Sequence[int] = (1, 1),
    n_surrogates: int = 999,
    surrogate: Literal["circular", "stationary"] = "circular",
    block_length: float | None = None,
    alpha: float = 0.05,
    seed: int | np.random.Generator | None = None,
) -> RotationResult:
    """The rotation claim: attention shifting to a theme and the theme's relative return.

    The article's rotation is attention moving to small caps (away from AI
    stocks and the Magnificent Seven) while small caps beat large-cap tech
    (e.g. IWM minus QQQ). The share's log-odds change and the relative
    return run through the battery of
    :func:`feedback_loop`: ``share -> relative return`` (attention leads)
    and ``relative return -> share`` (attention follows), each one-sided in
    its claimed direction, Holm-adjusted across the two.

    Parameters
    ----------
    share : Series
        The share of attention going to the theme, between 0 and 1, e.g.
        ``attention.attention_share(searches)["small-cap stocks"]`` with the
        three themes' searches from ONE Google Trends request (so they share
        a scale).
    relative_returns : Series
        The relative return of the theme's benchmarks on the same calendar,
        e.g. ``to_google_weeks(relative_returns(close["IWM"], close["QQQ"]))``.
    share_transform : {"logit_change", None}, default "logit_change"
        Shares are levels, bounded and persistent; the test uses the change
        in their log-odds, ``ln(s_t / (1 - s_t)) - ln(s_{t-1} / (1 - s_{t-1}))``,
        which with two terms equals the difference of their log changes and
        so does not depend on how each term was scaled. A share of exactly 0
        or 1 (Google's rounding) is missing information. ``None`` uses
        ``share`` as given, for a series already made stationary.
    lags, max_lag, n_surrogates, surrogate, block_length, alpha, seed
        As in :func:`feedback_loop`.
    signs : tuple of two of {+1, -1}
        Claimed direction of share -> relative return and relative return ->
        share; (1, 1): more attention goes with later outperformance, and
        outperformance draws attention.

    Returns
    -------
    RotationResult

    Raises
    ------
    DataError
        As :func:`feedback_loop`.

    Examples
    --------
    >>> from attention.testing import planted_loop_weekly
    >>> data = planted_loop_weekly(300, 0.4, seed=1)  # returns -> attention -> flows -> returns, planted
    >>> attention, returns, flows = data["attention"], data["returns"], data["flows"]

    >>> share = (0.3 + 0.05 * attention).clip(0.01, 0.99)  # the theme's share of attention

    >>> result = rotation_test(share, returns, n_surrogates=199, seed=1)
    >>> result.direction  # the planted returns -> attention link, seen through the share
    'attention follows'
    """
    plan = _make_plan(lags, max_lag, n_surrogates, surrogate, block_length, alpha)
    signs = _check_signs(signs, 2, "share->relative return, relative return->share")
    if share_transform not in ("logit_change", None):
        raise DataError(f"share_transform: expected 'logit_change' or None, got {share_transform!r}")
    series = {"share": as_series(share, "share"), "relative": as_series(relative_returns, "relative_returns")}
    names = {k: str(s.name) for k, s in series.items()}
    if share_transform == "logit_change":
        level = series["share"]
        if ((level < 0) | (level > 1)).any():
            raise DataError(
                "share: expected shares between 0 and 1 (e.g. from attention.attention_share); "
                "pass share_transform=None if share is already a stationary transform"
            )
        inside = level.where((level > 0) & (level < 1))
        series["share"] = np.log(inside / (1 - inside)).diff()
        names["share"] = f"{names['share']} (log-odds change)"
    checked, _ = checked_panel(
        {"share": series["share"], "relative_returns": series["relative"]}, min_obs=plan.min_obs, why=plan.why
    )
    frame = checked.rename(columns={"relative_returns": "relative"})
    st = _stationarity_of(frame, names)
    warn_nonstationary(st)
    rows, null, blocks = _run_links(frame, _ROTATION, signs, plan, random_generator(seed), names)
    rename = _ROTATION_NAMES
    rows = {rename[k]: v for k, v in rows.items()}
    links = _links_table(rows, plan, holds_by="p_holm")
    return RotationResult(
        links=links,
        alpha=plan.alpha,
        n_surrogates=plan.n_surrogates,
        stationarity=st,
        names=names,
        null={rename[k]: v for k, v in null.items()},
        surrogate=plan.surrogate,
        lag_selection="fixed" if len(plan.lag_set) == 1 else "bic",
        max_lag=plan.max_lag,
        block_length={rename[k]: v for k, v in blocks.items()},
    )
