"""An mkdocs hook: formulas become MathML when the site is built, so pages need no script or font to show them.

pymdownx.arithmatex (generic mode) leaves TeX in ``<span class="arithmatex">\\(...\\)</span>``
and ``<div class="arithmatex">\\[...\\]</div>``; browsers draw MathML themselves, so the
built site shows formulas from disk, offline, without MathJax. A formula latex2mathml cannot
read fails the build with the formula in the message, never a page with raw TeX.

Configured in mkdocs.yml under ``hooks``.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

_MATH = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*\\(?P<open>[(\[])(?P<tex>.*?)\\(?P<close>[)\]])\s*</(?P=tag)>',
    re.S,
)


def to_mathml(tex: str, display: bool) -> str:
    """One formula as a MathML ``<math>`` element (block when ``display``)."""
    try:
        return convert(tex.strip(), display="block" if display else "inline")
    except Exception as exc:  # noqa: BLE001 - any converter failure is a build error naming the formula
        raise ValueError(f"cannot render the formula {tex.strip()!r} as MathML: {exc}") from exc


def render(page_html: str) -> str:
    """``page_html`` with every arithmatex formula replaced by MathML."""

    def replace(match: re.Match) -> str:
        display = match.group("open") == "["
        math = to_mathml(html.unescape(match.group("tex")), display)
        return f'<div class="arithmatex">{math}</div>' if display else f'<span class="arithmatex">{math}</span>'

    return _MATH.sub(replace, page_html)


def on_page_content(html: str, **kwargs) -> str:  # noqa: A002 - the name mkdocs passes
    return render(html)
