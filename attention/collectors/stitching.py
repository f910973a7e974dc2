"""Putting Google Trends requests on one scale.

Google scales every request so that its largest value is 100 and rounds to
integers. Two requests therefore differ by an unknown factor, and every
value ``v`` stands for anything in ``[v - 0.5, v + 0.5]``. Two operations
recover a common scale:

- :func:`chain_windows` joins overlapping time windows of the same terms.
  Each window's factor is the ratio of *sums* over the overlap, taken only
  where both windows have a positive value: sums average out rounding and
  sampling noise that a single shared point would carry in full, and a
  ratio keeps zero at zero, which a min-max (affine) map does not.
- :func:`rescale_batches` joins batches of at most five terms that share one
  anchor term, with the same ratio-of-sums estimator on the anchor.

Both carry lower and upper bounds: the rounding interval of each value
propagated through the factors by interval arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import DataError

__all__ = ["Scaled", "benchmark_to_coarse", "chain_windows", "rescale_batches"]


@dataclass(frozen=True)
class Scaled:
    """Values on one scale with their rounding bounds (same shape, same labels)."""

    value: pd.DataFrame
    low: pd.DataFrame
    high: pd.DataFrame

    @classmethod
    def from_rounded(cls, value: pd.DataFrame) -> "Scaled":
        """Bounds of Google's integers: v +/- 0.5, never below zero."""
        return cls(value, (value - 0.5).clip(lower=0), value + 0.5)

    def scale(self, factor: float, low: float, high: float) -> "Scaled":
        return Scaled(self.value * factor, self.low * low, self.high * high)

    def columns(self, cols) -> "Scaled":
        return Scaled(self.value[cols], self.low[cols], self.high[cols])


def _ratio(ref: Scaled, new: Scaled) -> tuple[float, float, float, int]:
    """Factor taking ``new`` onto ``ref``'s scale, from the sums over their common positive cells."""
    ref_v, new_v = ref.value.align(new.value, join="inner")
    valid = (ref_v > 0) & (new_v > 0)
    n = int(valid.to_numpy().sum())
    if n == 0:
        return np.nan, np.nan, np.nan, 0
    pick = lambda frame: float(frame.reindex_like(ref_v)[valid].sum().sum())  # noqa: E731
    s_ref, s_new = pick(ref.value), pick(new.value)
    s_new_low, s_new_high = pick(new.low), pick(new.high)
    factor = s_ref / s_new
    low = pick(ref.low) / s_new_high
    high = pick(ref.high) / s_new_low if s_new_low > 0 else np.inf
    return factor, low, high, n


def chain_windows(windows: list[Scaled], *, labels=None) -> tuple[Scaled, pd.DataFrame]:
    """Chain overlapping windows of the same terms onto the first window's scale.

    Parameters
    ----------
    windows : list of Scaled
        In time order; each must overlap the one before it.
    labels : list, optional
        A label per window for the factor table (e.g. its date range).

    Returns
    -------
    (Scaled, DataFrame)
        The chained series (on overlapping dates, the mean of the windows'
        rescaled values) and one row per window: ``factor``, ``factor_low``,
        ``factor_high``, ``overlap_points``.

    Raises
    ------
    DataError
        If two consecutive windows share no date on which both are positive.
    """
    if not windows:
        raise DataError("windows: nothing to chain")
    labels = list(labels) if labels is not None else list(range(len(windows)))
    placed = [windows[0]]
    rows = [{"window": labels[0], "factor": 1.0, "factor_low": 1.0, "factor_high": 1.0, "overlap_points": 0}]
    for label, window in zip(labels[1:], windows[1:]):
        factor, low, high, n = _ratio(placed[-1], window)
        if n == 0:
            raise DataError(
                f"windows: window {label} shares no positive value with the window before it; "
                "use a longer overlap or terms with more searches"
            )
        placed.append(window.scale(factor, low, high))
        rows.append({"window": label, "factor": factor, "factor_low": low, "factor_high": high, "overlap_points": n})
    combined = Scaled(
        *(pd.concat([getattr(p, part) for p in placed]).groupby(level=0).mean() for part in ("value", "low", "high"))
    )
    return combined, pd.DataFrame(rows).set_index("window")


def rescale_batches(batches: list[Scaled], anchor: str) -> tuple[Scaled, pd.DataFrame]:
    """Put batches that share the column ``anchor`` onto the first batch's scale.

    The anchor's own values are taken from the first batch.

    Returns
    -------
    (Scaled, DataFrame)
        All terms side by side, and one row per batch with its ``factor``,
        bounds and ``overlap_points``.

    Raises
    ------
    DataError
        If a batch lacks the anchor or its anchor is zero wherever the first
        batch's is positive.
    """
    reference = batches[0]
    parts, rows = [reference], [{"batch": 0, "factor": 1.0, "factor_low": 1.0, "factor_high": 1.0,
                                 "overlap_points": int((reference.value[anchor] > 0).sum())}]
    for b, batch in enumerate(batches[1:], start=1):
        if anchor not in batch.value:
            raise DataError(f"anchor: batch {b} does not contain the anchor {anchor!r}")
        factor, low, high, n = _ratio(reference.columns([anchor]), batch.columns([anchor]))
        if n == 0:
            raise DataError(f"anchor: {anchor!r} has no searches in common between batch 0 and batch {b}")
        others = [c for c in batch.value.columns if c != anchor]
        parts.append(batch.columns(others).scale(factor, low, high))
        rows.append({"batch": b, "factor": factor, "factor_low": low, "factor_high": high, "overlap_points": n})
    joined = Scaled(*(pd.concat([getattr(p, part) for p in parts], axis=1) for part in ("value", "low", "high")))
    return joined, pd.DataFrame(rows).set_index("batch")


def benchmark_to_coarse(fine: Scaled, coarse: pd.DataFrame) -> tuple[Scaled, pd.Series]:
    """Rescale a chained daily series so each week (or month) matches one coarse pull.

    Chaining multiplies factors, so their errors compound along the chain. A
    single weekly request covering the whole range has no chain: scaling
    each day by ``coarse_w / sum(daily in w)`` (normalised to mean 1) keeps
    the daily shape within each period and the coarse pull's shape across
    periods, so drift cannot accumulate.

    Parameters
    ----------
    fine : Scaled
        Daily values.
    coarse : DataFrame
        The coarse pull, indexed by period start, same columns.

    Returns
    -------
    (Scaled, Series)
        The benchmarked series and the per-period ratio (for inspection).
    """
    starts = coarse.index
    weekly = len(starts) < 2 or (starts[1] - starts[0]) <= pd.Timedelta(days=7)
    last_end = starts[-1] + (pd.Timedelta(days=7) if weekly else pd.DateOffset(months=1))
    ends = starts[1:].append(pd.DatetimeIndex([last_end]))
    days = fine.value.index
    period = np.searchsorted(starts.to_numpy(), days.to_numpy(), side="right") - 1
    # A day belongs to a coarse period only if it lies inside it; days after the last
    # whole period keep their chained values rather than diluting that period's sum.
    inside = (period >= 0) & (days < ends[np.clip(period, 0, None)])
    keys = pd.Index(starts[np.clip(period, 0, None)])
    sums = fine.value[inside].groupby(keys[inside]).sum(min_count=1)
    ratio = (coarse.reindex(sums.index) / sums).where(lambda r: np.isfinite(r) & (r > 0))
    ratio = ratio / ratio.stack().mean()
    per_day = ratio.reindex(keys).set_axis(fine.value.index).where(pd.Series(inside, index=fine.value.index), axis=0)
    per_day = per_day.fillna(1.0)
    mean_ratio = ratio.mean(axis=1)
    return Scaled(fine.value * per_day, fine.low * per_day, fine.high * per_day), mean_ratio
