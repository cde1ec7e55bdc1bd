"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from zeren.accounts.credit_code import CHARSET, check_character, credit_code_error, make_credit_code
from zeren.accounts.models import Enterprise

REAL_EXAMPLE = "91350100M000100Y43"  # the example code published with GB 32100-2015


@pytest.mark.parametrize(
    "code",
    [
        REAL_EXAMPLE,
        make_credit_code("91110108MA0000001"),
        make_credit_code("91310115MA0000002"),
        make_credit_code("12100000400000000"),  # a public institution
        make_credit_code("Y1440300MJL000000"),  # other registering authorities use letters
    ],
)
def test_it_accepts_valid_codes(code: str) -> None:
    assert credit_code_error(code) is None


def test_it_accepts_lower_case_and_surrounding_spaces() -> None:
    assert credit_code_error(f"  {REAL_EXAMPLE.lower()} ") is None


def test_it_computes_the_check_character_of_the_real_example() -> None:
    assert check_character(REAL_EXAMPLE[:17]) == "3"
    assert make_credit_code(REAL_EXAMPLE[:17]) == REAL_EXAMPLE


def test_every_check_character_is_in_the_charset() -> None:
    for c in CHARSET:
        assert len(make_credit_code(f"9111010{c}MA0000000")) == 18
        assert make_credit_code(f"9111010{c}MA0000000")[-1] in CHARSET


@pytest.mark.parametrize("code", ["", REAL_EXAMPLE[:17], REAL_EXAMPLE + "0"])
def test_it_refuses_a_wrong_length(code: str) -> None:
    error = credit_code_error(code)
    assert error is not None
    assert "应为 18 位" in error and f"实际为 {len(code)} 位" in error


@pytest.mark.parametrize("bad", ["I", "O", "S", "V", "Z", "-", "中"])
def test_it_refuses_an_invalid_character(bad: str) -> None:
    error = credit_code_error(REAL_EXAMPLE[:8] + bad + REAL_EXAMPLE[9:])
    assert error is not None
    assert "无效字符" in error and bad in error


def test_it_refuses_a_wrong_check_character() -> None:
    wrong = REAL_EXAMPLE[:17] + "4"
    error = credit_code_error(wrong)
    assert error is not None
    assert "校验位错误" in error and "末位应为 3" in error


def test_it_notices_a_single_mistyped_character() -> None:
    # Changing any one of the first 17 characters makes the check character wrong.
    for pos in range(17):
        for c in CHARSET:
            if c == REAL_EXAMPLE[pos]:
                continue
            typo = REAL_EXAMPLE[:pos] + c + REAL_EXAMPLE[pos + 1 :]
            assert credit_code_error(typo) is not None, typo


@pytest.mark.django_db
def test_an_enterprise_with_a_bad_code_does_not_validate() -> None:
    enterprise = Enterprise(name="丙平台有限公司", credit_code=REAL_EXAMPLE[:17] + "4")
    with pytest.raises(ValidationError) as caught:
        enterprise.full_clean()
    messages = caught.value.message_dict["credit_code"]
    assert any("统一社会信用代码校验位错误" in m for m in messages)


@pytest.mark.django_db
def test_an_enterprise_with_a_valid_code_validates() -> None:
    Enterprise(name="丙平台有限公司", credit_code=REAL_EXAMPLE).full_clean()
