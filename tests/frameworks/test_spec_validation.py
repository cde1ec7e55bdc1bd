"""Framework files are validated in one place; every error names file, indicator and field."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from zeren.frameworks.spec import (
    FrameworkInvalid,
    SpecError,
    load_yaml,
    seed_spec,
    spec_from_mapping,
    spec_to_mapping,
)

DATA = Path(__file__).parent / "data"
SEED = spec_to_mapping(seed_spec())


def indicator(data: dict[str, Any], number: int) -> dict[str, Any]:
    for area in data["areas"]:
        for topic in area["topics"]:
            for ind in topic["indicators"]:
                if ind["number"] == number:
                    return ind
    raise KeyError(number)


def errors_of(
    tmp_path: Path, data: dict[str, Any] | str, name: str = "edited.yaml"
) -> list[SpecError]:
    path = tmp_path / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkInvalid) as caught:
        load_yaml(path)
    return caught.value.errors


def seed_with(**changes: dict[str, Any]) -> dict[str, Any]:
    """The seed as a mapping with some indicators changed: seed_with(i5={"weight": "abc"})."""
    data = copy.deepcopy(SEED)
    for key, fields in changes.items():
        indicator(data, int(key.removeprefix("i"))).update(fields)
    return data


def only(errors: list[SpecError], number: int | None, field: str) -> SpecError:
    found = [e for e in errors if e.indicator == number and e.field == field]
    assert len(found) == 1, errors
    return found[0]


def assert_names_it(error: SpecError, file: str, number: int | None, field: str) -> None:
    assert error.source == file
    text = str(error)
    assert file in text and field in text
    if number is not None:
        assert f"指标 {number}" in text
    assert " / " in error.message  # Chinese first, then English


def test_it_accepts_the_seed_and_its_mapping_round_trips() -> None:
    assert spec_from_mapping(copy.deepcopy(SEED), "seed") == seed_spec()


def test_it_reports_a_duplicate_number(tmp_path: Path) -> None:
    errors = errors_of(tmp_path, seed_with(i5={"number": 4}))
    assert_names_it(only(errors, 4, "number"), "edited.yaml", 4, "number")
    assert "重复" in only(errors, 4, "number").message


@pytest.mark.parametrize("count", [4, 6])
def test_it_needs_exactly_five_levels(tmp_path: Path, count: int) -> None:
    levels = [{"label": f"选项{i}", "points": 100 - 20 * i} for i in range(count)]
    errors = errors_of(tmp_path, seed_with(i3={"levels": levels}))
    error = only(errors, 3, "levels")
    assert_names_it(error, "edited.yaml", 3, "levels")
    assert f"实际 {count} 个" in error.message


def test_it_refuses_empty_names_and_descriptions(tmp_path: Path) -> None:
    errors = errors_of(tmp_path, seed_with(i7={"name": ""}, i8={"description": "  "}))
    assert_names_it(only(errors, 7, "name"), "edited.yaml", 7, "name")
    assert_names_it(only(errors, 8, "description"), "edited.yaml", 8, "description")


def test_it_refuses_an_empty_level_label(tmp_path: Path) -> None:
    data = seed_with()
    indicator(data, 9)["levels"][2]["label"] = ""
    assert_names_it(
        only(errors_of(tmp_path, data), 9, "levels[3].label"), "edited.yaml", 9, "levels[3].label"
    )


@pytest.mark.parametrize("weight", ["abc", -1, 0, None])
def test_it_refuses_a_weight_that_is_not_a_positive_number(tmp_path: Path, weight: Any) -> None:
    error = only(errors_of(tmp_path, seed_with(i10={"weight": weight})), 10, "weight")
    assert_names_it(error, "edited.yaml", 10, "weight")
    assert repr(weight) in error.message


def test_it_refuses_points_that_increase_towards_level_5(tmp_path: Path) -> None:
    data = seed_with()
    for lv, points in zip(indicator(data, 12)["levels"], [0, 25, 50, 75, 100], strict=True):
        lv["points"] = points
    assert_names_it(
        only(errors_of(tmp_path, data), 12, "levels.points"), "edited.yaml", 12, "levels.points"
    )


def test_it_refuses_points_outside_0_to_100_once(tmp_path: Path) -> None:
    data = seed_with()
    indicator(data, 13)["levels"][0]["points"] = 120
    errors = errors_of(tmp_path, data)
    assert_names_it(only(errors, 13, "levels[1].points"), "edited.yaml", 13, "levels[1].points")
    assert len(errors) == 1  # not again as "points increase"


def test_it_reports_empty_labels_once(tmp_path: Path) -> None:
    data = seed_with()
    indicator(data, 15)["levels"][1]["label"] = ""
    indicator(data, 15)["levels"][2]["label"] = ""
    errors = errors_of(tmp_path, data)
    assert {e.field for e in errors} == {"levels[2].label", "levels[3].label"}


def test_it_refuses_repeated_labels(tmp_path: Path) -> None:
    data = seed_with()
    indicator(data, 16)["levels"][1]["label"] = "非常完善"
    assert_names_it(
        only(errors_of(tmp_path, data), 16, "levels.label"), "edited.yaml", 16, "levels.label"
    )


def test_it_refuses_numbers_with_a_gap(tmp_path: Path) -> None:
    errors = errors_of(tmp_path, seed_with(i28={"number": 30}))
    error = only(errors, 30, "number")
    assert_names_it(error, "edited.yaml", 30, "number")
    assert "28" in error.message and "29" in error.message  # the missing numbers


def test_it_refuses_an_unknown_scale(tmp_path: Path) -> None:
    data = seed_with()
    ind = indicator(data, 2)
    del ind["levels"]
    ind["scale"] = "henhao"
    error = only(errors_of(tmp_path, data), 2, "scale")
    assert_names_it(error, "edited.yaml", 2, "scale")
    assert "henhao" in error.message


def test_it_reports_invalid_yaml_with_its_line(tmp_path: Path) -> None:
    errors = errors_of(tmp_path, "id: platform-csr\nversion: 1\nareas: [unclosed\n", "broken.yaml")
    error = only(errors, None, "(file)")
    assert_names_it(error, "broken.yaml", None, "(file)")
    assert "第 4 行" in error.message and "YAML" in error.message


def test_it_reports_a_missing_file() -> None:
    with pytest.raises(FrameworkInvalid) as caught:
        load_yaml(DATA / "no-such-file.yaml")
    assert "文件不存在" in str(caught.value)


@pytest.mark.parametrize(
    "text, field",
    [
        ("id: x\nversion: 1\ntitle: t\nareas: [企业内部治理]\n", "areas[1]"),
        ("id: x\nversion: 1\ntitle: t\nscoring: weighted_mean\nareas: []\n", "scoring"),
        ("id: x\nversion: 1\ntitle: t\ndocument: 标题\nareas: []\n", "document"),
        ("- just\n- a list\n", "(file)"),
    ],
)
def test_it_reports_a_wrongly_shaped_file_instead_of_crashing(
    tmp_path: Path, text: str, field: str
) -> None:
    errors = errors_of(tmp_path, text, "shape.yaml")
    assert any(e.field == field and e.source == "shape.yaml" for e in errors), errors


def test_it_reports_several_errors_at_once() -> None:
    with pytest.raises(FrameworkInvalid) as caught:
        load_yaml(DATA / "several-errors.yaml")
    errors = caught.value.errors
    assert {(e.indicator, e.field) for e in errors} == {
        (1, "weight"),
        (2, "name"),
        (3, "levels"),
        (4, "scale"),
        (5, "levels.points"),
    }
    assert all(e.source == "several-errors.yaml" for e in errors)
    message = str(caught.value)
    assert message.count("\n") == len(errors) - 1  # one error per line
