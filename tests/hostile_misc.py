"""Hostile inputs that are not about one format's markup: oversized and binary text, and the
file-system cases an inbox holds (names that are not UTF-8 or hold control characters,
dangling links, link loops, FIFOs, the same bytes twice, empty and unknown files).

`hostile_files` returns plain files (name → bytes); `make_specials` creates the cases that
need the file system itself in a folder. Seeded: the same inputs every run.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

LINE = "各部门要加强组织领导，落实工作责任，在2025年6月底前完成清理。（市财政局、市审计局）\n"


def hostile_files() -> dict[str, bytes]:
    rng = random.Random(7)
    return {
        # an ordinary-looking 3.4 MB .txt: 1.1 million characters, over max_text_chars
        "misc-long-text.txt": (LINE * 29_000).encode("utf-8"),
        # long but within the limits: 400,000 characters, 9,000 tasks (was quadratic in tasks)
        "misc-long-but-legal.txt": (LINE * 9_000).encode("utf-8"),
        # one line of 1.2 million characters with no break at all
        "misc-one-line.txt": ("不得" * 600_000).encode("utf-8"),
        "misc-random-bytes.txt": bytes(rng.randrange(256) for _ in range(65_536)),
        "misc-nul-bytes.md": b"\x00" * 10_000,
        "misc-utf16-without-bom.txt": LINE.encode("utf-16-le") * 100,
        "misc-empty.html": b"",
        "misc-whitespace.txt": b" \n\t\r\n" * 1000,
        "misc-unknown-suffix.xyz.txt.bak": LINE.encode("utf-8"),
    }


def make_specials(folder: Path, notice: bytes) -> list[str]:
    """Create the file-system cases in ``folder``; returns the names a batch must report."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(os.path.join(os.fsencode(folder), "汛期通知-gbk.txt".encode("gbk")), "wb") as fh:
        fh.write(notice)
    (folder / "control-\x1b[31m-name.txt").write_bytes(notice)
    (folder / "same-bytes-copy.txt").write_bytes(notice)
    (folder / "dangling.txt").symlink_to(folder / "no-such-file.txt")
    (folder / "loop.md").symlink_to(folder / "loop.md")
    os.mkfifo(folder / "fifo.txt")
    return sorted(os.listdir(folder))
