"""Market themes: what to search for, how to recognise a mention, what to price.

A :class:`Theme` bundles the three things every part of the pipeline needs to
agree on: the Google Trends query, the regular expressions that count a Reddit
mention, and the benchmark tickers whose prices and flows the attention is
tested against. The three themes of the January 2026 small-cap story are
predefined in :data:`DEFAULT_THEMES`; users build their own the same way::

    >>> from attention import Theme
    >>> energy = Theme("energy stocks", google_query="energy stocks",
    ...                reddit_patterns=[r"energy stocks?", r"\\$XLE\\b"],
    ...                ticker="XLE", benchmark="SPY")
    >>> energy.mentions("Loading up on $XLE before earnings")
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import DataError

__all__ = ["DEFAULT_THEMES", "Theme", "get_theme"]


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
        defaults to the name itself. Patterns match on word boundaries.
    ticker : str, optional
        The instrument whose returns and flows stand for the theme.
    benchmark : str, optional
        The instrument the theme is compared against (relative returns).

    Raises
    ------
    DataError
        If the name is empty or a pattern is not a valid regular expression.
    """

    name: str
    google_query: str = ""
    reddit_patterns: tuple[str, ...] = ()
    ticker: str | None = None
    benchmark: str | None = None
    _regex: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise DataError(f"name: expected a non-empty string, got {self.name!r}")
        if not self.google_query:
            object.__setattr__(self, "google_query", self.name)
        patterns = self.reddit_patterns
        if isinstance(patterns, str):
            raise DataError("reddit_patterns: expected a list of patterns, got a single string")
        patterns = tuple(patterns) or (re.escape(self.name),)
        object.__setattr__(self, "reddit_patterns", patterns)
        # Patterns may start or end with symbols such as "$IWM", where \b
        # would not match; look for "not a word character" on either side.
        joined = "|".join(f"(?:{p})" for p in patterns)
        try:
            regex = re.compile(rf"(?<!\w)(?:{joined})(?!\w)", re.IGNORECASE)
        except re.error as exc:
            raise DataError(f"reddit_patterns: invalid regular expression ({exc})") from None
        object.__setattr__(self, "_regex", regex)

    def mentions(self, text: str) -> bool:
        """Whether ``text`` mentions the theme."""
        return bool(self._regex.search(text or ""))

    def count_mentions(self, text: str) -> int:
        """How many times ``text`` mentions the theme."""
        return len(self._regex.findall(text or ""))


#: The three themes of the January 2026 small-cap story: small caps, AI stocks, the Magnificent Seven.
DEFAULT_THEMES: tuple[Theme, ...] = (
    Theme(
        "small-cap stocks",
        google_query="small cap stocks",
        reddit_patterns=(
            r"small[- ]?caps?(?: stocks?)?",
            r"russell ?2000",
            r"russell 2k",
            r"\$?IWM",
            r"\$RUT",
            r"R2K",
        ),
        ticker="IWM",
        benchmark="SPY",
    ),
    Theme(
        "AI stocks",
        google_query="AI stocks",
        reddit_patterns=(r"AI (?:stocks?|trade|names|bubble)", r"artificial intelligence stocks?"),
        ticker="QQQ",
        benchmark="SPY",
    ),
    Theme(
        "Magnificent Seven",
        google_query="Magnificent Seven",
        reddit_patterns=(r"magnificent (?:seven|7)", r"mag ?7", r"mag seven", r"magnificent 7"),
        ticker="QQQ",
        benchmark="SPY",
    ),
)


def get_theme(theme: str | Theme) -> Theme:
    """Return a :class:`Theme` given one or the name of a default theme.

    Raises
    ------
    DataError
        If ``theme`` names no default theme.

    Examples
    --------
    >>> theme = get_theme("small-cap stocks")
    >>> theme.ticker, theme.benchmark, theme.mentions("IWM ripping today")
    ('IWM', 'SPY', True)
    >>> get_theme(theme) is theme
    True
    """
    if isinstance(theme, Theme):
        return theme
    for t in DEFAULT_THEMES:
        if isinstance(theme, str) and theme.casefold() == t.name.casefold():
            return t
    names = [t.name for t in DEFAULT_THEMES]
    raise DataError(f"theme: expected a Theme or one of {names}, got {theme!r}")
