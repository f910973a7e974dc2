"""Market themes: what to search for, how to recognise a mention, what to price.

A :class:`Theme` bundles the three things every part of the pipeline needs to
agree on: the Google Trends query, the regular expressions that count a Reddit
mention, and the benchmark tickers whose prices and flows the attention is
tested against. The three themes of the January 2026 small-cap story are
predefined in :data:`DEFAULT_THEMES`; users build their own the same way::

    >>> from attention import Theme
    >>> energy = Theme("energy stocks", google_query="energy stocks",
    ...                reddit_patterns=[r"energy[-_ ]?stocks?"], symbols=["XLE"],
    ...                negations=["non-"], ticker="XLE", benchmark="SPY")
    >>> energy.mentions("Loading up on $XLE before earnings")
    True
    >>> energy.mentions("non-energy stocks led the market")
    False

How a mention is recognised (measured on hand-labelled real snippets, see
``docs/themes.md``):

- **aliases** (``reddit_patterns``), case-insensitive, never inside a word;
- **symbols** that stand for the theme itself (its index and ETFs), as
  cashtags (``$IWM``), index carets (``^RUT``) or bare tickers (``IWM``);
- an opt-in **basket** of member tickers (the Magnificent Seven's seven
  companies), counted only with ``get_theme(name, basket=True)``;
- symbols that are also words (:data:`AMBIGUOUS_SYMBOLS`: ``META``, ``RUT``)
  count bare only when written in capitals, so "meta" and "in a rut" do not;
- **negations** (``non-``, ``ex-``) right before an alias cancel it, and
  **exclusions** (the 1960 film, ``mag 7.62mm`` rounds, firms named SmallCap)
  cancel a match that starts where they do.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any
from dataclasses import dataclass, field

from .errors import DataError

__all__ = [
    "AI_FLOW_ETFS",
    "AMBIGUOUS_SYMBOLS",
    "DEFAULT_THEMES",
    "LARGE_CAP_FLOW_ETFS",
    "MAGNIFICENT_SEVEN_FLOW_ETFS",
    "SMALL_CAP_FLOW_ETFS",
    "Theme",
    "get_theme",
]

#: Ticker symbols that are also English words: bare, they count only in capitals.
AMBIGUOUS_SYMBOLS = frozenset({
    "A", "AI", "ALL", "ARE", "BIG", "CAN", "CASH", "EAT", "FOR", "FUN", "GO", "HAS", "IT", "LOVE", "LOW",
    "MAGS", "META", "NOW", "ON", "ONE", "OPEN", "PLAY", "REAL", "RUN", "RUT", "SEE", "SO", "TELL", "WELL",
})
_SYMBOL = re.compile(r"[A-Z0-9]{1,5}(?:\.[A-Z])?")
#: The Unicode hyphens and dashes people (and word processors) put inside names: "AI\u2011heavy", "small\u2010cap".
_HYPHENS = "\u2010\u2011\u2012\u2013"
_FOLD = str.maketrans(dict.fromkeys(_HYPHENS, "-"))
# An option symbol after its root ticker: expiry (yymmdd as OCC writes it, or yyyymmdd), C or P, strike
# ("IWM251219C260", "IWM20251219C260", "NVDA250117P135.5").
_OPTION_SUFFIX = r"(?:[0-9]{6}(?:[0-9]{2})?[CP][0-9]{1,8}(?:\.[0-9]{1,3})?)?"


def _fold_hyphens(text: str) -> str:
    """``text`` with the Unicode hyphens and dashes of ``_HYPHENS`` written as ``-``.

    Theme patterns are written with ASCII separators; text from news pages
    and word processors joins words with non-breaking hyphens (U+2011) or en
    dashes, which :meth:`Theme.mentions` reads as ``-``.

    Examples
    --------
    >>> _fold_hyphens("AI\u2011heavy stocks")
    'AI-heavy stocks'
    """
    return text if text.isascii() else text.translate(_FOLD)


def _strings(value: Any, argument: str) -> tuple[str, ...]:
    if isinstance(value, str):
        raise DataError(f"{argument}: expected a list of strings, got a single string {value!r}")
    try:
        out = tuple(value)
    except TypeError:
        raise DataError(f"{argument}: expected a list of strings, got {value!r}") from None
    bad = [v for v in out if not isinstance(v, str) or not v]
    if bad:
        raise DataError(f"{argument}: expected non-empty strings, got {bad!r}")
    return out


def _symbols(value: Any, argument: str) -> tuple[str, ...]:
    out = _strings(value, argument)
    bad = [s for s in out if not _SYMBOL.fullmatch(s)]
    if bad:
        raise DataError(f"{argument}: expected ticker symbols in capitals such as 'IWM' or 'BRK.B', got {bad!r}")
    return out


def _ticker_pattern(symbols: tuple[str, ...]) -> str:
    """One pattern for cashtags, index carets and bare tickers (longest first, so GOOGL before GOOG)."""
    names = "|".join(re.escape(s) for s in sorted(symbols, key=lambda s: (-len(s), s)))
    return rf"[$^]?(?:{names})"


def _lower_case_word(symbols: Iterable[str]) -> str:
    """Matches a bare symbol written other than in capitals (``meta``, ``Meta``): not a ticker."""
    names = "|".join(re.escape(s) for s in sorted(symbols, key=lambda s: (-len(s), s)))
    return rf"(?-i:(?!(?:{names})(?!\w))(?i:{names})(?!\w))"


@dataclass(frozen=True)
class Theme:
    """A market theme whose public attention is measured.

    Parameters
    ----------
    name : str
        How the user names the theme; used as ``term`` in observations.
    google_query : str, optional
        The Google Trends search term; defaults to ``name``.
    reddit_patterns : sequence of str, optional
        Regular expressions (case-insensitive) that count as a mention;
        defaults to the name itself. A match never starts or ends inside a
        word.
    ticker : str, optional
        The instrument whose returns and flows stand for the theme.
    benchmark : str, optional
        The instrument the theme is compared against (relative returns).
    symbols : sequence of str, optional
        Ticker symbols that stand for the theme itself (its index, its ETFs),
        counted as ``$SYM``, ``^SYM`` or a bare ``SYM``; those in
        :data:`AMBIGUOUS_SYMBOLS` count bare only when written in capitals.
    basket : sequence of str, optional
        Tickers of the theme's members, counted like ``symbols`` but only if
        ``count_basket`` is true (see :func:`get_theme`).
    count_basket : bool, default False
        Whether a mention of a basket ticker counts as a mention of the theme.
    negations : sequence of str, optional
        Literal prefixes (``"non-"``, ``"ex-"``) that, right before an alias or
        symbol, mean its complement and cancel the match.
    exclude_patterns : sequence of str, optional
        Regular expressions for near misses (``magnificent seven \\(1960\\)``): a
        match that starts where one of them matches does not count.
    flow_etfs : sequence of str, optional
        ETFs whose net creations stand for money flowing into the theme
        (see :func:`attention.etf_flows`); funds with an issuer collector
        are collected by :func:`attention.run`.

    Raises
    ------
    DataError
        If the name is empty, a pattern is not a valid regular expression,
        a symbol is not a ticker in capitals, or a list is given as one string.

    Examples
    --------
    >>> mag7 = get_theme("Magnificent Seven")
    >>> mag7.mentions("MAG-7 earnings"), mag7.mentions("a box of mag 7.62mm rounds")
    (True, False)
    >>> mag7.mentions("$MSFT $TSLA $GOOGL"), get_theme(mag7, basket=True).mentions("$MSFT $TSLA $GOOGL")
    (False, True)
    """

    name: str
    google_query: str = ""
    reddit_patterns: tuple[str, ...] = ()
    ticker: str | None = None
    benchmark: str | None = None
    symbols: tuple[str, ...] = ()
    basket: tuple[str, ...] = ()
    count_basket: bool = False
    negations: tuple[str, ...] = ()
    exclude_patterns: tuple[str, ...] = ()
    flow_etfs: tuple[str, ...] = ()
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise DataError(f"name: expected a non-empty string, got {self.name!r}")
        if not self.google_query:
            object.__setattr__(self, "google_query", self.name)
        patterns = _strings(self.reddit_patterns, "reddit_patterns") or (re.escape(self.name),)
        object.__setattr__(self, "reddit_patterns", patterns)
        for name in ("symbols", "basket"):
            object.__setattr__(self, name, _symbols(getattr(self, name), name))
        for name in ("negations", "exclude_patterns"):
            object.__setattr__(self, name, _strings(getattr(self, name), name))
        if not isinstance(self.count_basket, bool):
            raise DataError(f"count_basket: expected True or False, got {self.count_basket!r}")
        if self.count_basket and not self.basket:
            raise DataError(f"count_basket: theme {self.name!r} has no basket of tickers to count")
        flows: Any = self.flow_etfs  # checked below: the field may hold anything a caller passed
        if not isinstance(flows, str) and isinstance(flows, (list, tuple)):
            flows = [t.strip().upper() if isinstance(t, str) else t for t in flows]
        object.__setattr__(self, "flow_etfs", _symbols(flows, "flow_etfs"))
        for argument, items in (("reddit_patterns", patterns), ("exclude_patterns", self.exclude_patterns)):
            for pattern in items:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise DataError(f"{argument}: invalid regular expression {pattern!r} ({exc})") from None
        object.__setattr__(self, "_regex", re.compile(self._matcher(), re.IGNORECASE))

    @property
    def patterns(self) -> tuple[str, ...]:
        """Every pattern a mention matches: the aliases, then the counted tickers.

        Negations and exclusions only ever cancel matches, so a text that
        :meth:`mentions` the theme always holds a match of one of these
        (ignoring word boundaries, and once its Unicode hyphens are read as
        ``-``): a safe prefilter, and the phrases to search for.
        """
        counted = self._counted_symbols()
        return self.reddit_patterns + ((_ticker_pattern(counted),) if counted else ())

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled matcher (aliases, counted tickers, negations and exclusions in one expression).

        :meth:`mentions` applies it to the text with Unicode hyphens written as ``-``.
        """
        return self._regex

    def _counted_symbols(self) -> tuple[str, ...]:
        return self.symbols + (self.basket if self.count_basket else ())

    def _matcher(self) -> str:
        # Patterns may start or end with symbols such as "$IWM", where \b
        # would not match; look for "not a word character" on either side.
        # A negation counts only as a whole word: "anon AI stocks" keeps its match.
        negations = "".join(rf"(?<!(?<!\w){re.escape(n)})" for n in self.negations)
        counted = self._counted_symbols()
        words = [s for s in counted if s in AMBIGUOUS_SYMBOLS]
        exclusions = self.exclude_patterns + ((_lower_case_word(words),) if words else ())
        skip = "(?!{})".format("|".join(f"(?:{p})" for p in exclusions)) if exclusions else ""
        # A ticker also counts as the root of an option symbol: IWM251219C260 is an IWM call.
        tickers = [f"{_ticker_pattern(counted)}{_OPTION_SUFFIX}"] if counted else []
        alias = "(?:{})(?!\\w)".format("|".join([f"(?:{p})" for p in self.reddit_patterns] + tickers))
        if not negations and not skip:
            return rf"(?<!\w){alias}"
        # Find an alias first and check the guards only where one starts: tried at every
        # position, the look-arounds would cost more than the search itself.
        return rf"(?<!\w)(?={alias}){negations}{skip}{alias}"

    def mentions(self, text: str) -> bool:
        """Whether ``text`` mentions the theme (Unicode hyphens read as ``-``, see ``_fold_hyphens``)."""
        return self._regex.search(_fold_hyphens(text or "")) is not None

    def count_mentions(self, text: str) -> int:
        """How many times ``text`` mentions the theme."""
        return sum(1 for _ in self._regex.finditer(_fold_hyphens(text or "")))


#: Small caps: iShares Russell 2000 (IWM) and Core S&P Small-Cap (IJR).
SMALL_CAP_FLOW_ETFS = ("IWM", "IJR")
#: Large caps: SPDR S&P 500 (SPY) and iShares Core S&P 500 (IVV), for a large-cap theme of your own.
LARGE_CAP_FLOW_ETFS = ("SPY", "IVV")
#: AI stocks: the Technology Select Sector SPDR (XLK) holds the chip and software makers the AI trade is about.
AI_FLOW_ETFS = ("XLK",)
#: The Magnificent Seven sit in three Select Sector SPDRs: Apple, Microsoft and Nvidia in XLK, Alphabet and
#: Meta in XLC (communication services), Amazon and Tesla in XLY (consumer discretionary).
MAGNIFICENT_SEVEN_FLOW_ETFS = ("XLK", "XLC", "XLY")

# Separators people put inside a name: "small-cap", "small_caps", "smallcap".
_SEP = r"[-_ ]?"
_AI_QUALIFIERS = ("related|linked|focused|centric|heavy|exposed|driven|themed|based|chip|semiconductor"
                  "|infrastructure|data[-_ ]cent(?:er|re)|software|saas|hardware|tech|hype|growth|adjacent"
                  "|concept|market")
# What one invests in, and the market's words for a group of holdings ("the AI sector", "AI exposure").
_AI_NOUNS = ("stocks?|shares|equities|names|plays?|trades?|bubble|darlings?|winners|basket|etfs?|rall(?:y|ies)"
             "|companies|firms|chipmakers?|titans|leaders|beneficiaries|bets?|players|sectors?|space|theme"
             "|exposure|valuations?|dip|sell[-_ ]?offs?|rout|mania|gains|positions|holdings")
# Who holds the exposure, up to three words before how: "shares of chip and power companies exposed to AI".
_AI_HOLDERS = r"(?:stocks?|shares|equities|names|companies|firms|utilities|plays|businesses)(?: [a-z,]{1,16}){0,3}"
# Up to two qualifiers ("AI-related chip stocks"), then a word for something one invests in:
# "AI trade", not "AI boom" (the technology).
_AI_TAIL = rf"(?:(?:{_AI_QUALIFIERS})[-_ ]){{0,2}}(?:{_AI_NOUNS})"
# Up to 80 characters of the same sentence (a "." inside a word, as in code, does not end it).
_SENTENCE = r"(?:[^.!?\n]|\.(?=\S)){0,80}?"
# Right before a name, these make it the complement ("ex-Mag 7", "stocks outside the Magnificent Seven").
_NEGATIONS = ("non-", "non ", "not ", "ex-", "ex ", "excluding ", "excluding the ", "anti-", "near-", "aside from ",
              "aside from the ", "outside ", "outside the ", "outside of the ", "beyond the ")

#: The three themes of the January 2026 small-cap story: small caps, AI stocks, the Magnificent Seven.
DEFAULT_THEMES: tuple[Theme, ...] = (
    Theme(
        "small-cap stocks",
        google_query="small cap stocks",
        reddit_patterns=(
            rf"small{_SEP}cap(?:s|itali[sz]ation)?",
            r"smaller[-_]caps?",
            r"small(?:er)?[-_ ](?:company[-_ ])?stocks",
            rf"small{_SEP}(?:and|&|or|\+)?{_SEP}mid{_SEP}caps?",  # small and mid caps, small-mid-cap
            rf"smid{_SEP}caps?",
            rf"russell?{_SEP}(?:2000|2k)",
            r"R2K",
        ),
        ticker="IWM",
        benchmark="SPY",
        symbols=("IWM", "IJR", "RUT", "RTY"),
        negations=_NEGATIONS,
        # Firms named SmallCap ("SmallCap Discoveries"), but not the S&P SmallCap indexes.
        exclude_patterns=(r"(?<!S&P )(?-i:Small[Cc]ap (?!(?:Stocks?|Shares|Index|Funds?|ETFs?)\b)[A-Z][a-z])",),
        flow_etfs=SMALL_CAP_FLOW_ETFS,
    ),
    Theme(
        "AI stocks",
        google_query="AI stocks",
        # The first pattern only gives Reddit's search a few plain phrases (the others have too many
        # spellings to search for); the others cover it. Each holds a literal ("ai ", "ai-", "a.i",
        # "intelligence") for the archive prefilter to look for, as the nouns are common words: one
        # pattern per separator, since a set of them ("ai[- ]") would leave only "ai" to look for.
        # Each literal costs the prefilter a pass over the text: rare forms ("ai_stocks") are left out.
        reddit_patterns=(
            r"ai (?:stocks|trade|names|bubble|plays)",
            *(rf"ai{sep}{_AI_TAIL}" for sep in (" ", "-", r" \(artificial intelligence\) ")),
            rf"(?:a\.i\.?|'ai')[-_ ]?{_AI_TAIL}",
            rf"artificial[-_ ]intelligence(?:[-_ ]\(?ai\)?| & robotics)?[-_ ]{_AI_TAIL}",
            # "crowded AI and mega-cap trades", "AI and chip stocks"
            rf"ai (?:and|&|or) [a-z0-9]+(?:-[a-z0-9]+)?[-_ ]{_AI_TAIL}",
            # "Is A.I. a bubble?", "AI may be entering a bubble": a few plain words between.
            r"(?:ai|a\.i\.?|artificial intelligence)(?: [a-z]{1,12}){1,4} bubble",
            # The other way round: "stocks tied to AI", "companies exposed to AI", "names reliant on the AI boom".
            # Written to end in " ai" or "artificial intelligence", the literals the archive prefilter looks for.
            *(rf"{_AI_HOLDERS} (?:tied|linked|exposed|levered|leveraged|geared|reliant|dependent) (?:to|on)(?: the)?"
              rf" {ai}" for ai in ("ai", "artificial intelligence")),
            # "the winners of the AI revolution", "exposure to generative AI", "bets on AI"
            *(rf"(?:winners|losers|beneficiaries|bets?|exposure) (?:of|from|in|on|to)(?: the)?(?: [a-z]{{1,12}})? {ai}"
              for ai in ("ai", "artificial intelligence")),
        ),
        ticker="QQQ",
        benchmark="SPY",
        negations=_NEGATIONS,
        # "AI plays a role" is the technology, not an AI play; so is the "AI boom" that has winners.
        exclude_patterns=(r"(?:a\.i\.?|ai) plays? (?:a|an|the|its|with|in|on|to|by|chess|games?)(?!\w)",
                          r"(?:winners|losers|beneficiaries)(?: [a-z]{1,12}){1,3} (?:ai|artificial intelligence) boom"),
        flow_etfs=AI_FLOW_ETFS,
    ),
    Theme(
        "Magnificent Seven",
        google_query="Magnificent Seven",
        # Two patterns, so that Reddit's search gets "mag 7", "mag7"... (see search_terms). The second
        # also takes the misspellings "magnificient", "magnificant", "magnifcent".
        reddit_patterns=(rf"mag{_SEP}(?:7|seven)s?", rf"magnifi?c[ie]?[ae]nt{_SEP}(?:7|seven)s?"),
        ticker="QQQ",
        benchmark="SPY",
        symbols=("MAGS",),
        basket=("AAPL", "MSFT", "GOOGL", "GOOG", "AMZN", "NVDA", "META", "TSLA"),
        negations=_NEGATIONS,
        exclude_patterns=(
            r"mag[-_ ]?7\.\d",  # 7.62mm rounds, the FN MAG 7.62 machine gun
            # The MAG-7 shotgun of Counter-Strike and the 1960 film, told by their words in the same sentence.
            (rf"mag{_SEP}7(?={_SENTENCE}(?<!\w)(?:shotguns?|sawed-off|counter-terrorists?|ct-(?:side|only)|cs:?go"
             r"|cs2|skin\w*)(?!\w))"),
            (rf"magnificent{_SEP}seven(?:,?\s+\(?(?:19|20)\d\d\b|{_SENTENCE}(?<!\w)(?:film|western|remake|sequels?"
             r"|soundtrack|starring|directed|actors?|brynner)(?!\w))"),
        ),
        flow_etfs=MAGNIFICENT_SEVEN_FLOW_ETFS,
    ),
)


def get_theme(theme: str | Theme, *, basket: bool | None = None) -> Theme:
    """Return a :class:`Theme` given one or the name of a default theme.

    Parameters
    ----------
    theme : str or Theme
        A theme, or the name of a default theme (case-insensitive).
    basket : bool, optional
        Count mentions of the theme's basket of member tickers (True) or not
        (False); None keeps the theme as it is. Only the Magnificent Seven has
        a basket among the default themes.

    Raises
    ------
    DataError
        If ``theme`` names no default theme, or ``basket=True`` is asked of a
        theme without a basket.

    Examples
    --------
    >>> get_theme("magnificent seven").name
    'Magnificent Seven'
    >>> get_theme("Magnificent Seven", basket=True).mentions("$NVDA and $TSLA calls")
    True
    """
    found: Theme | None
    if isinstance(theme, Theme):
        found = theme
    else:
        found = next((t for t in DEFAULT_THEMES
                      if isinstance(theme, str) and theme.casefold() == t.name.casefold()), None)
        if found is None:
            names = [t.name for t in DEFAULT_THEMES]
            raise DataError(f"theme: expected a Theme or one of {names}, got {theme!r}")
    if basket is None or basket == found.count_basket:
        return found
    if not isinstance(basket, bool):
        raise DataError(f"basket: expected True, False or None, got {basket!r}")
    if basket and not found.basket:
        raise DataError(f"basket: theme {found.name!r} has no basket of member tickers")
    return dataclasses.replace(found, count_basket=basket)
