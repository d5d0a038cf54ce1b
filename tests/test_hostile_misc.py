"""Oversized and binary text through a batch: refused with a typed error naming the limit,
or read, and never more memory than the address-space cap allows."""

from __future__ import annotations

import pytest
from hostile_misc import hostile_files
from hostile_run import run_capped, write_inputs

from pipeline import LimitExceededError, extract_bytes

#: name → (status, words of the error)
EXPECTED = {
    "misc-long-text.txt": ("failed", "setting max_text_chars"),
    "misc-one-line.txt": ("failed", "setting max_text_chars"),
    "misc-long-but-legal.txt": ("ok", None),
    "misc-random-bytes.txt": ("failed", "not text"),
    "misc-nul-bytes.md": ("failed", "binary"),
    "misc-utf16-without-bom.txt": ("failed", "binary"),
    "misc-empty.html": ("empty", "empty"),
    "misc-whitespace.txt": ("empty", "empty"),
    "misc-unknown-suffix.xyz.txt.bak": ("unsupported", ".bak"),
}


def test_hostile_misc_every_input_is_expected():
    assert set(hostile_files()) == set(EXPECTED)


@pytest.mark.parametrize("name", ["misc-long-text.txt", "misc-one-line.txt"])
def test_hostile_misc_text_over_the_limit_is_refused_naming_the_setting(name, resources):
    with pytest.raises(LimitExceededError, match="max_text_chars"):
        extract_bytes(hostile_files()[name], name, resources)


def test_hostile_misc_batch_stays_within_an_address_space_limit(tmp_path):
    results = run_capped(write_inputs(tmp_path / "inbox", hostile_files()))
    assert set(results) == set(EXPECTED)
    for name, (status, words) in EXPECTED.items():
        assert results[name]["status"] == status, results[name]
        if words:
            assert words in str(results[name]["error"]), results[name]
        assert "internal error" not in str(results[name]["error"])
