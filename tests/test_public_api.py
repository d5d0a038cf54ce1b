"""The public API of `pipeline`: what ``__all__`` exports, and that the library never
imports Prefect (flows orchestrate; the library does the work)."""

from __future__ import annotations

import ast
import subprocess
import sys
import types
from pathlib import Path

import pipeline

PUBLIC_API = {
    # entry points
    "Source", "InputScan", "scan_inputs", "collect_sources", "extract_bytes", "extract_file", "process_document", "process_source",
    "load_resources", "Resources", "Settings",
    # records
    "document_record", "obligation_records", "write_jsonl_atomic",
    # the output folder
    "BatchOutput", "check_output_folder", "check_outputs",
    # data model
    "Assignment", "Deadline", "Department", "Document", "ExtractionResult", "Obligation", "TaskRecord",
    # errors
    "PolicyflowError", "SettingsError", "ResourceError", "OutputError", "DocumentError", "SourceNotFoundError",
    "UnsupportedFormatError", "EmptyDocumentError", "DecodeError", "NoArticleError",
    "NeedsOcrError", "PackageError", "ConversionError", "LimitExceededError", "FrontMatterError",
}

PACKAGE_DIR = Path(pipeline.__file__).resolve().parent


def test_public_api_all_is_the_documented_list():
    assert len(pipeline.__all__) == len(set(pipeline.__all__)), "a name is exported twice"
    assert set(pipeline.__all__) == PUBLIC_API


def test_public_api_every_exported_name_is_importable():
    for name in pipeline.__all__:
        assert getattr(pipeline, name, None) is not None, name


def test_public_api_module_namespace_holds_only_exported_names():
    public = {name for name, value in vars(pipeline).items()
              if not name.startswith("_") and not isinstance(value, types.ModuleType)}
    assert public == set(pipeline.__all__)


def test_public_api_errors_share_one_base():
    for name in pipeline.__all__:
        value = getattr(pipeline, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, pipeline.PolicyflowError), name


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_public_api_pipeline_never_imports_prefect():
    files = sorted(PACKAGE_DIR.rglob("*.py"))
    assert PACKAGE_DIR / "api.py" in files
    offenders = {str(path.relative_to(PACKAGE_DIR)): sorted(m for m in _imported_modules(path)
                                                            if m == "prefect" or m.startswith("prefect."))
                 for path in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_public_api_extracting_a_document_loads_no_prefect_module():
    code = ("import sys, pipeline; "
            "pipeline.extract_bytes('各部门要加强领导。（办公室）'.encode(), 'x.txt'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'prefect'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=PACKAGE_DIR.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
