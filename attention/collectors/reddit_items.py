"""Reddit items -> daily attention per theme: the step every Reddit backend shares.

Every backend (praw, the Arctic Shift API, archive files) turns what it reads
into an *items* frame, one row per post or comment:

==========  =====================  ==========================================
column      dtype                  meaning
==========  =====================  ==========================================
id          str                    Reddit's id (``t3_...`` posts, ``t1_...`` comments)
kind        str                    ``post`` or ``comment``
created     datetime64[ns, UTC]    creation time
subreddit   str                    without ``r/``
author      str                    missing (NaN) when deleted
score       float                  upvotes minus downvotes
text        str                    title and body of a post, body of a comment;
                                   ``[removed]``/``[deleted]`` bodies are empty
==========  =====================  ==========================================

:func:`aggregate_items` then counts, per day and theme, the items that
mention the theme (once per item, however often it repeats the term) and
scores their sentiment with the theme's own aliases masked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError
from ..schema import validate_observations
from ..themes import DEFAULT_THEMES, Theme, get_theme

__all__ = ["ITEM_COLUMNS", "METRICS", "aggregate_items", "clean_text", "items_frame"]

#: Columns of the items frame every Reddit backend produces.
ITEM_COLUMNS = ("id", "kind", "created", "subreddit", "author", "score", "text")
#: Daily metrics per theme, in the order they are reported.
METRICS = (
    "mentions",
    "unique_authors",
    "score",
    "sentiment",
    "bullishness",
    "positive_share",
    "negative_share",
)
_GONE = {"[removed]", "[deleted]", "[removed by reddit]", ""}
#: VADER's customary cut-offs for calling a text positive or negative.
POSITIVE, NEGATIVE = 0.05, -0.05


def clean_text(*parts) -> str:
    """Join title/body parts, dropping the placeholders Reddit leaves for removed content."""
    return "\n".join(p.strip() for p in parts if isinstance(p, str) and p.strip() not in _GONE)


def _author(name):
    return None if name is None or name in ("[deleted]", "[removed]", "") else str(name)


def items_frame(records) -> pd.DataFrame:
    """Build and check an items frame from dicts with the item columns.

    ``created`` may be epoch seconds or anything ``pd.to_datetime`` reads;
    duplicate ids (the same item from two pages or files) are kept once.

    Raises
    ------
    DataError
        If a column is missing.
    """
    frame = pd.DataFrame.from_records(list(records), columns=list(ITEM_COLUMNS))
    if frame.empty:
        return frame.astype({"created": "datetime64[ns, UTC]", "score": float})
    missing = [c for c in ("id", "kind", "created") if frame[c].isna().all()]
    if missing:
        raise DataError(f"records: missing {missing}; expected {list(ITEM_COLUMNS)}")
    # Sources mix epoch seconds (APIs, dumps) and date strings; read each the way it is written.
    created = frame["created"]
    seconds = pd.to_numeric(created, errors="coerce")
    stamps = pd.Series(pd.to_datetime(seconds, unit="s", utc=True), index=frame.index).astype("datetime64[ns, UTC]")
    written = seconds.isna() & created.notna()
    if written.any():
        try:
            stamps[written] = pd.to_datetime(created[written], utc=True)
        except (TypeError, ValueError) as exc:
            raise DataError(f"records: 'created' holds values that are not dates ({exc})") from None
    frame["created"] = stamps
    frame["author"] = frame["author"].map(_author).astype(object)
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce").astype(float)
    frame["text"] = frame["text"].fillna("").astype(str)
    frame["subreddit"] = frame["subreddit"].astype(str).str.removeprefix("r/")
    return frame.drop_duplicates("id", keep="last").reset_index(drop=True)


def aggregate_items(items: pd.DataFrame, themes=None, *, scorer=None) -> pd.DataFrame:
    """Daily metrics per theme from an items frame, as tidy observations.

    Parameters
    ----------
    items : DataFrame
        See the module docstring (:func:`items_frame` builds one).
    themes : list of Theme or str, optional
        Defaults to the three default themes.
    scorer : attention.sentiment.SentimentScorer, optional
        Defaults to the finance-aware scorer.

    Returns
    -------
    DataFrame
        Source ``reddit``; metrics ``mentions`` (items mentioning the theme),
        ``unique_authors``, ``score`` (sum), ``sentiment`` (mean compound),
        ``bullishness`` (ln((1 + #positive) / (1 + #negative)), Antweiler &
        Frank 2004), ``positive_share`` and ``negative_share`` (compound
        above 0.05 / below -0.05). Days without a mention are absent, not 0:
        whether a backend saw the day at all is for the caller to say.
    """
    themes = [get_theme(t) if not isinstance(t, Theme) else t for t in (themes or DEFAULT_THEMES)]
    if not isinstance(items, pd.DataFrame) or any(c not in items for c in ITEM_COLUMNS):
        raise DataError(f"items: expected a DataFrame with columns {list(ITEM_COLUMNS)}")
    return _daily_metrics(_score_items(items, themes, scorer=scorer), themes)


def _score_items(items: pd.DataFrame, themes, *, scorer=None) -> pd.DataFrame:
    """The numbers :func:`_daily_metrics` needs from an items frame, one row per item mentioning a theme.

    Split from :func:`aggregate_items` so that the slow part (matching and
    sentiment) can run where the items are read and only this small table
    travels: columns ``id``, ``created``, ``author``, ``score`` and, per
    theme in order, ``theme<i>`` holding the item's compound sentiment with
    that theme's aliases masked, NaN where the item does not mention it.
    """
    table = items[["id", "created", "author", "score"]].copy()
    mentioned = pd.Series(False, index=items.index)
    for i, theme in enumerate(themes):
        hit = items["text"].map(theme.mentions).astype(bool)
        compound = pd.Series(np.nan, index=items.index)
        if hit.any():
            if scorer is None:
                from ..sentiment import SentimentScorer

                scorer = SentimentScorer()
            scores = scorer.score(items.loc[hit, "text"].tolist(), themes=[theme])
            compound[hit] = scores["compound"].to_numpy(dtype=float)
        table[f"theme{i}"] = compound
        mentioned |= hit
    return table[mentioned.to_numpy()].reset_index(drop=True)


def _daily_metrics(table: pd.DataFrame, themes) -> pd.DataFrame:
    """Tidy daily observations from :func:`_score_items` tables (concatenated, duplicates removed)."""
    rows = []
    for i, theme in enumerate(themes):
        hit = table[table[f"theme{i}"].notna()]
        if hit.empty:
            continue
        frame = pd.DataFrame(
            {
                "day": hit["created"].dt.floor("D").to_numpy(),
                "author": hit["author"].to_numpy(),
                "score": hit["score"].to_numpy(),
                "compound": hit[f"theme{i}"].to_numpy(),
            }
        )
        frame["pos"] = frame["compound"] >= POSITIVE
        frame["neg"] = frame["compound"] <= NEGATIVE
        daily = frame.groupby("day").agg(
            mentions=("compound", "size"),
            unique_authors=("author", "nunique"),
            score=("score", "sum"),
            sentiment=("compound", "mean"),
            n_pos=("pos", "sum"),
            n_neg=("neg", "sum"),
        )
        daily["bullishness"] = np.log((1 + daily["n_pos"]) / (1 + daily["n_neg"]))
        daily["positive_share"] = daily["n_pos"] / daily["mentions"]
        daily["negative_share"] = daily["n_neg"] / daily["mentions"]
        long = daily[list(METRICS)].stack().rename("value").reset_index()
        long.columns = ["date", "metric", "value"]
        long["term"] = theme.name
        rows.append(long)
    if not rows:
        empty = pd.DataFrame(columns=["date", "source", "term", "metric", "value", "flags"])
        return validate_observations(empty.astype({"value": float}))
    out = pd.concat(rows, ignore_index=True)
    out["source"] = "reddit"
    out["flags"] = ""
    return validate_observations(out)
