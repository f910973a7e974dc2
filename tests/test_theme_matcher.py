"""The theme matcher measured on hand-labelled real snippets (tests/data/themes, see its PROVENANCE.md).

Targets: precision >= 0.95 and recall >= 0.90 per theme. Small caps meet both on
every split. AI stocks do not: recall is 0.60-0.64 on the two batches labelled
blind (holdout-4, holdout-5); the Magnificent Seven's recall meets it, its
precision on the last blind batch does not (0.857: film reviews, a quoted
complement). docs/themes.md says why. The floors below are the measured
levels, so that a change that loses mentions or gains false ones fails.
"""

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attention import DEFAULT_THEMES, get_theme
from attention.collectors.archives import _Aliases

SNIPPETS = Path(__file__).parent / "data" / "themes" / "labelled_snippets.csv"
LABEL = {"small-cap stocks": "small_caps", "AI stocks": "ai_stocks", "Magnificent Seven": "mag7"}
SPLITS = ("train", "holdout-1", "holdout-2", "holdout-3", "holdout-4", "holdout-5")
#: Precision and recall each theme keeps (measured, rounded down): on every split, and on all snippets together.
PRECISION_FLOOR = {"small-cap stocks": (0.99, 0.99), "AI stocks": (0.93, 0.96), "Magnificent Seven": (0.85, 0.96)}
RECALL_FLOOR = {"small-cap stocks": (0.95, 0.98), "AI stocks": (0.59, 0.80), "Magnificent Seven": (0.95, 0.98)}


@pytest.fixture(scope="module")
def snippets():
    return pd.read_csv(SNIPPETS, keep_default_na=False)


def precision_recall(found: pd.Series, truth: pd.Series) -> tuple[float, float]:
    hits = int((found & truth).sum())
    return hits / max(int(found.sum()), 1), hits / int(truth.sum())


def test_the_labelled_set(snippets):
    assert len(snippets) >= 400 and snippets["text"].is_unique
    assert set(snippets["split"]) == set(SPLITS)
    labels = snippets[[*LABEL.values(), "mag7_tickers"]]
    assert labels.isin([0, 1]).all().all()
    assert (snippets["source"].str.len() > 0).all()
    per_split = snippets.groupby("split")[list(LABEL.values())].sum()
    assert (per_split.loc[list(SPLITS[1:])] >= 12).all().all()  # enough positives to measure


@pytest.mark.parametrize("split", [*SPLITS, "all"])
@pytest.mark.parametrize("name", list(LABEL))
def test_precision_and_recall(snippets, name, split):
    rows = snippets if split == "all" else snippets[snippets["split"] == split]
    found = rows["text"].map(get_theme(name).mentions)
    precision, recall = precision_recall(found, rows[LABEL[name]] == 1)
    assert precision >= PRECISION_FLOOR[name][split == "all"]
    assert recall >= RECALL_FLOOR[name][split == "all"]


def test_the_basket_counts_members_and_nothing_else(snippets):
    truth = (snippets["mag7"] == 1) | (snippets["mag7_tickers"] == 1)
    with_basket = snippets["text"].map(get_theme("Magnificent Seven", basket=True).mentions)
    without = snippets["text"].map(get_theme("Magnificent Seven").mentions)
    assert precision_recall(with_basket, truth) >= (0.95, 0.95)
    assert precision_recall(without, truth)[1] < 0.6  # nearly half of these mentions need the basket
    assert (without & ~with_basket).sum() == 0


def raw_lines(text: str) -> list[bytes]:
    """A comment as dump files write it: escaped ASCII or raw UTF-8."""
    obj = {"id": "x", "subreddit": "stocks", "created_utc": 1717200000, "body": text}
    return [json.dumps(obj, ensure_ascii=flag).encode() for flag in (True, False)]


def assert_prefilter_is_safe(themes, texts):
    aliases = _Aliases.build(themes)
    assert aliases is not None  # the default patterns qualify for the fast raw search
    for text in texts:
        if any(t.mentions(text) for t in themes):
            assert all(aliases.search(line) for line in raw_lines(text)), text


@pytest.mark.parametrize("basket", [False, True])
def test_archive_prefilter_never_skips_a_labelled_mention(snippets, basket):
    themes = [get_theme(t, basket=basket if t.basket else None) for t in DEFAULT_THEMES]
    assert_prefilter_is_safe(themes, snippets["text"])


FRAGMENTS = ["small", "cap", "caps", "Russel", "Russell", "2000", "2k", "IWM", "RUT", "rut", "^", "$", "IJR", "AI",
             "A.I.", "ai", "'", "stocks", "trade", "chip", "related", "mag", "Mag", "7", "seven", "Magnificent",
             "MAGS", "META", "meta", "NVDA", "non", "ex", "not", "the", "(1960)", ".62", "shotgun", "SmallCap",
             "Discoveries", "S&P", "and", "mid", "&", "film", "\n", "\u0130", "\u00e9", "tied to", "exposed to the",
             "companies", "bubble", "is", "IWM251219C260"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(FRAGMENTS),
                          st.sampled_from(["", " ", "-", "_", ".", "/", "\u2011", "\u2013"])),
                max_size=8))
def test_archive_prefilter_never_skips_a_generated_mention(parts):
    text = "".join(a + b for a, b in parts)
    assert_prefilter_is_safe([get_theme(t, basket=bool(t.basket)) for t in DEFAULT_THEMES], [text])
