"""The size checks a CSV passes before it is parsed: the quick proof that no line is too long agrees with
measuring every line. Pure bytes, no database."""

from __future__ import annotations

import random

import pytest

from monitor.errors import ReadError
from monitor.readers import ReadLimits
from monitor.readers.csv_file import check_size
from monitor.readers.encoding import detect_encoding


def _longest(data: bytes) -> int:
    return max(len(line) for line in data.split(b"\n"))


@pytest.mark.parametrize("seed", range(40))
def test_a_line_is_refused_exactly_when_it_is_longer_than_the_limit(seed: int) -> None:
    rng = random.Random(seed)
    limit = rng.choice([2, 3, 7, 10, 64])
    lines = [b"x" * rng.randint(0, limit + 2) for _ in range(rng.randint(limit, 8 * limit))]
    data = b"\n".join(lines) + (b"\n" if rng.random() < 0.5 else b"")
    limits = ReadLimits(max_line_chars=limit, max_rows=10**6)
    if _longest(data) > limit and len(data) > limit:
        with pytest.raises(ReadError, match="超过每行"):
            check_size(data, limits)
    else:
        check_size(data, limits)


def test_plain_ascii_is_read_as_utf8_and_other_bytes_are_still_decoded_to_tell() -> None:
    assert detect_encoding(b"indicator,value\nrevenue,1\n") == "utf-8"
    assert detect_encoding("指标,数值\n".encode()) == "utf-8"
    assert detect_encoding("指标,数值\n".encode("gb18030")) == "gb18030"
