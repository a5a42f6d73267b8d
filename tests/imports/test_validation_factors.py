"""The per-distinct-value machinery of validation: factors, their subsets and the figure-key lookups. Pure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitor.domain.validation import checks
from monitor.domain.validation.factors import Factor, factor_column, factor_numbers, first_seen
from monitor.domain.validation.figure_warnings import last_positions
from monitor.domain.validation.values import parse_numbers, text_column


def test_a_subset_numbers_its_values_as_factorizing_those_rows_alone_would() -> None:
    cells = np.array(["b", "a", "c", "a", "b", "d"], dtype=object)
    pick = np.array([2, 3, 5, 0])
    sub = Factor.of(cells).subset(pick)
    codes, uniques = pd.factorize(cells[pick])
    assert sub.codes.tolist() == codes.tolist()
    assert sub.uniques.tolist() == list(uniques)
    assert sub.at(np.array([1, 3])).tolist() == ["a", "b"]


def test_first_seen_renumbers_ids_as_factorize_does_and_keeps_none() -> None:
    codes, distinct = first_seen(np.array([7, -1, 3, 7, 0, -1, 3]))
    assert codes.tolist() == [0, -1, 1, 0, 2, -1, 1]
    assert distinct.tolist() == [7, 3, 0]
    as_text = pd.factorize(pd.Series(["g", None, "d", "g", "a", None, "d"], dtype=object))[0]
    assert codes.tolist() == as_text.tolist()


def test_a_column_with_missing_or_non_text_cells_is_read_as_text_column_reads_it() -> None:
    frame = pd.DataFrame(
        {
            "a": pd.Series(["x", None, "y", "x"], dtype="str"),
            "b": pd.Series([1, "1", 1.5, None], dtype=object),
            "c": pd.Series(["p", "q", "p", "q"], dtype=object),
        }
    )
    for name in ("a", "b", "c", "missing"):
        assert factor_column(frame, name).cells().tolist() == text_column(frame, name).tolist()


def test_numbers_parsed_once_per_distinct_cell_are_those_of_every_cell() -> None:
    cells = pd.Series(["1", "1,234.5", "", "6.5%", "x", "-0", "1", "—", "1e20", "=A1", "x"], dtype="str")
    once, every = factor_numbers(Factor.of(cells.to_numpy(dtype=object))), parse_numbers(cells)
    np.testing.assert_array_equal(once.values, every.values)
    assert np.signbit(once.values[5]) == np.signbit(every.values[5])
    for field in ("blank", "bad", "percent", "reasons"):
        assert getattr(once, field).tolist() == getattr(every, field).tolist()


def test_key_lookups_find_the_last_occurrence_in_a_plain_array_or_by_hashing() -> None:
    pool = np.array([5, 9, 5, 0, 12, 9])
    keys = np.array([5, 9, 0, 12, 3, -1, 13])
    expected = [2, 5, 3, 4, -1, -1, -1]
    assert last_positions(pool, space=14)(keys).tolist() == expected  # a plain array
    assert last_positions(pool, space=1 << 40, dense=0)(keys).tolist() == expected  # too large a space: hashing
    assert last_positions(np.array([-1, 4]), space=5)(np.array([-1, 4, 2])).tolist() == [0, 1, -1]


def test_pairs_are_numbered_alike_whether_counted_in_an_array_or_factorized(monkeypatch: pytest.MonkeyPatch) -> None:
    left, right = np.array([3, 0, 3, 1, 0, 3]), np.array([-1, 2, -1, 0, 2, 1])
    counted_codes, counted = checks.pair_codes(left, right, 3)
    monkeypatch.setattr(checks, "DENSE_PAIRS", 0)
    hashed_codes, hashed = checks.pair_codes(left, right, 3)
    assert counted.tolist() == sorted(hashed.tolist()) == [3, 5, 12, 14]
    assert counted[counted_codes].tolist() == hashed[hashed_codes].tolist() == (left * 4 + right + 1).tolist()


def test_a_file_without_repeats_is_told_by_counting_keys_and_repeats_still_go_to_the_hash_join() -> None:
    figures = pd.DataFrame(
        {"indicator": ["a", "a", "a"], "region": ["r"] * 3, "period": ["2021-01", "2021-02", "2021-01"]}
    ).assign(value=[1.0, 2.0, 1.0], yoy=[np.nan] * 3, row=[2, 3, 4])
    kept, issues = checks.split_duplicates(figures.head(2), np.array([0, 1]), "指标", space=2)
    assert len(kept) == 2
    assert issues.empty
    kept, issues = checks.split_duplicates(figures, np.array([0, 1, 0]), "指标", space=2)
    assert kept["row"].tolist() == [2, 3]
    assert issues.empty
    kept, issues = checks.split_duplicates(figures.assign(value=[1.0, 2.0, 5.0]), np.array([0, 1, 0]), "指标", space=2)
    assert kept["row"].tolist() == [2, 3]
    assert issues["row"].tolist() == [4]
