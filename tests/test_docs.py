"""The documentation: the generated CLI page is current, every link resolves, and the site builds strictly."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
# [text](target) outside code; images too. Reference-style links are not used in docs/.
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_FENCE = re.compile(r"^(\s*)(```|~~~).*?^\1\2\s*$", re.S | re.M)
_CODE = re.compile(r"`[^`\n]*`")
_EXTERNAL = ("http://", "https://", "mailto:", "ftp://")


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_cli", DOCS / "gen_cli.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _prose(text: str) -> str:
    """The page without fenced code blocks and inline code, where link syntax means nothing."""
    return _CODE.sub("", _FENCE.sub("", text))


def _slug(heading: str) -> str:
    """Python-Markdown's toc slugify, applied to a heading's visible text."""
    text = re.sub(r"`([^`]*)`", r"\1", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _anchors(page: Path) -> set[str]:
    text = _FENCE.sub("", page.read_text(encoding="utf-8"))
    return {_slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.M)}


def test_cli_reference_is_current():
    generator = _load_generator()
    current = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert current == generator.render(), "docs/cli.md is stale: run `python docs/gen_cli.py`"


def test_cli_reference_covers_every_command():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for command in ("demo", "claims", "report", "run", "collect", "collect trends", "collect reddit"):
        assert f"## `attention {command}`" in text
        assert f"usage: attention {command}" in text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_relative_links_resolve(page):
    """mkdocs can only link inside docs/: every relative link must name a file there (and a heading in it)."""
    problems = []
    for target in _LINK.findall(_prose(page.read_text(encoding="utf-8"))):
        if target.startswith(_EXTERNAL):
            continue
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.is_file():
            problems.append(f"{target}: no such file")
            continue
        if DOCS.resolve() not in resolved.parents:
            problems.append(f"{target}: outside docs/, which mkdocs cannot link to")
            continue
        # Headings of API pages come from mkdocstrings; the strict build checks those.
        if anchor and resolved.suffix == ".md" and "reference" not in resolved.relative_to(DOCS.resolve()).parts:
            if anchor not in _anchors(resolved):
                problems.append(f"{target}: no heading with anchor #{anchor}")
    assert not problems, f"{page.relative_to(ROOT)}: " + "; ".join(problems)


def test_every_page_is_in_the_nav():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    missing = [str(p.relative_to(DOCS)) for p in PAGES if f": {p.relative_to(DOCS).as_posix()}" not in config]
    assert not missing, f"add these pages to the nav in mkdocs.yml: {missing}"


def _have(*modules: str) -> bool:
    return all(importlib.util.find_spec(m) is not None for m in modules)


@pytest.mark.skipif(not _have("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python"),
                    reason="the docs extra is not installed: pip install '.[docs]'")
def test_site_builds_strictly(tmp_path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"),
         "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    site = tmp_path / "site"
    assert (site / "index.html").is_file() and (site / "cli.html").is_file()
    api = (site / "reference" / "correlation.html").read_text(encoding="utf-8")
    assert 'id="attention.correlation.feedback_loop"' in api
    assert ":func:`" not in api, "the docs/griffe_roles.py extension did not run"
    data = (site / "data.html").read_text(encoding="utf-8")
    assert "Preis" in data, "docs/data.md no longer includes attention/datasets/README.md"
