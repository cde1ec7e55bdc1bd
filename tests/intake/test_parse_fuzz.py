"""Damaged Word files never raise: every one ends in a ParseResult with an error code."""

from __future__ import annotations

import random

from tests.intake import formgen
from zeren.frameworks.spec import seed_spec
from zeren.intake.parse import parse_docx, parse_file


def _damaged(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    how = rng.randrange(3)
    if how == 0:  # flip bytes anywhere, compressed streams included
        for _ in range(rng.randint(1, 40)):
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    elif how == 1:  # cut it short
        del b[rng.randrange(len(b)) :]
    else:  # overwrite a run with noise
        start = rng.randrange(len(b))
        for i in range(start, min(len(b), start + rng.randint(1, 400))):
            b[i] = rng.randrange(256)
    return bytes(b)


def test_damaged_forms_end_in_a_result_not_an_exception() -> None:
    spec = seed_spec()
    original = formgen.build(formgen.Fill())
    rng = random.Random(20261128)
    refused = 0
    for _ in range(150):
        data = _damaged(original, rng)
        for result in (parse_docx(data, spec), parse_file(data, "损坏.docx", spec)):
            assert result.ok or (
                result.error is not None and result.error.code and result.error.message
            )
        refused += not result.ok
    assert refused > 0
