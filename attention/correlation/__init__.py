"""Does attention lead, or follow? Lead-lag tests that survive autocorrelation.

- :func:`stationarity` - ADF and KPSS on each series, with a plain verdict.
- :func:`granger` - per-lag Granger F-tests (identical to statsmodels' ssr
  F-test), with partial R-squared as the effect size.
- :func:`feedback_loop` - the returns -> attention -> flows -> returns loop,
  link by link: lag fixed or chosen by BIC per link, surrogate p-values
  (circular shifts or the stationary bootstrap), asymptotic t and F p-values
  beside them, Holm's correction, an intersection-union verdict on the loop
  as a whole, and optionally placebo search terms run through the same test.
- :func:`rotation_test` - the same battery on a two-way rotation: the share
  of attention going to one theme against the relative return of its
  benchmark, in both directions, Holm across the two.
- :func:`rolling_stability` - link statistics over rolling windows,
  descriptive only.
- :func:`holm`, :func:`benjamini_hochberg` - multiple-testing corrections.

One module per idea: ``_stationarity``, ``_multitest``, ``_granger``,
``_surrogates`` (the link regressions and their surrogate nulls, shared by
the loop, the rotation and the rolling windows), ``_loop``, ``_rotation``,
``_rolling``, ``_screen`` (Benjamini-Hochberg across many loops) and
``_diagram`` (the drawings). Inputs are checked by
:func:`attention._validate.checked_panel`, the check every time-series test
shares.

statsmodels is imported inside the functions that need it, so that
``import attention`` stays fast.
"""

from ._granger import GrangerResult, granger
from ._loop import FeedbackLoopResult, feedback_loop
from ._multitest import benjamini_hochberg, holm
from ._rolling import RollingStabilityResult, rolling_stability
from ._rotation import RotationResult, rotation_test
from ._stationarity import stationarity

__all__ = [
    "FeedbackLoopResult",
    "GrangerResult",
    "RollingStabilityResult",
    "RotationResult",
    "benjamini_hochberg",
    "feedback_loop",
    "granger",
    "holm",
    "rolling_stability",
    "rotation_test",
    "stationarity",
]
