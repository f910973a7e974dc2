"""Reddit from the monthly dump files of Pushshift and Arctic Shift.

The dumps hold every submission (``RS_2024-06.zst``) or comment
(``RC_2024-06.zst``) of a month as zstd-compressed NDJSON, one JSON object per
line, tens of GB per month. They are compressed with a 2 GiB window
(``zstd --long=31``), which zstd refuses to decode unless told to accept it.

- :func:`scan_archive` streams one file and returns the *items* frame
  (see :mod:`attention.collectors.reddit_items`) of the posts and comments in
  the wanted subreddits and days that mention a theme.
- :func:`read_reddit_archives` scans several files, one task per file, here,
  in local processes or on a Dask cluster (local paths or fsspec URLs), and
  turns their items into daily observations as
  :func:`~attention.collectors.reddit_items.aggregate_items` does; a
  checkpoint folder lets a restarted run skip finished files.

Every line read is kept or counted as dropped with its reason
(:data:`DROP_REASONS`). Before the prefilters are trusted with a chunk, its
lines are checked to end in ``}`` and to be valid UTF-8 (in numpy, at a few
percent of the cost of decompression); a chunk holding a line cut short or
not UTF-8 is read line by line, and such lines are parsed and counted as
malformed wherever the prefilters would have skipped them.

Speed comes from not parsing what cannot match. Each decompressed chunk is
searched as a whole, in C, for ``"subreddit":"<wanted name>"``; the lines
found are joined and searched together, still raw, for literals every theme alias contains
(``iwm`` for ``\\$?IWM``), each hit confirmed by the alias pattern around it;
only lines passing both reach :func:`json.loads` and the exact checks
(subreddit, day, :meth:`Theme.mentions <attention.themes.Theme.mentions>` on
the cleaned text). With ``subreddits=None`` the literal search runs over the
whole chunk.

The raw search never drops a line the exact check would keep, although raw
lines are JSON-escaped (``\\n``, ``\\"``, ``\\u2019``). It ignores the word
boundaries (an escape such as ``\\n`` right before an alias would defeat
them); it is used only if every theme pattern provably matches nothing but
printable ASCII other than ``" \\ /`` (which JSON may write as two-character
escapes), with no anchors or look-arounds of its own; a line where a
character of a match could hide - written as a ``\\u00XX`` escape, or as one
of the four non-ASCII letters that case-insensitive matching folds onto
ASCII ones (``İ ı ſ K``) - is parsed anyway; and around each literal found,
Unicode hyphens (``small\u2011cap``, raw or escaped, which
:meth:`Theme.mentions <attention.themes.Theme.mentions>` reads as ``-``) are
read as ``-`` too. The default themes qualify;
other patterns silently turn the raw alias search off, which is slower but
never wrong. Subreddit names must be plain Reddit names (letters, digits,
``_``); a ``subreddit`` value holding an escape is parsed, and the key itself
is taken to be written plainly, as every JSON encoder does.

A file that ends inside a zstd frame, as a download cut short does, raises
:class:`~attention.errors.DataError`: python-zstandard's stream reader would
stop there silently, so the frame and block headers are followed as the
bytes go by.

Memory does not grow with the file: chunks are read and scanned in turn and
only matching items are kept. The zstd decoder itself (C memory that
:mod:`tracemalloc` does not see) keeps up to the 2 GiB window resident once a
file has decompressed beyond that size, so each worker process of
:func:`read_reddit_archives` may need about 2 GiB of RAM on real dumps.
"""

from __future__ import annotations

import codecs
import functools
import glob
import json
import math
import os
import re
import sys
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Union

import numpy as np
import pandas as pd

from .._typing import DateLike, StrPath, ThemesArg
from .._validate import utc_day
from ..errors import AttentionWarning, DataError, MissingDependencyError
from ..themes import _HYPHENS, DEFAULT_THEMES, Theme, get_theme
from ._archive_runs import Checkpoint, optional, run_dask, run_local
from .reddit_items import _daily_metrics, _score_items, clean_text, items_frame

if TYPE_CHECKING:
    from tqdm import tqdm

    from ..sentiment import SentimentScorer

if sys.version_info >= (3, 11):
    from re import _parser as _sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse

__all__ = ["DEFAULT_SUBREDDITS", "DROP_REASONS", "MAX_WINDOW", "read_reddit_archives", "scan_archive"]

#: A file to read: a local path, or a URL that fsspec opens.
_Source = Union[Path, str]
#: What one file gives back: its scored mentions and its line counts.
_Result = tuple[pd.DataFrame, dict[str, int]]
#: ``readinto`` of a binary stream.
_ReadInto = Callable[[Any], int]

#: Subreddits :func:`read_reddit_archives` reads unless told otherwise.
DEFAULT_SUBREDDITS = ("wallstreetbets", "stocks", "investing", "StockMarket", "smallstreetbets")
#: The dumps' zstd window (``--long=31``); zstd's default limit is 128 MiB.
MAX_WINDOW = 2**31
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_ZSTD_SUFFIXES = (".zst", ".zstd")
_NAME = re.compile(r"[A-Za-z0-9_]+")
#: Printable ASCII but the characters JSON writes as two-character escapes
#: (" and \ always, / with some encoders); patterns matching only these can
#: be searched for in raw JSON.
_VERBATIM = frozenset(range(0x20, 0x7F)) - set(b'"\\/')
#: Where a match of such a pattern may hide from a search of the raw line: a
#: character of it written as a \u00XX escape (legal, if no dump writer does
#: it), or one of the four non-ASCII letters that case-insensitive ``re``
#: matches for ASCII ones (U+0130, U+0131, U+017F, U+212A), raw in UTF-8 or
#: escaped. A line holding any of these is parsed. Searched in lower-cased
#: lines, starting at one of :data:`_DISGUISE_KEYS` and at most 6 bytes long.
_DISGUISED = re.compile(rb"\xc4[\xb0\xb1]|\xc5\xbf|\xe2\x84\xaa|\\u(?:013[01]|017f|212a|00[2-7][0-9a-f])")
_DISGUISE_KEYS = (b"\xc4", b"\xc5", b"\xe2\x84\xaa", b"\\u0", b"\\u212a")
#: The Unicode hyphens :meth:`Theme.mentions` reads as "-", as raw lines write them (UTF-8 or escaped).
_HYPHEN_BYTES = tuple(h.encode() for h in _HYPHENS) + tuple(f"\\u{ord(h):04x}".encode() for h in _HYPHENS)
#: What each of those begins with: a literal ending in "-" ("ai-") is looked for with these in its place too.
_HYPHEN_STEMS = (b"\xe2\x80", b"\\u201")
# Possessive repeats and atomic groups came with Python 3.11.
_REPEATS = {getattr(_sre_parse, op) for op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
            if hasattr(_sre_parse, op)}
_ATOMIC = getattr(_sre_parse, "ATOMIC_GROUP", object())
_STR_FLAGS = re.IGNORECASE | re.UNICODE
#: Longer matches than this are searched for in the whole line.
_UNBOUNDED = 2**16


# ---------------------------------------------------------------- arguments


def _subreddit_names(subreddits: str | Iterable[str] | None) -> frozenset[str] | None:
    if subreddits is None:
        return None
    if isinstance(subreddits, str):
        subreddits = [subreddits]
    names = set()
    for sub in subreddits:
        name = re.sub(r"^/?r/", "", sub.strip()) if isinstance(sub, str) else ""
        if not _NAME.fullmatch(name):
            raise DataError(f"subreddits: expected names such as 'wallstreetbets', got {sub!r}")
        names.add(name.lower())
    if not names:
        raise DataError("subreddits: empty; pass None to read every subreddit")
    return frozenset(names)


def _themes(themes: ThemesArg) -> tuple[Theme, ...]:
    if themes is None:
        return DEFAULT_THEMES
    if isinstance(themes, (str, Theme)):
        themes = [themes]
    out = tuple(get_theme(t) for t in themes)
    if not out:
        raise DataError("themes: empty; pass None for the default themes")
    return out


def _day(value: DateLike, name: str) -> pd.Timestamp:
    return utc_day(value, name).tz_localize("UTC")


def _bounds(start: DateLike | None, end: DateLike | None) -> tuple[float | None, float | None]:
    """Epoch seconds of the first instant of ``start`` and the first after ``end``."""
    lo = _day(start, "start") if start is not None else None
    hi = _day(end, "end") + pd.Timedelta(days=1) if end is not None else None
    if lo is not None and hi is not None and lo >= hi:
        last = hi - pd.Timedelta(days=1)
        raise DataError(f"start: expected a day on or before end, got {lo:%Y-%m-%d} > {last:%Y-%m-%d}")
    return (lo.timestamp() if lo is not None else None, hi.timestamp() if hi is not None else None)


def _skippable_magic(head: bytes) -> bool:
    """Whether ``head`` opens a skippable frame (magic 0x184D2A50-5F, little-endian)."""
    return len(head) == 4 and head[1:] == b"\x2a\x4d\x18" and head[0] & 0xF0 == 0x50


def _is_zstd(path: object, head: bytes) -> bool:
    """Whether ``path``, starting with ``head``, is zstd (by content: a ``.jsonl`` may be compressed too).

    Raises
    ------
    DataError
        If ``path`` is named ``.zst`` but is not zstd.
    """
    if head == _ZSTD_MAGIC or _skippable_magic(head):
        return True
    if str(path).lower().endswith(_ZSTD_SUFFIXES):
        raise DataError(f"path: {str(path)!r} is not a zstd file (it starts with {head!r})")
    return False


# ---------------------------------------------------------------- files, local or remote


def _fsspec() -> Any:
    return optional("fsspec", "reading URLs (s3://, gs://, https://, ...)")


def _source(path: object) -> _Source:
    """A local path, or the URL of a file that fsspec reads (anything with ``://``)."""
    if isinstance(path, str) and "://" in path:
        return path
    if isinstance(path, (str, os.PathLike)):
        return Path(path)
    raise DataError(f"paths: expected file paths or URLs, got {path!r}")


def _open(source: _Source) -> Any:
    """A binary file object of a local path or URL (a context manager)."""
    if isinstance(source, Path):
        return open(source, "rb")
    return _fsspec().open(source, "rb")


def _check_file(path: object) -> _Source:
    """The source of ``path`` once it is known to exist; a local file is also checked to be zstd if so named.

    A URL is only looked up (its bytes are read where it is scanned, not here).
    """
    source = _source(path)
    if isinstance(source, Path):
        if not source.is_file():
            raise DataError(f"path: no such file {str(source)!r}")
        with open(source, "rb") as fh:
            _is_zstd(source, fh.read(4))
        return source
    try:
        fs, inner = _fsspec().core.url_to_fs(source)
        found = fs.isfile(inner)
    except (ImportError, ValueError) as exc:  # an unknown protocol, or its package missing
        raise DataError(f"path: cannot read {source!r} ({exc})") from None
    if not found:
        raise DataError(f"path: no such file {source!r}")
    return source


def _expand(path: object) -> list[Any]:
    """``path`` itself, or the files a pattern such as ``s3://bucket/RC_2024-*.zst`` matches, in order.

    Raises
    ------
    DataError
        If a pattern matches no file.
    """
    if not isinstance(path, str) or not any(c in path for c in "*?["):
        return [path]
    if "://" in path:
        fs, inner = _fsspec().core.url_to_fs(path)
        protocol = path.split("://", 1)[0]
        found = [f"{protocol}://{p}" for p in sorted(fs.glob(inner))]
    else:
        found = sorted(glob.glob(path))
    if not found:
        raise DataError(f"paths: no file matches {path!r}")
    return found


def _version(source: _Source) -> dict[str, Any]:
    """What identifies this version of a file: size and modification time, or the store's own tags."""
    if isinstance(source, Path):
        stat = source.stat()
        return {"path": str(source.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    fs, inner = _fsspec().core.url_to_fs(source)
    info = fs.info(inner)
    tags = ("size", "ETag", "etag", "mtime", "LastModified", "last_modified", "updated", "generation",
            "md5Hash", "crc32c", "created")
    return {"path": source, **{k: str(info[k]) for k in tags if k in info}}


# ---------------------------------------------------------------- prefilters


def _verbatim(tree: Any) -> bool:
    """Whether a parsed pattern matches only :data:`_VERBATIM` characters, with no anchors or look-arounds."""
    for op, arg in tree:
        if op is _sre_parse.LITERAL:
            ok = arg in _VERBATIM
        elif op is _sre_parse.IN:
            ok = all(
                (kind is _sre_parse.LITERAL and value in _VERBATIM)
                or (kind is _sre_parse.RANGE and all(c in _VERBATIM for c in range(value[0], value[1] + 1)))
                for kind, value in arg
            )
        elif op is _sre_parse.BRANCH:
            ok = all(_verbatim(branch) for branch in arg[1])
        elif op is _sre_parse.SUBPATTERN:
            _, add_flags, del_flags, sub = arg
            ok = not (add_flags | del_flags) & ~re.IGNORECASE and _verbatim(sub)
        elif op in _REPEATS:
            ok = _verbatim(arg[2])
        elif op is _ATOMIC:
            ok = _verbatim(arg)
        else:  # ANY, AT, ASSERT, ASSERT_NOT, CATEGORY, NOT_LITERAL, GROUPREF, ...
            ok = False
        if not ok:
            return False
    return True


def _one_char(op: Any, arg: Any) -> int | None:
    """The lower-case character an element matches, if it matches one only (up to case)."""
    if op is _sre_parse.LITERAL:
        return ord(chr(arg).lower())
    if op is _sre_parse.IN and all(kind is _sre_parse.LITERAL for kind, _ in arg):
        chars = {ord(chr(value).lower()) for _, value in arg}
        return chars.pop() if len(chars) == 1 else None
    return None


def _required(tree: Any) -> frozenset[bytes] | None:
    """Lower-case literals one of which every match of a (verbatim) parsed pattern contains, or None.

    Of the literal runs and required groups of the sequence, a single
    literal of three characters or more is preferred (each literal costs a
    pass of ``bytes.find``, and a set of alternatives such as ``stock``,
    ``trade`` tends to hold a common word), then the longest.
    """
    options: list[frozenset[bytes] | None] = []
    run = bytearray()
    for op, arg in tree:
        char = _one_char(op, arg)
        if char is not None:
            run.append(char)
            continue
        if run:
            options.append(frozenset([bytes(run)]))
            run = bytearray()
        if op is _sre_parse.SUBPATTERN:
            options.append(_required(arg[3]))
        elif op in _REPEATS and arg[0] >= 1:
            options.append(_required(arg[2]))
        elif op is _ATOMIC:
            options.append(_required(arg))
        elif op is _sre_parse.BRANCH:
            branches = [_required(branch) for branch in arg[1]]
            known = [b for b in branches if b is not None]
            options.append(None if len(known) < len(branches) else frozenset().union(*known))
    if run:
        options.append(frozenset([bytes(run)]))
    found = [o for o in options if o]

    def rank(option: frozenset[bytes]) -> tuple[bool, int, int]:
        shortest = min(map(len, option))
        return len(option) == 1 and shortest >= 3, shortest, -len(option)

    return max(found, key=rank, default=None)


class _Aliases:
    """Finds the raw JSON lines that may mention a theme, before any is parsed.

    Each theme pattern contributes literals that every match of it contains
    (``"iwm"`` for ``\\$?IWM``). The lines are lower-cased and searched for
    those literals with ``bytes.find``, which skips through text far faster
    than ``re`` tries an alternation at every byte; around each hit the
    pattern itself (as a bytes regex without the word boundaries, which
    escapes such as ``\\n`` would defeat) confirms the hit. The places where
    a match could hide (:data:`_DISGUISED`) are found the same way.
    """

    def __init__(self, keys: dict[bytes, list[tuple[re.Pattern[bytes], int | None]]]) -> None:
        #: lower-case literal -> [(bytes regex, longest match, None if unbounded)]
        self.keys = keys

    @classmethod
    def build(cls, themes: Iterable[Theme]) -> _Aliases | None:
        """The filter for ``themes``, or None if a pattern cannot be filtered safely (see the module doc)."""
        checks: dict[bytes, list[tuple[re.Pattern[bytes], int | None]]] = {}
        for pattern in (p for theme in themes for p in theme.patterns):
            try:
                tree = _sre_parse.parse(pattern, re.IGNORECASE)
                regex = re.compile(pattern.encode("ascii"), re.IGNORECASE)
            except (re.error, UnicodeEncodeError):  # e.g. \N{...}, which bytes patterns do not know
                return None
            keys = _required(tree) if _verbatim(tree) and not tree.state.flags & ~_STR_FLAGS else None
            if not keys:
                return None
            width = tree.getwidth()[1]
            for key in keys:
                checks.setdefault(key, []).append((regex, width if width < _UNBOUNDED else None))
        # A literal that contains another is found wherever that one is: search the shorter only.
        merged: dict[bytes, list[tuple[re.Pattern[bytes], int | None]]] = {}
        for key in sorted(checks, key=len):
            host = next((h for h in merged if h in key), key)
            merged.setdefault(host, []).extend(checks[key])
        # "AI\u2011heavy" holds no "ai-": look for "ai" before the bytes a Unicode hyphen starts with.
        merged.update((key[:-1] + stem, merged[key]) for key in list(merged) if key.endswith(b"-")
                      for stem in _HYPHEN_STEMS)
        merged.update((key, [(_DISGUISED, 6)]) for key in _DISGUISE_KEYS)
        return cls(merged)

    def _confirmed(self, low: bytes | bytearray, key: bytes, at: int, start: int, stop: int) -> bool:
        for regex, width in self.keys[key]:
            # A match holding the literal at ``at`` lies within ``width`` of it.
            lo = start if width is None else max(start, at - width)
            hi = stop if width is None else min(stop, at + len(key) + width)
            if regex.search(low, lo, hi):
                return True
        return self._behind_hyphen(low, key, at, start, stop)

    def _behind_hyphen(self, low: bytes | bytearray, key: bytes, at: int, start: int, stop: int) -> bool:
        """Whether a match holding the literal at ``at`` hides behind a Unicode hyphen (read as "-" when matched)."""
        widths = [width for _, width in self.keys[key] if width is not None]
        # A match's characters take at most 6 bytes each (an escape such as \u2011).
        reach = 6 * max(widths) if len(widths) == len(self.keys[key]) else None
        lo = start if reach is None else max(start, at - reach)
        hi = stop if reach is None else min(stop, at + len(key) + reach)
        if all(low.find(stem, lo, hi) < 0 for stem in _HYPHEN_STEMS):  # the usual case: nothing to fold
            return False
        window = bytes(low[lo:hi])
        for hyphen in _HYPHEN_BYTES:
            window = window.replace(hyphen, b"-")
        return any(regex.search(window) for regex, _ in self.keys[key])

    def search(self, line: bytes | bytearray) -> bool:
        """Whether ``line`` may mention a theme."""
        low = line.lower()
        for key in self.keys:
            at = low.find(key)
            while at >= 0:
                if self._confirmed(low, key, at, 0, len(low)):
                    return True
                at = low.find(key, at + 1)
        return False

    def lines(self, block: bytes | bytearray, end: int) -> list[tuple[int, int]]:
        """``(start, stop)`` of the lines of ``block[:end]`` that may mention a theme, in order."""
        low = block[:end].lower()
        found: dict[int, int] = {}
        for key in self.keys:
            at = low.find(key)
            while at >= 0:
                start = low.rfind(b"\n", 0, at) + 1
                if start not in found:
                    stop = low.find(b"\n", at)
                    stop = len(low) if stop < 0 else stop
                    if not self._confirmed(low, key, at, start, stop):
                        at = low.find(key, at + 1)
                        continue
                    found[start] = stop
                at = low.find(key, found[start] + 1)
        return sorted(found.items())


@functools.lru_cache(maxsize=16)
def _aliases(themes: tuple[Theme, ...]) -> _Aliases | None:
    """:meth:`_Aliases.build`, once per process and set of themes: building costs as much as scanning 10 MB."""
    return _Aliases.build(themes)


def _subreddit_prefilter(names: Iterable[str]) -> re.Pattern[bytes]:
    """A bytes regex for ``breddit":"<name>"`` (of ``"subreddit"``) in any case, or a value holding an escape."""
    alternatives = b"|".join(re.escape(n.encode("ascii")) for n in sorted(names))
    # The key is matched case-sensitively so that re can jump between its
    # occurrences with a literal-prefix search instead of trying every byte;
    # from "b", the rarest letter of "subreddit", as that search stops at
    # every occurrence of the first letter (a superset: checked when parsed).
    return re.compile(rb'breddit"[ \t\r]*:[ \t\r]*"(?:(?i:' + alternatives + rb')"|[^"\\\n]*\\)')


# ---------------------------------------------------------------- reading


def _zstandard() -> Any:
    try:
        import zstandard
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("reading .zst archives needs zstandard: pip install zstandard") from None
    return zstandard


class _Frames:
    """A zstd file passed through to the decoder while its frame and block headers are followed.

    python-zstandard's stream reader stops silently where its input does, so
    a download cut short would pass for a shorter month. Following the
    headers (RFC 8878) as the bytes go by tells whether the file ends where a
    frame does, at a few microseconds per 128 KiB block and no extra I/O.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._skip = 0  # bytes to pass before the next header
        self._head = b""  # the part of that header read so far
        self._need: int = 4
        self._parse: Callable[[bytes], None] = self._magic
        self._checksum = 0
        self.broken = False

    @property
    def complete(self) -> bool:
        """Whether the bytes read so far end where a frame does."""
        return not self.broken and self._parse == self._magic and not self._head and not self._skip

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        pos = 0
        while pos < len(data) and not self.broken:
            if self._skip:
                step = min(self._skip, len(data) - pos)
                self._skip -= step
                pos += step
                continue
            take = self._need - len(self._head)
            self._head += data[pos : pos + take]
            pos += take
            if len(self._head) == self._need:
                head, self._head = self._head, b""
                self._parse(head)
        return data

    def _magic(self, head: bytes) -> None:
        if head == _ZSTD_MAGIC:
            self._need, self._parse = 1, self._descriptor
        elif _skippable_magic(head):
            self._need, self._parse = 4, self._skippable
        else:
            self.broken = True  # the decoder says what is wrong

    def _skippable(self, head: bytes) -> None:
        self._skip = int.from_bytes(head, "little")
        self._need, self._parse = 4, self._magic

    def _descriptor(self, head: bytes) -> None:
        flags = head[0]
        single_segment = flags >> 5 & 1
        # Window descriptor, dictionary id and content size, then the blocks.
        self._skip = (1 - single_segment) + (0, 1, 2, 4)[flags & 3] + (single_segment, 2, 4, 8)[flags >> 6]
        self._checksum = 4 * (flags >> 2 & 1)
        self._need, self._parse = 3, self._block

    def _block(self, head: bytes) -> None:
        header = int.from_bytes(head, "little")
        self._skip = 1 if header >> 1 & 3 == 1 else header >> 3  # an RLE block holds one byte
        if header & 1:  # the last block of its frame
            self._skip += self._checksum
            self._need, self._parse = 4, self._magic


@contextmanager
def _reader(source: _Source) -> Iterator[_ReadInto]:
    """Yield a ``readinto(buffer)`` over the decompressed bytes of ``source`` (a local path or a URL).

    Raises
    ------
    DataError
        If a ``.zst`` file is not zstd, is corrupt, or ends inside a frame.
    """
    with _open(source) as fh:
        if not _is_zstd(source, fh.read(4)):
            fh.seek(0)
            yield fh.readinto
            return
        fh.seek(0)
        zstd = _zstandard()
        frames = _Frames(fh)
        dctx = zstd.ZstdDecompressor(max_window_size=MAX_WINDOW)
        # Some dumps are several frames back to back; read them all.
        with dctx.stream_reader(frames, read_across_frames=True, closefd=False) as stream:
            try:
                yield stream.readinto
            except zstd.ZstdError as exc:
                raise DataError(f"path: {str(source)!r} holds corrupt zstd data ({exc})") from None
        if not frames.complete:
            raise DataError(f"path: {str(source)!r} ends inside a zstd frame: the file is truncated or corrupt")


def _blocks(readinto: _ReadInto, chunk_size: int) -> Iterator[tuple[bytearray, int]]:
    """Yield ``(buffer, end)``: ``buffer[:end]`` holds whole lines (the last of a file maybe without newline).

    One buffer is reused throughout (a fresh chunk each time costs more
    than scanning it), so callers copy what they keep. The incomplete line
    at its end is moved to its start before the next read.
    """
    buffer = bytearray(chunk_size)
    view = memoryview(buffer)
    held = 0  # bytes of an incomplete line at the start of the buffer
    while True:
        if held == len(buffer):  # a line longer than the buffer: grow it
            view.release()
            buffer += bytes(len(buffer))
            view = memoryview(buffer)
        with view[held:] as free:
            filled = held + readinto(free)
        if filled == held:
            break
        last = buffer.rfind(b"\n", held, filled)
        if last < 0:
            held = filled
            continue
        yield buffer, last + 1
        held = filled - last - 1
        buffer[:held] = buffer[last + 1 : filled]
    if held:
        yield buffer, held


def _lines(block: bytearray, end: int) -> list[bytearray]:
    """The lines of ``block[:end]`` (copies), without the empty string after a final newline."""
    lines = block[:end].split(b"\n")
    if block[end - 1] == 0x0A:
        lines.pop()
    return lines


class _Tally:
    """Counts the lines of each block, and checks that each is valid UTF-8 ending in ``}`` (as JSON objects do).

    A line cut short or holding bytes that are not UTF-8 fails the check,
    and then every line of the block is looked at on its own: such lines
    are parsed (and counted as malformed) even where the prefilters would
    skip them, so a broken line is never taken for an unwanted one. The
    checks run in numpy over buffers kept from block to block (fresh ones
    would cost a page fault per 4 KiB).
    """

    def __init__(self) -> None:
        self._newline = self._brace = np.empty(0, bool)

    def __call__(self, block: bytearray, end: int) -> tuple[int, bool]:
        if len(self._newline) < end:
            self._newline, self._brace = np.empty(end, bool), np.empty(end, bool)
        data = np.frombuffer(block, np.uint8, end)  # released on return: the caller may grow ``block``
        newline, brace = self._newline[:end], self._brace[: end - 1]
        np.equal(data, 0x0A, out=newline)
        np.equal(data[:-1], 0x7D, out=brace)
        np.logical_and(brace, newline[1:], out=brace)
        last = int(data[-1])
        lines = int(np.count_nonzero(newline)) + (last != 0x0A)
        if int(np.count_nonzero(brace)) + (last == 0x7D) != lines:
            return lines, False
        try:
            codecs.utf_8_decode(data.data, "strict", True)
        except UnicodeDecodeError:
            return lines, False
        return lines, True


def _whole(line: bytes | bytearray) -> bool:
    if not line.endswith(b"}"):
        return False
    try:
        codecs.utf_8_decode(line, "strict", True)
    except UnicodeDecodeError:
        return False
    return True


def _candidates(block: bytearray, end: int, plain: bool, subreddit: re.Pattern[bytes] | None,
                aliases: _Aliases | None) -> Iterator[bytes | bytearray]:
    """Copies of the lines of ``block[:end]`` that the prefilters cannot rule out, in order."""
    if not plain:
        for line in _lines(block, end):
            if not _whole(line) or ((subreddit is None or subreddit.search(line))
                                    and (aliases is None or aliases.search(line))):
                yield line
        return
    if subreddit is None:
        if aliases is None:
            yield from _lines(block, end)
        else:
            for start, stop in aliases.lines(block, end):
                yield block[start:stop]
        return
    pos = 0
    lines: list[bytearray] = []
    while (found := subreddit.search(block, pos, end)) is not None:
        start = block.rfind(b"\n", 0, found.start()) + 1
        stop = block.find(b"\n", found.start(), end)
        if stop < 0:
            stop = end
        lines.append(block[start:stop])
        pos = stop + 1
    if aliases is None or not lines:
        yield from lines
        return
    # The lines of the wanted subreddits are searched for aliases together:
    # a few searches per block instead of a few per line.
    joined = b"\n".join(lines)
    for start, stop in aliases.lines(joined, len(joined)):
        yield joined[start:stop]


#: Why a line read from a dump was not kept, in the order the checks run.
DROP_REASONS = (
    "prefiltered",  # the raw bytes hold no wanted subreddit or no theme alias: not parsed
    "blank",
    "malformed",  # not a JSON object with ``id`` and ``created_utc``, cut short, or not UTF-8
    "other subreddit",
    "outside the range",  # created before ``start`` or after ``end``
    "no mention",
    "duplicate",  # the same id again, in the same file or an earlier one
)


def _item(line: bytes | bytearray, names: frozenset[str] | None, themes: tuple[Theme, ...], lo: float | None,
          hi: float | None) -> str | dict[str, Any]:
    """The item record of one raw line, or the reason it is dropped (one of :data:`DROP_REASONS`)."""
    if not line.strip():
        return "blank"
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):  # also UnicodeDecodeError; RecursionError: absurdly nested
        return "malformed"
    if not isinstance(obj, dict):
        return "malformed"
    subreddit = obj.get("subreddit")
    if names is not None and not (
        isinstance(subreddit, str) and subreddit.isascii() and subreddit.lower() in names
    ):
        return "other subreddit"
    try:
        created = float(obj["created_utc"])
    except (KeyError, TypeError, ValueError):
        return "malformed"
    ident = obj.get("id")
    if not math.isfinite(created) or not isinstance(ident, (str, int)) or isinstance(ident, bool):
        return "malformed"
    ident = str(ident)
    if (lo is not None and created < lo) or (hi is not None and created >= hi):
        return "outside the range"
    if "title" in obj:
        kind, prefix, text = "post", "t3_", clean_text(obj.get("title"), obj.get("selftext"))
    else:
        kind, prefix, text = "comment", "t1_", clean_text(obj.get("body"))
    if not any(theme.mentions(text) for theme in themes):
        return "no mention"
    return {
        "id": ident if ident.startswith(("t1_", "t3_")) else prefix + ident,
        "kind": kind,
        "created": created,
        "subreddit": subreddit if isinstance(subreddit, str) else "",
        "author": obj.get("author"),
        "score": obj.get("score"),
        "text": text,
    }


def _scan(source: _Source, names: frozenset[str] | None, themes: tuple[Theme, ...], lo: float | None,
          hi: float | None, chunk_size: int) -> tuple[pd.DataFrame, Counter[str]]:
    """Items of one file and what became of each line read: ``read``, ``kept`` and the :data:`DROP_REASONS`."""
    subreddit = _subreddit_prefilter(names) if names is not None else None
    aliases = _aliases(themes)
    records: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    tally = _Tally()
    with _reader(source) as readinto:
        for block, end in _blocks(readinto, chunk_size):
            read, plain = tally(block, end)
            parsed = 0
            for line in _candidates(block, end, plain, subreddit, aliases):
                parsed += 1
                record = _item(line, names, themes, lo, hi)
                if isinstance(record, str):
                    counts[record] += 1
                else:
                    records.append(record)
            counts["read"] += read
            counts["prefiltered"] += read - parsed
    items = items_frame(records)
    counts["duplicate"] += len(records) - len(items)
    counts["kept"] = len(items)
    return items, counts


@functools.lru_cache(maxsize=1)
def _default_scorer() -> SentimentScorer:
    from ..sentiment import SentimentScorer

    return SentimentScorer()


def _partial(source: _Source, names: frozenset[str] | None, themes: tuple[Theme, ...], lo: float | None,
             hi: float | None, chunk_size: int, scorer: SentimentScorer | None) -> _Result:
    """What one file contributes to the daily metrics: its scored items (no text) and its line counts.

    This runs where the file is read (a worker process or a Dask worker);
    only the small table travels back.
    """
    items, counts = _scan(source, names, themes, lo, hi, chunk_size)
    table = _score_items(items, themes, scorer=scorer if scorer is not None else _default_scorer())
    return table, {reason: int(n) for reason, n in counts.items()}


def _line_report(counts: Counter[str]) -> dict[str, Any]:
    """``read``, ``kept`` and ``dropped`` (reason -> lines, the reasons that occurred), as
    :class:`~attention.collectors.reddit_items.ItemLedger` reports items."""
    return {"read": counts.get("read", 0), "kept": counts.get("kept", 0),
            "dropped": {reason: counts[reason] for reason in sorted(DROP_REASONS) if counts.get(reason)}}


def _warn_malformed(counts: dict[str, int]) -> None:
    bad = {name: n for name, n in counts.items() if n}
    if bad:
        detail = ", ".join(f"{name} ({n})" for name, n in bad.items())
        warnings.warn(
            f"skipped {sum(bad.values())} malformed line(s) of the Reddit archives: {detail}",
            AttentionWarning,
            stacklevel=3,
        )


def _name(source: _Source) -> str:
    return source.name if isinstance(source, Path) else source.rsplit("/", 1)[-1]


# ---------------------------------------------------------------- public API


def scan_archive(path: StrPath, *, subreddits: str | Iterable[str] | None = None, themes: ThemesArg = None,
                 start: DateLike | None = None, end: DateLike | None = None,
                 chunk_size: int = 2**20) -> pd.DataFrame:
    """Stream one dump file and return the items that mention a theme.

    Parameters
    ----------
    path : str or Path
        A Pushshift / Arctic Shift dump (``RS_*.zst`` submissions or
        ``RC_*.zst`` comments; zstd with up to a 2 GiB window), or the same
        NDJSON uncompressed (any other suffix; zstd content is recognised by
        its magic number whatever the suffix). A URL (``s3://``, ``gs://``,
        ``https://``, ``file://``, ...) is read through fsspec.
    subreddits : str or sequence of str, optional
        Keep items of these subreddits (case-insensitive, ``r/`` optional);
        None keeps every subreddit.
    themes : sequence of Theme or str, optional
        Keep items whose text mentions at least one; defaults to the three
        default themes.
    start, end : date-like, optional
        First and last UTC day kept (both inclusive); times of day are ignored.
    chunk_size : int
        Bytes of decompressed text read at a time; memory is a few times this.

    Returns
    -------
    DataFrame
        An items frame (see :mod:`attention.collectors.reddit_items`): ids
        ``t3_<id>`` for submissions and ``t1_<id>`` for comments, text without
        ``[deleted]``/``[removed]`` placeholders, deleted authors missing.
        ``frame.attrs["reddit"]["accounting"]`` says what became of every line:
        ``read``, ``kept`` and ``dropped`` (lines per reason of :data:`DROP_REASONS` that occurred).

    Raises
    ------
    DataError
        If ``path`` is missing, is named ``.zst`` but is not zstd, holds
        corrupt zstd data or ends inside a zstd frame (a download cut
        short); or for invalid arguments.
    MissingDependencyError
        If the file is zstd and ``zstandard`` is not installed, or a URL is
        given without fsspec.

    Warns
    -----
    AttentionWarning
        Once, with the count, if lines were not valid JSON objects with
        ``id`` and ``created_utc`` (cut short, not UTF-8, ...); they are
        skipped and counted as ``malformed``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "RC_2024-06.ndjson").write_text(
    ...     '{"id":"a1","subreddit":"stocks","created_utc":1717372800,"body":"small caps rip","score":3}\\n'
    ...     '{"id":"a2","subreddit":"pics","created_utc":1717372800,"body":"my cat","score":9}\\n')
    >>> items = scan_archive(folder / "RC_2024-06.ndjson", subreddits=["stocks"])
    >>> list(items["id"])
    ['t1_a1']
    >>> accounting = items.attrs["reddit"].get("accounting")
    >>> accounting.get("read"), accounting.get("kept"), accounting.get("dropped")
    (2, 1, {'prefiltered': 1})
    """
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise DataError(f"chunk_size: expected a positive number of bytes, got {chunk_size!r}")
    source = _check_file(path)
    names, wanted, bounds = _subreddit_names(subreddits), _themes(themes), _bounds(start, end)
    items, counts = _scan(source, names, wanted, *bounds, chunk_size)
    _warn_malformed({_name(source): counts["malformed"]})
    items.attrs["reddit"] = {"accounting": _line_report(counts)}
    return items


def read_reddit_archives(paths: StrPath | Iterable[StrPath], *,
                         subreddits: str | Iterable[str] | None = DEFAULT_SUBREDDITS, themes: ThemesArg = None,
                         start: DateLike | None = None, end: DateLike | None = None, workers: int | None = None,
                         client: Any = None, checkpoint: StrPath | None = None, progress: bool = False,
                         scorer: SentimentScorer | None = None) -> pd.DataFrame:
    """Daily Reddit attention per theme from dump files, scanned in parallel here or on a Dask cluster.

    Each file is one task: it is read where the task runs, its lines are
    filtered, parsed and matched there, its mentions scored for sentiment,
    and only a small table per file (one row per mentioning item: id, time,
    author, score, sentiment per theme) comes back. The daily metrics are
    then computed from all the tables at once, so the result is the same, to
    the last count, however the files were spread.

    Parameters
    ----------
    paths : str, Path or sequence of them
        Dump files (see :func:`scan_archive`), e.g. the ``RS_`` and ``RC_``
        files of the months wanted; local paths or URLs (``s3://bucket/RC_2024-06.zst``),
        which the workers open themselves: nothing is copied here. A string
        with ``*``, ``?`` or ``[`` is a pattern (``s3://bucket/RC_2024-*.zst``)
        standing for the files it matches, in name order.
    subreddits : str or sequence of str, optional
        Subreddits to read (case-insensitive); None reads every subreddit.
    themes : sequence of Theme or str, optional
        Defaults to the three default themes.
    start, end : date-like, optional
        First and last UTC day counted (inclusive).
    workers : int, optional
        Without ``client``: processes scanning files at once; defaults to
        ``min(len(paths), os.cpu_count())``. With 1 the files are read in
        this process. On real dumps each worker may hold ~2 GiB of zstd window.
    client : dask.distributed.Client, optional
        Run one task per file on this client's cluster (a ``LocalCluster``,
        dask-jobqueue, dask-kubernetes, a cloud provider's). A worker lost
        mid-file is replaced and the file read again; a file that fails
        (corrupt, truncated, missing on the workers) is reported in
        ``attrs["reddit"]["failed"]`` and by a warning while the others
        finish. Needs ``pip install 'market-attention[dask]'``.
    checkpoint : str or Path, optional
        A folder where each file's table is written (parquet) as soon as it
        is back. A rerun with the same folder, files and options reads
        those instead of scanning the files again, so an interrupted run
        resumes where it stopped.
    progress : bool
        Show a progress bar (tqdm) over the files.
    scorer : attention.sentiment.SentimentScorer, optional
        Scores the mentions (see
        :func:`~attention.collectors.reddit_items.aggregate_items`); it is
        sent to the workers, so it must pickle.

    Returns
    -------
    DataFrame
        Tidy observations, source ``reddit``, with the metrics of
        :func:`~attention.collectors.reddit_items.aggregate_items`. An item
        found in several files (overlapping dumps) counts once. Days without
        a mention are absent. ``frame.attrs["reddit"]`` holds ``files``,
        ``resumed`` (read from the checkpoint), ``failed`` (path or URL ->
        error) and ``accounting``: ``read``, ``kept`` and ``dropped`` (lines
        per reason of :data:`DROP_REASONS`), every line read being kept or
        dropped once.

    Raises
    ------
    DataError
        If a file is missing, not zstd although named ``.zst``, corrupt or
        truncated (see :func:`scan_archive`); or for invalid arguments. With
        a ``client``, only if every file failed.
    MissingDependencyError
        If a file is zstd and ``zstandard`` is not installed; for a
        ``client`` without dask.distributed, URLs without fsspec, a
        ``checkpoint`` without pyarrow.

    Warns
    -----
    AttentionWarning
        Once for all files, with the counts, if malformed lines were
        skipped; once naming the files that failed on the cluster.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "RC_2024-06.ndjson").write_text(
    ...     '{"id":"a1","subreddit":"stocks","author":"x","created_utc":1717372800,'
    ...     '"body":"small caps are back","score":3}\\n')
    >>> daily = read_reddit_archives([folder / "RC_2024-06.ndjson"], workers=1)
    >>> mentions = daily[daily["metric"] == "mentions"]
    >>> mentions.set_index("term")["value"].to_dict()
    {'small-cap stocks': 1.0}
    """
    patterns = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    sources = list(dict.fromkeys(_check_file(p) for pattern in patterns for p in _expand(pattern)))
    if not sources:
        raise DataError("paths: expected at least one dump file")
    if client is None:
        if workers is None:
            workers = min(len(sources), os.cpu_count() or 1)
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise DataError(f"workers: expected a positive integer, got {workers!r}")
    elif workers is not None:
        raise DataError("workers: not used with client= (the cluster has its own workers)")
    wanted = _themes(themes)
    names, bounds = _subreddit_names(subreddits), _bounds(start, end)
    task = functools.partial(_task, names=names, themes=wanted, lo=bounds[0], hi=bounds[1], scorer=scorer)
    store = None
    if checkpoint is not None:
        store = Checkpoint(checkpoint, {
            "subreddits": sorted(names) if names is not None else None, "bounds": bounds,
            "themes": [(t.name, t.reddit_patterns) for t in wanted],
            "scorer": None if scorer is None else f"{type(scorer).__module__}.{type(scorer).__qualname__}",
        })
    results: dict[_Source, _Result] = {}
    versions: dict[_Source, dict[str, Any]] = {}
    for source in sources:
        if store is not None:
            versions[source] = _version(source)
            found = store.load(versions[source])
            if found is not None:
                results[source] = found
    resumed = len(results)
    bar = _progress_bar(len(sources)) if progress else None
    if bar is not None:
        bar.update(resumed)

    def done(source: _Source, result: _Result) -> None:
        results[source] = result
        if store is not None:
            store.save(versions[source], result)
        if bar is not None:
            bar.update()

    todo = [s for s in sources if s not in results]
    try:
        if client is None:
            assert workers is not None  # set above when there is no client
            run_local(task, todo, done, workers=workers)
            failed: dict[str, str] = {}
        else:
            failed = run_dask(client, task, todo, done)
    finally:
        if bar is not None:
            bar.close()
    if failed and len(failed) == len(sources):
        raise DataError(f"paths: every file failed; the first: {next(iter(failed.values()))}")
    if failed:
        warnings.warn(f"{len(failed)} of {len(sources)} Reddit archive(s) failed and are not counted: "
                      + "; ".join(f"{n}: {m}" for n, m in failed.items()), AttentionWarning, stacklevel=2)
    finished = [s for s in sources if s in results]
    _warn_malformed({_name(s): results[s][1].get("malformed", 0) for s in finished})
    counts: Counter[str] = Counter()
    for source in finished:
        counts.update(results[source][1])
    # In path order, so that the copy of a duplicate kept does not depend on
    # which worker finished first; empty tables left out, as concat warns on them.
    tables = [results[s][0] for s in finished if not results[s][0].empty]
    if tables:
        table = pd.concat(tables, ignore_index=True)
        unique = table.drop_duplicates("id", keep="last")
        counts["duplicate"] += len(table) - len(unique)
        counts["kept"] = len(unique)
    else:
        unique = _score_items(items_frame([]), wanted)
    frame = _daily_metrics(unique, wanted)
    frame.attrs["reddit"] = {"files": len(sources), "resumed": resumed, "failed": failed,
                             "accounting": _line_report(counts)}
    return frame


def _task(source: _Source, *, names: frozenset[str] | None, themes: tuple[Theme, ...], lo: float | None,
          hi: float | None, scorer: SentimentScorer | None) -> _Result:
    return _partial(source, names, themes, lo, hi, 2**20, scorer)


def _progress_bar(total: int) -> tqdm[Any]:
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="Reddit archives", unit="file")
