"""The demo report and the built docs site, opened from disk in headless Chromium.

Both must work offline: every image loads, the console stays clean, nothing is
requested from the network, and the docs' formulas are drawn. Needs playwright
and a Chromium executable (Debian: ``apt-get install chromium``; or set
``CHROMIUM`` to its path).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "/usr/bin/chromium"):
        if candidate and (shutil.which(candidate) or Path(candidate).is_file()):
            return shutil.which(candidate) or candidate
    return None


pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None, reason="playwright is not installed"),
    pytest.mark.skipif(_chromium() is None, reason="no Chromium executable (apt-get install chromium, or set CHROMIUM)"),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
        b = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        yield b
        b.close()


class Visit:
    """A browser tab for pages opened from disk; network requests are recorded and refused."""

    def __init__(self, browser, path: Path | None = None):
        self.errors: list[str] = []
        self.external: list[str] = []
        self.page = browser.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)
        if path is not None:
            self.open(path)

    def open(self, path: Path, *, settle: bool = True) -> None:
        self.page.goto(path.as_uri(), wait_until="load")
        if settle:  # let late scripts run; an error after this shows up on the next page at the latest
            self.page.wait_for_load_state("networkidle")

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def broken_images(self) -> list[str]:
        return self.page.evaluate(
            "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src.slice(0, 80))"
        )

    def close(self):
        self.page.close()


def test_demo_report_opens_clean(browser, tmp_path):
    from attention.demo import run_demo
    from attention.report import write_report

    demo = run_demo(n_surrogates=99)
    path = write_report(demo.results(), tmp_path / "report", notes=demo.notes)
    visit = Visit(browser, path)
    try:
        assert visit.errors == [] and visit.external == []
        assert visit.page.evaluate("document.images.length") == 8
        assert visit.broken_images() == []
        alts = visit.page.evaluate("[...document.images].map(i => i.alt)")
        assert all(len(a) > 40 and a != "figure" for a in alts)
        # The verdict table's links lead to the claims' sections.
        visit.page.click("a[href='#claim-january_effect']")
        assert visit.page.evaluate("location.hash") == "#claim-january_effect"
    finally:
        visit.close()


def _build_site(out: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"),
         "--site-dir", str(out)],
        cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(not all(importlib.util.find_spec(m) for m in ("mkdocs", "material", "mkdocstrings", "latex2mathml")),
                    reason="the docs extra is not installed: pip install '.[docs]'")
def test_docs_site_works_from_disk(browser, tmp_path):
    """One build (it takes a while), then pages, formulas and search, all from file://."""
    site = tmp_path / "site"
    _build_site(site)
    # Every page (404.html is for a web server: it links from the site's root).
    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")
    assert len(pages) > 30
    visit = Visit(browser)
    try:
        for page in pages:
            visit.open(page, settle=False)
            name = page.relative_to(site).as_posix()
            assert visit.errors == [], (name, visit.errors)
            assert visit.external == [], (name, visit.external)
            assert visit.broken_images() == [], name
    finally:
        visit.close()

    visit = Visit(browser, site / "reference" / "leadlag.html")
    try:
        sizes = visit.page.evaluate(
            "[...document.querySelectorAll('.arithmatex math')].map(m => {"
            " const r = m.getBoundingClientRect(); return [r.width, r.height]; })"
        )
        assert len(sizes) >= 5 and all(w > 20 and h > 10 for w, h in sizes)
        text = visit.page.evaluate("document.body.innerText")
        assert "\\frac" not in text and "\\sum" not in text  # no raw TeX left for a reader
        # MathML draws fractions and square roots as such (mfrac, msqrt), not as text.
        assert visit.page.evaluate("document.querySelectorAll('.arithmatex mfrac, .arithmatex msqrt').length") >= 3
    finally:
        visit.close()

    visit = Visit(browser, site / "index.html")
    try:
        visit.page.keyboard.press("/")
        visit.page.keyboard.type("granger")
        visit.page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0",
                                     timeout=15000)
        assert visit.errors == [] and visit.external == []
    finally:
        visit.close()
