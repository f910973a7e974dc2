"""A self-contained HTML report: summaries, tables and figures in one file.

Figures are embedded as PNG data URIs, so the report can be mailed or opened
from any folder without its neighbours.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._typing import StrPath
from .errors import DataError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

__all__ = ["write_report"]

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
pre { background: #f6f6f6; padding: .8rem; white-space: pre-wrap; font-size: .85rem; }
img { max-width: 100%; } figure { margin: 1rem 0; }
blockquote { margin: .8rem 0; padding: .2rem 1rem; border-left: 4px solid #ccc; color: #444; font-style: italic; }
table.evidence th { font-weight: normal; color: #555; } caption { text-align: left; font-weight: 600; }
table { border-collapse: collapse; font-size: .85rem; } td, th { padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
.verdict { color: white; border-radius: 3px; padding: .1rem .4rem; white-space: nowrap; font-size: .8rem; }
.supported { background: #55a868; } .not-supported { background: #c44e52; } .not-checkable { background: #8c8c8c; }
tr:nth-child(even) { background: #f6f6f6; }
.notes li { margin-bottom: .3rem; }
footer { color: #777; font-size: .8rem; margin-top: 3rem; }
"""


def _figure_tag(result: Any) -> str:
    """``result.plot()`` as an ``<img>`` with the PNG inline and alt text saying what it shows."""
    import matplotlib

    # The report is written off-screen; never open a window for it.
    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline"):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = result.plot()
    alt = _describe_figure(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></figure>'


def _describe_figure(fig: Figure) -> str:
    """What a figure shows, in words, from its own artists: kind, title, series, and the data's ranges."""
    return " ".join(filter(None, (_describe_axes(ax) for ax in fig.axes))) or "Figure."


def _describe_axes(ax: Axes) -> str:
    import matplotlib.dates as mdates
    from matplotlib.patches import Rectangle

    title = ax.get_title()
    named = f' titled "{title}"' if title else ""
    if not ax.axison:  # a diagram: its words are what it shows
        texts = [" ".join(t.get_text().split()) for t in ax.texts if t.get_text().strip()]
        listed = f" with the labels {'; '.join(texts)}" if texts else ""
        return f"Diagram{named}{listed}." if title or texts else ""
    # Zero lines and other references (axhline, axvline) are drawn in axes coordinates: not data.
    lines = [ln for ln in ax.get_lines()
             if ln.get_gid() != "reference" and ln.get_transform() == ax.transData and np.size(ln.get_xdata()) > 1]
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_gid() != "reference"]
    if lines and all(ln.get_linestyle() in ("None", "none", "") for ln in lines):
        kind = "Scatter plot"
    elif lines:
        kind = "Line chart"
    elif bars:
        kind = f"Bar chart ({len(bars)} bars)"
    else:
        kind = "Chart"
    words = [kind + named]
    labels = [t for t in ax.get_legend_handles_labels()[1] if not t.startswith("_")]
    if labels:
        words.append("showing " + "; ".join(labels))
    xs = [np.asarray(ln.get_xdata(orig=False), dtype=float) for ln in lines]
    ys = [np.asarray(ln.get_ydata(orig=False), dtype=float) for ln in lines]
    xs.append(np.array([p.get_x() + p.get_width() / 2 for p in bars]))
    ys.append(np.array([p.get_height() for p in bars]))
    for name, axis, values in (("x", ax.xaxis, np.concatenate(xs)), ("y", ax.yaxis, np.concatenate(ys))):
        values = values[np.isfinite(values)]
        dates = isinstance(axis.get_major_formatter(), (mdates.DateFormatter, mdates.AutoDateFormatter,
                                                        mdates.ConciseDateFormatter))
        categories = [] if dates else _categories(axis)
        if categories:
            shown = categories if len(categories) <= 4 else [*categories[:2], "...", categories[-1]]
            words.append(f"{name} axis {len(categories)} categories ({', '.join(shown)})")
        elif values.size and dates:
            lo, hi = (mdates.num2date(v) for v in (values.min(), values.max()))
            words.append(f"{name} axis dates {lo:%Y-%m-%d} to {hi:%Y-%m-%d}")
        elif values.size:
            label = axis.get_label_text()
            words.append(f"{name} axis{' ' + label if label else ''} from {values.min():.4g} to {values.max():.4g}")
    return ", ".join(words) + "."


def _categories(axis: Axis) -> list[str]:
    """Tick labels that name things (set with ``set_xticks(x, labels)``), not numbers."""
    texts = [t.get_text() for t in axis.get_majorticklabels() if t.get_text().strip()]
    if texts and any(not _NUMBER.fullmatch(t) for t in texts):
        return texts
    return []


_NUMBER = re.compile(r"[\u2212+-]?[\d.,]+(?:e[\u2212+-]?\d+)?%?")


def write_report(results: Mapping[str, Any], folder: StrPath, *, title: str = "market-attention report",
                 intro: str = "", notes: Iterable[str] = ()) -> Path:
    """Write ``index.html`` with one section per result into ``folder``.

    Parameters
    ----------
    results : dict
        Section title -> any result object of this library (anything with
        ``summary()`` and ``plot()``). One with ``report_html(figure)``
        renders itself, calling ``figure(result)`` where
        a figure belongs.
    folder : str or Path
        Created if missing; an existing ``index.html`` is replaced.
    title, intro : str
    notes : sequence of str
        Caveats listed at the end.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    DataError
        If ``results`` is empty or ``folder`` is an existing file.

    Examples
    --------
    Any object with ``summary()`` and ``plot()`` makes a section; one with ``report_html(figure)`` renders
    itself:

    >>> import tempfile
    >>> class Finding:
    ...     def report_html(self, figure):
    ...         return "<p>Search interest led flows by one week.</p>"
    >>> path = write_report({"Small caps": Finding()}, tempfile.mkdtemp(), title="Rotation check",
    ...                     notes=["Weekly data; 2024 only."])
    >>> path.name, "led flows by one week" in path.read_text(encoding="utf-8")
    ('index.html', True)
    """
    if not results:
        raise DataError("results: nothing to report")
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise DataError(f"folder: {out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    if intro:
        parts.append(f"<p>{html.escape(intro)}</p>")
    for name, result in results.items():
        parts.append(f"<h2>{html.escape(name)}</h2>")
        # A result may render itself (prose and tables read better than text), placing its own figures.
        if hasattr(result, "report_html"):
            parts.append(result.report_html(figure=_figure_tag))
        else:
            parts += [f"<pre>{html.escape(result.summary())}</pre>", _figure_tag(result)]
    if notes:
        parts.append("<h2>Notes</h2><ul class='notes'>")
        parts += [f"<li>{html.escape(n)}</li>" for n in notes]
        parts.append("</ul>")
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts.append(f"<footer>Written by market-attention on {stamp}.</footer></body></html>")
    path = out / "index.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
