import pytest

from attention import DataError, preis2013
from attention.report import write_report


def test_report_embeds_summary_and_figure(tmp_path):
    result = preis2013("debt", 3)
    path = write_report({"Preis": result}, tmp_path / "r", title="t & <b>", notes=["a proxy"])
    page = path.read_text()
    assert "t &amp; &lt;b&gt;" in page  # escaped
    assert "+314.2%" in page
    assert page.count("data:image/png;base64,") == 1
    assert "<li>a proxy</li>" in page


def test_report_bad_input(tmp_path):
    with pytest.raises(DataError, match="results"):
        write_report({}, tmp_path)
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(DataError, match="folder"):
        write_report({"x": preis2013()}, f)
