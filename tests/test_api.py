"""The public surface: names, lazy imports, the error hierarchy."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import warnings

import pytest

import attention
from attention import errors

HEAVY = ("statsmodels", "matplotlib", "praw", "pytrends", "dask")


def test_all_is_sorted_unique_and_every_name_resolves():
    names = attention.__all__
    assert names == sorted(names)
    assert len(set(names)) == len(names)
    for name in names:
        assert getattr(attention, name) is not None, name


def test_all_exports_every_public_error_and_warning():
    assert set(errors.__all__) <= set(attention.__all__)
    for name in errors.__all__:
        assert getattr(attention, name) is getattr(errors, name)


def test_version_matches_installed_distribution():
    assert attention.__version__ == importlib.metadata.version("market-attention")


def _loaded_heavy_modules(code: str) -> list[str]:
    probe = (
        "import sys\n"
        f"{code}\n"
        f"heavy = {HEAVY!r}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    return eval(out.stdout.strip().splitlines()[-1])


def test_import_attention_does_not_import_heavy_dependencies():
    assert _loaded_heavy_modules("import attention") == []


def test_the_import_probe_does_detect_a_heavy_import():
    # Control for the test above: the probe notices a heavy module once something imports it.
    assert _loaded_heavy_modules("import attention, matplotlib") == ["matplotlib"]


PUBLIC_ERRORS = [
    attention.AttentionError,
    attention.CollectorError,
    attention.RateLimitError,
    attention.AuthenticationError,
    attention.UpstreamFormatError,
    attention.ConnectionFailedError,
    attention.QueryTimeout,
    attention.DataError,
    attention.MissingDependencyError,
]


@pytest.mark.parametrize("exc", PUBLIC_ERRORS, ids=lambda e: e.__name__)
def test_every_public_error_derives_from_attention_error(exc):
    assert issubclass(exc, attention.AttentionError)
    assert issubclass(exc, Exception)


def test_every_error_in_errors_module_is_covered():
    exported = {getattr(errors, n) for n in errors.__all__}
    error_classes = {c for c in exported if issubclass(c, BaseException) and not issubclass(c, Warning)}
    assert error_classes == set(PUBLIC_ERRORS)


def test_data_error_is_a_value_error_and_missing_dependency_an_import_error():
    assert issubclass(attention.DataError, ValueError)
    assert issubclass(attention.MissingDependencyError, ImportError)
    assert not issubclass(attention.DataError, attention.CollectorError)
    # Raised by the library, a DataError is caught by plain ``except ValueError``.
    with pytest.raises(ValueError, match="theme"):
        attention.get_theme("no such theme")


@pytest.mark.parametrize(
    "exc", [attention.RateLimitError, attention.AuthenticationError, attention.UpstreamFormatError,
            attention.ConnectionFailedError, attention.QueryTimeout]
)
def test_source_failures_are_collector_errors(exc):
    assert issubclass(exc, attention.CollectorError)
    assert not issubclass(exc, ValueError)


def _public_warnings():
    return [getattr(errors, n) for n in errors.__all__ if issubclass(getattr(errors, n), Warning)]


def test_non_stationary_warning_is_public():
    assert attention.NonStationaryWarning in _public_warnings()


@pytest.mark.parametrize("warning", _public_warnings(), ids=lambda w: w.__name__)
def test_warnings_form_one_filterable_family(warning):
    assert issubclass(warning, attention.AttentionWarning)
    assert issubclass(attention.AttentionWarning, UserWarning)
    assert not issubclass(warning, attention.AttentionError)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", category=attention.AttentionWarning)
        warnings.warn("silenced by the family filter", warning)
    assert caught == []
