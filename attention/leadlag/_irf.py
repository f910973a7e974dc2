"""Orthogonalised impulse responses of a VAR, under several orderings, with bootstrap or asymptotic bands."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._linalg import trend_terms
from .._results import ResultMixin, new_axes
from .._validate import positive_int, random_generator
from ..errors import DataError
from ._ccf import Z975

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ._var import VarResult

_Perm = Sequence[int]


def _ma(A: np.ndarray, periods: int) -> np.ndarray:
    """MA coefficients Phi_0..Phi_H (batched over leading axes).

    Phi_0 = I, Phi_h = sum_{i=1}^{min(h,p)} Phi_{h-i} A_i.
    """
    *batch, p, K, _ = A.shape
    phi = np.zeros((*batch, periods + 1, K, K))
    phi[..., 0, :, :] = np.eye(K)
    for h in range(1, periods + 1):
        for i in range(1, min(h, p) + 1):
            phi[..., h, :, :] += phi[..., h - i, :, :] @ A[..., i - 1, :, :]
    return phi


def _impact(sigma: np.ndarray[Any, Any], perm: _Perm) -> np.ndarray[Any, Any]:
    """Cholesky impact matrix for the ordering ``perm``, in the original variable order (batched)."""
    L = np.linalg.cholesky(sigma[..., perm, :][..., :, perm])
    out = np.zeros_like(sigma)
    idx = np.asarray(perm)
    out[..., idx[:, None], idx[None, :]] = L
    return out


def _bootstrap_var(
    Y: np.ndarray[Any, Any], fit: dict[str, Any], p: int, trend: str, repl: int, rng: np.random.Generator
) -> dict[str, Any]:
    """Residual bootstrap of a VAR(p): simulate ``repl`` samples recursively, refit each.

    The first p observations are kept; residuals are centred and drawn with
    replacement (Runkle 1987; Lütkepohl 2005, appendix D.3).
    """
    n, K = Y.shape
    T, kdet = fit["T"], fit["kdet"]
    U = fit["U"] - fit["U"].mean(axis=0)
    det = trend_terms(T, trend, p) @ fit["B"][:kdet] if kdet else np.zeros((T, K))
    A = fit["A"]
    draws = U[rng.integers(0, T, size=(repl, T))]  # (repl, T, K)
    Ys = np.empty((repl, n, K))
    Ys[:, :p] = Y[:p]
    for t in range(p, n):
        nxt = det[t - p] + draws[:, t - p]
        for i in range(1, p + 1):
            nxt = nxt + Ys[:, t - i] @ A[i - 1].T
        Ys[:, t] = nxt
    Z = np.concatenate(
        [np.broadcast_to(trend_terms(T, trend, p), (repl, T, kdet))]
        + [Ys[:, p - i : n - i] for i in range(1, p + 1)],
        axis=2,
    )
    target = Ys[:, p:]
    ZtZ = Z.transpose(0, 2, 1) @ Z
    B = np.linalg.solve(ZtZ, Z.transpose(0, 2, 1) @ target)
    Ures = target - Z @ B
    k = Z.shape[2]
    sigma = Ures.transpose(0, 2, 1) @ Ures / (T - k)
    A_b = np.stack([B[:, kdet + K * i : kdet + K * (i + 1)].transpose(0, 2, 1) for i in range(p)], axis=1)
    return {"A": A_b, "sigma": sigma}


def _unpermute(arr: np.ndarray[Any, Any], perm: _Perm) -> np.ndarray[Any, Any]:
    """Map (H, K, K) arrays from a VAR fitted on columns ``perm`` back to the original order."""
    out = np.empty_like(arr)
    idx = np.asarray(perm)
    out[:, idx[:, None], idx[None, :]] = arr
    return out


@dataclass(frozen=True, eq=False, repr=False)
class ImpulseResponseResult(ResultMixin):
    """Orthogonalised impulse responses of a VAR under one or more Cholesky orderings.

    Attributes
    ----------
    names : tuple of str
        The VAR's variables.
    orderings : tuple of tuple of str
        Each ordering, first variable first: a shock to an earlier variable
        may move later ones in the same period, not the other way round.
    periods : int
        Horizons 0..periods.
    bands : {"bootstrap", "asymptotic"}
    repl : int or None
        Bootstrap replications (None for asymptotic bands).
    table : DataFrame
        One row per ordering, impulse, response and horizon: ``response_value``
        (the response, in the response's units, to a one-standard-deviation
        orthogonal shock), ``lower``, ``upper`` (95% band), ``cumulative``,
        ``cum_lower``, ``cum_upper`` (the same for the sum over horizons 0..h).
    resid_corr : DataFrame
        Correlations of the VAR residuals; the larger they are, the more
        the responses depend on the ordering.

    Examples
    --------
    >>> from attention.testing import planted_loop_weekly
    >>> data = planted_loop_weekly(300, 0.4, seed=1)  # returns -> attention -> flows -> returns, planted
    >>> attention, returns, flows = data["attention"], data["returns"], data["flows"]

    >>> from attention import var_analysis
    >>> var = var_analysis(data, max_lags=4)

    >>> var.irf(periods=4, repl=50, seed=0)
    ImpulseResponseResult(names=('attention', 'returns', 'flows'), orderings=2, periods=4, bands='bootstrap')
    """

    names: tuple[str, ...]
    orderings: tuple[tuple[str, ...], ...]
    periods: int
    bands: str
    repl: int | None
    table: pd.DataFrame
    resid_corr: pd.DataFrame

    def _key_numbers(self) -> dict[str, Any]:
        return {"names": self.names, "orderings": len(self.orderings), "periods": self.periods, "bands": self.bands}

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _ordering_label(self, ordering: Iterable[str]) -> str:
        return " > ".join(ordering)

    def summary(self) -> str:
        t = self.table
        H = self.periods
        kind = f"residual bootstrap, {self.repl} replications" if self.bands == "bootstrap" else "asymptotic"
        lines = [
            "Orthogonalised impulse responses (one-sd Cholesky shocks)",
            f"  {len(self.orderings)} orderings, horizons 0..{H}, 95% bands: {kind}",
            "",
            f"{'ordering':<28} {'impulse -> response':<30} {'impact':>8} {'cumulative to h=' + str(H):>30}",
        ]
        for ordering in self.orderings:
            label = self._ordering_label(ordering)
            for imp in self.names:
                for resp in self.names:
                    if imp == resp:
                        continue
                    rows = t[(t["ordering"] == label) & (t["impulse"] == imp) & (t["response"] == resp)]
                    r0 = rows[rows["horizon"] == 0].iloc[0]
                    rh = rows[rows["horizon"] == H].iloc[0]
                    excl = "" if rh.cum_lower <= 0 <= rh.cum_upper else " *"
                    lines.append(
                        f"{label:<28} {imp + ' -> ' + resp:<30} {r0.response_value:>+8.4f} "
                        f"{rh.cumulative:>+10.4f} [{rh.cum_lower:+.4f},{rh.cum_upper:+.4f}]{excl}"
                    )
        rc = self.resid_corr.to_numpy()
        off = np.abs(rc[np.triu_indices(len(rc), 1)])
        lines += [
            "",
            "* the 95% band of the cumulative response excludes 0.",
            f"Largest residual correlation |{off.max():.3f}|: "
            + (
                "the orderings differ mostly in the impact period; "
                "compare them before reading a response as causal."
                if off.max() >= 0.1
                else "small, so the ordering matters little."
            ),
        ]
        return "\n".join(lines)

    def plot(self, ax: Axes | None = None) -> Figure:
        """Grid of responses (rows) to impulses (columns), one line and band per ordering."""
        K = len(self.names)
        fig, axes = new_axes(ax, K, K, figsize=(3.2 * K, 2.5 * K))
        axes = np.asarray(axes).reshape(K, K)
        colors = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b2", "#937860"]
        t = self.table
        for oi, ordering in enumerate(self.orderings):
            label = self._ordering_label(ordering)
            c = colors[oi % len(colors)]
            for i, resp in enumerate(self.names):
                for j, imp in enumerate(self.names):
                    a = axes[i, j]
                    rows = t[(t["ordering"] == label) & (t["impulse"] == imp) & (t["response"] == resp)]
                    a.plot(rows["horizon"], rows["response_value"], color=c, lw=1.5, label=label)
                    a.fill_between(rows["horizon"], rows["lower"], rows["upper"], color=c, alpha=0.15)
                    a.axhline(0, color="black", lw=0.6)
                    a.set_title(f"{imp} -> {resp}", fontsize=9)
        for a in axes[-1]:
            a.set_xlabel("horizon")
        axes[0, 0].legend(fontsize=7)
        fig.tight_layout()
        return fig


def impulse_responses(
    var: VarResult, periods: int, orderings: Iterable[Sequence[str | int]] | None, bands: str, repl: int | None,
    seed: int | np.random.Generator | None,
) -> ImpulseResponseResult:
    """:meth:`VarResult.irf <attention.leadlag.VarResult.irf>` for the fitted ``var``."""
    from ._var import _var_fit  # here, not at the top: _var imports this module for the result class

    periods = positive_int(periods, "periods")
    if bands not in ("bootstrap", "asymptotic"):
        raise DataError(f"bands: expected 'bootstrap' or 'asymptotic', got {bands!r}")
    names = list(var.names)
    K = len(names)
    if orderings is None:
        orderings = [names, names[::-1]]
    perms: list[list[int]] = []
    for o in orderings:
        try:
            perm = [
                int(c) if isinstance(c, (int, np.integer)) and not isinstance(c, bool) else names.index(str(c))
                for c in o
            ]
        except ValueError:
            raise DataError(f"orderings: {list(o)!r} names a variable not in {names}") from None
        if sorted(perm) != list(range(K)):
            raise DataError(f"orderings: {list(o)!r} is not an ordering of all of {names}")
        if perm not in perms:
            perms.append(perm)

    Y = var.data.to_numpy()
    fit = _var_fit(Y, var.p, var.trend)
    phi = _ma(fit["A"], periods)
    point = {tuple(pm): phi @ _impact(fit["sigma"], pm) for pm in perms}

    lower, upper, clow, cupp = {}, {}, {}, {}
    if bands == "bootstrap":
        repl = positive_int(repl, "repl", minimum=20)
        rng = random_generator(seed)
        boot = _bootstrap_var(Y, fit, var.p, var.trend, repl, rng)
        phi_b = _ma(boot["A"], periods)
        for pm in perms:
            theta = phi_b @ _impact(boot["sigma"], pm)[:, None]
            lo, hi = np.quantile(theta, [0.025, 0.975], axis=0)
            clo, chi = np.quantile(theta.cumsum(axis=1), [0.025, 0.975], axis=0)
            lower[tuple(pm)], upper[tuple(pm)] = lo, hi
            clow[tuple(pm)], cupp[tuple(pm)] = clo, chi
    else:
        from statsmodels.tsa.vector_ar.var_model import VAR

        repl = None
        for pm in perms:
            sub = var.data.iloc[:, pm].reset_index(drop=True)
            ir = VAR(sub).fit(var.p, trend=var.trend).irf(periods)
            se = _unpermute(ir.stderr(orth=True), pm)
            cse = _unpermute(ir.cum_effect_stderr(orth=True), pm)
            th = point[tuple(pm)]
            lower[tuple(pm)], upper[tuple(pm)] = th - Z975 * se, th + Z975 * se
            cth = th.cumsum(axis=0)
            clow[tuple(pm)], cupp[tuple(pm)] = cth - Z975 * cse, cth + Z975 * cse

    rows = []
    for pm in perms:
        key = tuple(pm)
        label = " > ".join(names[i] for i in pm)
        th, cth = point[key], point[key].cumsum(axis=0)
        for j, imp in enumerate(names):
            for i, resp in enumerate(names):
                for h in range(periods + 1):
                    rows.append((
                        label, imp, resp, h,
                        th[h, i, j], lower[key][h, i, j], upper[key][h, i, j],
                        cth[h, i, j], clow[key][h, i, j], cupp[key][h, i, j],
                    ))
    table = pd.DataFrame(
        rows,
        columns=["ordering", "impulse", "response", "horizon", "response_value", "lower", "upper",
                 "cumulative", "cum_lower", "cum_upper"],
    )
    return ImpulseResponseResult(
        names=tuple(names),
        orderings=tuple(tuple(names[i] for i in pm) for pm in perms),
        periods=periods,
        bands=bands,
        repl=repl,
        table=table,
        resid_corr=var.resid_corr,
    )
