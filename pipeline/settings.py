"""Typed settings with named defaults, validated when built."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from pipeline.errors import SettingsError

#: Environment variable holding extra registry files, separated by os.pathsep.
REGISTRY_ENV = "POLICYFLOW_REGISTRY"
#: Environment variable holding extra cue-word files, separated by os.pathsep.
CUES_ENV = "POLICYFLOW_CUES"


@dataclass(frozen=True)
class Settings:
    """How policyflow reads documents.

    Every field has a default that suits a compliance team's inbox; build with keyword
    arguments to change one, e.g. ``Settings(registry_files=(Path("ours.jsonl"),))``.
    """

    #: Extra department registry files (JSON Lines, same format as the bundled one); their
    #: entries are added to the bundled registry and win over it on conflicts.
    registry_files: tuple[Path, ...] = ()
    #: Extra cue-word files (JSON objects shaped like the bundled ``cues.json``,
    #: ``deadlines.json`` or ``tables.json`` sections): their words are added to the bundled
    #: lists, e.g. ``{"org_suffixes": ["事务所"], "assignment_labels": {"heads": ["专班"]}}``.
    cue_files: tuple[Path, ...] = ()
    #: rapidfuzz score (0-100) above which an unknown name is taken as a near-miss of a
    #: registry name (a typo or a variant spelling).
    fuzzy_threshold: float = 92.0
    #: Files larger than this are refused before they are read (PDFs with page images are the
    #: large ones; text formats are bounded by ``max_text_chars``).
    max_file_bytes: int = 50 * 1024 * 1024
    #: Characters of text a document may have once loaded; longer ones are refused before
    #: structure and segmentation (about 600 printed pages; processing is linear in it).
    max_text_chars: int = 1_000_000
    #: Bytes compressed content may unpack to: the parts of a .docx that are parsed (document,
    #: notes, numbering, styles, headers and footers; images are never inflated; each XML
    #: element counts as at least 64 bytes, so a flood of empty elements is bounded too), and
    #: the flate streams of a PDF. Checked while unpacking, never trusted from a directory.
    max_unpacked_bytes: int = 64 * 1024 * 1024
    #: How deep markup may nest (HTML elements, YAML front matter, DOCX tables and content
    #: controls); deeper input is refused (real documents nest a few dozen levels).
    max_nesting_depth: int = 256
    #: Documents per Prefect task in a batch: a task costs ~1 s of orchestration, so a batch
    #: is cut into chunks rather than one task per document.
    chunk_size: int = 8
    #: Worker threads of a batch run.
    workers: int = 2
    #: Recognise PDF pages without a text layer with Tesseract (Debian: tesseract-ocr,
    #: tesseract-ocr-chi-sim); off, such a PDF gets status "needs_ocr".
    ocr: bool = False
    #: Languages passed to Tesseract when ``ocr`` is on.
    ocr_languages: str = "chi_sim+eng"
    #: PDFs with more pages than this are refused (bounded time and memory).
    max_pages: int = 2000
    #: Fallback year for relative expressions (今年, 明年) when a document has no date.
    reference_year: int | None = None
    #: File suffixes a folder scan picks up; a file named explicitly is always tried.
    scan_suffixes: tuple[str, ...] = (".txt", ".html", ".htm", ".md", ".markdown", ".pdf", ".docx", ".doc", ".wps")

    def __post_init__(self) -> None:
        if not 50 <= self.fuzzy_threshold <= 100:
            raise SettingsError("fuzzy_threshold", f"must be between 50 and 100, got {self.fuzzy_threshold}")
        if self.max_file_bytes <= 0:
            raise SettingsError("max_file_bytes", f"must be positive, got {self.max_file_bytes}")
        for name in ("max_text_chars", "max_unpacked_bytes", "max_nesting_depth"):
            if getattr(self, name) < 1:
                raise SettingsError(name, f"must be positive, got {getattr(self, name)}")
        if self.chunk_size < 1:
            raise SettingsError("chunk_size", f"must be at least 1, got {self.chunk_size}")
        if self.max_pages < 1:
            raise SettingsError("max_pages", f"must be at least 1, got {self.max_pages}")
        if self.workers < 1:
            raise SettingsError("workers", f"must be at least 1, got {self.workers}")
        if self.reference_year is not None and not 1949 <= self.reference_year <= 2200:
            raise SettingsError("reference_year", f"is not a plausible year: {self.reference_year}")
        for name in ("registry_files", "cue_files"):
            paths = tuple(Path(p) for p in getattr(self, name))
            for p in paths:
                if not p.is_file():
                    raise SettingsError(name, f"no such file: {p}")
            object.__setattr__(self, name, paths)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then POLICYFLOW_REGISTRY and POLICYFLOW_CUES from the environment, then
        ``overrides``."""
        values: dict[str, object] = {}
        for name, variable in (("registry_files", REGISTRY_ENV), ("cue_files", CUES_ENV)):
            listed = os.environ.get(variable, "").strip()
            if listed:
                values[name] = tuple(Path(p) for p in listed.split(os.pathsep) if p)
        known = {f.name for f in fields(cls)}
        for key, value in overrides.items():
            if key not in known:
                raise SettingsError(key, "is not a setting")
            if value is not None:
                values[key] = value
        return cls(**values)  # type: ignore[arg-type]
