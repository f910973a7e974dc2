"""How well, and how fast, does the theme matcher recognise mentions?

Run from the repository root (under a minute):

    python benchmarks/matcher.py

Accuracy: precision and recall per default theme on the hand-labelled real
snippets of ``tests/data/themes/labelled_snippets.csv`` (see its
PROVENANCE.md), by split: ``train`` (tuned on), ``holdout-1`` to
``holdout-4`` (each measured once, then studied before the next change),
``holdout-5`` (labelled blind after the last change: the figure of the
shipped matcher), and all. The old matcher (the alias patterns before separators,
misspellings, negations, exclusions and tickers) runs on the same snippets.

Speed: ``Theme.mentions`` of the three themes on every text of the shipped
r/wallstreetbets sample (530 posts, 10,401 comments), new against old in the
same run, and ``scan_archive`` on a synthetic dump (benchmarks/archives.py)
with the new themes against the old ones, since the archive prefilter
searches for the literals the alias patterns require.
"""

from __future__ import annotations

import ast
import re
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from attention import DEFAULT_THEMES, Theme, get_theme
from attention.collectors.archives import DEFAULT_SUBREDDITS, scan_archive
from attention.collectors.reddit_items import clean_text

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
LABEL = {"small-cap stocks": "small_caps", "AI stocks": "ai_stocks", "Magnificent Seven": "mag7"}
SPLITS = ("train", "holdout-1", "holdout-2", "holdout-3", "holdout-4", "holdout-5", "all")
#: The default themes' alias patterns before this matcher (release 0.1).
OLD_THEMES = (
    Theme("small-cap stocks", reddit_patterns=[r"small[- ]?caps?(?: stocks?)?", r"russell ?2000", r"russell 2k",
                                               r"\$?IWM", r"\$RUT", r"R2K"]),
    Theme("AI stocks", reddit_patterns=[r"AI (?:stocks?|trade|names|bubble)", r"artificial intelligence stocks?"]),
    Theme("Magnificent Seven", reddit_patterns=[r"magnificent (?:seven|7)", r"mag ?7", r"mag seven",
                                                r"magnificent 7"]),
)


def precision_recall(found: pd.Series, truth: pd.Series) -> tuple[float, float, int]:
    hits = int((found & truth).sum())
    return hits / max(int(found.sum()), 1), hits / max(int(truth.sum()), 1), int(truth.sum())


def accuracy(snippets: pd.DataFrame) -> None:
    print(f"{'theme':<20}{'split':<11}{'n':>5}{'positives':>10}{'precision':>11}{'recall':>8}"
          f"{'old precision':>15}{'old recall':>11}")
    for new, old in zip(DEFAULT_THEMES, OLD_THEMES):
        for split in SPLITS:
            rows = snippets if split == "all" else snippets[snippets["split"] == split]
            truth = rows[LABEL[new.name]] == 1
            p, r, n_pos = precision_recall(rows["text"].map(new.mentions), truth)
            op, orec, _ = precision_recall(rows["text"].map(old.mentions), truth)
            print(f"{new.name:<20}{split:<11}{len(rows):>5}{n_pos:>10}{p:>11.3f}{r:>8.3f}{op:>15.3f}{orec:>11.3f}")
    truth = (snippets["mag7"] == 1) | (snippets["mag7_tickers"] == 1)
    for basket in (False, True):
        found = snippets["text"].map(get_theme("Magnificent Seven", basket=basket).mentions)
        p, r, n_pos = precision_recall(found, truth)
        group = precision_recall(found, snippets["mag7"] == 1)[0]
        print(f"Magnificent Seven, basket={basket!s:<5}: against 'the group or a member's ticker' ({n_pos} of "
              f"{len(snippets)}) precision {p:.3f}, recall {r:.3f}; against 'the group' precision {group:.3f}")


# A looser rule for AI stocks, for comparison only: "AI" in the same sentence as a market word.
_AI_WORD = re.compile(r"(?<![\w-])(?:AI|A\.I\.?|artificial intelligence)(?!\w)", re.IGNORECASE)
_MARKET_WORD = re.compile(r"\b(?:stocks?|shares|invest\w*|markets?|rall\w+|valuations?|wall street|trades?|trading"
                          r"|bubble|s&p|nasdaq|portfolios?|etfs?|winners?|bets?|sell-?offs?|equit\w+|names|plays?"
                          r"|positions?|sector|theme|gains)\b", re.IGNORECASE)


def ai_near_market_word(text: str) -> bool:
    return any(_AI_WORD.search(s) and _MARKET_WORD.search(s) for s in re.split(r"(?<=[.!?])\s+|\n", text))


def looser_ai_rule(snippets: pd.DataFrame) -> None:
    """What recall costs in precision: the co-occurrence rule against the shipped AI-stocks matcher."""
    found = snippets["text"].map(ai_near_market_word)
    for split in ("holdout-4", "holdout-5", "all"):
        rows = snippets.index if split == "all" else snippets.index[snippets["split"] == split]
        p, r, _ = precision_recall(found[rows], snippets.loc[rows, "ai_stocks"] == 1)
        print(f"AI stocks, 'AI' in a sentence with a market word, {split:<9}: precision {p:.3f}, recall {r:.3f}")


def wsb_texts() -> list[str]:
    raw = pd.read_csv(DATA / "reddit" / "reddit_wsb_hot_2024-07_AnnaDS.csv.gz", keep_default_na=False)
    texts = []
    for post in raw.itertuples():
        texts.append(clean_text(post.title, post.body))
        texts.extend(clean_text(body) for body in (ast.literal_eval(post.comments) if post.comments else []))
    return texts


def interleaved(runs: dict, repeat: int) -> dict:
    """Best time of each run, the runs taking turns so that a busy machine slows all of them alike."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, fn in runs.items():
            started = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def speed() -> None:
    texts = wsb_texts()
    chars = sum(map(len, texts))
    basket = [get_theme(t, basket=True) if t.basket else t for t in DEFAULT_THEMES]
    t = interleaved({name: lambda themes=themes: [th.mentions(x) for x in texts for th in themes]
                     for name, themes in (("old", OLD_THEMES), ("new", DEFAULT_THEMES), ("basket", basket))}, 7)
    print(f"\nmentions() of 3 themes on {len(texts):,} real r/wallstreetbets texts ({chars / 1e6:.1f} M chars): "
          f"old {t['old'] * 1e3:.0f} ms, new {t['new'] * 1e3:.0f} ms = {t['new'] / t['old']:.2f}x the old time "
          f"(with the Magnificent Seven basket {t['basket'] / t['old']:.2f}x)")

    sys.path.insert(0, str(Path(__file__).parent))
    import archives as bench  # benchmarks/archives.py: the synthetic dump

    lines = 100_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "RC_2024-06.zst"
        size = bench.write_dump(path, bench.comment_lines(bench.month(lines, 0), "a", range(lines)))
        scan_archive(path, subreddits=DEFAULT_SUBREDDITS)  # warm up
        t = interleaved({
            f"{name} {where}": lambda themes=themes, subs=subs: scan_archive(path, subreddits=subs, themes=themes)
            for name, themes in (("old", OLD_THEMES), ("new", DEFAULT_THEMES))
            for where, subs in (("wanted", DEFAULT_SUBREDDITS), ("all", None))
        }, 3)
    mb = size / 1e6
    print(f"scan_archive, synthetic month ({lines:,} comments, {mb:.0f} MB): default subreddits "
          f"old {mb / t['old wanted']:.0f} MB/s, new {mb / t['new wanted']:.0f} MB/s = "
          f"{t['new wanted'] / t['old wanted']:.2f}x the old time; every subreddit old {mb / t['old all']:.0f} MB/s, "
          f"new {mb / t['new all']:.0f} MB/s = {t['new all'] / t['old all']:.2f}x")


def main() -> None:
    snippets = pd.read_csv(DATA / "themes" / "labelled_snippets.csv", keep_default_na=False)
    print(f"{len(snippets)} hand-labelled real snippets\n")
    accuracy(snippets)
    looser_ai_rule(snippets)
    speed()


if __name__ == "__main__":
    main()
