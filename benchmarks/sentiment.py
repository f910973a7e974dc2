"""Does the finance scorer read market text better than VADER with the published finance lexicons, and at what cost?

Run from the repository root:

    python benchmarks/sentiment.py

Data, shipped in tests/data/sentiment/ (see PROVENANCE.md there): 9,543
finance-news tweets and 2,264 finance news sentences (Financial PhraseBank,
full agreement), each labelled bearish (0), bullish (1) or neutral (2), and
52 hand-written Reddit-style sentences. Tweets and sentences are split once,
by a hash of the text, into a development part (about 70%), the only part
looked at while the lexicon was tuned, and a HELD-OUT part (about 30%), on
which the final numbers are reported. Hashing the text keeps the split
stable across machines and pandas versions and puts duplicate texts on the
same side.

Scorers: plain VADER; VADER with Henry's (2008) word list added the way
users add word lists (``analyzer.lexicon.update``); FinVADER's lexicon
(SentiBigNomics and Henry) when the finvader package is installed; and the
finance scorer. Each text is classified with VADER's standard thresholds:
compound >= 0.05 bullish, <= -0.05 bearish, otherwise neutral, for every
scorer. Reported: accuracy, macro-F1 over the three classes, the share of
texts scored exactly 0, direction accuracy on the gold set, and the cost
per text of the finance scorer against plain
``SentimentIntensityAnalyzer.polarity_scores`` on 10,401 real Reddit
comments, in the same run. docs/sentiment.md records the results.
"""

from __future__ import annotations

import ast
import gzip
import hashlib
import importlib.util
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "tests" / "data" / "sentiment"
TWEETS = DATA_DIR / "sent_train.csv.gz"
PHRASEBANK = DATA_DIR / "financial_phrasebank_allagree.txt.gz"
GOLD = DATA_DIR / "reddit_gold.csv"
REDDIT = ROOT / "tests" / "data" / "reddit" / "reddit_wsb_hot_2024-07_AnnaDS.csv.gz"
#: Label codes of the tweet data set, also used for the news sentences.
BEARISH, BULLISH, NEUTRAL = 0, 1, 2
#: VADER's customary cut-offs, the same for every scorer compared.
POSITIVE, NEGATIVE = 0.05, -0.05
HELD_OUT_SHARE = 3  # tenths of the hash space


def held_out(text: str) -> bool:
    """Whether a text belongs to the held-out part: first 32 bits of its SHA-256, mod 10, below 3."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % 10 < HELD_OUT_SHARE


def load_tweets() -> pd.DataFrame:
    """The labelled tweets with a boolean ``held_out`` column."""
    frame = pd.read_csv(TWEETS, dtype={"text": str, "label": int})
    frame["held_out"] = frame["text"].map(held_out)
    return frame


def load_phrasebank() -> pd.DataFrame:
    """Financial PhraseBank's news sentences (all annotators agreeing): ``text``, ``label``, ``held_out``.

    Labels use the tweets' codes: negative -> bearish, positive -> bullish.
    """
    codes = {"negative": BEARISH, "positive": BULLISH, "neutral": NEUTRAL}
    with gzip.open(PHRASEBANK, "rt", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").rsplit("@", 1) for line in fh if line.strip()]
    frame = pd.DataFrame(rows, columns=["text", "label"])
    frame["label"] = frame["label"].map(codes).astype(int)
    frame["held_out"] = frame["text"].map(held_out)
    return frame


def load_reddit_comments() -> list[str]:
    """The 10,401 real r/wallstreetbets comment texts of tests/data/reddit (the speed benchmark's input)."""
    raw = pd.read_csv(REDDIT, keep_default_na=False)
    return [text for cell in raw["comments"] if cell for text in ast.literal_eval(cell)]


def load_gold() -> pd.DataFrame:
    """The hand-made Reddit-style sentences with their expected direction."""
    return pd.read_csv(GOLD, dtype=str)


def classify(compound) -> np.ndarray:
    """Compound scores -> label codes with VADER's thresholds."""
    c = np.asarray(compound, dtype=float)
    return np.where(c >= POSITIVE, BULLISH, np.where(c <= NEGATIVE, BEARISH, NEUTRAL))


def direction(compound) -> np.ndarray:
    """Compound scores -> "positive", "negative" or "neutral"."""
    names = np.array(["negative", "positive", "neutral"])
    return names[classify(compound)]


def evaluate(compound, labels) -> dict:
    """Accuracy, macro-F1 (and per class), share scored exactly 0."""
    compound = np.asarray(compound, dtype=float)
    y, p = np.asarray(labels), classify(compound)
    f1 = {}
    for k, name in ((BEARISH, "bearish"), (BULLISH, "bullish"), (NEUTRAL, "neutral")):
        tp = np.sum((p == k) & (y == k))
        wrong = np.sum((p == k) & (y != k)) + np.sum((p != k) & (y == k))
        f1[name] = 2 * tp / (2 * tp + wrong) if tp else 0.0
    return {
        "accuracy": float(np.mean(p == y)),
        "macro_f1": float(np.mean(list(f1.values()))),
        "zero_share": float(np.mean(compound == 0)),
        **{f"f1_{k}": float(v) for k, v in f1.items()},
    }


def henry_lexicon() -> dict[str, float]:
    """Henry's (2008) words at FinVADER's valences: +1.5 positive, -1.5 negative."""
    from attention.sentiment import HENRY_2008

    return {**dict.fromkeys(HENRY_2008["positive"], 1.5), **dict.fromkeys(HENRY_2008["negative"], -1.5)}


def finvader_lexicon() -> dict[str, float] | None:
    """FinVADER's combined lexicon (SentiBigNomics x 0.1, then Henry), or None if finvader is not installed.

    Read from the installed package's source files rather than imported:
    importing finvader downloads NLTK data. This is the lexicon
    ``finvader(text, use_sentibignomics=True, use_henry=True)`` puts into
    VADER; SentiBigNomics states no licence, so it is not shipped here.
    """
    spec = importlib.util.find_spec("finvader")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    entry = re.compile(r"\[\s*'([^']+)'\s*\]\s*=\s*(-?[\d.]+)")

    def read(name):
        return {k: float(v) for k, v in entry.findall((folder / name).read_text(encoding="utf-8"))}

    return {**{k: v * 0.1 for k, v in read("SentiBignomics.py").items()}, **read("Henry.py")}


def vader_with(lexicon: dict[str, float]):
    """Plain VADER with ``lexicon`` merged in by ``lexicon.update``, the way its users add words.

    Returns a function texts, themes -> compound scores; themes are masked
    as the finance scorer masks them, so the comparison isolates the lexicon.
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from attention.sentiment import SentimentScorer

    analyzer, masker = SentimentIntensityAnalyzer(), SentimentScorer(finance=False)
    analyzer.lexicon.update(lexicon)

    def score(texts, themes=None):
        return np.array([analyzer.polarity_scores(masker.prepare(t, themes))["compound"] for t in texts])

    return score


def scorers() -> dict:
    """(name, function texts, themes -> compound array) for the baselines and the finance scorer.

    FinVADER is included only when the finvader package is installed.
    """
    from attention.sentiment import SentimentScorer

    vanilla, finance = SentimentScorer(finance=False), SentimentScorer()
    out = {
        "plain VADER": lambda texts, themes=None: vanilla.score(texts, themes)["compound"].to_numpy(),
        "VADER + Henry": vader_with(henry_lexicon()),
    }
    finvader = finvader_lexicon()
    if finvader is not None:
        out["FinVADER (VADER + SentiBigNomics + Henry)"] = vader_with(finvader)
    out["finance scorer"] = lambda texts, themes=None: finance.score(texts, themes)["compound"].to_numpy()
    return out


def accuracy_table(parts=("held-out",)) -> pd.DataFrame:
    """Every scorer on the tweets and news sentences (the given parts) and on the gold set.

    ``parts`` is any of "development" and "held-out". The gold set is scored
    with the default themes masked, as the Reddit collector masks them.
    """
    from attention import DEFAULT_THEMES

    sets = {"tweets": load_tweets(), "news (PhraseBank)": load_phrasebank()}
    gold = load_gold()
    rows = []
    for name, fn in scorers().items():
        for data, frame in sets.items():
            for part in parts:
                chosen = frame[frame.held_out == (part == "held-out")]
                rows.append({"scorer": name, "data": f"{data}, {part}", "n": len(chosen),
                             **evaluate(fn(chosen.text), chosen.label)})
        got = direction(fn(gold.text, DEFAULT_THEMES))
        rows.append({"scorer": name, "data": "gold, themes masked", "n": len(gold),
                     "accuracy": float(np.mean(got == gold.expected))})
    return pd.DataFrame(rows)


def best_of(fn, repeat=3, clock=time.perf_counter):
    times = []
    for _ in range(repeat):
        t = clock()
        fn()
        times.append(clock() - t)
    return min(times)


def throughput(rounds: int = 7) -> pd.DataFrame:
    """Texts per CPU second on the real Reddit comments: plain VADER against the finance scorer.

    Also the finance scorer with vaderSentiment's own engine put back in
    place of attention._vader.Analyzer, to show what each part costs.
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from attention import get_theme
    from attention.sentiment import SentimentScorer

    texts = load_reddit_comments()
    plain, finance, own_engine = SentimentIntensityAnalyzer(), SentimentScorer(), SentimentScorer()
    engine = SentimentIntensityAnalyzer()
    engine.lexicon = own_engine._analyzer.lexicon
    own_engine._analyzer = engine
    theme = [get_theme("small-cap stocks")]
    runs = {
        "plain VADER polarity_scores": lambda: [plain.polarity_scores(t) for t in texts],
        "finance scorer .score()": lambda: finance.score(texts),
        "finance scorer .score(themes=[one theme])": lambda: finance.score(texts, themes=theme),
        "finance scorer .score(), vaderSentiment's engine": lambda: own_engine.score(texts),
    }
    for fn in runs.values():
        fn()  # warm up
    # CPU time of this process, round-robin, best of each: other work on a
    # shared machine then slows all runs alike instead of whichever ran
    # while it was busy.
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, fn in runs.items():
            best[name] = min(best[name], best_of(fn, 1, time.process_time))
    rows = [{"run": name, "texts_per_s": len(texts) / t, "us_per_text": 1e6 * t / len(texts)}
            for name, t in best.items()]
    out = pd.DataFrame(rows)
    out["cost_vs_plain"] = out["us_per_text"] / out["us_per_text"].iloc[0]
    return out


if __name__ == "__main__":
    pd.set_option("display.width", 160)
    for name, frame in (("tweets", load_tweets()), ("news sentences", load_phrasebank())):
        counts = frame.groupby("held_out").label.value_counts().unstack()
        counts.index = ["development", "held-out"]
        counts.columns = ["bearish", "bullish", "neutral"]
        print(f"{name} split (rows per label):\n" + counts.to_string() + "\n")
    print(accuracy_table(parts=("held-out", "development")).round(3).to_string(index=False) + "\n")
    print(throughput().round(2).to_string(index=False))
