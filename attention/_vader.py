"""VADER's rules, computed without its repeated work: same scores, less time.

Profiling ``SentimentIntensityAnalyzer.polarity_scores`` (vaderSentiment
3.3.2) on real r/wallstreetbets comments shows most of its time is not
spent applying its rules but redoing work: for every word it knows, the
negation and idiom checks lower-case the whole text again (quadratic in
the text's length), and every text is copied one character at a time to
swap emoji for their names. :class:`Analyzer` subclasses VADER and
overrides only that plumbing: the text is lower-cased once, and emoji are
found with one regular expression (ASCII text, which has none, skips the
step). Every rule, constant and lexicon lookup is VADER's own, applied in
VADER's order, so the scores are the same to the last digit; the tests
check this on every shipped text.

Imported only when a scorer is built (vaderSentiment is imported here).
"""

from __future__ import annotations

import re

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    SentiText,
    scalar_inc_dec,
)

__all__ = ["Analyzer"]

_NEGATE = frozenset(NEGATE)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _negated(word: str) -> bool:
    """VADER's ``negated([word])`` for one lower-case word."""
    return word in _NEGATE or "n't" in word


def _negation_check(valence: float, lower: list[str], start_i: int, i: int) -> float:
    """VADER's ``_negation_check`` on the already lower-cased words."""
    if start_i == 0:
        if _negated(lower[i - 1]):
            valence *= N_SCALAR
    elif start_i == 1:
        if lower[i - 2] == "never" and lower[i - 1] in ("so", "this"):
            valence *= 1.25
        elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
            pass
        elif _negated(lower[i - 2]):
            valence *= N_SCALAR
    elif start_i == 2:
        if (lower[i - 3] == "never" and lower[i - 2] in ("so", "this")) or lower[i - 1] in ("so", "this"):
            valence *= 1.25
        elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
            pass
        elif _negated(lower[i - 3]):
            valence *= N_SCALAR
    return valence


def _special_idioms_check(valence: float, lower: list[str], i: int) -> float:
    """VADER's ``_special_idioms_check`` on the already lower-cased words."""
    onezero = f"{lower[i - 1]} {lower[i]}"
    twoonezero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
    twoone = f"{lower[i - 2]} {lower[i - 1]}"
    threetwoone = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
    threetwo = f"{lower[i - 3]} {lower[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    if len(lower) - 1 > i:
        zeroone = f"{lower[i]} {lower[i + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
    if len(lower) - 1 > i + 1:
        zeroonetwo = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
        if zeroonetwo in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[n_gram]
    return valence


class Analyzer(SentimentIntensityAnalyzer):
    """``SentimentIntensityAnalyzer`` with the same scores, computed faster.

    >>> from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    >>> text = "VADER is not smart, handsome, nor funny 😁"
    >>> Analyzer().polarity_scores(text) == SentimentIntensityAnalyzer().polarity_scores(text)
    True
    """

    def __init__(self) -> None:
        super().__init__()
        # VADER looks emoji up one character at a time, so only one-character
        # entries can ever match, and none of them is ASCII (checked here, as
        # the fast path relies on it).
        if any(len(e) == 1 and e.isascii() for e in self.emojis):
            raise RuntimeError("vaderSentiment's emoji lexicon has an ASCII entry; Analyzer assumes none")

    def _describe(self, match: re.Match[str]) -> str:
        # VADER puts a space before an emoji's name unless a space (or the
        # start of the text) precedes it, and none after it. A character
        # class of all 3,570 emoji is slow in ``re``; matching any non-ASCII
        # character and looking it up is not.
        char = match.group(0)
        name: str | None = self.emojis.get(char)
        if name is None:
            return char
        i = match.start()
        return (" " if i and match.string[i - 1] != " " else "") + name

    def polarity_scores(self, text: str) -> dict[str, float]:
        """VADER's scores of ``text`` (``neg``, ``neu``, ``pos``, ``compound``)."""
        text = text.strip() if text.isascii() else _NON_ASCII.sub(self._describe, text).strip()
        sentitext = SentiText(text)
        words = sentitext.words_and_emoticons
        lower = [w.lower() for w in words]
        last = len(words) - 1
        sentiments: list[float] = []
        for i, low in enumerate(lower):
            if low in BOOSTER_DICT or (i < last and low == "kind" and lower[i + 1] == "of"):
                sentiments.append(0)
            else:
                sentiments.append(self._valence(words, lower, i, sentitext.is_cap_diff))
        sentiments = self._but_check(words, sentiments)
        scores: dict[str, float] = self.score_valence(sentiments, text)
        return scores

    def _valence(self, words: list[str], lower: list[str], i: int, is_cap_diff: bool) -> float:
        """VADER's ``sentiment_valence`` for word ``i``."""
        lexicon = self.lexicon
        low = lower[i]
        if low not in lexicon:
            return 0
        valence = lexicon[low]
        if low == "no" and i != len(words) - 1 and lower[i + 1] in lexicon:
            valence = 0.0
        if (
            (i > 0 and lower[i - 1] == "no")
            or (i > 1 and lower[i - 2] == "no")
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor"))
        ):
            valence = lexicon[low] * N_SCALAR
        if words[i].isupper() and is_cap_diff:
            valence = valence + C_INCR if valence > 0 else valence - C_INCR
        for start_i in range(3):
            if i > start_i and lower[i - (start_i + 1)] not in lexicon:
                s = scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff)
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _negation_check(valence, lower, start_i, i)
                if start_i == 2:
                    valence = _special_idioms_check(valence, lower, i)
        checked: float = self._least_check(valence, words, i)
        return checked
