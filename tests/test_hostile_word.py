"""Word loader on hostile input: ZIP bombs (honest, lying, bzip2, spread over parts, in an
image), deep nesting, markup that multiplies text, DTDs, packages that are no Word document,
OLE files that are no Word document, and LibreOffice hanging or leaving processes behind.

Every hostile file comes from `hostile_word.hostile_files()`, built in memory; each must end
in seconds with a typed error (or, where nothing is wrong with the text, be read), and all of
them together must run in a process whose address space is limited to what the library
needs plus 512 MiB, far below what any of the bombs would take."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import random
import shutil
import subprocess
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from hostile_run import run_capped, write_inputs
from hostile_word import BOMB_BYTES, CIRCULAR, OLE_MAGIC, docx, hostile_files, ole

from pipeline import (
    DocumentError,
    LimitExceededError,
    PackageError,
    Settings,
    Source,
    UnsupportedFormatError,
    extract_bytes,
    process_source,
)
from pipeline import loaders as loader_table
from pipeline.errors import ConversionError
from pipeline.loaders import docx as word
from pipeline.loaders.docx import load_docx, load_legacy_word

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
LEGACY = (".doc", ".wps")
TEXT = "各镇要于6月底前完成农村危房排查。"

#: name → (error class, or None when the file is read; words of the error; setting named)
EXPECTED: dict[str, tuple[type[DocumentError] | None, str, str | None]] = {
    "bomb-document.docx": (LimitExceededError, "(word/document.xml: 1,000,442,359; a possible ZIP bomb)",
                           "max_unpacked_bytes"),
    "bomb-lying-directory.docx": (PackageError, "Bad CRC-32 for file 'word/document.xml'", None),
    "bomb-bzip2.docx": (PackageError, "compressed with method 12, which Word never uses", None),
    "bomb-bzip2-mimetype.docx": (PackageError, "not a Word document: it is a ZIP archive of 1 file(s) (mimetype)",
                                 None),
    "bomb-headers.docx": (LimitExceededError, "the parts read for text unpack to 82,614,153 bytes", "max_unpacked_bytes"),
    "bomb-image.docx": (None, TEXT, None),  # the image is never inflated
    "deep-tables.docx": (LimitExceededError, "nests elements more than 256 deep", "max_nesting_depth"),
    "deep-content-controls.docx": (None, TEXT, None),
    "merged-cells.docx": (LimitExceededError, "the text reaches", "max_text_chars"),
    "list-level-text.docx": (LimitExceededError, "the text reaches", "max_text_chars"),
    "footnote-references.docx": (None, "各单位要落实。", None),
    "text-flood.docx": (LimitExceededError, "the text reaches", "max_text_chars"),
    "element-flood.docx": (LimitExceededError, "holds 10,000,003 XML elements", "max_unpacked_bytes"),
    "billion-laughs.docx": (PackageError, "holds a DTD (<!DOCTYPE>)", None),
    "external-entity.docx": (PackageError, "holds a DTD (<!DOCTYPE>)", None),
    "images.docx": (PackageError, "not a Word document: it is a ZIP archive of 5 image(s)", None),
    "many-parts.docx": (PackageError, "the ZIP package has 50,004 entries", None),
    "random-ole.doc": (PackageError, "not a Word document: it starts like a Word 97-2003 file, but its OLE "
                                     "structure is damaged", None),
    "random-ole.wps": (PackageError, "not a Word document: it starts like a Word 97-2003 file, but its OLE "
                                     "structure is damaged", None),
    "workbook.doc": (PackageError, "not a Word document: it is an Excel 97-2003 workbook (.xls)", None),
    "garbage-word-stream.doc": (PackageError, "not a Word document: its WordDocument stream does not start with a "
                                              "Word file header", None),
    "no-table-stream.wps": (PackageError, "not a Word document: a Word header without its 1Table stream", None),
}


def expected(name: str) -> tuple[type[DocumentError] | None, str, str | None]:
    """What a file should give here: a legacy file is unsupported without LibreOffice."""
    if name.endswith(LEGACY) and SOFFICE is None:
        return UnsupportedFormatError, "libreoffice-writer-nogui", None
    return EXPECTED[name]


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return hostile_files()


@pytest.fixture
def word_registered(monkeypatch):
    """Route .docx, .doc and .wps to the Word loader whether or not the loader table does."""
    monkeypatch.setitem(loader_table.LOADERS, ".docx", ("docx", load_docx))
    monkeypatch.setitem(loader_table.LOADERS, ".doc", ("other", load_legacy_word))
    monkeypatch.setitem(loader_table.LOADERS, ".wps", ("other", load_legacy_word))


# --- the generators ---------------------------------------------------------------------------


def test_hostile_word_generators_are_seeded_small_and_what_they_claim(files):
    assert set(files) == set(EXPECTED)
    assert files["random-ole.doc"] == OLE_MAGIC + random.Random(7).randbytes(8192)
    assert max(len(data) for data in files.values()) < 16_000_000  # in memory and in tmp_path only
    with zipfile.ZipFile(io.BytesIO(files["bomb-document.docx"])) as package:
        assert package.getinfo("word/document.xml").file_size >= BOMB_BYTES
    with zipfile.ZipFile(io.BytesIO(files["bomb-lying-directory.docx"])) as package:
        info = package.getinfo("word/document.xml")
        raw = files["bomb-lying-directory.docx"][info.header_offset + 30 + len(info.filename):][:info.compress_size]
    inflated = zlib.decompressobj(-15).decompress(raw, 10 * info.file_size)
    assert info.file_size == 20_000 and len(inflated) == 10 * info.file_size  # it inflates past what it declares


# --- each file through the public entry points ------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_word_extract_bytes_raises_a_typed_error_or_reads_the_text(name, files, resources, word_registered):
    error, words, setting = expected(name)
    if error is None:
        result = extract_bytes(files[name], name, resources)
        assert result.document is not None and words in result.document.text
        return
    with pytest.raises(error) as raised:
        extract_bytes(files[name], name, resources)
    assert words in str(raised.value) and name in str(raised.value)
    if setting is not None:
        assert isinstance(raised.value, LimitExceededError) and raised.value.setting == setting


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_word_process_source_gives_a_status_and_an_error_naming_the_problem(name, files, resources, tmp_path,
                                                                                    word_registered):
    error, words, setting = expected(name)
    path = tmp_path / name
    path.write_bytes(files[name])
    result = process_source(Source(path, name), resources)
    if error is None:
        assert result.status == "ok", result.error
        return
    assert (result.status, result.document) == (error.status, None)
    assert words in (result.error or "") and "internal error" not in (result.error or ""), result.error
    if setting is not None:
        assert f"(setting {setting})" in (result.error or "")


@pytest.mark.parametrize("name", ["bomb-document.docx", "bomb-lying-directory.docx", "bomb-bzip2.docx",
                                  "bomb-bzip2-mimetype.docx", "bomb-image.docx", "many-parts.docx"])
def test_hostile_word_bombs_are_never_inflated_in_memory(name, files):
    tracemalloc.start()
    try:
        with pytest.raises(DocumentError) if EXPECTED[name][0] else contextlib.nullcontext():
            load_docx(files[name], name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 2**20, f"{peak:,} bytes allocated"


# --- the limits are the settings ------------------------------------------------------------------


def test_hostile_word_nesting_deeper_than_max_nesting_depth_is_refused_by_the_walkers(files, resources):
    tables = docx("<w:tbl><w:tr><w:tc>" * 30 + CIRCULAR + "</w:tc></w:tr></w:tbl>" * 30)  # 92 levels deep
    assert TEXT in load_docx(tables, "tables.docx").text
    shallow = dataclasses.replace(resources, settings=Settings(max_nesting_depth=64))
    for name, data in (("tables.docx", tables), ("controls.docx", files["deep-content-controls.docx"])):
        with pytest.raises(LimitExceededError, match=r"nests elements 65 deep, above the limit of 64 "
                                                     r"\(setting max_nesting_depth\)"):
            extract_bytes(data, name, shallow)


def test_hostile_word_max_unpacked_bytes_is_the_setting(files, resources):
    """With room for its 82 MB of headers, the header bomb is parsed, and stopped by the next limit."""
    roomy = dataclasses.replace(resources, settings=Settings(max_unpacked_bytes=100 * 2**20))
    with pytest.raises(LimitExceededError) as raised:
        extract_bytes(files["bomb-headers.docx"], "headers.docx", roomy)
    assert raised.value.setting == "max_text_chars"


# --- legacy Word: the OLE check, the Word filter, and LibreOffice's processes --------------------


def libreoffice_doc(tmp_path: Path) -> bytes:
    """A real .doc: a small circular written by python-docx and converted by LibreOffice."""
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("云岭市交通运输局关于开展道路运输安全隐患排查的通知")
    document.add_paragraph("各县区交通运输部门要于5月31日前报送排查台账。")
    source = tmp_path / "circular.docx"
    document.save(str(source))
    subprocess.run([str(SOFFICE), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120)
    return (tmp_path / "circular.doc").read_bytes()


@pytest.fixture
def commands(monkeypatch) -> list[list[str]]:
    """The LibreOffice command lines run, recorded."""
    run = word._run
    recorded: list[list[str]] = []

    def recording(command: list[str], *rest: str) -> str:
        recorded.append(command)
        return run(command, *rest)

    monkeypatch.setattr(word, "_run", recording)
    return recorded


@needs_soffice
@pytest.mark.parametrize("suffix", LEGACY)
def test_hostile_word_real_doc_is_converted_with_the_word_filter_named(tmp_path, commands, suffix):
    doc = load_legacy_word(libreoffice_doc(tmp_path), f"circular{suffix}")
    assert doc.text.split("\n") == ["云岭市交通运输局关于开展道路运输安全隐患排查的通知",
                                    "各县区交通运输部门要于5月31日前报送排查台账。"]
    assert [c for c in commands[-1] if c.startswith("--infilter")] == ["--infilter=MS Word 97"]


@needs_soffice
def test_hostile_word_works_file_is_read_by_the_works_filter_or_fails(commands):
    """A Microsoft Works .wps (an OLE file with CONTENTS) goes to LibreOffice's Works filter,
    which refuses bytes that are not Works instead of reading them as text."""
    with pytest.raises(ConversionError, match="LibreOffice could not convert the file"):
        load_legacy_word(ole({"CONTENTS": random.Random(7).randbytes(8192)}), "works.wps")
    assert "--infilter=MS_Works" in commands[-1]


FAKE_SOFFICE = """#!/bin/sh
# a LibreOffice that leaves a process behind in its group, then hangs or fails
sleep 300 &
echo $! > "$POLICYFLOW_TEST_PIDFILE"
if [ "$POLICYFLOW_TEST_HANG" = 1 ]; then sleep 300; fi
echo "Error: source file could not be loaded" >&2
exit 1
"""
RTF = "{\\rtf1\\ansi 各单位要落实。}".encode()


def gone(pid: int, within: float = 5.0) -> bool:
    """Has process ``pid`` ended (a zombie waiting for init counts as ended)?"""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch) -> Path:
    script = tmp_path / "soffice"
    script.write_text(FAKE_SOFFICE)
    script.chmod(0o755)
    pidfile = tmp_path / "left-behind.pid"
    monkeypatch.setenv("POLICYFLOW_TEST_PIDFILE", str(pidfile))
    monkeypatch.setattr(shutil, "which", lambda name: str(script) if name == "soffice" else None)
    return pidfile


def test_hostile_word_conversion_timeout_kills_libreoffice_and_its_whole_group(fake_soffice, monkeypatch):
    monkeypatch.setenv("POLICYFLOW_TEST_HANG", "1")
    monkeypatch.setattr(word, "CONVERT_TIMEOUT", 1.0)
    started = time.monotonic()
    with pytest.raises(ConversionError, match=r"LibreOffice took more than 1 s to convert the file"):
        load_legacy_word(RTF, "hangs.doc")
    assert time.monotonic() - started < 30
    assert gone(int(fake_soffice.read_text()))


def test_hostile_word_failed_conversion_leaves_no_process_behind(fake_soffice):
    with pytest.raises(ConversionError, match="LibreOffice could not convert the file: Error: source file could "
                                              "not be loaded"):
        load_legacy_word(RTF, "fails.doc")
    assert gone(int(fake_soffice.read_text()))


# --- all of them at once, in a process with a limited address space ----------------------------

def test_hostile_word_all_files_in_one_batch_under_an_address_space_limit(files, tmp_path):
    # the library takes ~360 MiB warmed up and these files ~180 MiB more; each bomb would
    # take over 1 GiB, the merged cells and element flood several
    results = run_capped(write_inputs(tmp_path / "hostile", files))
    assert set(results) == set(files)
    for name, line in results.items():
        error, words, _ = expected(name)
        assert line["status"] == ("ok" if error is None else error.status), line
        assert error is None or words in line["error"], line
