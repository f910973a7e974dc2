"""examples/walkthrough.ipynb runs top to bottom, offline, and ends with a verdict."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the notebook test needs nbformat, nbclient and ipykernel (extra: test)")
nbclient = pytest.importorskip("nbclient", reason="the notebook test needs nbclient (extra: test)")
pytest.importorskip("ipykernel", reason="the notebook test needs ipykernel (extra: test)")

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "walkthrough.ipynb"


def _code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, cell in enumerate(_code_cells(nb)) if cell.outputs or cell.execution_count is not None]
    assert not dirty, f"code cells {dirty} carry outputs: clear them before committing"


def test_walkthrough_runs_offline_to_a_verdict(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError, with the cell and traceback, if any cell fails
    errors = [out for cell in _code_cells(nb) for out in cell.outputs if out.output_type == "error"]
    assert not errors
    last = _code_cells(nb)[-1]
    text = "".join(out.get("text", "") for out in last.outputs if out.output_type == "stream")
    assert "VERDICT" in text
    assert "Feedback loops:" in text and "The article's claims on real prices:" in text
    # The planted returns -> attention link is found, and all six loops were screened.
    assert "was found" in text and "of 6 supported" in text
