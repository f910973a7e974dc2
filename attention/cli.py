"""Command line: parse, call the library, format. No analysis lives here."""

from __future__ import annotations

import argparse
import json
import sys
import time

from . import __version__
from .errors import AttentionError

_EPILOG = """\
examples:
  attention demo                       run every check on the embedded data, write ./attention-report/
  attention demo --as-of 2026-01-22    the article's checks one week later
  attention demo --json > demo.json    machine-readable numbers
  attention demo --no-report           print only
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="attention",
        description="Measure attention to market themes and test whether it leads flows and prices.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"market-attention {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser(
        "demo",
        help="run the whole method offline on the embedded real data",
        description=(
            "Check the January 2026 small-cap story on real prices, test the returns -> attention ->"
            " flows -> returns loop on real weekly search data (2004-2011), and replicate Preis,"
            " Moat & Stanley (2013). Runs offline in seconds."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    demo.add_argument("--as-of", default="2026-01-16", help="date of the article checks (default: %(default)s)")
    demo.add_argument("--out", default="attention-report", help="folder for the HTML report (default: %(default)s)")
    demo.add_argument("--no-report", action="store_true", help="do not write the HTML report")
    demo.add_argument("--json", action="store_true", help="print JSON instead of text")
    demo.add_argument("--surrogates", type=int, default=999, help="surrogates per loop link (default: %(default)s)")
    demo.add_argument("--seed", type=int, default=2026, help="random seed of the surrogates (default: %(default)s)")
    return parser


def _demo(args) -> int:
    from .demo import run_demo

    started = time.perf_counter()
    result = run_demo(args.as_of, n_surrogates=args.surrogates, seed=args.seed)
    path = None
    if not args.no_report:
        from .report import write_report

        path = write_report(
            result.results(),
            args.out,
            title="market-attention demo",
            intro="Every number below was computed from the real data shipped with the package.",
            notes=result.notes,
        )
    if args.json:
        payload = result.to_dict()
        payload["report"] = str(path) if path else None
        print(json.dumps(payload, indent=2, default=str))
    else:
        print(result.summary())
        print()
        if path:
            print(f"Report with figures: {path}")
        print(f"Done in {time.perf_counter() - started:.1f} s.")
    return 0


def main(argv=None) -> int:
    """Entry point of the ``attention`` command."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return _demo(args)
    except AttentionError as exc:
        print(f"attention: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("attention: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
