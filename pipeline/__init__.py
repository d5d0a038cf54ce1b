"""policyflow: Chinese policy circulars in, obligation records out.

    >>> from pipeline import extract_file, load_resources
    >>> resources = load_resources()
    >>> result = extract_file("corpus/sample-notice.txt", resources)
    >>> [t.assignment.lead.name for t in result.tasks if t.assignment][:2]

Formats: txt, HTML, Markdown, DOCX (and .doc/.wps through LibreOffice), PDF.
`extract_file` and `extract_bytes` raise a `DocumentError` for a file they cannot read;
`process_source` turns that into a result with a non-ok status, as a batch needs.
`document_record` and `obligation_records` give the JSON lines of ``schema/``.
"""

from pipeline.api import extract_bytes, extract_file, process_document, process_source
from pipeline.errors import (
    ConversionError,
    DecodeError,
    DocumentError,
    EmptyDocumentError,
    FrontMatterError,
    LimitExceededError,
    NeedsOcrError,
    NoArticleError,
    OutputError,
    PackageError,
    PolicyflowError,
    ResourceError,
    SettingsError,
    SourceNotFoundError,
    UnsupportedFormatError,
)
from pipeline.inputs import InputScan, Source, collect_sources, scan_inputs
from pipeline.model import (
    Assignment,
    Deadline,
    Department,
    Document,
    ExtractionResult,
    Obligation,
    TaskRecord,
)
from pipeline.output import BatchOutput, check_output_folder, check_outputs, write_jsonl_atomic
from pipeline.records import document_record, obligation_records
from pipeline.resources import Resources, load_resources
from pipeline.settings import Settings

__all__ = [
    "Assignment",
    "BatchOutput",
    "ConversionError",
    "Deadline",
    "DecodeError",
    "Department",
    "Document",
    "DocumentError",
    "EmptyDocumentError",
    "ExtractionResult",
    "FrontMatterError",
    "InputScan",
    "LimitExceededError",
    "NeedsOcrError",
    "NoArticleError",
    "Obligation",
    "OutputError",
    "PackageError",
    "PolicyflowError",
    "ResourceError",
    "Resources",
    "Settings",
    "SettingsError",
    "Source",
    "SourceNotFoundError",
    "TaskRecord",
    "UnsupportedFormatError",
    "check_output_folder",
    "check_outputs",
    "collect_sources",
    "document_record",
    "extract_bytes",
    "extract_file",
    "load_resources",
    "obligation_records",
    "process_document",
    "process_source",
    "scan_inputs",
    "write_jsonl_atomic",
]
