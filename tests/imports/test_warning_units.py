"""Import warnings give the converted figures in the indicator's unit, rounded as a report does (16.95亿元)."""

from __future__ import annotations

from monitor.domain.catalogue import Catalogue
from monitor.domain.validation import figure_warnings
from tests.imports.test_validation import check, codes, known


def test_a_figure_sent_in_万元_is_warned_about_in_亿元(catalogue: Catalogue) -> None:
    checked = check(catalogue, ("revenue", "", "2021-05", "169471", "万元", "10", ""))  # 16.9471亿元
    assert codes(checked) == []
    stored = known(("revenue", "gusu", "2021-04", 31.0, 10.0), ("revenue", "gusu", "2020-05", 8.0, 1.0))
    warnings = figure_warnings(checked.figures, stored, catalogue).set_index("code")
    decrease = warnings.loc["cumulative_decrease"]
    assert decrease["value"] == "16.95亿元"
    assert "累计值 16.95亿元 低于上期（2021-04）的 31.00亿元" in decrease["message"]
    mismatch = warnings.loc["value_growth_mismatch"]
    assert "的 8.00亿元 算" in mismatch["message"]
    assert "16.95亿元 是增长" in mismatch["message"]
    assert mismatch["value"] == "10.0%"


def test_counts_are_whole_and_carry_their_unit(catalogue: Catalogue) -> None:
    checked = check(catalogue, ("new_jobs", "", "2021-05", "2.35", "万个", "", ""))
    stored = known(("new_jobs", "gusu", "2021-04", 24000.0, 1.0))
    warnings = figure_warnings(checked.figures, stored, catalogue)
    assert list(warnings["value"]) == ["23500个"]
    assert "低于上期（2021-04）的 24000个" in warnings["message"].iloc[0]
