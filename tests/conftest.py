"""Shared fixtures: the embedded data sets and the ETF shares file in tests/data."""

from __future__ import annotations

import os
from pathlib import Path

# Plots are drawn off-screen; set before anything imports matplotlib.
os.environ.setdefault("MPLBACKEND", "Agg")

import pandas as pd
import pytest

DATA_DIR = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def preis():
    """Preis, Moat & Stanley (2013): weekly search volume and the DJIA (do not mutate)."""
    from attention import load_preis2013

    return load_preis2013()


@pytest.fixture(scope="session")
def close():
    """Daily closes of the shipped tickers used by the claims tests (do not mutate)."""
    from attention import load_prices

    return load_prices(["^RUT", "SPY", "ES=F", "^GSPC"])["Close"]


@pytest.fixture(scope="session")
def shares_wide():
    """iShares EWJ, EWY, EWZ: (shares outstanding, nav) as wide frames, one column per ETF."""
    long = pd.read_csv(DATA_DIR / "shares_history_EWJ_EWY_EWZ.csv", parse_dates=["date"])
    so = long.pivot(index="date", columns="ticker", values="shares_outstanding")
    nav = long.pivot(index="date", columns="ticker", values="nav")
    so.columns.name = nav.columns.name = None
    return so, nav


@pytest.fixture
def close_figures():
    """Close every matplotlib figure a test opened."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
