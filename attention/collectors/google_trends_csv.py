"""Files downloaded from the Google Trends website, in any interface language.

The website's download buttons give three kinds of CSV:

- :func:`read_google_trends_csv`: interest over time (``multiTimeline.csv``),
  by month, week, day, hour or minute, into the tidy observation frame;
- :func:`read_google_trends_geo_csv`: interest by region (``geoMap.csv``);
- :func:`read_google_trends_related_csv`: related queries or topics
  (``relatedQueries.csv``, ``relatedEntities.csv``), TOP and RISING sections.

What changes with the interface language is only the wording: the category
line (``Kategorie: Alle Kategorien``, ``类别：所有类别`` with a full-width colon),
the period header (``Woche``, ``Semana``, ``Тиждень``, ``週`` ...) and how
"below one" is spelled (``<1``, ``< 1`` with a no-break space, ``＜1``). The
dates, the ``term: (region)`` headers and the numbers are the same everywhere,
so the readers recognise an export by its structure and take the resolution
from the dates themselves; the period word is checked against
:data:`PERIOD_WORDS` only when a file carries no other sign of being an export
(the redesigned Explore page writes neither a category line nor regions).

One convention for "below one", shared with :func:`~attention.collectors.google_trends.parse_google_trends`:
a cell Google shows as ``0`` or ``<1`` is the rounded value 0.0, flagged
``below_threshold`` (the true share lies between 0 and 0.5); only an empty
cell - Google's "not enough data" - is NaN.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .._typing import StrPath
from ..errors import DataError
from ..schema import validate_observations

__all__ = [
    "PERIOD_WORDS",
    "read_google_trends_csv",
    "read_google_trends_geo_csv",
    "read_google_trends_related_csv",
]

SOURCE = "google_trends"
METRIC = "search_interest"

#: The period header of a timeline export in the website's interface languages
#: (lower case). Used to recognise exports that carry no category line and no
#: ``term: (region)`` headers; the resolution itself always comes from the dates.
PERIOD_WORDS = frozenset(
    {
        # English, German, French, Spanish, Portuguese, Italian, Dutch
        "day", "week", "month", "time", "tag", "woche", "monat", "zeit", "jour", "semaine", "mois",
        "heure", "temps", "día", "dia", "semana", "mes", "mês", "hora", "tiempo", "tempo", "giorno",
        "settimana", "mese", "ora", "dag", "maand", "tijd",
        # Scandinavian, Polish, Czech, Turkish, Indonesian/Malay, Vietnamese, Tagalog
        "vecka", "månad", "tid", "uge", "uke", "måned", "dzień", "tydzień", "miesiąc", "czas", "den",
        "týden", "měsíc", "čas", "gün", "hafta", "ay", "zaman", "hari", "minggu", "bulan", "waktu",
        "ngày", "tuần", "tháng", "thời gian", "araw", "linggo", "buwan", "oras",
        # Russian, Ukrainian, Greek, Hebrew, Arabic, Persian, Hindi, Thai
        "день", "неделя", "месяц", "время", "тиждень", "місяць", "час", "ημέρα", "εβδομάδα",
        "μήνας", "ώρα", "יום", "שבוע", "חודש", "זמן", "اليوم", "الأسبوع", "الشهر", "الوقت", "روز",
        "هفته", "ماه", "زمان", "दिन", "सप्ताह", "महीना", "समय", "วัน", "สัปดาห์", "เดือน", "เวลา",
        # Chinese (simplified, traditional), Japanese, Korean
        "天", "日", "周", "週", "月", "时间", "時間", "일", "주", "월", "시간",
    }
)

_COLON = re.compile(r"[:：]")
_TERM_GEO = re.compile(r"^(?P<term>.*?)\s*[:：]\s*[(（](?P<geo>.*)[)）]\s*$")
# "<1" as the website writes it: ASCII or full-width "<", any (no-break) spaces.
_BELOW_ONE = re.compile(r"^[<＜][\s\u00a0\u202f]*1[\s\u00a0\u202f]*%?$")
_SPACES = "\u00a0\u202f\ufeff \t"


# ---------------------------------------------------------------- shared pieces


def _read_lines(path: StrPath) -> tuple[Path, list[str]]:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"path: cannot read {path} ({exc.strerror})") from None
    for encoding in ("utf-16",) if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return path, raw.decode(encoding).splitlines()
        except UnicodeDecodeError:
            pass
    raise DataError(
        f"path: {path.name} is not UTF-8 text; the website writes UTF-8 - was it re-saved by a spreadsheet "
        "in another encoding? Save it again as CSV UTF-8"
    )


def _delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if max(counts.values()) else ","


def _fields(line: str, delimiter: str) -> list[str]:
    row = next(csv.reader([line], delimiter=delimiter), [])
    while row and not row[-1].strip():  # a spreadsheet re-save pads lines with delimiters
        row.pop()
    return [cell.strip(_SPACES) for cell in row]


def _label(line: str, delimiter: str) -> str:
    """The value of a ``Word: value`` preamble line (any language, ASCII or full-width colon)."""
    text = " ".join(_fields(line, delimiter)) if line.strip() else ""
    parts = _COLON.split(text, maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else text.strip()


def _split_term(header: str) -> tuple[str, str]:
    match = _TERM_GEO.match(header)
    return (match.group("term").strip(), match.group("geo").strip()) if match else (header.strip(), "")


def _cells(column: pd.Series, name: str, path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Numbers of one column; "<1" and 0 are 0.0 flagged, empty cells NaN, anything else an error."""
    text = column.fillna("").astype(str).str.strip(_SPACES)
    below = text.str.match(_BELOW_ONE.pattern).to_numpy()
    numbers = text.str.rstrip("%").str.replace(",", ".", regex=False)
    values = pd.to_numeric(numbers.mask(below, "0").mask(text == "", np.nan), errors="coerce").to_numpy(float)
    bad = np.isnan(values) & (text != "").to_numpy()
    if bad.any():
        first = text[bad].iloc[0]
        raise DataError(f"path: non-numeric values in {path.name} (column {name!r}: {first!r})")
    return values, (values == 0)


def _dates(cells: pd.Series, tz: str | None, path: Path) -> tuple[pd.DatetimeIndex, str]:
    """Period starts in UTC and the resolution read from the dates themselves."""
    text = cells.astype(str).str.strip(_SPACES)
    formats = {"M": r"\d{4}-\d{2}", "D": r"\d{4}-\d{2}-\d{2}",
               "h": r"\d{4}-\d{2}-\d{2}[T ]\d{2}(:\d{2}(:\d{2})?)?([+-]\d{2}:?\d{2}|Z)?"}
    kind = next((k for k, pattern in formats.items() if text.str.fullmatch(pattern).all()), None)
    if kind is None:
        odd = text[~np.logical_or.reduce([text.str.fullmatch(p).to_numpy() for p in formats.values()])]
        raise DataError(f"path: unexpected period values in {path.name} (e.g. {odd.iloc[0]!r}; expected "
                        "YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH[:MM[:SS]][+HH:MM])")
    try:
        if kind != "h":
            dates = pd.DatetimeIndex(pd.to_datetime(text, format="%Y-%m" if kind == "M" else "%Y-%m-%d", utc=True))
            if kind == "M":
                return dates, "M"
            days = pd.Series(dates).diff().dropna().dt.days
            # Google weeks start on Sunday; steps of whole weeks (rows may be missing) mean weekly data.
            return dates, "W" if len(days) and (days % 7 == 0).all() and (dates.day_of_week == 6).all() else "D"
        return _times(text, tz, path)
    except DataError:
        raise
    except ValueError as exc:
        raise DataError(f"path: impossible dates in {path.name} ({exc})") from None


def _times(text: pd.Series, tz: str | None, path: Path) -> tuple[pd.DatetimeIndex, str]:
    """Hourly or minute stamps in UTC; stamps without an offset need the time zone they were written in."""
    stamps = text.str.replace(r"T(\d{2})$", r"T\1:00", regex=True)
    offset = stamps.str.contains(r"(?:[+-]\d{2}:?\d{2}|Z)$")
    if not offset.all():
        if tz is None:
            raise DataError(
                f"tz: {path.name} has times without a UTC offset; pass tz= the time zone the export was "
                "downloaded in (for example tz='America/New_York')"
            )
        try:
            dates = pd.DatetimeIndex(pd.to_datetime(stamps, format="ISO8601")).tz_localize(tz).tz_convert("UTC")
        except Exception as exc:  # noqa: BLE001 - pytz/zoneinfo raise several types for a bad zone
            raise DataError(f"tz: cannot use {tz!r} ({exc})") from None
    else:
        dates = pd.DatetimeIndex(pd.to_datetime(stamps, format="ISO8601", utc=True))
    step = pd.Series(dates).diff().median() if len(dates) > 1 else pd.Timedelta("1h")
    return dates, f"{int(step / pd.Timedelta('1min'))}min" if step < pd.Timedelta("1h") else "h"


def _not_an_export(path: Path, found: str, expected: str) -> DataError:
    return DataError(f"path: {path.name} is not a Google Trends export (found {found}; expected {expected})")


# ---------------------------------------------------------------- interest over time


def read_google_trends_csv(path: StrPath, *, tz: str | None = None) -> pd.DataFrame:
    """Read an interest-over-time CSV downloaded from the Google Trends website.

    Any interface language, any resolution: monthly, weekly and daily files
    (``Month``/``Week``/``Day`` and their translations), hourly and minute
    ``Time`` files with UTC offsets (converted to UTC), the redesigned Explore
    page's export (no category line, no region in the header), and files a
    spreadsheet re-saved (``;`` delimiters, padded lines).

    Parameters
    ----------
    path : str or Path
        The downloaded file, usually ``multiTimeline.csv``.
    tz : str, optional
        Time zone of an hourly export whose times carry no UTC offset.

    Returns
    -------
    DataFrame
        The observation schema, metric ``search_interest``. ``0`` and ``<1``
        are 0.0 flagged ``below_threshold``; an empty cell is NaN.
        ``frame.attrs``: ``category`` (as written, in the file's language),
        ``geo`` (region per term, ``""`` where the file names none),
        ``resolution`` (``"M"``, ``"W"``, ``"D"``, ``"h"`` or e.g. ``"8min"``)
        and ``period`` (the header word, e.g. ``"Woche"``).

    Raises
    ------
    DataError
        If the file is missing, not UTF-8, not a timeline export (the message
        says what was found and what was expected; a region or related-queries
        export is named as such), or holds values that are not numbers.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "multiTimeline.csv").write_text(
    ...     "Kategorie: Alle Kategorien\\n\\nWoche,Nebenwerte: (Deutschland)\\n2024-01-07,100\\n2024-01-14,<1\\n",
    ...     encoding="utf-8")
    >>> frame = read_google_trends_csv(folder / "multiTimeline.csv")
    >>> frame[["date", "value", "flags"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'date': Timestamp('2024-01-07 00:00:00+0000', tz='UTC'), 'value': 100.0, 'flags': ''},
     {'date': Timestamp('2024-01-14 00:00:00+0000', tz='UTC'), 'value': 0.0, 'flags': 'below_threshold'}]
    >>> frame.attrs["category"], frame.attrs["geo"], frame.attrs["resolution"]
    ('Alle Kategorien', {'Nebenwerte': 'Deutschland'}, 'W')
    """
    path, lines = _read_lines(path)
    at = _data_start(lines)
    if at is None or at == 0:
        _refuse_other_kinds(path, lines)
        first = next((line for line in lines if line.strip()), "")
        raise _not_an_export(path, f"{first[:60]!r} and no row starting with a date",
                             "a 'Category: ...' line, then 'Week,term: (region)' and dated rows")
    header_line = lines[at - 1]
    delimiter = _delimiter(header_line)
    header = _fields(header_line, delimiter)
    preamble = [line for line in lines[: at - 1] if line.strip(_SPACES + ",;")]
    terms_geo = [_split_term(h) for h in header[1:]]
    has_region = any(geo for _, geo in terms_geo)
    if len(header) < 2 or not (preamble or has_region or header[0].lower() in PERIOD_WORDS):
        raise _not_an_export(path, f"header {header_line[:60]!r} with no category line and no 'term: (region)'",
                             f"a Google Trends period word ({', '.join(sorted(['Day', 'Week', 'Month']))}, "
                             "or its translation) or a 'Category: ...' line")
    body = pd.read_csv(io.StringIO("\n".join(lines[at:])), sep=delimiter, header=None, dtype=str,
                       keep_default_na=False, skip_blank_lines=True)
    body = body.iloc[:, : len(header)]
    dates, resolution = _dates(body.iloc[:, 0], tz, path)
    terms = [term for term, _ in terms_geo]
    if len(set(terms)) != len(terms):
        raise DataError(f"path: {path.name} names a term twice in its header ({header_line[:80]!r})")
    values, flags = {}, {}
    for i, term in enumerate(terms, start=1):
        column = body.iloc[:, i] if i < body.shape[1] else pd.Series([""] * len(body))
        values[term], zero = _cells(column, term, path)
        flags[term] = np.where(zero, "below_threshold", "")
    wide = pd.DataFrame(values, index=dates)
    long = wide.stack(future_stack=True).rename("value").reset_index()
    long.columns = ["date", "term", "value"]
    long["flags"] = pd.DataFrame(flags, index=dates).stack(future_stack=True).to_numpy()
    long["source"], long["metric"] = SOURCE, METRIC
    out = validate_observations(long)
    out.attrs = {
        "category": _label(preamble[0], delimiter) if preamble else "",
        "geo": dict(terms_geo),
        "resolution": resolution,
        "period": header[0],
    }
    return out


def _data_start(lines: list[str]) -> int | None:
    """Index of the first line that starts with a date and follows a header line."""
    for i, line in enumerate(lines):
        if re.match(r"^[\s\ufeff\"]*\d{4}-\d{2}", line) and i > 0 and lines[i - 1].strip():
            return i
    return None


def _refuse_other_kinds(path: Path, lines: list[str]) -> None:
    """A region or related-queries export handed to the timeline reader gets a message naming it."""
    sections = {line.strip(_SPACES + ",;").upper() for line in lines}
    if {"TOP", "RISING"} & sections:
        raise _not_an_export(path, "TOP/RISING sections of a related queries or topics export",
                             "an interest-over-time export; use read_google_trends_related_csv for this file")
    rows = [line for line in lines if line.strip()]
    if len(rows) > 1 and _region_table(rows[1:] if not _COLON.search(rows[0]) or "(" in rows[0] else rows[2:]):
        raise _not_an_export(path, "an interest-by-region table", "an interest-over-time export; use "
                             "read_google_trends_geo_csv for this file")


def _region_table(rows: list[str]) -> bool:
    return len(rows) > 1 and all(not re.match(r"^\s*\d{4}-\d{2}", r) for r in rows[1:]) and bool(
        re.search(r"[,;]\s*(\d+%?|<\s*1%?)?\s*$", rows[1]))


# ---------------------------------------------------------------- interest by region


def read_google_trends_geo_csv(path: StrPath) -> pd.DataFrame:
    """Read an interest-by-region CSV (``geoMap.csv``) from the Google Trends website.

    Parameters
    ----------
    path : str or Path
        The downloaded file.

    Returns
    -------
    DataFrame
        One row per region and term: ``region`` (as written, in the file's
        language), ``term``, ``value`` (0-100 relative to the top region, or,
        when several terms were compared, each term's percentage share of the
        region's searches), ``flags`` (``below_threshold`` for ``0``/``<1``).
        A region Google had too little data for is NaN. ``frame.attrs``:
        ``category``, ``level`` (the header word: ``Region``, ``DMA``,
        ``City``, ``Регионы`` ...), ``geo`` (region or time range named per
        term) and ``share`` (True when values are percentages).

    Raises
    ------
    DataError
        If the file is missing or not a region export.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "geoMap.csv").write_text(
    ...     "Category: All categories\\n\\nRegion,small caps: (1/1/24 - 12/31/24)\\nTexas,100\\nVermont,\\n",
    ...     encoding="utf-8")
    >>> read_google_trends_geo_csv(folder / "geoMap.csv")[["region", "value"]].to_dict("records")
    [{'region': 'Texas', 'value': 100.0}, {'region': 'Vermont', 'value': nan}]
    """
    path, lines = _read_lines(path)
    rows = [line for line in lines if line.strip(_SPACES + ",;")]
    if not rows:
        raise _not_an_export(path, "an empty file", "a region header such as 'Region,term: (dates)'")
    category = ""
    if _COLON.search(rows[0]) and not _TERM_GEO.match(rows[0].split(_delimiter(rows[0]))[-1]) \
            and len(_fields(rows[0], _delimiter(rows[0]))) == 1:
        category, rows = _label(rows[0], ","), rows[1:]
    if len(rows) < 2 or re.match(r"^\s*\d{4}-\d{2}", rows[1]):
        raise _not_an_export(path, f"{rows[0][:60]!r}" + (" followed by dated rows" if len(rows) > 1 else ""),
                             "a region header such as 'Region,term: (dates)' followed by one row per region")
    delimiter = _delimiter(rows[0])
    header = _fields(rows[0], delimiter)
    body = pd.read_csv(io.StringIO("\n".join(rows[1:])), sep=delimiter, header=None, dtype=str,
                       keep_default_na=False)
    body = body.reindex(columns=range(len(header)), fill_value="")
    terms_geo = [_split_term(h) for h in header[1:]]
    share = body.iloc[:, 1:].apply(lambda c: c.astype(str).str.contains("%")).to_numpy().any()
    parts = []
    for i, (term, _) in enumerate(terms_geo, start=1):
        values, zero = _cells(body.iloc[:, i], term, path)
        parts.append(pd.DataFrame({"region": body.iloc[:, 0].str.strip(_SPACES).to_numpy(), "term": term,
                                   "value": values, "flags": np.where(zero, "below_threshold", "")}))
    out = pd.concat(parts, ignore_index=True)
    out.attrs = {"category": category, "level": header[0], "geo": dict(terms_geo), "share": bool(share)}
    return out


# ---------------------------------------------------------------- related queries and topics


def read_google_trends_related_csv(path: StrPath) -> pd.DataFrame:
    """Read a related-queries or related-topics CSV from the Google Trends website.

    Parameters
    ----------
    path : str or Path
        The downloaded file (``relatedQueries.csv`` or ``relatedEntities.csv``).

    Returns
    -------
    DataFrame
        Columns ``section`` (``top`` or ``rising``), ``rank`` (1 = first row
        of its section), ``query`` (the query or topic), ``value`` (TOP:
        0-100 relative to the first; RISING: percentage growth, NaN for a
        "Breakout") and ``flags`` (``breakout``, or ``below_threshold`` for
        ``<1``). ``frame.attrs``: ``category`` and ``term`` (the header line
        naming the term, region and dates).

    Raises
    ------
    DataError
        If the file is missing or has no TOP or RISING section.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "relatedQueries.csv").write_text(
    ...     'Category: All categories\\n"small caps: (1/1/25 - 12/31/25, United States)"\\n\\nTOP\\nrussell 2000,100\\n\\n'
    ...     "RISING\\nsmall caps etf,+250%\\nrussell 2000 index,Breakout\\n", encoding="utf-8")
    >>> read_google_trends_related_csv(folder / "relatedQueries.csv")[["section", "query", "value", "flags"]].to_dict(
    ...     "records")  # doctest: +NORMALIZE_WHITESPACE
    [{'section': 'top', 'query': 'russell 2000', 'value': 100.0, 'flags': ''},
     {'section': 'rising', 'query': 'small caps etf', 'value': 250.0, 'flags': ''},
     {'section': 'rising', 'query': 'russell 2000 index', 'value': nan, 'flags': 'breakout'}]
    """
    path, lines = _read_lines(path)
    head, rows, section = [], [], None
    for line in lines:
        stripped = line.strip(_SPACES + ",;")
        if not stripped:
            continue
        delimiter = _delimiter(line)
        cells = _fields(line, delimiter)
        if len(cells) == 1 and section is None and stripped.upper() not in ("TOP", "RISING"):
            head.append(stripped.strip('"'))
        elif len(cells) == 1:
            section = stripped.strip('"').lower()
        elif section is not None:
            rows.append((section, cells[0], delimiter.join(cells[1:])))
        else:
            raise _not_an_export(path, f"{line[:60]!r} before any TOP or RISING line",
                                 "a related queries or topics export with TOP and RISING sections")
    if not rows:
        raise _not_an_export(path, "no TOP or RISING section with rows",
                             "a related queries or topics export with TOP and RISING sections")
    frame = pd.DataFrame(rows, columns=["section", "query", "cell"])
    text = frame["cell"].str.strip(_SPACES)
    numeric = text.str.fullmatch(r"[+-]?[\d.,\s\u00a0\u202f]+%?")
    below = text.str.match(_BELOW_ONE.pattern)
    # "Breakout" is translated in other interface languages: any word where a number belongs.
    breakout = (frame["section"] != "top") & ~numeric & ~below
    if ((frame["section"] == "top") & ~numeric & ~below).any():
        odd = text[(frame["section"] == "top") & ~numeric & ~below].iloc[0]
        raise DataError(f"path: non-numeric value {odd!r} in the TOP section of {path.name}")
    cleaned = text.str.replace(r"[+%\s\u00a0\u202f]", "", regex=True).str.replace(",", "", regex=False)
    values = pd.to_numeric(cleaned.mask(below, "0").mask(breakout), errors="coerce")
    frame["value"] = values.astype(float)
    frame["flags"] = np.where(breakout, "breakout", np.where(below, "below_threshold", ""))
    frame["rank"] = frame.groupby("section").cumcount() + 1
    out = frame[["section", "rank", "query", "value", "flags"]].reset_index(drop=True)
    out.attrs = {"category": _label(head[0], ",") if head and _COLON.search(head[0]) and len(head) > 1 else "",
                 "term": head[-1] if head else ""}
    return out
