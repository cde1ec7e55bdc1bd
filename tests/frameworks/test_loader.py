"""Framework files into the database: idempotent, versioned, all or nothing."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from zeren.frameworks.loader import load_framework_file, save_framework, spec_for, spec_from_db
from zeren.frameworks.models import Area, Framework, Indicator, Level, Topic
from zeren.frameworks.spec import (
    SEED_FILE,
    FrameworkInvalid,
    load_yaml,
    seed_spec,
    spec_to_mapping,
)

pytestmark = pytest.mark.django_db

GROUP_STANDARD = Path(__file__).parent / "data" / "group-standard-2021.yaml"


def row_counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Framework, Area, Topic, Indicator, Level))


def edited_seed(tmp_path: Path, **top: Any) -> Path:
    """The seed file with indicator 3's level-2 label changed (and any top-level changes)."""
    data = copy.deepcopy(spec_to_mapping(seed_spec()))
    data["areas"][0]["topics"][1]["indicators"][0]["levels"][1]["label"] = "较为完善"
    data.update(top)
    path = tmp_path / "platform-csr-edited.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_it_has_the_seed_after_migrate() -> None:
    framework = Framework.objects.get(key="platform-csr", version=1)
    assert spec_from_db(framework) == seed_spec()


def test_it_does_nothing_when_the_seed_is_loaded_again() -> None:
    before = row_counts()
    framework, created = load_framework_file(SEED_FILE)
    assert (framework.key, framework.version, created) == ("platform-csr", 1, False)
    assert row_counts() == before


def test_it_refuses_changed_content_under_the_same_version(tmp_path: Path) -> None:
    before = row_counts()
    with pytest.raises(FrameworkInvalid) as caught:
        load_framework_file(edited_seed(tmp_path))
    error = caught.value.errors[0]
    assert error.field == "version"
    assert "已存在" in error.message and "--new-version" in error.message
    assert row_counts() == before
    assert spec_for("platform-csr", 1) == seed_spec()


def test_it_stores_a_new_version_and_leaves_the_old_one_alone(tmp_path: Path) -> None:
    framework, created = load_framework_file(edited_seed(tmp_path), new_version=True)
    assert created and framework.version == 2
    assert spec_for("platform-csr", 2).indicator(3).label(2) == "较为完善"
    assert spec_for("platform-csr", 1) == seed_spec()
    # The new version, loaded again, is a no-op too.
    assert load_framework_file(edited_seed(tmp_path, version=2)) == (framework, False)


def test_it_stores_nothing_when_the_file_has_an_error(tmp_path: Path) -> None:
    data = spec_to_mapping(replace(seed_spec(), id="broken"))
    data["areas"][0]["topics"][0]["indicators"][0]["weight"] = "abc"
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = row_counts()
    with pytest.raises(FrameworkInvalid):
        load_framework_file(path)
    assert row_counts() == before


def test_it_stores_all_or_nothing_when_saving_fails_halfway(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = replace(load_yaml(GROUP_STANDARD), id="halfway")
    before = row_counts()

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    # Areas, topics and indicators are written before the levels: fail at the very end.
    monkeypatch.setattr(Level.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        save_framework(spec)
    assert row_counts() == before
    assert not Framework.objects.filter(key="halfway").exists()


def test_it_loads_a_49_indicator_framework_and_reads_it_back_equal() -> None:
    spec = load_yaml(GROUP_STANDARD)
    framework, created = load_framework_file(GROUP_STANDARD)
    assert created
    assert framework.areas.count() == 7
    assert Topic.objects.filter(area__framework=framework).count() == 24
    assert framework.indicators.count() == 49
    assert Level.objects.filter(indicator__framework=framework).count() == 49 * 5
    stored = spec_from_db(framework)
    assert stored == spec
    assert len({i.weight for i in stored.indicators}) > 1  # unequal weights survive
    assert stored.indicator(39).points(2) == 85  # explicit points survive
    assert stored.indicator(43).levels_supplied
    assert load_framework_file(GROUP_STANDARD) == (framework, False)


def test_it_lists_the_indicators_in_their_areas_and_topics() -> None:
    framework, _ = load_framework_file(GROUP_STANDARD)
    stored = spec_from_db(framework)
    assert [a.name for a in stored.areas] == [
        "责任治理",
        "内容生态",
        "用户权益",
        "公平竞争",
        "员工与劳动者",
        "社会贡献",
        "绿色发展",
    ]
    assert [i.number for i in stored.indicators] == list(range(1, 50))
    assert stored.area_of(33).name == "员工与劳动者"
