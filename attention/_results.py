"""The shared face of every result object.

A result is a ``dataclass(frozen=True, eq=False, repr=False)`` that inherits
:class:`ResultMixin`: its fields are read-only, ``summary()`` gives text,
``to_frame()`` a DataFrame, ``plot(ax=None)`` a matplotlib figure, notebooks
render it through ``_repr_html_``, ``repr()`` is one line with the key
numbers, ``==`` compares values (tables and arrays to floating-point
tolerance), and ``to_dict()``/``to_json()`` serve machines.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import html
import json
import math
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class ResultMixin:
    """Text, table, notebook and machine views shared by all results."""

    #: Results hold DataFrames and are compared by value, so they cannot be hashed (as in statsmodels).
    __hash__ = None  # type: ignore[assignment]
    #: Set by ``@dataclass`` on every result class; declared so type checkers know results are dataclasses.
    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    def summary(self) -> str:  # pragma: no cover - every result overrides it
        raise TypeError(f"{type(self).__name__} must define summary()")

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - every result overrides it
        raise TypeError(f"{type(self).__name__} must define to_frame()")

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        table = self.to_frame().to_html(float_format=lambda v: f"{v:.4g}", border=0)
        return f"<pre>{html.escape(self.summary())}</pre>\n{table}"

    # -- one line for the REPL

    def _key_numbers(self) -> dict[str, Any]:
        """What ``repr`` shows: by default the scalar fields; results override it with their headline."""
        out: dict[str, Any] = {}
        for f in _fields(self):
            value = getattr(self, f.name)
            if isinstance(value, (str, bool, int, float, np.integer, np.floating)) or value is None:
                out[f.name] = value
        return out

    def __repr__(self) -> str:
        parts = []
        for key, value in self._key_numbers().items():
            if isinstance(value, (float, np.floating)):
                text = f"{float(value):.4g}"
            elif isinstance(value, str):
                text = repr(value if len(value) <= 40 else value[:37] + "...")
            else:
                text = repr(value)
            parts.append(f"{key}={text}")
        return f"{type(self).__name__}({', '.join(parts)})"

    # -- value equality

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(
            values_equal(getattr(self, f.name), getattr(other, f.name)) for f in _fields(self) if f.compare
        )

    # -- machines

    def to_dict(self) -> dict[str, Any]:
        """The result's fields as plain Python: tables as lists of records (index included).

        Fields that hold fitted third-party objects or the input data are left out.
        """
        out: dict[str, Any] = {"type": type(self).__name__}
        for f in _fields(self):
            if f.compare:
                out[f.name] = jsonable(getattr(self, f.name))
        return out

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as JSON: NaN and infinities become null, timestamps ISO 8601 strings.

        ``kwargs`` go to :func:`json.dumps` (e.g. ``indent=2``).
        """
        return json.dumps(self.to_dict(), allow_nan=False, **kwargs)


def _fields(result: ResultMixin) -> tuple[dataclasses.Field[Any], ...]:
    """The dataclass fields of a result (every ResultMixin subclass is a dataclass)."""
    return dataclasses.fields(result)


def values_equal(a: Any, b: Any) -> bool:
    """Equality that works for what results hold: frames, arrays and floats to tolerance, NaN equal to NaN."""
    if isinstance(a, ResultMixin) or isinstance(b, ResultMixin):
        return type(a) is type(b) and a == b
    if isinstance(a, (pd.DataFrame, pd.Series)) or isinstance(b, (pd.DataFrame, pd.Series)):
        if type(a) is not type(b):
            return False
        check = pd.testing.assert_frame_equal if isinstance(a, pd.DataFrame) else pd.testing.assert_series_equal
        try:
            check(a, b, check_exact=False)
        except AssertionError:
            return False
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape:
            return False
        if a.dtype.kind in "fc" or b.dtype.kind in "fc":
            return bool(np.allclose(a, b, equal_nan=True))
        return bool(np.array_equal(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(values_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(values_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, (float, np.floating)) and isinstance(b, (float, int, np.floating, np.integer)):
        return (math.isnan(a) and math.isnan(float(b))) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return a is b


def jsonable(value: Any) -> Any:
    """``value`` as what :func:`json.dumps` accepts: NaN -> None, timestamps -> ISO strings, frames -> records."""
    if isinstance(value, ResultMixin):
        return value.to_dict()
    if isinstance(value, pd.DataFrame):
        frame = value.reset_index() if not isinstance(value.index, pd.RangeIndex) else value
        frame = frame.rename(columns=lambda c: " ".join(map(str, c)) if isinstance(c, tuple) else str(c))
        return [{k: jsonable(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {_key(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, dict):
        return {_key(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray, pd.Index)):
        return [jsonable(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, pd.Timedelta):
        return value.isoformat()
    if isinstance(value, pd.Period):
        return str(value)
    if isinstance(value, str):
        return value
    return str(value)


def _key(k: object) -> str:
    if isinstance(k, tuple):
        return " / ".join(map(str, k))
    jk = jsonable(k)
    return jk if isinstance(jk, str) else json.dumps(jk)


def stationarity_caution(table: pd.DataFrame, consequence: str = "") -> list[str]:
    """The summary line that warns about inputs ADF/KPSS do not call stationary (empty when all are)."""
    bad = table.index[~table["stationary"].astype(bool)].tolist()
    if not bad:
        return []
    return [f"Caution: {bad} may not be stationary (ADF/KPSS){'; ' + consequence if consequence else ''}."]


def fmt_p(p: float | None) -> str:
    """A p-value the way a reader wants it: never 0, few digits."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "n/a"
    if p < 0.001:
        return "<0.001"
    return f"{p:.3f}"


def new_axes(
    ax: Any, nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] = (8, 4)
) -> tuple[Figure, Any]:
    """Return (figure, axes), creating them when ``ax`` is None.

    matplotlib is imported here, on first plot, to keep ``import attention`` fast.
    """
    if ax is not None:
        return ax.figure if not hasattr(ax, "__len__") else ax[0].figure, ax
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        from .errors import MissingDependencyError

        raise MissingDependencyError("plot() needs matplotlib: pip install matplotlib") from exc
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize)
    return fig, axes
