"""Preis, Moat & Stanley (2013): the 'debt' rule, and what picking it costs.

Run: python examples/preis_replication.py
"""

import numpy as np
import pandas as pd

from attention import preis2013
from attention.datasets import load_preis2013

result = preis2013("debt", delta_t=3)
print(result.summary())

# The paper's headline is one of 98 terms x several windows. Look at all of them.
terms = [c for c in load_preis2013().columns if c not in ("djia_date", "djia_close")]
z = pd.DataFrame({dt: {t: preis2013(t, dt).z_random for t in terms} for dt in (3, 5, 10)})
print(f"\nmean z over {len(terms)} terms (paper, delta_t = 3: 0.60):")
print(z.mean().round(2).to_string())
print(f"share of terms with z > 1.96 at delta_t = 3: {np.mean(z[3] > 1.96):.0%}")
