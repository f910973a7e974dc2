"""ETF shares outstanding and NAV from the issuers' own files: the raw material of real flows.

- :func:`collect_etf_shares` fetches each fund from its issuer (State Street
  SPDR: one workbook per fund with the whole history; iShares: one holdings
  CSV per trading day), keeps every validated answer in the store, and
  returns tidy observations.
- :func:`parse_spdr_navhist` and :func:`parse_ishares_holdings` read one
  issuer file each; :func:`read_etf_shares` reads any file or DataFrame,
  for funds without a collector.

Flows follow with :func:`attention.etf_flows`.
"""

from ._table import METRICS, SOURCE
from .collect import ISSUERS, collect_etf_shares
from .files import read_etf_shares
from .ishares import ISHARES_PRODUCTS, parse_ishares_holdings
from .spdr import SPDR_TICKERS, parse_spdr_navhist

__all__ = [
    "ISHARES_PRODUCTS",
    "ISSUERS",
    "METRICS",
    "SOURCE",
    "SPDR_TICKERS",
    "collect_etf_shares",
    "parse_ishares_holdings",
    "parse_spdr_navhist",
    "read_etf_shares",
]
