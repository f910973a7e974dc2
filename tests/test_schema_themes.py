"""The tidy observation schema and the market themes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from attention import (
    DEFAULT_THEMES,
    OBSERVATION_COLUMNS,
    DataError,
    Theme,
    get_theme,
    to_wide,
    validate_observations,
)


def _obs(**overrides):
    frame = pd.DataFrame(
        {
            "date": ["2026-01-11", "2026-01-04", "2026-01-04"],
            "source": ["google_trends"] * 3,
            "term": ["AI stocks", "AI stocks", "small-cap stocks"],
            "metric": ["search_interest"] * 3,
            "value": [50, np.nan, "7"],
        }
    )
    return frame.assign(**overrides)


# ---------------------------------------------------------------- validate_observations


def test_validate_coerces_to_the_schema():
    out = validate_observations(_obs())
    assert tuple(out.columns) == OBSERVATION_COLUMNS == ("date", "source", "term", "metric", "value", "flags")
    assert out["date"].dtype == "datetime64[ns, UTC]"
    assert isinstance(out["source"].dtype, pd.CategoricalDtype)
    assert out["value"].dtype == np.float64
    assert out["flags"].tolist() == ["", "", ""]  # filled in when missing
    # Sorted by source, term, metric, date; naive dates taken as UTC midnight.
    assert out["term"].tolist() == ["AI stocks", "AI stocks", "small-cap stocks"]
    assert out["date"].tolist() == [
        pd.Timestamp("2026-01-04", tz="UTC"),
        pd.Timestamp("2026-01-11", tz="UTC"),
        pd.Timestamp("2026-01-04", tz="UTC"),
    ]
    assert out["value"].iloc[1] == 50.0 and out["value"].iloc[2] == 7.0


def test_validate_keeps_missing_values_missing_never_zero():
    out = validate_observations(_obs())
    missing = out[(out["term"] == "AI stocks") & (out["date"] == pd.Timestamp("2026-01-04", tz="UTC"))]
    assert missing["value"].isna().all()
    assert (out["value"] == 0).sum() == 0


def test_validate_converts_aware_dates_to_utc():
    dates = pd.to_datetime(["2026-01-11", "2026-01-04", "2026-01-04"]).tz_localize("America/New_York")
    out = validate_observations(_obs(date=dates))
    assert out["date"].iloc[0] == pd.Timestamp("2026-01-04 05:00", tz="UTC")


def test_validate_does_not_modify_its_input():
    frame = _obs()
    before = frame.copy()
    validate_observations(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_validate_keeps_given_flags():
    out = validate_observations(_obs(flags=[None, "partial", "partial|rescaled"]))
    assert sorted(out["flags"].tolist()) == ["", "partial", "partial|rescaled"]


@pytest.mark.parametrize("column", ["date", "source", "term", "metric", "value"])
def test_validate_rejects_a_missing_column(column):
    with pytest.raises(DataError, match=f"missing column.*'{column}'"):
        validate_observations(_obs().drop(columns=column))


def test_validate_rejects_duplicate_keys():
    frame = pd.concat([_obs(), _obs().iloc[[0]].assign(value=99)])
    with pytest.raises(DataError, match="1 duplicate observation key"):
        validate_observations(frame)


def test_same_date_term_from_two_sources_is_not_a_duplicate():
    frame = pd.concat([_obs(), _obs().assign(source="reddit", metric="mentions")])
    assert len(validate_observations(frame)) == 6


def test_validate_rejects_non_numeric_values_naming_the_column():
    with pytest.raises(DataError, match=r"frame\['value'\]"):
        validate_observations(_obs(value=[1.0, "lots", 3.0]))


def test_validate_rejects_unparseable_dates_naming_the_column():
    with pytest.raises(DataError, match=r"frame\['date'\]"):
        validate_observations(_obs(date=["2026-01-04", "last tuesday", "2026-01-11"]))


@pytest.mark.parametrize("column", ["term", "metric"])
@pytest.mark.parametrize("bad", ["", None])
def test_validate_rejects_empty_names(column, bad):
    values = ["x", bad, "y"]
    with pytest.raises(DataError, match=rf"frame\['{column}'\]"):
        validate_observations(_obs(**{column: values}))


def test_validate_rejects_non_frames():
    with pytest.raises(DataError, match="frame: expected a DataFrame"):
        validate_observations([{"date": "2026-01-04"}])


@pytest.mark.parametrize(
    ("column", "values"),
    [("date", ["2026-01-11", None, "2026-01-04"]), ("source", ["google_trends", None, "google_trends"])],
)
def test_validate_rejects_missing_date_or_source(column, values):
    with pytest.raises(DataError, match=rf"frame\['{column}'\]"):
        validate_observations(_obs(**{column: values}))


# ---------------------------------------------------------------- to_wide


def test_to_wide_pivots_one_column_per_term():
    wide = to_wide(_obs())
    assert list(wide.columns) == ["AI stocks", "small-cap stocks"]
    assert list(wide.index) == [pd.Timestamp("2026-01-04", tz="UTC"), pd.Timestamp("2026-01-11", tz="UTC")]
    assert wide.loc["2026-01-11", "AI stocks"] == 50.0
    assert np.isnan(wide.loc["2026-01-04", "AI stocks"])
    assert wide.loc["2026-01-04", "small-cap stocks"] == 7.0
    assert np.isnan(wide.loc["2026-01-11", "small-cap stocks"])  # absent, not 0


def test_to_wide_refuses_mixed_metrics_without_selection():
    frame = pd.concat([_obs(), _obs(metric="mentions", value=[1, 2, 3])])
    with pytest.raises(DataError, match="metric: the frame mixes"):
        to_wide(frame)
    wide = to_wide(frame, metric="mentions")
    assert wide.loc["2026-01-11", "AI stocks"] == 1.0


def test_to_wide_refuses_mixed_sources_without_selection():
    frame = pd.concat([_obs(), _obs(source="reddit", value=[1, 2, 3])])
    with pytest.raises(DataError, match="source: the frame mixes"):
        to_wide(frame)
    assert to_wide(frame, source="reddit").loc["2026-01-04", "small-cap stocks"] == 3.0
    assert to_wide(frame, source="google_trends").loc["2026-01-04", "small-cap stocks"] == 7.0


def test_to_wide_rejects_an_empty_selection():
    with pytest.raises(DataError, match="metric: no observations with metric == 'volume'"):
        to_wide(_obs(), metric="volume")


# ---------------------------------------------------------------- themes


def test_default_themes():
    assert [t.name for t in DEFAULT_THEMES] == ["small-cap stocks", "AI stocks", "Magnificent Seven"]
    small, ai, mag7 = DEFAULT_THEMES
    assert (small.ticker, small.benchmark) == ("IWM", "SPY")
    assert (ai.ticker, ai.benchmark) == ("QQQ", "SPY")
    assert (mag7.ticker, mag7.benchmark) == ("QQQ", "SPY")
    assert small.google_query == "small cap stocks"


@pytest.mark.parametrize(
    "text",
    ["mag 7", "Mag7", "MAG 7 is done", "magnificent seven", "the Magnificent 7 names", "mag seven"],
)
def test_magnificent_seven_aliases_match(text):
    assert get_theme("Magnificent Seven").mentions(text)


@pytest.mark.parametrize(
    "text",
    [
        "small caps",
        "small-cap",
        "Small Cap Stocks ripping",
        "smallcaps",
        "Russell 2000",
        "russell2000",
        "russell 2k",
        "$IWM",
        "bought ($IWM) calls",
        "IWM calls",
        "$RUT at highs",
        "R2K",
    ],
)
def test_small_cap_aliases_match(text):
    assert get_theme("small-cap stocks").mentions(text)


@pytest.mark.parametrize(
    "text", ["AI stocks", "the AI trade", "an AI bubble", "artificial intelligence stock"]
)
def test_ai_aliases_match(text):
    assert get_theme("AI stocks").mentions(text)


@pytest.mark.parametrize(
    "text",
    [
        "said", "magnet", "smallcapital", "small capital", "mag70", "omag 7",
        "IWMX", "stuck in a rut", "AIR stocks", "swim", "",
    ],
)
def test_words_that_merely_contain_an_alias_do_not_match(text):
    assert not any(t.mentions(text) for t in DEFAULT_THEMES)


def test_mentions_of_none_is_false():
    assert DEFAULT_THEMES[0].mentions(None) is False


def test_count_mentions():
    small, _, mag7 = DEFAULT_THEMES
    assert small.count_mentions("small caps, then $IWM and the Russell 2000; small-cap!") == 4
    assert mag7.count_mentions("Mag 7, mag7 and the Magnificent Seven") == 3
    assert mag7.count_mentions("magnets") == 0


def test_user_defined_theme():
    energy = Theme(
        "energy stocks",
        google_query="energy stocks",
        reddit_patterns=[r"energy stocks?", r"\$XLE"],
        ticker="XLE",
        benchmark="SPY",
    )
    assert energy.reddit_patterns == (r"energy stocks?", r"\$XLE")  # stored as a tuple
    assert energy.mentions("Loading up on $XLE before earnings")
    assert energy.mentions("ENERGY STOCK of the year")
    assert not energy.mentions("$XLEX")
    assert get_theme(energy) is energy
    with pytest.raises(dataclasses.FrozenInstanceError):
        energy.ticker = "XOM"


def test_theme_defaults_come_from_the_name():
    theme = Theme("S&P 500")
    assert theme.google_query == "S&P 500"
    assert theme.mentions("the s&p 500 closed higher")  # the name is escaped, not a regex
    assert not theme.mentions("S&P 5000")


def test_invalid_regex_is_a_data_error():
    with pytest.raises(DataError, match="reddit_patterns: invalid regular expression"):
        Theme("broken", reddit_patterns=["small (caps"])


def test_single_string_pattern_and_empty_name_are_data_errors():
    with pytest.raises(DataError, match="reddit_patterns"):
        Theme("x", reddit_patterns="small caps")
    with pytest.raises(DataError, match="name"):
        Theme("  ")


@pytest.mark.parametrize("name", ["AI stocks", "ai stocks", "MAGNIFICENT SEVEN", "Small-Cap Stocks"])
def test_get_theme_is_case_insensitive(name):
    theme = get_theme(name)
    assert theme in DEFAULT_THEMES
    assert theme.name.casefold() == name.casefold()


@pytest.mark.parametrize("name", ["crypto", "small caps", None, ""])
def test_get_theme_unknown_is_a_data_error(name):
    with pytest.raises(DataError, match="theme: expected a Theme or one of"):
        get_theme(name)
