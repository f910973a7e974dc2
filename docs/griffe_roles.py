"""A griffe extension: the reStructuredText bits of attention's numpydoc docstrings, as Markdown.

The docstrings are written for ``help()`` and Sphinx: roles (``:func:`x```),
literal blocks introduced by ``::``, ``.. math::`` directives and simple
tables. mkdocstrings renders docstrings as Markdown, where those show up raw.
This extension rewrites them when griffe has loaded the package, before
mkdocstrings parses the numpy sections; the code is never touched.

- ``:func:`name``` and the other roles become a code span that links to the
  object's API page when the name resolves in the package (an *optional*
  autoref: a name that does not resolve, such as ``json.loads``, stays plain
  code and never fails ``mkdocs build --strict``);
- ``text::`` followed by an indented block becomes ``text:`` and a fenced block;
- ``.. math::`` becomes a ``$$ ... $$`` block (pymdownx.arithmatex);
- simple tables (``=====  ====``) become Markdown tables;
- ``#:`` comments above a module constant become its docstring, as in Sphinx.

Configured in mkdocs.yml under the python handler's ``extensions``.
"""

from __future__ import annotations

import re

import griffe

PACKAGE = "attention"
_ROLE = re.compile(r":(?:py:)?(func|class|meth|attr|data|mod|obj|exc|const):`(~?)(?:([^`<]+?)\s*<([^`<>]+)>|([^`<>]+?))`")
_BORDER = re.compile(r"^(\s*)(=+)((?:\s+=+)+)\s*$")


def _walk(obj, seen):
    if obj.path in seen:
        return
    seen[obj.path] = obj
    if obj.is_alias:
        return
    for member in obj.members.values():
        _walk(member, seen)


class SphinxToMarkdown(griffe.Extension):
    """Rewrite the docstrings of the package once it is loaded."""

    def on_package(self, *, pkg: griffe.Module, **kwargs) -> None:
        if pkg.path != PACKAGE:
            return
        index: dict = {}
        _walk(pkg, index)
        for obj in list(index.values()):
            if obj.is_alias:
                continue
            if obj.docstring is None and obj.is_attribute:
                _comment_docstring(obj)
            if obj.docstring is not None:
                obj.docstring.value = convert(obj.docstring.value, obj, index)


def _comment_docstring(attr) -> None:
    """Sphinx's ``#:`` comments above an assignment, as the attribute's docstring."""
    try:
        lines = attr.module.lines
    except Exception:  # noqa: BLE001 - no source, no comment
        return
    if not attr.lineno or not lines:
        return
    found = []
    i = attr.lineno - 2
    while i >= 0 and lines[i].strip().startswith("#:"):
        found.insert(0, lines[i].strip()[2:].strip())
        i -= 1
    if found:
        attr.docstring = griffe.Docstring("\n".join(found), lineno=i + 2, parent=attr)


def _resolve(target: str, role: str, obj, index) -> str | None:
    """Canonical path of ``target`` as seen from ``obj``'s docstring, or None."""
    scopes = []
    owner = obj
    while owner is not None:
        scopes.append(owner.path)
        owner = owner.parent
    candidates = [f"{scope}.{target}" for scope in scopes] + [target, f"{PACKAGE}.{target}"]
    for path in candidates:
        for _ in range(5):  # follow re-exports: attention.feedback_loop -> attention.correlation.feedback_loop
            found = index.get(path)
            if found is None or not found.is_alias:
                break
            path = found.target_path
        if path in index and not index[path].is_alias:
            if any(part.startswith("_") for part in path.split(".")):
                return None  # private objects have no page
            return path
    return None


def _roles(text: str, obj, index) -> str:
    def replace(match):
        role, tilde, title, explicit, plain = match.groups()
        target = (explicit or plain).strip().removesuffix("()")
        shown = title.strip() if title else (target.rsplit(".", 1)[-1] if tilde else target)
        if role in ("func", "meth") and not shown.endswith("()"):
            shown += "()"
        path = _resolve(target, role, obj, index)
        if path is None:
            return f"`{shown}`"
        return f'<autoref identifier="{path}" optional><code>{shown}</code></autoref>'

    return _ROLE.sub(replace, text)


def _table(lines: list[str], start: int):
    """A simple RST table starting at lines[start] -> (markdown lines, index after it) or None."""
    border = _BORDER.match(lines[start])
    if not border:
        return None
    indent = len(border.group(1))
    spans = []
    for m in re.finditer(r"=+", lines[start]):
        spans.append((m.start(), m.end()))
    borders = [start]
    i = start + 1
    while i < len(lines) and len(borders) < 3:
        if _BORDER.match(lines[i]):
            borders.append(i)
        elif not lines[i].strip():
            return None
        i += 1
    if len(borders) < 3:
        return None

    def cells(line):
        out = []
        for k, (a, _) in enumerate(spans):
            b = spans[k + 1][0] if k + 1 < len(spans) else None
            out.append(line[a:b].strip() if b is not None else line[a:].strip())
        return out

    header = cells(lines[start + 1])
    rows: list[list[str]] = []
    for line in lines[borders[1] + 1: borders[2]]:
        row = cells(line)
        if rows and not row[0]:
            rows[-1] = [f"{old} {new}".strip() for old, new in zip(rows[-1], row)]
        else:
            rows.append(row)
    pad = " " * indent
    md = [pad + "| " + " | ".join(header) + " |", pad + "|" + "---|" * len(header)]
    md += [pad + "| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return md, borders[2] + 1


def _cell(text: str) -> str:
    """A table cell: a pipe inside a code span cannot be escaped in Markdown, so write it as HTML."""
    text = re.sub(r"``([^`]*\|[^`]*)``", lambda m: "<code>" + m.group(1).replace("|", "&#124;") + "</code>", text)
    return text.replace("|", "\\|")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def convert(text: str, obj=None, index=None) -> str:
    """The docstring ``text`` with its reStructuredText constructs turned into Markdown."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        table = _table(lines, i) if "=" in line else None
        if table:
            md, i = table
            if out and out[-1].strip():
                out.append("")
            out += md
            continue
        math = re.match(r"^(\s*)\.\. math::\s*(.*)$", line)
        if math:
            base = len(math.group(1))
            body = [math.group(2)] if math.group(2) else []
            i += 1
            while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > base):
                if not lines[i].strip() and (i + 1 >= len(lines) or _indent(lines[i + 1]) <= base):
                    break
                body.append(lines[i].strip())
                i += 1
            pad = " " * base
            out += [pad + "$$", *(pad + b for b in body if b), pad + "$$"]
            continue
        literal = re.match(r"^(\s*)(.*?)(\s?)::\s*$", line)
        if literal and i + 1 < len(lines) and not lines[i + 1].strip():
            base = _indent(line)
            j = i + 2
            block = []
            while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) > base):
                block.append(lines[j])
                j += 1
            while block and not block[-1].strip():
                block.pop()
            if block:
                head = literal.group(2)
                if head:
                    out.append(literal.group(1) + head + ("" if head.endswith(":") else ":"))
                    out.append("")
                elif out and out[-1].strip():
                    out.append("")
                inner = min(_indent(b) for b in block if b.strip())
                pad = " " * base
                out += [pad + "```text", *(pad + b[inner:] if b.strip() else "" for b in block), pad + "```", ""]
                i = j
                while i < len(lines) and not lines[i].strip():
                    i += 1
                continue
        out.append(line)
        i += 1
    result = "\n".join(out)
    return _roles(result, obj, index or {}) if obj is not None else result
