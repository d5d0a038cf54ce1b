"""Files policyflow cannot read: a single-file call raises a typed error naming the file; a
batch turns it into a document record with a non-ok status and the same readable error."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from flows.cli import main
from pipeline import (
    DecodeError,
    EmptyDocumentError,
    NoArticleError,
    Source,
    SourceNotFoundError,
    UnsupportedFormatError,
    extract_file,
    process_source,
)

#: Neither UTF-8 nor GB18030: 0x81 is a GB18030 lead byte that 0x20 cannot follow, and 0xFF
#: is invalid in both.
UNDECODABLE = b"\x81\x20\xff\xfe\x80\x30" * 40
NAVIGATION_ONLY = (
    "<html><head><title>澄江市人民政府</title></head><body>"
    "<nav><a href='/'>首页</a> <a href='/zw'>政务公开</a> <a href='/bs'>办事服务</a></nav>"
    "<div><a href='/hd'>互动交流</a> | <a href='/zc'>政策文件</a> | <a href='/sj'>数据开放</a></div>"
    "<ul><li><a href='/jg'>机构设置</a></li><li><a href='/ld'>领导信息</a></li></ul>"
    "</body></html>"
)

#: name → (file contents or None for a path that does not exist, status, words of the error, error type)
BAD_INPUTS = {
    "empty.txt": (b"", "empty", "empty", EmptyDocumentError),
    "scan.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "failed", "binary", DecodeError),
    "garbled.txt": (UNDECODABLE, "failed", "not text", DecodeError),
    "portal.html": (NAVIGATION_ONLY.encode("utf-8"), "failed", "article", NoArticleError),
    "notes.xyz": ("各部门要加强组织领导。".encode(), "unsupported", ".xyz", UnsupportedFormatError),
    "missing.txt": (None, "failed", "no such file", SourceNotFoundError),
}


def test_bad_input_undecodable_bytes_really_are_undecodable():
    for encoding in ("utf-8", "utf-8-sig", "gb18030", "gbk"):
        with pytest.raises(UnicodeDecodeError):
            UNDECODABLE.decode(encoding)


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inbox")
    for name, (data, *_rest) in BAD_INPUTS.items():
        if data is not None:
            (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_process_source_gives_status_and_error_naming_the_file(name, bad_files, resources):
    _data, status, words, _error = BAD_INPUTS[name]
    path = bad_files / name
    result = process_source(Source(path, str(path)), resources)
    assert result.status == status
    assert result.tasks == []
    assert result.error is not None
    assert name in result.error
    assert words in result.error


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_extract_file_raises_a_typed_error(name, bad_files, resources):
    _data, status, _words, error = BAD_INPUTS[name]
    with pytest.raises(error, match=name.replace(".", r"\.")) as raised:
        extract_file(bad_files / name, resources)
    assert raised.value.status == status


@pytest.fixture(scope="module")
def batch(bad_files, tmp_path_factory, prefect_test_harness):
    """One CLI run over every bad file, named one by one (a folder scan skips .xyz)."""
    output = tmp_path_factory.mktemp("out")
    good = bad_files / "good.txt"
    good.write_text("各区人民政府：\n各区要在5月底前完成隐患排查，不得漏报瞒报。\n", encoding="utf-8")
    paths = [str(bad_files / name) for name in BAD_INPUTS] + [str(good)]
    result = CliRunner().invoke(main, ["run", *paths, "--output", str(output), "--quiet"])
    rows = [json.loads(line) for line in (output / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    return result, {os.path.basename(row["source_file"]): row for row in rows}


def test_bad_input_batch_goes_on_and_exits_1(batch):
    result, rows = batch
    assert result.exit_code == 1, result.output
    assert set(rows) == {*BAD_INPUTS, "good.txt"}
    assert rows["good.txt"]["status"] == "ok"


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_batch_records_status_and_error_naming_the_file(name, batch):
    _data, status, words, _error = BAD_INPUTS[name]
    row = batch[1][name]
    assert row["status"] == status
    assert row["task_count"] == 0
    assert name in row["error"]
    assert words in row["error"]
