"""What each test in the library tests, and how it differs from its neighbours: one sentence set per test.

Summaries end with these lines, so a reader who sees two tests disagree on
the same pair (the loop's surrogate test says a link holds, Granger's F says
no lag shows) reads why, next to the numbers.
"""

from __future__ import annotations

import textwrap

_NOTES = {
    "granger": (
        "Test: Granger F per lag (the effect on its own lags, with and without the cause's; statsmodels' ssr F),"
        " two-sided, all lags jointly, with textbook p-values that assume independent, equal-variance errors."
        " Differs from feedback_loop's link test, which is one-sided in a claimed direction, pools the lags"
        " into one summed effect and takes its p from surrogates that keep each series' autocorrelation: a"
        " consistently signed effect can pass there and not here, and a persistent series can pass here by"
        " autocorrelation alone."
    ),
    "loop": (
        "Test: per link, the heteroskedasticity-robust t of the summed cause-lag coefficients in a regression"
        " of the effect on its own lags and the controls' (one-sided, in the claimed direction), its p from"
        " surrogates of the cause that keep its autocorrelation, each studentised the same way. p(F) is Granger's two-sided F on the same regression with textbook p-values: it can"
        " reject when lag effects of opposite signs cancel in the sum (no loop in the claimed sense), and miss"
        " a small effect spread evenly over the lags that the summed test finds."
    ),
    "rotation": (
        "Test: the feedback_loop link test in both directions between the share's log-odds change and the"
        " relative return, Holm across the two; p(F) is Granger's two-sided F for comparison (see"
        " feedback_loop for why the two can disagree)."
    ),
    "ccf": (
        "Test: correlation at each lead and lag on its own, with bands under independence (Box-Jenkins"
        " prewhitening or Bartlett's formula) and Holm across lags. Unlike granger and feedback_loop it does"
        " not condition on the effect's own past: a peak at k > 0 is association at a lead, not evidence of"
        " added predictive power."
    ),
    "var": (
        "Test: Granger F for each ordered pair inside the VAR, so every test conditions on the lags of all"
        " the other variables; with two variables it is granger() at the VAR's chosen lag. Like granger it"
        " assumes stationary series; for levels use toda_yamamoto."
    ),
    "ty": (
        "Test: Wald chi-square on the first p cause lags of a levels VAR with d_max extra, untested lags:"
        " valid for integrated or cointegrated series, where granger and var_analysis on levels are not; on"
        " stationary changes those have more power."
    ),
}


def method_note(test: str) -> list[str]:
    """The summary lines describing ``test`` (a key of the table above), wrapped to 100 columns."""
    return textwrap.wrap(_NOTES[test], 100)
