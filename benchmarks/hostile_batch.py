"""The bar of issue 7: one batch over every hostile input together with the shared corpus,
run repeatedly with the default settings.

    python benchmarks/hostile_batch.py [--runs 10] [--shared ../shared] [--keep DIR]

Builds a folder holding every input of ``tests/hostile_*.py`` (generated, seeded), the
file-system cases of ``tests/hostile_misc.make_specials`` and a copy of every set of the
shared corpus; runs the corpus alone once as the baseline, then ``policyflow run`` over the
whole folder ``--runs`` times. For each run it checks: exit status 1, one documents.jsonl
line per input, a consistent manifest, the corpus records identical to the baseline, and no
process left behind; and it measures wall time and the peak resident memory of the command's
process tree (sampled every 0.2 s from /proc). Prints one line per run and a summary.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
CORPUS_SETS = ("docs", "pdf", "docx", "wide/docs", "wide/pdf", "wide/docx")


def _module(path: Path) -> ModuleType:
    """A module of ``tests/`` (generators import each other, so the folder goes on the path)."""
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    return importlib.import_module(path.stem)


def build(folder: Path, shared: Path) -> tuple[Path, Path]:
    hostile = folder / "inbox" / "hostile"
    corpus = folder / "inbox" / "corpus"
    hostile.mkdir(parents=True)
    for path in sorted((REPO / "tests").glob("hostile_*.py")):
        module = _module(path)
        if not hasattr(module, "hostile_files"):
            continue  # the runner, not a generator
        for name, data in module.hostile_files().items():
            (hostile / name).write_bytes(data)
    notice = (REPO / "corpus" / "sample-notice.txt").read_bytes()
    (hostile / "same-bytes-original.txt").write_bytes(notice)
    _module(REPO / "tests" / "hostile_misc.py").make_specials(hostile / "fs", notice)
    for name in CORPUS_SETS:
        source = shared / "corpus" / name
        if source.is_dir():
            shutil.copytree(source, corpus / name.replace("/", "-"))
    return hostile, corpus


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(inputs: list[Path], output: Path, env: dict[str, str]) -> dict[str, object]:
    started = time.perf_counter()
    log = output.with_suffix(".log")
    with log.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "run", *map(str, inputs), "--output", str(output),
                                 "-q"], cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, sum(_rss_kib(p) for p in _tree(proc.pid)))
            time.sleep(0.2)
    seconds = time.perf_counter() - started
    time.sleep(1)
    leftovers = subprocess.run(["pgrep", "-f", f"flows._tether {proc.pid} "], capture_output=True, text=True).stdout
    return {"status": proc.returncode, "seconds": seconds, "peak_mib": peak / 1024, "log": log,
            "leftovers": leftovers.split()}


def records(output: Path) -> tuple[dict[str, dict[str, object]], list[dict[str, object]]]:
    documents = [json.loads(line) for line in (output / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    obligations = [json.loads(line) for line in (output / "obligations.jsonl").read_text(encoding="utf-8").splitlines()]
    return {d["source_file"]: d for d in documents}, obligations


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--keep", type=Path, help="build the inputs here and keep them")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from pipeline import Settings, check_outputs, scan_inputs

    work = args.keep or Path(tempfile.mkdtemp(prefix="policyflow-hostile-"))
    hostile, corpus = build(work, args.shared)
    scan = scan_inputs([hostile, corpus], Settings())
    expected = sorted(s.source_file for s in scan.sources)
    print(f"inputs: {len(expected)} files ({len(scan_inputs([corpus], Settings()).sources)} from the shared corpus, "
          f"the rest hostile), {len(scan.skipped)} of other formats skipped; folder {work}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(work / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false")

    base = run([corpus], work / "baseline", env)
    base_docs, base_obligations = records(work / "baseline")
    print(f"baseline (corpus alone): exit {base['status']}, {len(base_docs)} documents, "
          f"{len(base_obligations)} records, {base['seconds']:.1f} s, peak {base['peak_mib']:.0f} MiB")
    corpus_prefix = str(corpus)
    failures = 0
    for n in range(1, args.runs + 1):
        out = work / f"run-{n:02d}"
        result = run([hostile, corpus], out, env)
        problems = []
        if result["status"] != 1:
            problems.append(f"exit status {result['status']}")
        if result["leftovers"]:
            problems.append(f"processes left: {result['leftovers']}")
        try:
            docs, obligations = records(out)
        except OSError as exc:
            docs, obligations = {}, []
            problems.append(f"no output: {exc}")
        if sorted(docs) != expected:
            problems.append(f"{len(docs)} document lines for {len(expected)} inputs")
        if check_outputs(out):
            problems.append(str(check_outputs(out)))
        corpus_docs = {k: v for k, v in docs.items() if k.startswith(corpus_prefix)}
        corpus_obligations = [o for o in obligations if str(o["source_file"]).startswith(corpus_prefix)]
        if corpus_docs != base_docs or corpus_obligations != base_obligations:
            problems.append("corpus records differ from the baseline")
        statuses: dict[str, int] = {}
        for d in docs.values():
            statuses[str(d["status"])] = statuses.get(str(d["status"]), 0) + 1
        summary = Path(str(result["log"])).read_text(errors="replace").strip().splitlines()[-1:]
        print(f"run {n:2d}: exit {result['status']}, {result['seconds']:.1f} s, peak {result['peak_mib']:.0f} MiB, "
              f"statuses {dict(sorted(statuses.items()))}; {'; '.join(problems) or 'all checks passed'}")
        print(f"        {summary[0] if summary else '(no summary line)'}")
        failures += bool(problems)
    print(f"{args.runs - failures} of {args.runs} runs passed every check")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
