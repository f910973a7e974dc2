"""Command line: parse, call the library, format. No analysis lives here."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import AttentionError, AttentionWarning, DataError

if TYPE_CHECKING:
    import pandas as pd

    from .claims import Claims
    from .collectors import Politeness

_EPILOG = """\
examples:
  attention demo                       run every check on the embedded data, write ./attention-report/
  attention demo --as-of 2026-01-22    the article's checks one week later
  attention demo --json > demo.json    machine-readable numbers
  attention demo --no-report           print only
"""

_MAIN_EPILOG = """\
examples:
  attention demo                                  the whole method offline on the shipped data
  attention claims                                the January 2026 article's claims, checked
  attention report --out my-report                the demo's HTML report only
  attention collect trends "small cap stocks" --start 2025-01-01 --resolution daily
  attention collect reddit --start 2026-01-01 --end 2026-01-16
  attention collect flows IWM SPY XLK --start 2025-06-01 --end 2026-01-31
  attention run --start 2023-01-01 --end 2026-01-31   collect, test and report (needs the network)

Every command has its own --help with examples.
"""

_INTRO = "Every number below was computed from the real data shipped with the package."

_REDDIT_EPILOG = """\
examples:
  attention collect reddit --start 2026-01-01 --end 2026-01-16           Arctic Shift, no credentials
  attention collect reddit "small-cap stocks" --subreddits wallstreetbets smallstreetbets --start 2026-01-10
  attention collect reddit --backend praw --start 2026-01-14             needs praw credentials
  attention collect reddit --archives RS_2024-06.zst RC_2024-06.zst      monthly dump files
  attention collect reddit "Magnificent Seven" --basket --start 2026-01-14  also count $AAPL ... $TSLA
  attention collect reddit --archives s3://bucket/RC_2024-*.zst --scheduler tcp://10.0.0.5:8786 \
      --checkpoint scan-2024                                             on a Dask cluster, resumable

Credentials for --backend praw come from praw's environment variables (praw_client_id,
praw_client_secret, praw_user_agent) or praw.ini; they are never printed or stored.
"""

_TRENDS_EPILOG = """\
examples:
  attention collect trends                                    the three default themes, last 12 months
  attention collect trends "small cap stocks" "AI stocks" --start 2025-06-01 --end 2026-01-31
  attention collect trends debt --start 2023-01-01 --resolution daily --benchmark --out debt.csv
  attention collect trends --json > trends.json               summary and observations as JSON
  attention collect trends --backend official --resolution weekly --credentials sa.json
                                                              Google's Trends API (alpha), one scale

Every answer is kept in a SQLite store (default: the user data folder, or
$ATTENTION_STORE), so an interrupted run resumes where it stopped and a rerun
sends no request that was already answered.
"""

_NETWORK_NOTE = """
Without a network the command stops within seconds ("cannot reach <host>: no
network?"); rate limits and server errors are retried with backoff (--retries,
--timeout). With --json, an error is printed as a JSON object on stdout and
the exit status is 2.
"""


def _add_network_options(parser: argparse.ArgumentParser) -> None:
    """How long to wait and how often to retry: the options of every command that uses the network."""
    parser.add_argument("--timeout", type=_seconds, metavar="SECONDS",
                        help="seconds to wait for one answer (default: the source's, 30-90)")
    parser.add_argument("--retries", type=_count, metavar="N",
                        help="retries of a request after a rate limit, server error or dropped connection"
                             " (default: 5; 4 for praw)")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds > 0, got {text!r}")
    return value


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return int(text)


def _politeness(args: argparse.Namespace, default: Politeness | None = None) -> Politeness | None:
    """The source's default pacing with the --timeout/--retries given, or None when neither is."""
    import dataclasses

    from .claims import Claims
    from .collectors import Politeness

    changes = {name: value for name, value in (("timeout", args.timeout), ("max_retries", args.retries))
               if value is not None}
    if not changes:
        return None
    return dataclasses.replace(default or Politeness(), **changes)


_FLOWS_EPILOG = """\
examples:
  attention collect flows IWM SPY XLK --start 2025-01-01 --end 2026-01-31
  attention collect flows XLB XLC XLE XLF XLI XLK XLP XLRE XLU XLV XLY --start 2025-12-01   sector funds
  attention collect flows IWM --start 2026-01-02 --out iwm_shares.csv
  attention collect flows SPY --json > spy.json

SPDR funds (SPY, XLB ... XLY) cost one request each: the issuer's workbook holds the whole
history. iShares funds (IWM, IJR, IVV, IWB) cost one request per trading day; weekends and
holidays are never asked for, and a rerun with the same store resumes where it stopped.
Other funds (QQQ, Vanguard): download their history and use attention.read_etf_shares().
Flows follow with attention.etf_flows (docs/flows.md).
"""


def _add_collect_outputs(parser: argparse.ArgumentParser) -> None:
    """Where a collection goes: the options every `attention collect` source shares."""
    parser.add_argument("--store", help="SQLite store path (default: user data folder or $ATTENTION_STORE)")
    parser.add_argument("--no-store", action="store_true", help="keep nothing on disk")
    parser.add_argument("--out", help="write observations to a .csv or .parquet file")
    parser.add_argument("--json", action="store_true", help="print a JSON summary with the observations")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="attention",
        description="Measure attention to market themes and test whether it leads flows and prices.",
        epilog=_MAIN_EPILOG,
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
    claims = sub.add_parser(
        "claims",
        help="check the January 2026 small-cap article's claims on real prices",
        description="Check every checkable claim of the January 2026 small-cap article on the shipped prices.",
        epilog="examples:\n  attention claims\n  attention claims --as-of 2026-01-22 --large ES=F\n"
        "  attention claims --json > claims.json\n"
        "  attention claims --sectors     the sector claim too, on the SPDR sector funds' NAVs (11 requests)\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    claims.add_argument("--as-of", default="2026-01-16", help="the article's date (default: %(default)s)")
    claims.add_argument("--small", default="^RUT", help="small-cap series (default: %(default)s)")
    claims.add_argument("--large", default="SPY", help="large-cap series (default: %(default)s)")
    claims.add_argument("--json", action="store_true", help="print JSON")
    claims.add_argument("--sectors", action="store_true",
                        help="collect the eleven SPDR sector funds' NAVs to check the sector claim (needs the network)")
    claims.add_argument("--store", help="SQLite store for --sectors (default: user data folder or $ATTENTION_STORE)")
    run = sub.add_parser(
        "run",
        help="the live pipeline: collect, score, test the loop per theme, check the claims, write the report",
        description=(
            "Collect Google Trends and Reddit for the themes (needs the network; resumable through the store),"
            " test the feedback loop per theme and source against the themes' ETFs, check the article's claims"
            " and write the HTML report."
        ),
        epilog="examples:\n  attention run --start 2023-01-01 --end 2026-01-31\n"
        "  attention run --no-reddit --prices yfinance --end 2026-11-20\n"
        "  attention run --prices my_prices.csv --out my-report\n"
        "  attention run --timeout 20 --retries 2 --json\n" + _NETWORK_NOTE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("themes", nargs="*", help="default theme names (default: all three)")
    run.add_argument("--start", help="first day (default: three years before --end)")
    run.add_argument("--end", help="last day (default: the last price date)")
    run.add_argument("--prices", help="a yfinance-layout CSV, or 'yfinance' (extra) (default: the shipped data)")
    run.add_argument("--no-google", action="store_true", help="skip Google Trends")
    run.add_argument("--no-reddit", action="store_true", help="skip Reddit")
    run.add_argument("--reddit-backend", default="arctic_shift", choices=["arctic_shift", "praw"])
    run.add_argument("--store", help="SQLite store path (default: user data folder or $ATTENTION_STORE)")
    run.add_argument("--out", default="attention-report", help="report folder (default: %(default)s)")
    run.add_argument("--surrogates", type=int, default=999, help="surrogates per loop link (default: 999)")
    run.add_argument("--flows", choices=["issuers", "proxy"], default="issuers",
                     help="flows: net creations from the ETF issuers' files, or the dollar-volume proxy "
                          "(default: %(default)s; a theme whose funds cannot be collected falls back to the proxy,"
                          " labelled)")
    run.add_argument("--flows-file", nargs="+", metavar="FILE",
                     help="shares outstanding files to use instead of collecting (see attention.read_etf_shares)")
    run.add_argument("--json", action="store_true", help="print the loop screen as JSON")
    _add_network_options(run)
    report = sub.add_parser(
        "report",
        help="write the HTML report of the demo (offline, the shipped data)",
        description="Write the self-contained HTML report of `attention demo` without printing the summary.",
        epilog="examples:\n  attention report\n  attention report --out docs/report\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("--out", default="attention-report", help="report folder (default: %(default)s)")
    report.add_argument("--as-of", default="2026-01-16", help="date of the article checks (default: %(default)s)")
    collect = sub.add_parser("collect", help="collect attention data (or ETF shares for flows) from a source",
                             description="Collect attention data, or ETF shares outstanding for flows, from a source.")
    sources = collect.add_subparsers(dest="source", metavar="SOURCE", required=True)
    trends = sources.add_parser(
        "trends",
        help="Google Trends search interest on one scale",
        description="Collect Google Trends search interest for any number of terms on one scale.",
        epilog=_TRENDS_EPILOG + _NETWORK_NOTE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    trends.add_argument("terms", nargs="*", help="search terms (default: the three default themes)")
    trends.add_argument("--start", help="first day, YYYY-MM-DD (default: a year before --end)")
    trends.add_argument("--end", help="last day, YYYY-MM-DD (default: today)")
    trends.add_argument("--geo", default="US", help="region code, '' for worldwide (default: %(default)s)")
    trends.add_argument("--category", type=int, default=0, help="Google Trends category id (default: 0, all)")
    trends.add_argument("--gprop", default="", choices=["", "images", "news", "youtube", "froogle"],
                        help="Google property (default: web search)")
    trends.add_argument("--resolution", default="auto", choices=["auto", "daily", "weekly", "monthly", "yearly"],
                        help="auto: one request per batch; daily/weekly: chain windows; monthly/yearly: official "
                             "backend only (default: %(default)s)")
    trends.add_argument("--anchor", default="auto", help="anchor term shared by batches of five (default: auto)")
    trends.add_argument("--draws", type=int, default=1, help="ask each request N times and average (default: 1)")
    trends.add_argument("--benchmark", action="store_true", help="rescale chained windows to one coarse pull")
    trends.add_argument("--include-partial", action="store_true", help="keep the unfinished last period")
    trends.add_argument("--backend", default="web", choices=["web", "official"],
                        help="web: the website's endpoint; official: Google's Trends API (alpha, needs access and "
                             "Google credentials) (default: %(default)s)")
    trends.add_argument("--credentials", metavar="FILE",
                        help="official backend: a service-account JSON file (default: application-default "
                             "credentials; an API key is read from $GOOGLE_TRENDS_API_KEY)")
    trends.add_argument("--project", help="official backend: the Google Cloud project to bill")
    _add_network_options(trends)
    _add_collect_outputs(trends)
    reddit = sources.add_parser(
        "reddit",
        help="Reddit mentions and sentiment per theme and day",
        description=(
            "Count and score what Reddit says about each theme, per day: from the Arctic Shift API (no"
            " credentials), the Reddit API through praw (credentials from praw's environment variables or"
            " praw.ini), or monthly archive files (.zst dumps)."
        ),
        epilog=_REDDIT_EPILOG + _NETWORK_NOTE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    reddit.add_argument("themes", nargs="*", help="default theme names (default: all three)")
    reddit.add_argument("--start", help="first day, YYYY-MM-DD")
    reddit.add_argument("--end", help="last day, YYYY-MM-DD (default: today)")
    reddit.add_argument("--subreddits", nargs="+", help="subreddits (default: wallstreetbets stocks investing"
                        " StockMarket smallstreetbets)")
    reddit.add_argument("--backend", default="arctic_shift", choices=["arctic_shift", "praw"],
                        help="where to read (default: %(default)s); see --archives for dump files")
    reddit.add_argument("--archives", nargs="+", metavar="FILE",
                        help="read these .zst dump files (paths or URLs: s3://, gs://, https://) instead")
    reddit.add_argument("--scheduler", metavar="ADDRESS",
                        help="with --archives: scan on the Dask cluster at this scheduler address")
    reddit.add_argument("--checkpoint", metavar="FOLDER",
                        help="with --archives: keep each file's result here; a rerun skips finished files")
    reddit.add_argument("--basket", action="store_true", help="also count the member tickers of themes that have"
                        " a basket ($AAPL, $NVDA... for the Magnificent Seven)")
    _add_network_options(reddit)
    _add_collect_outputs(reddit)
    flows = sources.add_parser(
        "flows",
        help="ETF shares outstanding and NAV from the issuers (the raw material of flows)",
        description=(
            "Collect daily shares outstanding (and NAV where the issuer gives it) of ETFs from their issuers'"
            " own files: State Street SPDR NAV-history workbooks and iShares holdings files. Net creations"
            " (flows) are the change in shares outstanding times NAV: attention.etf_flows."
        ),
        epilog=_FLOWS_EPILOG + _NETWORK_NOTE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    flows.add_argument("tickers", nargs="+", help="ETF tickers (SPDR: SPY, XLB ... XLY; iShares: IJR, IVV, IWB, IWM)")
    flows.add_argument("--start", help="first day, YYYY-MM-DD (default: a year before --end)")
    flows.add_argument("--end", help="last day, YYYY-MM-DD (default: today)")
    _add_network_options(flows)
    _add_collect_outputs(flows)
    return parser


def _collect(args: argparse.Namespace) -> int:
    return {"trends": _collect_trends, "reddit": _collect_reddit, "flows": _collect_flows}[args.source](args)


def _collect_flows(args: argparse.Namespace) -> int:
    from .collectors import collect_etf_shares
    from .collectors.etf.collect import ISSUER_POLITENESS
    from .store import Store

    store = None if args.no_store else Store(args.store)
    try:
        frame = collect_etf_shares(args.tickers, args.start, args.end, store=store,
                                   politeness=_politeness(args, ISSUER_POLITENESS),
                                   progress=not args.no_progress and not args.json)
    finally:
        if store is not None:
            store.close()
    meta = frame.attrs["etf_shares"]
    lines = [f"ETF shares outstanding: {len(meta['issuers'])} fund(s), {meta['trading_days']} trading days",
             (f"files fetched: {meta['fetched']}, read from the store: {meta['cached']}, "
              f"skipped (no holdings that day): {meta['skipped']}")]
    shares = frame[frame["metric"] == "shares_outstanding"]
    for ticker, issuer in meta["issuers"].items():
        rows = shares[shares["term"] == ticker]
        span = (f"{rows['date'].min():%Y-%m-%d} to {rows['date'].max():%Y-%m-%d}, {len(rows)} days"
                if len(rows) else "no days in range")
        nav = "with NAV" if ((frame["term"] == ticker) & (frame["metric"] == "nav")).any() else "no NAV in its files"
        lines.append(f"  {ticker} ({issuer}): {span}, {nav}")
    if store is not None:
        lines.append(f"store: {store.path}")
    if args.out:
        _write(frame, args.out)
        lines.append(f"wrote {args.out}")
    _report(lines, frame, args.json)
    return 0


def _collect_reddit(args: argparse.Namespace) -> int:
    from .collectors import collect_reddit
    from .collectors._reddit_http import ARCTIC_SHIFT_POLITENESS, PRAW_POLITENESS
    from .collectors.archives import DEFAULT_SUBREDDITS, read_reddit_archives
    from .store import Store

    subreddits = tuple(args.subreddits) if args.subreddits else DEFAULT_SUBREDDITS
    themes = args.themes or None
    if args.basket:
        from .themes import DEFAULT_THEMES, get_theme

        themes = [get_theme(t, basket=bool(get_theme(t).basket)) for t in themes or DEFAULT_THEMES]
    progress = not args.no_progress and not args.json
    if (args.scheduler or args.checkpoint) and not args.archives:
        raise DataError("--scheduler and --checkpoint: only used with --archives")
    if args.archives:
        with _dask_client(args.scheduler) as client:
            frame = read_reddit_archives(args.archives, subreddits=subreddits, themes=themes, start=args.start,
                                         end=args.end, progress=progress, client=client,
                                         checkpoint=args.checkpoint)
        meta = frame.attrs["reddit"]
        report = meta["accounting"]
        dropped = ", ".join(f"{n} {reason}" for reason, n in report["dropped"].items() if n)
        lines = [f"Reddit archives: {meta['files']} file(s), {meta['resumed']} from the checkpoint",
                 f"lines: {report['read']} read, {report['kept']} kept" + (f"; dropped: {dropped}" if dropped else "")]
        lines += [f"FAILED {name}: {message}" for name, message in meta["failed"].items()]
    else:
        store = None if args.no_store else Store(args.store)
        try:
            default = ARCTIC_SHIFT_POLITENESS if args.backend == "arctic_shift" else PRAW_POLITENESS
            frame = collect_reddit(themes, subreddits, args.start, args.end, backend=args.backend, store=store,
                                   politeness=_politeness(args, default), progress=progress)
        finally:
            if store is not None:
                store.close()
        meta = frame.attrs.get("reddit", {})
        lines = [f"Reddit via {args.backend}: {meta.get('items', 0)} items read"]
        if "pages_fetched" in meta:
            lines.append(f"pages fetched: {meta['pages_fetched']}, read from the store: {meta['pages_cached']}")
        if store is not None:
            lines.append(f"store: {store.path}")
    mentions = frame[frame["metric"] == "mentions"].groupby("term")["value"].sum()
    for term, n in mentions.items():
        lines.append(f"  {term}: {int(n)} mentions")
    if mentions.empty:
        lines.append("  no item mentions any theme in this range")
    if args.out:
        _write(frame, args.out)
        lines.append(f"wrote {args.out}")
    _report(lines, frame, args.json)
    return 0


@contextlib.contextmanager
def _dask_client(address: str | None) -> Iterator[Any]:
    """A Dask client connected to ``address``, or None without one."""
    if not address:
        yield None
        return
    from .collectors._archive_runs import distributed_module

    distributed = distributed_module()
    try:
        client = distributed.Client(address, timeout="30s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise DataError(f"--scheduler: cannot connect to {address!r} ({exc})") from None
    with client:
        yield client


def _report(lines: list[str], frame: pd.DataFrame, as_json: bool) -> None:
    if as_json:
        payload = {"summary": lines, "observations": json.loads(frame.to_json(orient="records", date_format="iso"))}
        print(json.dumps(payload, indent=2))
    else:
        print("\n".join(lines))


def _collect_trends(args: argparse.Namespace) -> int:
    from .collectors import collect_google_trends
    from .collectors.google_official import OFFICIAL_POLITENESS
    from .store import Store

    store = None if args.no_store else Store(args.store)
    try:
        frame = collect_google_trends(
            args.terms or None,
            args.start,
            args.end,
            geo=args.geo,
            category=args.category,
            gprop=args.gprop,
            resolution=args.resolution,
            anchor=args.anchor,
            draws=args.draws,
            benchmark=args.benchmark,
            include_partial=args.include_partial,
            store=store,
            politeness=_politeness(args, OFFICIAL_POLITENESS if args.backend == "official" else None),
            progress=not args.no_progress and not args.json,
            **_official_args(args),
        )
    finally:
        if store is not None:
            store.close()
    meta = frame.attrs["google_trends"]
    if args.out:
        _write(frame, args.out)
    values = frame[frame["metric"] == "search_interest"]
    lines = [
        f"Google Trends ({meta.get('backend', 'web')}), geo {meta['geo'] or 'worldwide'}: "
        f"{values['term'].nunique()} term(s), "
        f"{values['date'].min():%Y-%m-%d} to {values['date'].max():%Y-%m-%d}, {len(values)} values",
        f"answers fetched: {meta['fetched']}, read from the store: {meta['cached']}"
        + (f", partial points skipped: {meta['dropped_partial']}" if "dropped_partial" in meta else ""),
    ]
    if meta.get("anchor"):
        anchors = meta["anchor"] if isinstance(meta["anchor"], list) else [meta["anchor"]]
        lines.append(f"anchor(s): {', '.join(map(repr, anchors))} across {len(meta['batches'])} batches")
    if len(meta.get("windows", ())) > 1:
        lines.append(f"windows chained: {len(meta['windows'])}")
    if store is not None:
        lines.append(f"store: {store.path}")
    if args.out:
        lines.append(f"wrote {args.out}")
    _report(lines, frame, args.json)
    return 0


def _official_args(args: argparse.Namespace) -> dict[str, Any]:
    """The official backend's settings; credentials come from a file or the environment, never the command line."""
    if args.backend == "web":
        return {}
    return {"backend": "official", "credentials": args.credentials, "project": args.project,
            "api_key": os.environ.get("GOOGLE_TRENDS_API_KEY") or None}


def _write(frame: pd.DataFrame, path: str) -> None:
    from .errors import DataError

    if path.endswith(".parquet"):
        try:
            frame.to_parquet(path, index=False)
        except ImportError as exc:
            from .errors import MissingDependencyError

            raise MissingDependencyError("writing parquet needs pyarrow: pip install 'market-attention[parquet]'") from exc
    elif path.endswith(".csv"):
        frame.to_csv(path, index=False)
    else:
        raise DataError(f"--out: expected a .csv or .parquet file name, got {path!r}")


def _claims(args: argparse.Namespace) -> int:
    from .claims import check_article

    sectors = None
    if args.sectors:
        import pandas as pd

        from .claims import SECTOR_FUNDS
        from .collectors import collect_etf_shares
        from .store import Store

        day = pd.Timestamp(args.as_of)
        with Store(args.store) as store:
            sectors = collect_etf_shares(list(SECTOR_FUNDS), pd.Timestamp(day.year - 1, 12, 1), day, store=store)
    claims = check_article(None, args.as_of, small=args.small, large=args.large, sectors=sectors)
    if args.json:
        print(json.dumps(_claim_records(claims), indent=2))
    else:
        print(claims.summary())
    return 0


def _claim_records(claims: Claims) -> list[dict[str, Any]]:
    """One JSON object per claim, with its stable ``id``."""
    records: list[dict[str, Any]] = json.loads(claims.to_frame().reset_index().to_json(orient="records"))
    return records


def _run(args: argparse.Namespace) -> int:
    from .pipeline import run
    from .store import Store

    store = Store(args.store)
    try:
        flows = None if args.flows == "issuers" else "proxy"
        if args.flows_file:
            import pandas as pd

            from .collectors import read_etf_shares

            flows = pd.concat([read_etf_shares(f) for f in args.flows_file], ignore_index=True)
        result = run(args.themes or None, args.start, args.end, prices=args.prices, google=not args.no_google,
                     reddit=not args.no_reddit, reddit_backend=args.reddit_backend, store=store,
                     n_surrogates=args.surrogates, report=args.out, politeness=_politeness(args),
                     progress=not args.json, flows=flows)
    finally:
        store.close()
    if args.json:
        print(json.dumps({"screen": json.loads(result.screen.reset_index().to_json(orient="records")),
                          "claims": _claim_records(result.claims), "flows": result.flow_measures,
                          "report": str(result.report)}, indent=2))
    else:
        print(result.summary())
    return 0


def _report_only(args: argparse.Namespace) -> int:
    from .demo import run_demo
    from .report import write_report

    result = run_demo(args.as_of)
    path = write_report(result.results(), args.out, title="market-attention demo", intro=_INTRO, notes=result.notes)
    print(f"Report with figures: {path}")
    return 0


def _demo(args: argparse.Namespace) -> int:
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
            intro=_INTRO,
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``attention`` command."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", AttentionWarning)
            command = {"collect": _collect, "claims": _claims, "demo": _demo, "run": _run,
                       "report": _report_only}[args.command]
            code = command(args)
        for w in caught:
            if issubclass(w.category, AttentionWarning):
                print(f"attention: warning: {w.message}", file=sys.stderr)
            else:
                warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        return code
    except AttentionError as exc:
        print(f"attention: error: {exc}", file=sys.stderr)
        if getattr(args, "json", False):
            # Machines read stdout: the error as a JSON object there, never an empty stdout.
            error = {"type": type(exc).__name__, "message": str(exc), "source": getattr(exc, "source", None),
                     "url": getattr(exc, "url", None)}
            print(json.dumps({"error": error}, indent=2))
        return 2
    except BrokenPipeError:  # the reader went away (e.g. `| head`): not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("attention: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
