"""Sentiment of market chatter: VADER taught the vocabulary of finance and Reddit.

VADER (Hutto & Gilbert 2014) scores a text by summing the valences of the
words it knows, with rules for negation ("not good"), boosters ("very
good"), capitals, exclamation marks and "but". Its lexicon was built for
general social media, so out of the box it misreads markets: "Small caps are
ripping, IWM to the moon 🚀🚀" is neutral (it knows none of those words) and
"The Magnificent Seven are overvalued" is positive (it knows "magnificent").
:class:`SentimentScorer` keeps VADER's rules and fixes its inputs, in this
order:

1. **Theme masking.** The aliases of the given themes (``Theme._regex``) are
   replaced by :data:`MASK_TOKEN`, a word VADER does not know, so a theme's
   own name never carries sentiment.
2. **Emoji.** The emoji that matter in market talk (:data:`EMOJI`) become
   tokens of our own before VADER turns emoji into their English names
   (VADER reads 🚀 as "rocket", which it does not know, and 🔥 as "fire",
   which it rates negative).
3. **Numbers and phrases.** Moves written as numbers ("up 3%", "-2%",
   "52-week high") become tokens, and because VADER scores single tokens
   only, the multi-word phrases of :data:`PHRASES` ("to the moon",
   "diamond hands", "rug pull") are joined into one token each.
4. **Lexicon.** :data:`FINANCE_LEXICON` adds market words and overrides
   general-English valences that are wrong in finance ("shares", "credit",
   "interest" are not sentiment; "overweight" is a buy rating, not a body).

Negation, boosters and capitals keep working because the result is still
plain text scored by VADER: "not bullish on small caps" is negative.
``SentimentScorer(finance=False)`` is plain VADER (plus any masking and
extra lexicon asked for), the baseline the finance scorer is measured
against; see docs/sentiment.md for the numbers.

>>> from attention.sentiment import SentimentScorer
>>> scorer = SentimentScorer()
>>> scorer.polarity_scores("Small caps are ripping, IWM to the moon 🚀🚀")["compound"] > 0.5
True
>>> scorer.polarity_scores("The Magnificent Seven are overvalued")["compound"] < 0
True

vaderSentiment is imported when the first scorer is built, not with
``attention``, so importing the package stays light; if it is missing,
building a scorer raises :class:`~attention.errors.MissingDependencyError`
with the install command.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
from collections.abc import Iterable, Mapping

import pandas as pd

from .errors import DataError, MissingDependencyError
from .themes import Theme, get_theme

__all__ = [
    "EMOJI",
    "FINANCE_LEXICON",
    "MASK_TOKEN",
    "PHRASES",
    "SentimentScorer",
    "polarity_scores",
]

#: What a masked theme alias becomes: a plain lower-case word that is in no
#: lexicon, not a negation and not a booster, so it only adds a neutral word.
MASK_TOKEN = "themeref"

_COLUMNS = ["neg", "neu", "pos", "compound"]

# --------------------------------------------------------------------------
# The finance lexicon
#
# Valences are on VADER's scale, -4 (extremely negative) to +4 (extremely
# positive), where VADER's raters put "good" at 1.9, "great" at 3.1, "bad"
# at -2.5, "loss" at -1.3 and "crash" at -1.7. A valence of 0 removes a word
# from VADER's lexicon: it is neutral in market talk whatever it means
# elsewhere. Multi-word entries are the joined tokens of PHRASES.
# --------------------------------------------------------------------------

#: Finance and WSB words (and emoji tokens) with valences on VADER's -4..4 scale.
FINANCE_LEXICON: dict[str, float] = {
    # Stance words. Saying you are bullish is an explicit, moderately strong
    # opinion, about as strong as "good"; the animals are weaker because
    # they also name groups of people ("the bears got squeezed").
    "bullish": 2.0,
    "bearish": -2.0,
    "bull": 1.0,
    "bulls": 0.8,
    "bear": -1.0,
    "bears": -0.8,
    "bull_market": 2.0,
    "bear_market": -2.0,
    "bull_run": 2.0,
    # Traps are the opposite of the animal: a bull trap is a false rally.
    "bull_trap": -2.0,
    "bear_trap": 1.5,
    "dead_cat_bounce": -2.0,  # a brief rebound in a fall; outweighs "bounce"
    # Options. Holding calls (puts) is a bet on a rise (fall), but people
    # also sell, roll and hedge with them, so the signal is weak: keep them
    # modest so a single mention cannot dominate a sentence.
    "calls": 0.5,
    "puts": -0.5,
    # Reddit / WallStreetBets slang.
    "moon": 1.5,  # "IWM will moon"; the noun rarely appears in market talk
    "mooning": 2.5,
    "to_the_moon": 2.5,
    "tendies": 2.0,  # gains, "chicken tendies"
    "lambo": 1.5,
    "stonks": 1.0,  # ironic, but "stonks only go up" is still a cheer
    "hodl": 1.0,
    "diamond_hands": 1.5,  # holding on with conviction
    "paper_hands": -1.5,  # selling early, said with contempt
    "buy_the_dip": 1.5,
    "btfd": 1.5,
    "bagholder": -2.0,  # stuck with a losing position
    "bagholders": -2.0,
    "bagholding": -2.0,
    "holding_the_bag": -2.0,
    "rug_pull": -2.5,  # the floor taken away, often by fraud
    "rugpull": -2.5,
    "rugged": -2.0,
    "rekt": -2.5,
    "fud": -1.0,  # VADER has -1.1; kept mild: calling news FUD dismisses it
    "pump_and_dump": -2.5,
    "short_squeeze": 2.0,  # squeezes are cheered by the holders who post
    "squeeze": 1.0,
    "squeezing": 1.0,
    "squeezed": 0.8,
    "gamma_squeeze": 2.0,
    # Price moves. Sized by how violent the move is: drifting (1.0-1.3),
    # jumping (1.8-2.0), soaring or crashing (2.3-2.5). Present, past and
    # third person are listed because VADER does not stem.
    "ripping": 2.0,  # "rip" alone is left out: on Reddit it is mostly "RIP"
    "rips": 1.8,
    "rally": 1.8,
    "rallies": 1.8,
    "rallied": 1.8,
    "rallying": 1.8,
    "soar": 2.5,
    "soars": 2.5,
    "soared": 2.5,
    "soaring": 2.5,
    "surge": 2.3,
    "surges": 2.3,
    "surged": 2.3,
    "surging": 2.3,
    "skyrocket": 2.5,
    "skyrockets": 2.5,
    "skyrocketed": 2.5,
    "jump": 1.8,
    "jumps": 1.8,
    "jumped": 1.8,
    "climbs": 1.3,
    "climbed": 1.3,
    "rise": 1.3,
    "rises": 1.3,
    "rose": 1.3,
    "rising": 1.3,
    "higher": 1.2,  # the mirror of VADER's "lower" (-1.2)
    "popped": 1.5,  # "shares popped 12%"
    "pops": 1.5,
    "recover": 1.3,
    "recovers": 1.3,
    "recovered": 1.3,
    "recovery": 1.3,
    "rebound": 1.5,
    "rebounds": 1.5,
    "rebounded": 1.5,
    "bounce": 1.0,
    "bounced": 1.0,
    "bounces": 1.0,
    "breakout": 1.5,
    "ath": 2.0,  # all-time high
    "all_time_high": 2.0,
    "all_time_highs": 2.0,
    "record_high": 2.0,
    "record_highs": 2.0,
    "new_highs": 2.0,
    "highs": 1.0,
    "green_day": 1.5,
    "in_the_green": 1.5,
    "tanking": -2.0,
    "tanked": -2.0,
    "tanks": -1.8,
    "crash": -2.5,  # VADER: -1.7 (a car crash); in markets the worst word there is
    "crashes": -2.5,
    "crashed": -2.5,
    "crashing": -2.5,
    "plunge": -2.3,
    "plunges": -2.3,
    "plunged": -2.3,
    "plunging": -2.3,
    "plummet": -2.5,
    "plummets": -2.5,
    "plummeted": -2.5,
    "tumble": -2.0,
    "tumbles": -2.0,
    "tumbled": -2.0,
    "slump": -2.0,
    "slumps": -2.0,
    "slumped": -2.0,
    "sinks": -1.8,
    "sank": -1.8,
    "falls": -1.3,
    "fell": -1.3,
    "falling": -1.3,  # VADER: -0.6
    "drops": -1.3,
    "dropped": -1.3,
    "slides": -1.3,
    "slid": -1.3,
    "slide": -1.3,
    "sliding": -1.3,
    "sheds": -1.3,
    "slips": -1.0,
    "slipped": -1.0,
    "decline": -1.3,
    "declines": -1.3,
    "declined": -1.3,
    "dump": -1.8,  # VADER: -1.6
    "dumps": -1.8,
    "dumped": -1.8,
    "dumping": -1.8,
    "selloff": -2.0,
    "sell_off": -2.0,
    "bloodbath": -3.0,
    "capitulation": -2.0,
    "bleeding": -2.0,
    "red_day": -1.5,
    "in_the_red": -1.5,
    "atl": -1.5,  # all-time low
    "all_time_low": -2.0,
    "all_time_lows": -2.0,
    "new_lows": -2.0,
    # Valuation and outlook.
    "overvalued": -1.5,
    "undervalued": 1.5,
    "bubble": -1.5,
    "upside": 1.2,
    "downside": -1.2,
    "concerns": -1.0,  # "growth concerns"; VADER knows neither form
    "tailwinds": 1.2,
    "headwinds": -1.2,
    # Analyst and company news: the standard verbs of earnings and ratings
    # headlines. "Overweight" is a buy rating (VADER: -1.5, the body sense).
    "upgrade": 1.8,
    "upgrades": 1.8,
    "upgraded": 1.8,
    "downgrade": -1.8,
    "downgrades": -1.8,
    "downgraded": -1.8,
    "outperform": 1.5,
    "outperforms": 1.5,
    "outperforming": 1.5,
    "outperformed": 1.5,
    "underperform": -1.5,
    "underperforms": -1.5,
    "underperforming": -1.5,
    "underperformed": -1.5,
    "overweight": 1.2,
    "underweight": -1.2,
    "beat": 1.5,  # "beats estimates"; VADER leaves it out for the violent sense
    "beats": 1.5,
    "misses": -1.5,  # VADER: -0.9; missing estimates is a clear negative
    "missed": -1.5,
    "raised": 1.2,  # "raised guidance", "price target raised"
    "raises": 1.2,
    "buyback": 1.0,
    "bankruptcy": -2.5,
    "layoffs": -1.5,
    # Moves written as numbers (see _PATTERNS): "up 3%", "-2.5%", "52-week
    # high". Rated like "rises"/"falls": the size is in the number, which
    # VADER cannot read, so every move counts the same.
    "pct_up": 1.3,
    "pct_down": -1.3,
    "period_high": 1.5,
    "period_low": -1.5,
    # Neutral in finance: nouns of the trade that VADER rates as sentiment.
    "share": 0.0,  # VADER: 1.2 (sharing)
    "shares": 0.0,
    "credit": 0.0,  # VADER: 1.6
    "interest": 0.0,  # VADER: 2.0 (interest rates)
    "debt": 0.0,  # VADER: -1.5; routine in company news
    "demand": 0.0,  # VADER: -0.5 (demanding)
    "energy": 0.0,  # VADER: 1.1; a sector
    "crude": 0.0,  # VADER: -2.7 (rude); crude oil
    "natural": 0.0,  # VADER: 1.5; natural gas
    "trust": 0.0,  # VADER: 2.3; trusts and banks' names
    "united": 0.0,  # VADER: 1.8; United States, United Airlines
    "treasury": 0.0,  # VADER: 0.8
    "security": 0.0,  # VADER: 1.4
    "securities": 0.0,
    "asset": 0.0,
    "assets": 0.0,
    "limited": 0.0,  # VADER: -0.9; "Ltd" in company names
    "strike": 0.0,  # VADER: -0.5; the strike price of an option
    "top": 0.0,  # VADER: 0.8; "top picks", "top of the range"
    "highlight": 0.0,  # VADER: 1.4; news round-ups
    "highlights": 0.0,
    "movers": 0.0,  # joined from "gainers and losers", a round-up headline
    "magnificent_seven": 0.0,  # a basket of stocks, not praise
    "healthcare": 0.0,  # "health care" is a sector; VADER rates "care" 2.2
    "amazon": 0.0,  # VADER: 0.7; the company
    "intelligence": 0.0,  # VADER: 2.1; artificial intelligence
    "holiday": 0.0,  # VADER: 1.7; the holiday season is a sales period
}

#: Multi-word phrase -> the token it is joined into before scoring (matched
#: case-insensitively, spaces also matching hyphens). Longer phrases win.
PHRASES: dict[str, str] = {
    "to the moon": "to_the_moon",
    "diamond hands": "diamond_hands",
    "paper hands": "paper_hands",
    "buy the dip": "buy_the_dip",
    "buying the dip": "buy_the_dip",
    "bought the dip": "buy_the_dip",
    "rug pull": "rug_pull",
    "rug pulled": "rug_pull",
    "pump and dump": "pump_and_dump",
    "holding the bag": "holding_the_bag",
    "left holding the bag": "holding_the_bag",
    "bag holder": "bagholder",
    "bag holders": "bagholders",
    "short squeeze": "short_squeeze",
    "gamma squeeze": "gamma_squeeze",
    "bull market": "bull_market",
    "bear market": "bear_market",
    "bull run": "bull_run",
    "bull trap": "bull_trap",
    "bear trap": "bear_trap",
    "dead cat bounce": "dead_cat_bounce",
    "all time high": "all_time_high",
    "all time highs": "all_time_highs",
    "all time low": "all_time_low",
    "all time lows": "all_time_lows",
    "record high": "record_high",
    "record highs": "record_highs",
    "new highs": "new_highs",
    "new lows": "new_lows",
    "sell off": "sell_off",
    "green day": "green_day",
    "red day": "red_day",
    "in the green": "in_the_green",
    "in the red": "in_the_red",
    "gainers and losers": "movers",
    "magnificent seven": "magnificent_seven",
    "magnificent 7": "magnificent_seven",
    "health care": "healthcare",
    # "Hedge funds have never been more bullish": VADER would read "never"
    # as negating "bullish"; "most" is one of its boosters.
    "never been more": "most",
}

#: Emoji -> token, replaced before VADER sees the text (VADER would turn
#: them into their English names). Skin tones and the emoji variation
#: selector after them are dropped; 💎🙌 (in any repetition) is "diamond hands".
EMOJI: dict[str, str] = {
    "🚀": "emoji_rocket",
    "📈": "emoji_chart_up",
    "📉": "emoji_chart_down",
    "💀": "emoji_skull",
    "🐻": "emoji_bear",
    "🐂": "emoji_bull",
    "🤡": "emoji_clown",
    "🔥": "emoji_fire",
    "🌕": "emoji_moon",
    "🌙": "emoji_moon",
    "🍗": "emoji_tendies",
    "🩸": "emoji_blood",
}

# Emoji valences live with the lexicon but are kept apart here so that
# FINANCE_LEXICON reads as words. A rocket is WSB's strongest cheer; a skull
# ("I'm dead", a wiped-out account) and a clown (mockery of a position) are
# negative; fire is praise on Reddit although VADER rates "fire" -1.4.
_EMOJI_VALENCE: dict[str, float] = {
    "emoji_rocket": 2.0,
    "emoji_chart_up": 1.5,
    "emoji_chart_down": -1.5,
    "emoji_skull": -1.5,
    "emoji_bear": -1.5,
    "emoji_bull": 1.5,
    "emoji_clown": -1.8,
    "emoji_fire": 1.5,
    "emoji_moon": 1.5,
    "emoji_tendies": 1.5,
    "emoji_blood": -1.5,
}
FINANCE_LEXICON.update(_EMOJI_VALENCE)

# Acronyms written in capitals by convention: lower-cased before scoring so
# VADER does not add its ALL-CAPS emphasis to a plain "ATH".
_ACRONYMS = ("ath", "atl", "btfd", "fud", "hodl")
_ACRONYM_RE = re.compile(rf"(?<!\w)(?:{'|'.join(_ACRONYMS)})(?!\w)", re.IGNORECASE)
_MODIFIERS = "[\ufe0f\U0001F3FB-\U0001F3FF]*"  # variation selector, skin tones
_DIAMOND_HANDS_RE = re.compile(rf"(?:💎{_MODIFIERS}\s*)+(?:🙌{_MODIFIERS}\s*)*🙌{_MODIFIERS}")
# Every emoji of EMOJI is one code point (tests check), so a character
# class finds them, much faster than an alternation.
_EMOJI_RE = re.compile("([" + "".join(EMOJI) + f"]){_MODIFIERS}")

_NUMBER = r"(?=[\d.,]*[1-9])\d[\d,]*(?:\.\d+)?"  # a number that is not zero
_ABOUT = r"(?:(?:by|about|almost|nearly|over|more\s+than)\s+)?"
_PERIOD = r"(?<!\w)(?:\d+|multi)[\s-]*(?:day|week|month|year|yr|decade)s?[\s-]+"
#: Moves written as numbers, which VADER cannot read -> tokens rated in
#: FINANCE_LEXICON, applied in order before phrases are joined. Each rule
#: names a substring the (lower-cased) text must contain for the rule to be
#: tried at all: most texts have no "%", and skipping the regex is the
#: cheapest way to keep the scorer close to VADER's own speed.
_PATTERNS: tuple[tuple[str, re.Pattern, str], ...] = tuple(
    (needle, re.compile(pattern, re.IGNORECASE), f" {token} ")
    for needle, pattern, token in (
        ("%", rf"(?<![\w.+\-%])\+\s?{_NUMBER}\s?%", "pct_up"),
        ("%", rf"(?<![\w.+\-%])[-\u2212\u2013]\s?{_NUMBER}\s?%", "pct_down"),
        ("%", rf"(?<!\w)up\s+{_ABOUT}{_NUMBER}\s?%", "pct_up"),
        ("%", rf"(?<!\w)(?:down|off)\s+{_ABOUT}{_NUMBER}\s?%", "pct_down"),
        ("high", rf"{_PERIOD}highs?(?!\w)", "period_high"),
        ("low", rf"{_PERIOD}lows?(?!\w)", "period_low"),
    )
)


def _normalise(phrase: str) -> str:
    """Lower case, hyphens as spaces, single spaces: how phrases are looked up."""
    return " ".join(phrase.lower().replace("-", " ").split())


def _phrase_regex(phrases: Iterable[str]) -> tuple[re.Pattern | None, re.Pattern | None]:
    """One alternation over ``phrases`` (longest first, whole words) and a regex of their anchors.

    Both are shaped for speed, since they run on every text: the anchors are
    the longest word of each phrase, and a text containing none of them
    cannot contain a phrase, so the phrase regex, which tries every
    alternative at every position, runs on few texts; and that regex starts
    with a lookahead for the phrases' first letters, which lets the regex
    engine skip ahead to candidate positions.
    """
    normalised = sorted({_normalise(p) for p in phrases}, key=len, reverse=True)
    if not normalised:
        return None, None
    parts = "|".join(r"[\s\-]+".join(map(re.escape, p.split())) for p in normalised)
    firsts = "".join(sorted({re.escape(p[0]) for p in normalised}))
    regex = re.compile(rf"(?=[{firsts}])(?<!\w)(?:{parts})(?!\w)", re.IGNORECASE)
    anchors = {max(reversed(p.split()), key=len) for p in normalised}
    anchors = {a for a in anchors if not any(b != a and b in a for b in anchors)}  # "high" covers "highs"
    return regex, re.compile("|".join(map(re.escape, sorted(anchors))))


def _load_vader():
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        raise MissingDependencyError(
            "sentiment scoring needs vaderSentiment: pip install vaderSentiment"
        ) from None
    return SentimentIntensityAnalyzer


def _themes(themes) -> tuple[Theme, ...]:
    if themes is None:
        return ()
    if isinstance(themes, (str, Theme)):
        themes = [themes]
    return tuple(get_theme(t) for t in themes)


class SentimentScorer:
    """VADER sentiment tuned for finance and Reddit.

    Parameters
    ----------
    finance : bool, default True
        Use the finance lexicon, phrases and emoji. ``False`` gives plain
        VADER, the baseline (theme masking and ``lexicon`` still apply).
    lexicon : dict, optional
        Extra ``{word_or_phrase: valence}`` on VADER's -4..4 scale, merged on
        top of everything else. A phrase with spaces is joined into one
        token before scoring; a valence of 0 makes a word neutral.

    Raises
    ------
    MissingDependencyError
        If vaderSentiment is not installed.
    DataError
        If ``lexicon`` is not a mapping of strings to finite numbers.

    Examples
    --------
    >>> scorer = SentimentScorer()
    >>> scorer.polarity_scores("not bullish on small caps")["compound"] < 0
    True
    >>> scorer.score(["IWM to the moon", "bagholder again"])["compound"].round(2).tolist()
    [0.54, -0.46]
    """

    def __init__(self, *, finance: bool = True, lexicon: dict | None = None):
        analyzer = _load_vader()()
        words = dict(analyzer.lexicon)
        phrases = dict(PHRASES) if finance else {}
        extra = dict(FINANCE_LEXICON) if finance else {}
        for key, value in _check_lexicon(lexicon).items():
            phrase = _normalise(key)
            token = phrase.replace(" ", "_")
            if token != phrase:
                phrases[phrase] = token
            extra[token] = value
        for token, value in extra.items():
            if value == 0:
                words.pop(token, None)
            else:
                words[token] = float(value)
        words.pop(MASK_TOKEN, None)
        analyzer.lexicon = words
        self.finance = bool(finance)
        self._analyzer = analyzer
        self._phrases = phrases
        self._phrase_re, self._anchors = _phrase_regex(phrases)

    def __repr__(self):
        return f"SentimentScorer(finance={self.finance})"

    def prepare(self, text: str, themes=None) -> str:
        """The text VADER actually scores: themes masked, emoji and phrases tokenised.

        Useful to see why a text scored as it did. Replacements are padded
        with spaces; VADER splits on whitespace, so the extra spaces are
        harmless.

        >>> SentimentScorer().prepare("Mag 7 to the moon 🚀", themes=["Magnificent Seven"])
        'themeref to_the_moon  emoji_rocket '
        """
        return self._prepare(text, _themes(themes))

    def _prepare(self, text: str, themes: tuple[Theme, ...]) -> str:
        for theme in themes:
            text = theme._regex.sub(MASK_TOKEN, text)
        if self.finance:
            if not text.isascii():
                # Emoji first, spaced out, so "moon🚀" becomes two words.
                if "💎" in text:
                    text = _DIAMOND_HANDS_RE.sub(" diamond_hands ", text)
                text = _EMOJI_RE.sub(lambda m: f" {EMOJI[m.group(1)]} ", text)
            lower = text.lower()
            if any(a in lower for a in _ACRONYMS):
                text = _ACRONYM_RE.sub(lambda m: m.group(0).lower(), text)
            for needle, pattern, token in _PATTERNS:
                if needle in lower:
                    text = pattern.sub(token, text)
        if self._phrase_re is not None:
            lower = text.lower()
            if self._anchors.search(lower):
                text = self._phrase_re.sub(self._join, text)
        return text

    def _join(self, match: re.Match) -> str:
        found = match.group(0)
        token = self._phrases[_normalise(found)]
        # Keep shouting as shouting: VADER boosts ALL-CAPS sentiment words.
        return token.upper() if found.isupper() else token

    def polarity_scores(self, text: str, themes=None) -> dict:
        """Score one text.

        Parameters
        ----------
        text : str
        themes : iterable of Theme or str, optional
            Themes (or names of default themes) whose aliases are masked
            before scoring. None masks nothing.

        Returns
        -------
        dict
            ``neg``, ``neu``, ``pos`` (shares of the text) and ``compound``
            (normalised sum, -1..1), as VADER returns them.

        Raises
        ------
        DataError
            If ``text`` is not a string or a theme name is unknown.
        """
        if not isinstance(text, str):
            raise DataError(f"text: expected a string, got {type(text).__name__}")
        return self._analyzer.polarity_scores(self._prepare(text, _themes(themes)))

    def score(self, texts, themes=None) -> pd.DataFrame:
        """Score many texts.

        Parameters
        ----------
        texts : iterable of str
            A list, tuple, Series (its index is kept) or other iterable.
        themes : iterable of Theme or str, optional
            As for :meth:`polarity_scores`.

        Returns
        -------
        DataFrame
            One row per text, in input order, columns ``neg``, ``neu``,
            ``pos``, ``compound`` (float).

        Raises
        ------
        DataError
            If ``texts`` is a single string, not iterable, or holds anything
            but strings (missing values included).
        """
        index = texts.index if isinstance(texts, pd.Series) else None
        if isinstance(texts, (str, bytes, pd.DataFrame)) or not isinstance(texts, Iterable):
            raise DataError(f"texts: expected an iterable of strings, got {type(texts).__name__}")
        texts = list(texts)
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise DataError(f"texts: item {i} is {type(text).__name__} ({text!r}), expected str")
        resolved = _themes(themes)
        score = self._analyzer.polarity_scores
        rows = [score(self._prepare(text, resolved)) for text in texts]
        return pd.DataFrame(rows, columns=_COLUMNS, index=index, dtype=float)


def _check_lexicon(lexicon) -> dict[str, float]:
    if lexicon is None:
        return {}
    if not isinstance(lexicon, Mapping):
        raise DataError(f"lexicon: expected a dict of word -> valence, got {type(lexicon).__name__}")
    out = {}
    for key, value in lexicon.items():
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
        if not isinstance(key, str) or not key.strip() or not ok:
            raise DataError(f"lexicon: expected non-empty str -> finite number, got {key!r}: {value!r}")
        out[key] = float(value)
    return out


@functools.lru_cache(maxsize=1)
def _default_scorer() -> SentimentScorer:
    return SentimentScorer()


def polarity_scores(text: str, themes=None) -> dict:
    """Score one text with a shared default :class:`SentimentScorer`.

    See :meth:`SentimentScorer.polarity_scores`.

    >>> polarity_scores("The Magnificent Seven are overvalued", themes=["Magnificent Seven"])
    {'neg': 0.455, 'neu': 0.545, 'pos': 0.0, 'compound': -0.3612}
    """
    return _default_scorer().polarity_scores(text, themes)
