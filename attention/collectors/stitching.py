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
- :func:`group_by_popularity` orders terms by a rough popularity and cuts
  them into batches of similar popularity, each sharing one anchor with the
  batch above it, so every anchor sits well above the rounding floor in both
  of its batches.
- :func:`rescale_batches` joins such batches (or batches that all share one
  anchor), with the same ratio-of-sums estimator on the anchor.
- :func:`scale_levels` states each term's level with an interval that holds
  sampling noise as well as rounding.
- :func:`benchmark_to_coarse` corrects a chained daily series for drift,
  smoothed over months, with a coarse pull of the whole range.

Chained windows carry lower and upper bounds: the rounding interval of each
value propagated through the factors by interval arithmetic. Batch factors
also carry a standard error estimated from how well the anchor's two
readings agree day by day (sampling noise and rounding together), so their
intervals do not claim a precision the answers do not have.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError

__all__ = [
    "ROUNDING_FLOOR",
    "Scaled",
    "benchmark_to_coarse",
    "chain_windows",
    "group_by_popularity",
    "rescale_batches",
    "scale_levels",
]

#: A series whose median value in its own request is below this sits near the rounding floor.
ROUNDING_FLOOR = 5
#: How many of its own standard errors a drift's spread must exceed the noise's by to be corrected.
_SIGNIFICANCE = 3
#: Normal quantile of the stated intervals (95%).
_Z = 1.959964


@dataclass(frozen=True)
class Scaled:
    """Values on one scale with their rounding bounds (same shape, same labels).

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.date_range("2024-01-01", periods=3, freq="D")
    >>> window = Scaled.from_rounded(pd.DataFrame({"iwm": [0.0, 40.0, 100.0]}, index=days))
    >>> window.low["iwm"].tolist(), window.high["iwm"].tolist()  # what Google's integers stand for
    ([0.0, 39.5, 99.5], [0.5, 40.5, 100.5])
    """

    value: pd.DataFrame
    low: pd.DataFrame
    high: pd.DataFrame

    @classmethod
    def from_rounded(cls, value: pd.DataFrame) -> Scaled:
        """Bounds of Google's integers: v +/- 0.5, never below zero."""
        return cls(value, (value - 0.5).clip(lower=0), value + 0.5)

    def scale(self, factor: float, low: float, high: float) -> Scaled:
        return Scaled(self.value * factor, self.low * low, self.high * high)

    def columns(self, cols: Sequence[Hashable]) -> Scaled:
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


def chain_windows(
    windows: Sequence[Scaled], *, labels: Iterable[Hashable] | None = None
) -> tuple[Scaled, pd.DataFrame]:
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

    Examples
    --------
    Two windows of one term, overlapping on two days where the second reads half the first:

    >>> import numpy as np, pandas as pd
    >>> days = pd.date_range("2024-01-01", periods=6, freq="D")
    >>> first = Scaled.from_rounded(pd.DataFrame({"iwm": [40.0, 60, 100, 80, np.nan, np.nan]}, index=days))
    >>> second = Scaled.from_rounded(pd.DataFrame({"iwm": [np.nan, np.nan, 50.0, 40, 30, 20]}, index=days))
    >>> chained, factors = chain_windows([first, second], labels=["Jan 1-4", "Jan 3-6"])
    >>> chained.value["iwm"].tolist()
    [40.0, 60.0, 100.0, 80.0, 60.0, 40.0]
    >>> factors.round(3)  # doctest: +NORMALIZE_WHITESPACE
             factor  factor_low  factor_high  overlap_points
    window
    Jan 1-4     1.0       1.000        1.000               0
    Jan 3-6     2.0       1.967        2.034               2
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


def _link_noise(ref: pd.Series, new: pd.Series, factor: float) -> tuple[float, float]:
    """Standard error of log(factor) and the relative noise of one reading, from the anchor's two readings.

    The ratio of sums ``f = sum(a) / sum(b)`` errs by about ``sum(a - f b) / sum(a)``; its variance is
    estimated from the residuals themselves (so noise that differs from day to day is weighed where it
    falls), inflated for day-to-day correlation of the residuals. Both readings carry sampling noise and
    rounding; the per-reading relative noise keeps both (rounding is not exactly uniform near the floor,
    so subtracting its nominal 1/12 understates the noise).
    """
    a, b = ref.to_numpy(dtype=float), new.to_numpy(dtype=float)
    n = len(a)
    if n < 3:
        return np.nan, np.nan
    resid = a - factor * b
    rho = float(np.corrcoef(resid[:-1], resid[1:])[0, 1]) if np.std(resid) > 0 else 0.0
    rho = min(max(rho if np.isfinite(rho) else 0.0, 0.0), 0.9)
    var = np.sum(resid**2) / a.sum() ** 2 * n / (n - 1) * (1 + rho) / (1 - rho)
    sampling = float(np.sum(resid**2)) / (2 * float(np.sum(a**2)))
    return float(np.sqrt(var)), float(np.sqrt(sampling))


def _median_positive(values: pd.Series) -> float:
    values = values.dropna()
    return float(values.median()) if len(values) else np.nan


def rescale_batches(batches: Sequence[Scaled], anchors: str | Sequence[str]) -> tuple[Scaled, pd.DataFrame]:
    """Put batches that share anchor terms onto the first batch's scale.

    Parameters
    ----------
    batches : list of Scaled
        Each on its own scale (Google's 0-100 of its request).
    anchors : str or list of str
        One name: every batch shares this column with the first batch (a
        star). A list with one name per batch after the first: batch ``k``
        shares ``anchors[k - 1]`` with batch ``k - 1`` (a chain, as
        :func:`group_by_popularity` builds from popular to rare).

    Returns
    -------
    (Scaled, DataFrame)
        Every term once, taken from the batch where it reads highest (where
        rounding costs least), and one row per batch: ``parent``,
        ``anchor``, ``factor`` onto the first batch, ``factor_se`` (standard
        error of its logarithm, accumulated along the chain), ``factor_low``
        and ``factor_high`` (a 95% interval), ``overlap_points``,
        ``anchor_median`` (the anchor's median in the poorer of its two
        batches), ``noise_sd`` (the relative sampling noise of one value,
        estimated from this link) and ``terms`` (the terms it supplies).

    Raises
    ------
    DataError
        If a batch lacks its anchor or its anchor is zero wherever the
        parent batch's is positive.

    Notes
    -----
    The factor's standard error comes from how well the anchor's two
    readings agree day by day (see ``_link_noise``). Where the anchor sits
    near the rounding floor in either batch, rounding is no longer noise that
    averages out (a run of 1s stays 1s), so the interval is widened to hold
    the whole rounding interval of the factor as well.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.date_range("2024-01-01", periods=4, freq="D")
    >>> popular = Scaled.from_rounded(pd.DataFrame({"stocks": [100.0, 90, 95, 80], "small caps": [20.0, 25, 22, 30]},
    ...                                            index=days))
    >>> rare = Scaled.from_rounded(pd.DataFrame({"small caps": [80.0, 100, 88, 96], "iwm": [10.0, 12, 8, 11]},
    ...                                         index=days))
    >>> joined, batches = rescale_batches([popular, rare], ["small caps"])
    >>> joined.value.round(2)  # doctest: +NORMALIZE_WHITESPACE
                stocks  small caps   iwm
    2024-01-01   100.0       21.32  2.66
    2024-01-02    90.0       26.65  3.20
    2024-01-03    95.0       23.45  2.13
    2024-01-04    80.0       25.58  2.93
    >>> batches[["anchor", "factor", "factor_low", "factor_high"]].round(3)  # doctest: +NORMALIZE_WHITESPACE
               anchor  factor  factor_low  factor_high
    batch
    0             NaN   1.000       1.000        1.000
    1      small caps   0.266       0.234        0.303
    """
    n = len(batches)
    if isinstance(anchors, str):
        links = [(0, anchors)] * (n - 1)
    else:
        anchors = list(anchors)
        if len(anchors) != n - 1:
            raise DataError(f"anchors: expected one anchor per batch after the first ({n - 1}), got {len(anchors)}")
        links = [(k, a) for k, a in enumerate(anchors)]
    factor, se = [1.0], [0.0]
    rows: list[dict[str, Any]] = [
        {"batch": 0, "parent": np.nan, "anchor": None, "factor": 1.0, "factor_se": 0.0, "factor_low": 1.0,
         "factor_high": 1.0, "overlap_points": 0, "anchor_median": np.nan, "noise_sd": np.nan}]
    for b, (parent, anchor) in enumerate(links, start=1):
        if anchor not in batches[b].value or anchor not in batches[parent].value:
            raise DataError(f"anchor: batch {b} or its parent batch {parent} does not contain the anchor {anchor!r}")
        ref, new = batches[parent].columns([anchor]), batches[b].columns([anchor])
        f, low, high, points = _ratio(ref, new)
        if points == 0 and not np.isfinite(batches[b].value.to_numpy(dtype=float)).any():
            f, low, high = 1.0, 1.0, 1.0  # nothing but "no data": there is nothing to scale
        elif points == 0:
            raise DataError(f"anchor: {anchor!r} has no searches in common between batch {parent} and batch {b}")
        ref_v, new_v = ref.value[anchor].align(new.value[anchor], join="inner")
        both = (ref_v > 0) & (new_v > 0)
        link_se, noise = _link_noise(ref_v[both], new_v[both], f)
        floor = min(_median_positive(ref_v), _median_positive(new_v))
        if not np.isfinite(link_se) or floor < ROUNDING_FLOOR:
            # Near the floor rounding is systematic, not noise: hold its whole interval too.
            rounding = (np.log(high) - np.log(low)) / (2 * _Z) if np.isfinite(high) else np.inf
            link_se = max(link_se, rounding) if np.isfinite(link_se) else rounding
        factor.append(factor[parent] * f)
        se.append(float(np.hypot(se[parent], link_se)))
        rows.append({"batch": b, "parent": parent, "anchor": anchor, "factor": factor[b], "factor_se": se[b],
                     "factor_low": factor[b] * np.exp(-_Z * se[b]), "factor_high": factor[b] * np.exp(_Z * se[b]),
                     "overlap_points": points, "anchor_median": floor, "noise_sd": noise})
    # Each term from the batch where it reads highest: its rounding costs least there.
    home: dict[Hashable, tuple[int, float]] = {}
    for b, batch in enumerate(batches):
        for term in batch.value.columns:
            level = _median_positive(batch.value[term])
            if term not in home or (np.isfinite(level) and not level <= home[term][1]):
                home[term] = (b, level if np.isfinite(level) else -np.inf)
    parts = []
    for b, batch in enumerate(batches):
        terms = [t for t in batch.value.columns if home[t][0] == b]
        rows[b]["terms"] = terms
        if terms:
            parts.append(batch.columns(terms).scale(factor[b], rows[b]["factor_low"], rows[b]["factor_high"]))
    joined = Scaled(*(pd.concat([getattr(p, part) for p in parts], axis=1) for part in ("value", "low", "high")))
    return joined, pd.DataFrame(rows).set_index("batch")


def group_by_popularity(levels: dict[str, float], *, peaks: dict[str, float] | None = None, size: int = 5,
                        span: float = 100 / (2 * ROUNDING_FLOOR)) -> tuple[list[tuple[str, ...]], list[str]]:
    """Batches of similar popularity, chained from the most popular to the rarest.

    Terms are sorted by ``levels`` (rough mean popularity on any common
    scale), most popular first. A batch takes up to ``size`` terms whose mean
    is within ``span`` times of its first term's peak (Google scales a
    request to its highest value, so a spiky first term pushes the others
    down); the next batch starts with the last term of the one before (the
    anchor). An anchor is thus the rarest term of the batch above (its mean
    reads about ``100 / span`` = 10 or more there) and the most popular of its
    own batch (100 there): off the rounding floor in both. Terms without data
    (NaN level) fill the last batches and are never anchors.

    Parameters
    ----------
    levels : dict
        Term -> mean popularity (positive; NaN for "no data").
    peaks : dict, optional
        Term -> highest value on the same scale; defaults to ``levels``.
    size : int
        Terms per request (Google allows five).
    span : float
        Largest ratio between a batch's first peak and any of its means.

    Returns
    -------
    (list of tuple, list of str)
        The batches, and the anchor each batch after the first shares with
        the batch before it.

    Raises
    ------
    DataError
        If ``size`` is below 2 or ``span`` not above 1.

    Examples
    --------
    >>> levels = {"a": 1000, "b": 600, "c": 150, "d": 90, "e": 40, "f": 9, "g": 5}
    >>> group_by_popularity(levels)
    ([('a', 'b', 'c'), ('c', 'd', 'e'), ('e', 'f', 'g')], ['c', 'e'])
    """
    if size < 2 or not span > 1:
        raise DataError(f"size, span: expected size >= 2 and span > 1, got {size} and {span}")
    peaks = {t: max(peaks.get(t, v), v) if peaks else v for t, v in levels.items()}
    known = sorted((t for t, v in levels.items() if np.isfinite(v)), key=lambda t: (-levels[t], str(t)))
    missing = sorted((t for t, v in levels.items() if not np.isfinite(v)), key=str)
    if not known:  # nothing has data: no scale to link, the batches only split the requests
        chunks = [missing[:size]] + [[missing[0], *missing[i : i + size - 1]] for i in range(size, len(missing), size - 1)]
        return [tuple(c) for c in chunks], [missing[0]] * (len(chunks) - 1)
    batches: list[list[str]] = []
    anchors: list[str] = []
    i = 0
    while known:
        batch = [known[i]]
        j = i + 1
        while j < len(known) and len(batch) < size and levels[known[j]] >= peaks[known[i]] / span:
            batch.append(known[j])
            j += 1
        if len(batch) == 1 and j < len(known):
            batch.append(known[j])  # a gap wider than span: no better anchor exists
            j += 1
        batches.append(batch)
        if j >= len(known):
            break
        anchors.append(known[j - 1])
        i = j - 1
    for term in missing:
        if batches and len(batches[-1]) < size:
            batches[-1].append(term)
        elif batches:
            last = [t for t in batches[-1] if np.isfinite(levels[t])][-1]
            anchors.append(last)
            batches.append([last, term])
        else:
            batches.append([term])
    return [tuple(b) for b in batches], anchors


def scale_levels(values: pd.DataFrame, factors: pd.Series, factor_se: pd.Series, noise_sd: float, *,
                 unit: float = 1.0) -> pd.DataFrame:
    """Each term's mean level with a 95% interval relative to the most popular term.

    The interval holds three errors: the term's batch factor (``factor_se``),
    the sampling noise and rounding of the term's own mean, and those of the
    most popular term's mean, which sets the scale. ``noise_sd`` is the
    relative sampling noise of one value (estimated from the anchors);
    rounding adds 1/12 per value on the term's own 0-100 scale.

    Parameters
    ----------
    values : DataFrame
        The joined series, one column per term, on the output scale.
    factors, factor_se : Series
        Per term: the factor that took it from its own request's scale onto
        the first batch's, and the standard error of its logarithm.
    noise_sd : float
        Relative sampling noise of one value; NaN when it could not be
        estimated (then the intervals are NaN).
    unit : float
        Output units per unit of the first batch's scale.

    Returns
    -------
    DataFrame
        Index term; ``level`` (mean over the range), ``level_low``,
        ``level_high``, ``se`` (of the log level relative to the reference),
        ``reference`` (True for the most popular term).

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.date_range("2024-01-01", periods=4, freq="D")
    >>> popular = Scaled.from_rounded(pd.DataFrame({"stocks": [100.0, 90, 95, 80], "small caps": [20.0, 25, 22, 30]},
    ...                                            index=days))
    >>> rare = Scaled.from_rounded(pd.DataFrame({"small caps": [80.0, 100, 88, 96], "iwm": [10.0, 12, 8, 11]},
    ...                                         index=days))
    >>> joined, batches = rescale_batches([popular, rare], ["small caps"])
    >>> factors = pd.Series({"stocks": 1.0, "small caps": 1.0, "iwm": batches.loc[1, "factor"]})
    >>> factor_se = pd.Series({"stocks": 0.0, "small caps": 0.0, "iwm": batches.loc[1, "factor_se"]})
    >>> scale_levels(joined.value, factors, factor_se, noise_sd=0.05).round(2)  # doctest: +NORMALIZE_WHITESPACE
                level  level_low  level_high    se  reference
    term
    stocks      91.25      86.86       95.86  0.03       True
    small caps  24.25      22.60       26.02  0.04      False
    iwm          2.73       2.35        3.17  0.08      False
    """
    level = values.mean()
    own = values / (factors.reindex(values.columns) * unit)
    count = own.notna().sum()
    total = own.sum()
    mean_se = np.sqrt(noise_sd**2 * (own**2).sum() + count / 12) / total.where(total > 0)
    reference = level.idxmax() if level.notna().any() else None
    fse = factor_se.reindex(values.columns).fillna(0.0)
    se = np.sqrt(fse**2 + mean_se**2 + (fse[reference] ** 2 + mean_se[reference] ** 2 if reference else 0.0))
    if reference is not None:
        se[reference] = mean_se[reference]
    out = pd.DataFrame({"level": level, "level_low": level * np.exp(-_Z * se), "level_high": level * np.exp(_Z * se),
                        "se": se, "reference": level.index == reference})
    out.index.name = "term"
    return out


def benchmark_to_coarse(fine: Scaled, coarse: pd.DataFrame, *, smooth_days: int = 182) -> tuple[Scaled, pd.Series]:
    """Correct a chained daily series for drift with one coarse pull of the whole range.

    Chaining multiplies factors, so their errors compound along the chain. A
    single weekly (or monthly) request covering the whole range has no
    chain. The ratio ``coarse_w / sum(daily in w)`` per period measures the
    drift, but also the coarse pull's own sampling noise and rounding, which
    a week-by-week correction would inject into the daily series. So the
    log-ratio is pooled over the terms the coarse pull shows off the
    rounding floor (chaining gives every term of a request the same drift),
    smoothed over about ``smooth_days`` (26 weeks, or 6 months) and applied
    only where its variation is more than the noise can explain, shrunk by
    the share the noise explains (an empirical-Bayes factor): a flat ratio
    corrects nothing, a real drift of a few percent across windows is
    removed. With no term off the floor in the coarse pull, nothing is
    corrected.

    Parameters
    ----------
    fine : Scaled
        Daily values.
    coarse : DataFrame
        The coarse pull, indexed by period start, same columns.
    smooth_days : int
        Span of the centred moving average, in days (rounded to whole periods).

    Returns
    -------
    (Scaled, Series)
        The corrected series and the per-period correction applied (for
        inspection).

    Examples
    --------
    Two years of daily values whose chain drifted up 30%, against one weekly pull of the same term:

    >>> import numpy as np, pandas as pd
    >>> days = pd.date_range("2023-01-01", periods=728, freq="D")  # 104 Google weeks from a Sunday
    >>> true = pd.Series(50 + 20 * np.sin(np.arange(728) / 58), index=days)
    >>> fine = Scaled.from_rounded((true * np.linspace(1.0, 1.3, 728)).round().to_frame("iwm"))
    >>> weekly = true.groupby(np.arange(728) // 7).sum().set_axis(days[::7])
    >>> coarse = (100 * weekly / weekly.max()).round().to_frame("iwm")
    >>> fixed, drift = benchmark_to_coarse(fine, coarse)
    >>> def last_over_first_month(s):
    ...     return round(float(s.iloc[-30:].mean() / s.iloc[:30].mean()), 2)
    >>> last_over_first_month(true), last_over_first_month(fine.value["iwm"]), last_over_first_month(fixed.value["iwm"])
    (0.81, 1.04, 0.83)
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
    # Chaining scales every term of a request by the same window factors, so the drift is one series
    # for all of them. It is read from the terms the coarse pull shows well off the rounding floor
    # (near it, the pull's rounding is a systematic error, not noise), weighted by their level.
    level = coarse.median()
    clear = level[level >= 2 * ROUNDING_FLOOR].index
    smooth = max(1, round(smooth_days / (7 if weekly else 30.4)))
    if len(clear):
        log_ratio = np.log(ratio[clear])
        weights = log_ratio.notna() * level[clear]
        pooled = (log_ratio.fillna(0) * weights).sum(axis=1) / weights.sum(axis=1).replace(0, np.nan)
        drift = np.exp(_smoothed_drift(pooled, smooth))
    else:
        drift = pd.Series(1.0, index=ratio.index)
    per_day = drift.reindex(keys).set_axis(days).where(pd.Series(inside, index=days)).fillna(1.0)
    return Scaled(fine.value.mul(per_day, axis=0), fine.low.mul(per_day, axis=0), fine.high.mul(per_day, axis=0)), drift


def _smoothed_drift(log_ratio: pd.Series, smooth: int) -> pd.Series:
    """The slow part of a log-ratio series, shrunk by how much of it noise explains; mean zero."""
    known = log_ratio.dropna()
    if len(known) < 3:
        return pd.Series(0.0, index=log_ratio.index)
    centred = known - known.mean()
    trend = centred.rolling(smooth, center=True, min_periods=1).mean()
    # Noise of one period from differences of neighbours (a slow drift barely moves them). Not a median:
    # near the rounding floor the ratios take few distinct values and a median difference can be 0.
    noise_var = float(np.mean(np.diff(centred.to_numpy()) ** 2)) / 2
    width = centred.rolling(smooth, center=True, min_periods=1).count()
    explained = float(np.mean(noise_var / width))
    spread = float(trend.var()) if len(trend) > 1 else 0.0
    # Correct only a drift the noise cannot explain: the spread of a smoothed noise has itself a
    # relative error of about sqrt(2 / m) over m independent stretches, so ask for three of those.
    stretches = max(len(centred) / smooth, 1.0)
    significant = spread > explained * (1 + _SIGNIFICANCE * np.sqrt(2 / stretches))
    keep = max(0.0, 1.0 - explained / spread) if significant else 0.0
    drift = keep * (trend - trend.mean())
    return drift.reindex(log_ratio.index).interpolate(limit_direction="both").fillna(0.0)
