"""What each pass of the archive scan costs, against decompressing the same file.

Run from the repository root (under a minute):

    python benchmarks/scan_passes.py [--lines 60000]

One monthly comment file as ``benchmarks/dask_scan.py`` writes it (real
r/wallstreetbets bodies, 2% of lines in the wanted subreddits, zstd with the
dumps' 2 GiB window) is decompressed into 1 MiB chunks, and every pass the
scan makes over each chunk is timed alone, as a multiple of decompressing
the file (best of five, taking turns). The passes every line needs (line
count, the subreddit search) set a floor under the scan's ratio whatever the
rest costs. The same passes are also timed with StringZilla's SIMD search
and count when it is installed (``pip install stringzilla``; not a dependency
of the library), as the floor a compiled search would reach.
"""

from __future__ import annotations

import argparse
import codecs
import tempfile
from pathlib import Path

import zstandard
from archives import decompress_only, interleaved, write_dump
from dask_scan import month_lines, wsb_texts

from attention.collectors.archives import (
    DEFAULT_SUBREDDITS,
    MAX_WINDOW,
    _aliases,
    _candidates,
    _subreddit_prefilter,
    _Tally,
)
from attention.themes import DEFAULT_THEMES

CHUNK = 2**20


def chunks_of(path: Path) -> list[bytearray]:
    """The file's NDJSON in chunks of whole lines, about 1 MiB each."""
    with open(path, "rb") as fh, zstandard.ZstdDecompressor(max_window_size=MAX_WINDOW).stream_reader(fh) as reader:
        data = reader.read()
    out, start = [], 0
    while start < len(data):
        stop = data.rfind(b"\n", start, start + CHUNK) + 1 or len(data)
        out.append(bytearray(data[start:stop]))
        start = stop
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=60_000)
    args = parser.parse_args()
    names = [n.lower() for n in DEFAULT_SUBREDDITS]
    subreddit, aliases, tally = _subreddit_prefilter(names), _aliases(DEFAULT_THEMES), _Tally()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "RC_2024-06.zst"
        size = write_dump(path, month_lines(wsb_texts(), args.lines, 0, seed=0))
        chunks = chunks_of(path)
        # The lines of the wanted subreddits, joined per chunk as the scan joins them for the alias search.
        wanted = [b"\n".join(list(_candidates(c, len(c), True, subreddit, None))) for c in chunks]

        def validate() -> None:
            for c in chunks:  # the decoded text is dropped at once, as the scan does
                codecs.utf_8_decode(c, "strict", True)

        passes = {
            "decompression only (the floor)": lambda: decompress_only(path),
            "line count, '}' check, UTF-8 (the tally)": lambda: [tally(c, len(c)) for c in chunks],
            "  of which UTF-8 validation": validate,
            "subreddit search (re, any case)": lambda: [list(subreddit.finditer(c)) for c in chunks],
            f"alias search on the wanted lines ({len(aliases.keys)} literals)": lambda: [
                aliases.lines(w, len(w)) for w in wanted],
            "the whole prefilter (subreddit, then aliases)": lambda: [
                list(_candidates(c, len(c), True, subreddit, aliases)) for c in chunks],
        }
        try:
            import stringzilla as sz
        except ImportError:
            sz = None
        if sz is not None:
            needles = [f'breddit":"{n}"'.encode() for n in DEFAULT_SUBREDDITS]

            def find_all(find, chunk, needle):
                at = find(chunk, needle)
                while at >= 0:
                    at = find(chunk, needle, at + 1)

            passes |= {
                "subreddit search (StringZilla, exact case)": lambda: [
                    find_all(sz.find, c, n) for c in chunks for n in needles],
                "subreddit search (StringZilla, any case)": lambda: [
                    find_all(sz.utf8_uncased_search, c, n) for c in chunks for n in needles],
                "line count and '}' check (StringZilla)": lambda: [
                    (sz.count(c, b"\n"), sz.count(c, b"}\n")) for c in chunks],
            }
        best = interleaved(passes)
    floor = best["decompression only (the floor)"]
    print(f"one file: {args.lines:,} lines, {size / 1e6:.0f} MB NDJSON, {len(chunks)} chunks, "
          f"{sum(map(len, wanted)) / 1e6:.2f} MB in the wanted subreddits; decompression {size / 1e6 / floor:.0f} MB/s")
    print(f"{'pass over every chunk':<50}{'ms':>8}{'x decompression':>17}")
    for name, seconds in best.items():
        print(f"{name:<50}{seconds * 1e3:>8.1f}{seconds / floor:>16.2f}x")


if __name__ == "__main__":
    main()
