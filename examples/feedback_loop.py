"""Does search feed a loop with flows and returns? Real weekly data, 2004-2011.

Run: python examples/feedback_loop.py   (writes feedback_loop.png)
"""

import pandas as pd

import attention
from attention.datasets import load_preis2013, load_prices

search = load_preis2013()["stocks"]          # weekly US Google search volume
spy = load_prices("SPY")
close, volume = spy[("Close", "SPY")], spy[("Volume", "SPY")]

attention_change = attention.log_change(search)                     # stationary, look-ahead free
returns = attention.to_google_weeks(attention.log_returns(close))  # Sunday-to-Saturday weeks
flows = attention.abnormal_dollar_volume_proxy(close, volume, weekly=True)  # a PROXY for flows

# Stationarity first: ADF and KPSS on each input.
inputs = pd.concat({"attention": attention_change, "returns": returns, "flows": flows}, axis=1, sort=True)
print(attention.stationarity(inputs).round(3))

loop = attention.feedback_loop(attention_change, returns, flows, lags=2, seed=0)
print(loop.summary())

# One link on its own, over several lags.
print(attention.granger(attention_change, flows, max_lag=4).summary())

loop.plot().savefig("feedback_loop.png", dpi=100)
print("wrote feedback_loop.png")
