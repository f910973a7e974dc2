"""Every default alias pattern, with the texts it must and must not match (docs/themes.md shows the same table)."""

import pytest

from attention import get_theme

HITS = {
    "small-cap stocks": [
        "small caps are ripping", "Small-cap stocks finally", "smallcaps", "small cap value",
        "Russell 2000 at a record", "russell2000", "the Russell 2k", "$IWM calls", "IWM puts", "$RUT breakout",
        "R2K squeeze", "SMALL CAP season",
    ],
    "AI stocks": ["AI stocks are done", "the AI trade", "ai names keep going", "AI bubble?",
                  "artificial intelligence stocks"],
    "Magnificent Seven": ["Mag 7 earnings", "MAG7 dump", "mag7", "the Magnificent Seven", "magnificent 7",
                          "mag seven rotation"],
}
MISSES = {
    "small-cap stocks": ["smallcapital", "small capacity", "IWMX", "twiwm", "RUTHLESS", "mid caps",
                         "Russell 1000"],
    "AI stocks": ["SAID stocks", "maid stocks", "AI", "OpenAI", "aid trade"],
    "Magnificent Seven": ["magnitude 7 quake", "mag 70", "mag77", "magazine 7", "the seven", "magnificent view"],
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
