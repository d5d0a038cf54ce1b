"""Running hostile inputs the way a batch meets them: every file of a folder through
`pipeline.process_source` in a child process whose address space is capped, so that an input
that would take gigabytes fails the test instead of the machine."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

#: spaCy, jieba and pdfium need about 700 MB of address space; the bombs asked for 8-12 GB.
ADDRESS_SPACE = 1536 * 1024 * 1024

_CHILD = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    import pipeline
    resources = pipeline.load_resources()
    for path in sorted(Path(sys.argv[1]).iterdir()):
        result = pipeline.process_source(pipeline.Source(path, path.name), resources)
        doc = result.document
        print(json.dumps({{"file": path.name, "status": result.status, "error": result.error,
                          "warnings": doc.warnings if doc else [], "text": doc.text if doc else None}}), flush=True)
""")


def write_inputs(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def run_capped(folder: Path, limit: int = ADDRESS_SPACE, timeout: float = 600) -> dict[str, dict[str, object]]:
    """The result of every file in ``folder``, by name; asserts the child finished cleanly."""
    child = subprocess.run([sys.executable, "-c", _CHILD.format(limit=limit), str(folder)],
                           capture_output=True, text=True, timeout=timeout, check=False)
    assert child.returncode == 0, child.stderr[-2000:]
    return {row["file"]: row for row in map(json.loads, child.stdout.splitlines())}
