"""market-attention: does public attention lead money and prices, or follow them?

Collect attention to market themes, score it without look-ahead, and test
whether it leads flows and returns with p-values that survive
autocorrelation. Everything returns pandas objects or result objects with
``summary()``, ``to_frame()`` and ``plot()``.

>>> import attention
>>> result = attention.preis2013("debt", delta_t=3)
>>> f"{result.buy_and_hold_return:.1%}"
'16.5%'
"""

from __future__ import annotations

from .backtest import BacktestResult, preis2013, preis_strategy
from .claims import ClaimResult, Claims, check_article, outperformance_streaks, streak_record, ytd_gap
from .collectors import (
    Politeness,
    collect_etf_shares,
    collect_google_trends,
    collect_interest_by_region,
    collect_reddit,
    collect_related_queries,
    collect_related_topics,
    fetch_reddit_counts,
    fetch_reddit_items,
    parse_google_trends,
    read_etf_shares,
    read_google_trends_csv,
    read_google_trends_geo_csv,
    read_google_trends_related_csv,
    read_reddit_archives,
    read_reddit_items,
    suggest_topics,
)
from .correlation import (
    FeedbackLoopResult,
    GrangerResult,
    RollingStabilityResult,
    RotationResult,
    benjamini_hochberg,
    feedback_loop,
    granger,
    holm,
    rolling_stability,
    rotation_test,
    stationarity,
)
from .datasets import load_preis2013, load_prices
from .errors import (
    AttentionError,
    AttentionWarning,
    AuthenticationError,
    CollectorError,
    ConnectionFailedError,
    DataError,
    DroppedItemsWarning,
    GapWarning,
    MissingDependencyError,
    NonStationaryWarning,
    QueryTimeout,
    RateLimitError,
    RoundingFloorWarning,
    TruncatedListingWarning,
    UpstreamFormatError,
)
from .leadlag import (
    CrossCorrelationResult,
    ImpulseResponseResult,
    TodaYamamotoResult,
    VarResult,
    cross_correlation,
    toda_yamamoto,
    var_analysis,
)
from .market import (
    abnormal_dollar_volume_proxy,
    align_to_trading_days,
    etf_flows,
    load_yfinance,
    log_returns,
    relative_returns,
    theme_relative_returns,
    to_google_weeks,
)
from .pipeline import PipelineResult, run
from .schema import OBSERVATION_COLUMNS, to_wide, validate_observations
from .scoring import (
    abnormal_mentions,
    asvi,
    attention_share,
    composite_index,
    log_change,
    preis_delta,
    trailing_zscore,
)
from .sentiment import SentimentScorer, polarity_scores
from .store import Store
from .themes import DEFAULT_THEMES, Theme, get_theme

__version__ = "0.1.0"

__all__ = [
    "AttentionError",
    "AttentionWarning",
    "AuthenticationError",
    "BacktestResult",
    "ClaimResult",
    "Claims",
    "CollectorError",
    "ConnectionFailedError",
    "CrossCorrelationResult",
    "DEFAULT_THEMES",
    "DataError",
    "DroppedItemsWarning",
    "FeedbackLoopResult",
    "GapWarning",
    "GrangerResult",
    "ImpulseResponseResult",
    "MissingDependencyError",
    "NonStationaryWarning",
    "OBSERVATION_COLUMNS",
    "PipelineResult",
    "Politeness",
    "QueryTimeout",
    "RateLimitError",
    "RollingStabilityResult",
    "RotationResult",
    "RoundingFloorWarning",
    "SentimentScorer",
    "Store",
    "Theme",
    "TodaYamamotoResult",
    "TruncatedListingWarning",
    "UpstreamFormatError",
    "VarResult",
    "abnormal_dollar_volume_proxy",
    "abnormal_mentions",
    "align_to_trading_days",
    "asvi",
    "attention_share",
    "benjamini_hochberg",
    "check_article",
    "collect_etf_shares",
    "collect_google_trends",
    "collect_interest_by_region",
    "collect_reddit",
    "collect_related_queries",
    "collect_related_topics",
    "composite_index",
    "cross_correlation",
    "etf_flows",
    "feedback_loop",
    "fetch_reddit_counts",
    "fetch_reddit_items",
    "get_theme",
    "granger",
    "holm",
    "load_preis2013",
    "load_prices",
    "load_yfinance",
    "log_change",
    "log_returns",
    "outperformance_streaks",
    "parse_google_trends",
    "polarity_scores",
    "preis2013",
    "preis_delta",
    "preis_strategy",
    "read_etf_shares",
    "read_google_trends_csv",
    "read_google_trends_geo_csv",
    "read_google_trends_related_csv",
    "read_reddit_archives",
    "read_reddit_items",
    "relative_returns",
    "rolling_stability",
    "rotation_test",
    "run",
    "stationarity",
    "streak_record",
    "suggest_topics",
    "theme_relative_returns",
    "to_google_weeks",
    "to_wide",
    "toda_yamamoto",
    "trailing_zscore",
    "validate_observations",
    "var_analysis",
    "ytd_gap",
]
