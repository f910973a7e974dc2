"""Type aliases shared by the public signatures.

The option strings a function accepts are spelled as ``Literal`` types so a
type checker and an editor can offer them; the functions still check them at
run time and raise :class:`~attention.errors.DataError` for anything else.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal, TypeVar, Union

import pandas as pd

if TYPE_CHECKING:
    from .themes import Theme

__all__ = [
    "DateLike", "GoogleBackend", "RedditBackend", "RedditKind", "RegionResolution", "SeriesOrFrame",
    "SeriesOrFrameT", "StrPath", "ThemesArg",
]

#: A date as ``pd.Timestamp`` reads it: "2024-01-31", a date, a datetime or a Timestamp.
DateLike = Union[str, datetime.date]
#: A file path as a string or a path object.
StrPath = Union[str, "os.PathLike[str]"]

#: Which Google Trends to ask: the website's endpoints or the official API (alpha).
GoogleBackend = Literal["web", "official"]
#: The level of an interest-by-region map (metro areas are Nielsen DMAs).
RegionResolution = Literal["country", "region", "metro", "city"]
#: Where Reddit counts come from: the Arctic Shift API or Reddit's own API through praw.
RedditBackend = Literal["arctic_shift", "praw"]
#: What a Reddit item is.
RedditKind = Literal["post", "comment"]
#: One series, or a wide frame with one column per series.
SeriesOrFrame = Union[pd.Series, pd.DataFrame]
#: The same kind out as in: a Series gives a Series, a DataFrame a DataFrame.
SeriesOrFrameT = TypeVar("SeriesOrFrameT", pd.Series, pd.DataFrame)
#: Themes as arguments take: a Theme, the name of a default theme, several of either, or None.
ThemesArg = Union["Theme", str, Iterable[Union["Theme", str]], None]
