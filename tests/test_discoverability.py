"""The public API can be discovered from help() and checked by a type checker.

Every public function and class shows an Examples section (run by the doctest
collection over ``attention/``), and mypy passes with the strict settings in
pyproject.toml.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import attention

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = re.compile(r"^Examples\n-{8,}\n(?:.*\n)*?\s*>>> ", re.MULTILINE)


def _public_modules() -> list[str]:
    names = ["attention"]
    for info in pkgutil.walk_packages(attention.__path__, "attention."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            names.append(info.name)
    return names


def _public_objects() -> dict[str, object]:
    found: dict[str, object] = {}
    for module_name in _public_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__.startswith("attention"):
                found.setdefault(f"{obj.__module__}.{obj.__qualname__}", obj)
    return found


PUBLIC = _public_objects()


def test_the_walk_finds_the_public_api():
    # Control for the test below: it sees the top-level names and the subpackages' own.
    top = {getattr(attention, n) for n in attention.__all__}
    assert set(PUBLIC.values()) >= {o for o in top if inspect.isfunction(o) or inspect.isclass(o)}
    assert "attention.collectors.reddit_items.ItemLedger" in PUBLIC
    assert len(PUBLIC) > 100


def test_examples_pattern_needs_a_doctest():
    assert EXAMPLES.search("Summary.\n\nExamples\n--------\n>>> 1 + 1\n2\n")
    assert not EXAMPLES.search("Summary.\n\nExamples\n--------\nSee the docs.\n")
    assert not EXAMPLES.search("Summary.\n\nParameters\n----------\nx : int\n")


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_docstring_has_examples(name):
    doc = inspect.getdoc(PUBLIC[name]) or ""
    assert EXAMPLES.search(doc), f"{name}: the docstring needs a numpydoc Examples section with a doctest"


def test_mypy_passes_on_the_package(monkeypatch):
    api = pytest.importorskip("mypy.api")
    monkeypatch.chdir(ROOT)
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--no-error-summary"])
    assert status == 0, stdout + stderr


def test_mypy_configuration_refuses_untyped_code(tmp_path):
    # Control for the test above: the project's settings do catch a function without annotations.
    api = pytest.importorskip("mypy.api")
    probe = tmp_path / "probe.py"
    probe.write_text("def scale(values, factor):\n    return [v * factor for v in values]\n")
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir",
                                      str(tmp_path / "cache"), str(probe)])
    assert status == 1 and "no-untyped-def" in stdout, stdout + stderr
