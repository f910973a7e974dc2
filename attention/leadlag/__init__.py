"""Which series moves first? Cross-correlations, VARs and Toda-Yamamoto tests.

- :func:`cross_correlation` - corr(x_{t-k}, y_t) for k = -max_lag..max_lag,
  after Box-Jenkins prewhitening or with Bartlett's bands for two
  autocorrelated series, so that the bands mean what they say.
- :func:`var_analysis` - a vector autoregression with its lag order chosen
  by an information criterion, residual checks, stability, Granger tests for
  every ordered pair (Holm-adjusted) and, through :meth:`VarResult.irf`,
  orthogonalised impulse responses under more than one ordering.
- :func:`toda_yamamoto` - the Toda-Yamamoto (1995) Granger test in levels,
  valid whether the series are stationary, integrated or cointegrated.

One module per idea: ``_ccf``, ``_var``, ``_irf``, ``_toda_yamamoto``.
Every input goes through the check all time-series tests share
(:func:`attention._validate.checked_panel`): one value per date, one
frequency, no NaN inside the sample (dropping it would join non-adjacent
periods and shift every lag), no constant series, and enough observations
for the lags asked for. Each failure is a :class:`~attention.errors.DataError`
that says what to do.

statsmodels and matplotlib are imported inside the functions that need
them, so that ``import attention`` stays fast.
"""

from ._ccf import CrossCorrelationResult, cross_correlation
from ._irf import ImpulseResponseResult
from ._toda_yamamoto import TodaYamamotoResult, toda_yamamoto
from ._var import VarResult, var_analysis

__all__ = [
    "CrossCorrelationResult",
    "ImpulseResponseResult",
    "TodaYamamotoResult",
    "VarResult",
    "cross_correlation",
    "toda_yamamoto",
    "var_analysis",
]
