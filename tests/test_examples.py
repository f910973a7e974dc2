"""The examples in examples/ run as documented and print what they promise."""

import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(name, tmp_path):
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_january_2026(tmp_path):
    out = run("january_2026.py", tmp_path)
    assert "14 trading days in a row (2026-01-02 to 2026-01-22)" in out
    assert "6.46 percentage points ahead of SPY" in out
    assert "ahead of ES=F" in out


def test_feedback_loop(tmp_path):
    out = run("feedback_loop.py", tmp_path)
    assert "The data do not support the loop" in out
    assert (tmp_path / "feedback_loop.png").stat().st_size > 10_000


def test_preis_replication(tmp_path):
    out = run("preis_replication.py", tmp_path)
    assert "+314.2%" in out
    assert "mean z over 98 terms" in out


def test_readme_python_example_runs():
    import re

    import matplotlib

    matplotlib.use("Agg")
    readme = (EXAMPLES.parent / "README.md").read_text()
    code = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    scope = {}
    exec(compile(code, "README.md", "exec"), scope)
    assert "do not support the loop" in scope["loop"].verdict
