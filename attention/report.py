"""A self-contained HTML report: summaries, tables and figures in one file.

Figures are embedded as PNG data URIs, so the report can be mailed or opened
from any folder without its neighbours.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ._typing import StrPath
from .errors import DataError

__all__ = ["write_report"]

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
pre { background: #f6f6f6; padding: .8rem; white-space: pre-wrap; font-size: .85rem; }
img { max-width: 100%; }
table { border-collapse: collapse; font-size: .85rem; } td, th { padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
.verdict { color: white; border-radius: 3px; padding: .1rem .4rem; white-space: nowrap; font-size: .8rem; }
.supported { background: #55a868; } .not-supported { background: #c44e52; } .not-checkable { background: #8c8c8c; }
tr:nth-child(even) { background: #f6f6f6; }
.notes li { margin-bottom: .3rem; }
footer { color: #777; font-size: .8rem; margin-top: 3rem; }
"""


def _figure_tag(result: Any) -> str:
    import matplotlib

    # The report is written off-screen; never open a window for it.
    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline"):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = result.plot()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img alt="figure" src="data:image/png;base64,{data}">'


def write_report(results: Mapping[str, Any], folder: StrPath, *, title: str = "market-attention report",
                 intro: str = "", notes: Iterable[str] = ()) -> Path:
    """Write ``index.html`` with one section per result into ``folder``.

    Parameters
    ----------
    results : dict
        Section title -> any result object of this library (anything with
        ``summary()`` and ``plot()``; one with ``report_html()`` renders
        itself).
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
    Any object with ``summary()`` and ``plot()`` makes a section; one with ``report_html()`` renders itself:

    >>> import tempfile
    >>> class Finding:
    ...     def report_html(self):
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
        # A result may render itself for reports (a table reads better than text); else text and figure.
        if hasattr(result, "report_html"):
            parts.append(result.report_html())
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
