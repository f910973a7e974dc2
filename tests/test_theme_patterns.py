"""Every default alias pattern, with the texts it must and must not match (docs/themes.md shows the same table)."""

import pytest

from attention import DataError, Theme, get_theme

HITS = {
    "small-cap stocks": [
        "small caps are ripping", "Small-cap stocks finally", "smallcaps", "small cap value", "#small_caps",
        "Russell 2000 at a record", "russell2000", "the Russell 2k", "Russel 2000", "Russell-2000",
        "$IWM calls", "IWM puts", "$RUT breakout", "RUT puts", "^RUT", "$rut", "RTY futures", "IJR",
        "R2K squeeze", "SMALL CAP season", "small and mid caps", "small & mid-cap", "SMID cap",
        "smaller stocks", "small-company stocks", "S&P SmallCap 600", "Invesco S&P SmallCap Financials ETF",
        "small\u2011cap value", "small\u2013caps", "U.S. small-capitalisation shares", "smaller-cap companies",
        "Buy the IWM20251219C260 call", "IWM251219P200",
    ],
    "AI stocks": ["AI stocks are done", "the AI trade", "ai names keep going", "AI bubble?", "AI-stocks",
                  "A.I. stocks", "A.I stocks", "AI chip stocks", "AI-related chip stocks", "AI data center names",
                  "'AI' names", "an AI play", "artificial intelligence stocks", "artificial-intelligence-ai-stocks",
                  "Artificial Intelligence & Robotics ETF", "AI (artificial intelligence) chip darling",
                  "AI\u2011heavy stocks", "stocks tied to AI", "shares of power companies exposed to AI",
                  "crowded AI and mega-cap trades", "Is A.I. a bubble?", "a standout in the AI sector",
                  "buying the AI dip", "the winners of the AI revolution", "AI-driven rallies", "AI concept stocks"],
    "Magnificent Seven": ["Mag\u20117 earnings", "Mag 7 earnings", "MAG7 dump", "mag7", "MAG-7", "Mag7s", "mag_7", "the Magnificent Seven",
                          "magnificent 7", "mag seven rotation", "the Magnificient Seven", "MAGS ETF", "$mags"],
}
MISSES = {
    "small-cap stocks": ["smallcapital", "small capacity", "IWMX", "twiwm", "RUTHLESS", "stuck in a rut", "mid caps",
                         "Russell 1000", "non-small-cap", "not small cap companies", "2023 was good for SmallCap Discoveries",
                         "a small stock position"],
    "AI stocks": ["SAID stocks", "maid stocks", "AI", "OpenAI", "aid trade", "non-AI stocks", "anti-AI stocks",
                  "ex-AI names", "the AI boom", "AI plays a big role", "AI plays chess", "AI investments in data centres",
                  "one of the biggest winners in the latest AI boom", "stocks tied to AIG"],
    "Magnificent Seven": ["magnitude 7 quake", "mag 70", "mag77", "magazine 7", "the seven", "magnificent view",
                          "a box of mag 7.62mm rounds", "FN MAG 7.62 machine gun", "The Magnificent Seven (1960)",
                          "The Magnificent Seven is a 1960 American Western film", "the S&P 500 ex-Mag 7",
                          "excluding the Magnificent Seven", "the MAG-7 is a compact shotgun", "7mm mags",
                          "meta", "$MSFT $TSLA $GOOGL", "aside from the Mag7, the S&P rose",
                          "stocks outside the Magnificent Seven"],
}


@pytest.mark.parametrize("theme, text", [(t, x) for t, xs in HITS.items() for x in xs])
def test_alias_hits(theme, text):
    assert get_theme(theme).mentions(text)


@pytest.mark.parametrize("theme, text", [(t, x) for t, xs in MISSES.items() for x in xs])
def test_alias_misses(theme, text):
    assert not get_theme(theme).mentions(text)


def test_repeats_count_in_count_mentions_but_once_per_item_elsewhere():
    small = get_theme("small-cap stocks")
    assert small.count_mentions("IWM IWM $IWM small caps") == 4
    assert small.mentions("IWM IWM $IWM small caps") is True


@pytest.mark.parametrize("text, counted", [
    ("$MSFT $TSLA $GOOGL", True), ("bought NVDA calls", True), ("nvda to the moon", True),
    ("$META earnings", True), ("META calls", True), ("meta is a word", False), ("Meta Platforms", False),
    ("GOOG and GOOGL", True), ("googled it", False), ("AAPLE", False),
])
def test_the_basket_is_opt_in_and_ambiguous_tickers_need_capitals(text, counted):
    mag7 = get_theme("Magnificent Seven")
    assert not mag7.mentions(text)
    assert get_theme(mag7, basket=True).mentions(text) is counted


def test_basket_option():
    mag7 = get_theme("Magnificent Seven", basket=True)
    assert mag7.count_basket and mag7.name == "Magnificent Seven" and mag7 != get_theme("Magnificent Seven")
    assert get_theme(mag7, basket=False) == get_theme("Magnificent Seven")
    assert get_theme(mag7) is mag7  # None keeps the theme as it is
    # Counted tickers reach the archive prefilter and the Reddit search through ``patterns``.
    assert "NVDA" in mag7.patterns[-1] and "NVDA" not in "".join(get_theme("Magnificent Seven").patterns)
    with pytest.raises(DataError, match="basket: theme 'AI stocks' has no basket"):
        get_theme("AI stocks", basket=True)
    with pytest.raises(DataError, match="basket: expected True, False or None"):
        get_theme("Magnificent Seven", basket="yes")
    with pytest.raises(DataError, match="count_basket: theme 'x' has no basket"):
        Theme("x", count_basket=True)


def test_user_themes_get_symbols_negations_and_exclusions():
    energy = Theme("energy stocks", reddit_patterns=[r"energy[-_ ]?stocks?"], symbols=["XLE", "BRK.B"],
                   negations=["non-"], exclude_patterns=[r"energy stocks? of the mind"])
    assert energy.mentions("$XLE") and energy.mentions("xle calls") and energy.mentions("BRK.B")
    assert not energy.mentions("non-energy stocks") and not energy.mentions("energy stock of the mind")
    assert energy.mentions("anon-energy stocks")  # a negation counts only as a whole word
    assert energy.mentions("the energy-stocks rally")


@pytest.mark.parametrize("kwargs, message", [
    ({"symbols": "XLE"}, "symbols: expected a list of strings"),
    ({"symbols": ["xle"]}, "symbols: expected ticker symbols in capitals"),
    ({"basket": ["$XLE"]}, "basket: expected ticker symbols"),
    ({"negations": [""]}, "negations: expected non-empty strings"),
    ({"exclude_patterns": ["(unclosed"]}, "exclude_patterns: invalid regular expression"),
    ({"count_basket": 1}, "count_basket: expected True or False"),
])
def test_bad_theme_arguments_are_data_errors(kwargs, message):
    with pytest.raises(DataError, match=message):
        Theme("x", **kwargs)
