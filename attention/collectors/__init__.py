"""Collectors: one module per source, network apart from parsing.

``collect_*`` functions talk to the network (through an injectable session),
``parse_*`` and ``read_*`` functions take a payload or a local file; both
share one private parser.
"""

from .archives import read_reddit_archives, scan_archive
from .etf import collect_etf_shares, parse_ishares_holdings, parse_spdr_navhist, read_etf_shares
from .google_trends import (
    Politeness,
    collect_google_trends,
    collect_related_queries,
    parse_google_trends,
)
from .google_topics import collect_interest_by_region, collect_related_topics, suggest_topics
from .google_trends_csv import read_google_trends_csv, read_google_trends_geo_csv, read_google_trends_related_csv
from .reddit import collect_reddit, fetch_reddit_counts, fetch_reddit_items
from .reddit_files import read_reddit_items

__all__ = [
    "Politeness",
    "collect_etf_shares",
    "collect_google_trends",
    "collect_interest_by_region",
    "collect_reddit",
    "collect_related_queries",
    "collect_related_topics",
    "fetch_reddit_counts",
    "fetch_reddit_items",
    "parse_google_trends",
    "parse_ishares_holdings",
    "parse_spdr_navhist",
    "read_etf_shares",
    "read_google_trends_csv",
    "read_google_trends_geo_csv",
    "read_google_trends_related_csv",
    "read_reddit_archives",
    "read_reddit_items",
    "scan_archive",
    "suggest_topics",
]
