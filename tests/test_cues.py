"""Cue words are data: the bundled files, and a user's own files added to them, checked when
loaded so that a mistake is reported at start-up with its file and entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import ResourceError, Settings, SettingsError, extract_bytes, load_resources

CIRCULAR = """澄阳市人民政府办公室关于做好防汛工作的通知
各区人民政府，市政府各部门：
一、完成山洪灾害隐患排查。（攻坚专班：市水务局、市应急管理局）
澄阳市人民政府办公室
2027年3月9日
"""


def write(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "ours.json"
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


def leads(resources) -> list[str]:
    result = extract_bytes(CIRCULAR.encode(), "notice.txt", resources)
    return [t.assignment.lead.surface for t in result.tasks if t.assignment]


def test_a_users_label_head_is_added_to_the_bundled_ones(tmp_path):
    assert leads(load_resources()) == []  # 攻坚专班 is no label head of the bundled words
    ours = write(tmp_path, {"assignment_labels": {"heads": ["专班"]}})
    assert leads(load_resources(Settings(cue_files=(ours,)))) == ["市水务局"]


@pytest.mark.parametrize("content, message", [
    ({"org_suffix": ["所"]}, "unknown cue entry 'org_suffix'"),
    ({"assignment_labels": {"head": ["专班"]}}, "unknown cue entry 'assignment_labels.head'"),
    ({"org_suffixes": "所"}, "'org_suffixes' must be a list of strings"),
    ({"roles": {"lead": [1]}}, "'roles.lead' must be a list of strings"),
    ({"convention": {"first_is_lead": ["(排在"]}}, "bad cue entry"),
])
def test_a_bad_user_cue_file_is_refused_naming_its_entry(tmp_path, content, message):
    ours = write(tmp_path, content)
    with pytest.raises(ResourceError, match=message.replace("(", r"\(")):
        load_resources(Settings(cue_files=(ours,)))


def test_a_missing_cue_file_is_a_settings_error(tmp_path):
    with pytest.raises(SettingsError, match="cue_files"):
        Settings(cue_files=(tmp_path / "none.json",))


def test_cue_files_come_from_the_environment(tmp_path, monkeypatch):
    ours = write(tmp_path, {"org_suffixes": ["事务所"]})
    monkeypatch.setenv("POLICYFLOW_CUES", str(ours))
    assert Settings.from_env().cue_files == (ours,)
