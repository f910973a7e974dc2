"""Type aliases shared by the public signatures.

The option strings a function accepts are spelled as ``Literal`` types so a
type checker and an editor can offer them; the functions still check them at
run time and raise :class:`~attention.errors.DataError` for anything else.
"""

from __future__ import annotations

import os
from typing import Literal, Union

import pandas as pd

__all__ = ["RedditBackend", "RedditKind", "SeriesOrFrame", "StrPath"]

#: A file path as a string or a path object.
StrPath = Union[str, "os.PathLike[str]"]

#: Where Reddit counts come from: the Arctic Shift API or Reddit's own API through praw.
RedditBackend = Literal["arctic_shift", "praw"]
#: What a Reddit item is.
RedditKind = Literal["post", "comment"]
#: One series, or a wide frame with one column per series.
SeriesOrFrame = Union[pd.Series, pd.DataFrame]
