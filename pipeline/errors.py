"""Exceptions raised by policyflow.

    PolicyflowError
    ├── SettingsError            a setting has a bad value (names the setting)
    ├── ResourceError            a dictionary file is missing or malformed (names the file)
    ├── OutputError              the output folder cannot be written (names the folder)
    └── DocumentError            one input document could not be read (names the file)
        ├── SourceNotFoundError  the path does not exist
        ├── UnsupportedFormatError  no loader reads this kind of file        -> status "unsupported"
        ├── EmptyDocumentError   the file holds no text                      -> status "empty"
        ├── DecodeError          the bytes are not text in a known encoding  -> status "failed"
        ├── NoArticleError       an HTML page without an article body        -> status "failed"
        ├── NeedsOcrError        a PDF without a text layer (scanned pages)  -> status "needs_ocr"
        ├── PackageError         a .docx that is not a readable Word package (not a ZIP, damaged,
        │                        encrypted, another kind of ZIP) -> "failed"
        ├── FrontMatterError     Markdown front matter that uses YAML aliases (a "billion
        │                        laughs" expands them to gigabytes)     -> "failed"
        ├── LimitExceededError   the input is larger or deeper than a limit of `Settings` allows
        │                        (names the setting) -> "failed"
        └── ConversionError      LibreOffice could not convert a .doc/.wps, or timed out -> "failed"

A batch never raises a DocumentError: it turns it into a document record with the status
shown above (see `DocumentError.status`). A single-file call such as `extract_file` raises it.
"""

from __future__ import annotations


class PolicyflowError(Exception):
    """Base class of every error policyflow raises on purpose."""


class SettingsError(PolicyflowError, ValueError):
    """A setting has a value policyflow cannot use."""

    def __init__(self, setting: str, message: str) -> None:
        self.setting = setting
        super().__init__(f"setting {setting!r}: {message}")


class ResourceError(PolicyflowError):
    """A dictionary or registry file is missing or malformed."""


class OutputError(PolicyflowError):
    """The output folder cannot be written (names the folder and the reason)."""


class DocumentError(PolicyflowError):
    """One document could not be read; the message names the file."""

    status = "failed"

    def __init__(self, source: str, message: str, document_id: str | None = None) -> None:
        self.source = source
        self.document_id = document_id
        where = f"{source} (document {document_id})" if document_id else source
        super().__init__(f"{where}: {message}")


class SourceNotFoundError(DocumentError):
    """The path given does not exist."""


class UnsupportedFormatError(DocumentError):
    """No loader reads this kind of file."""

    status = "unsupported"


class EmptyDocumentError(DocumentError):
    """The file holds no text."""

    status = "empty"


class DecodeError(DocumentError):
    """The bytes are not text in any encoding policyflow recognises."""


class NoArticleError(DocumentError):
    """An HTML page whose article body could not be found."""


class NeedsOcrError(DocumentError):
    """A PDF whose pages are images without a text layer; reading it needs OCR (Tesseract)."""

    status = "needs_ocr"


class PackageError(DocumentError):
    """A .docx that is not a readable Word package: not a ZIP, a damaged or encrypted one,
    another kind of ZIP (a workbook, images), or one that would unpack too large."""


class ConversionError(DocumentError):
    """An external converter (LibreOffice, for .doc and .wps) failed or ran out of time."""


class FrontMatterError(DocumentError):
    """YAML front matter that policyflow refuses to read: it uses aliases (``*name``), which
    policyflow does not expand."""


class LimitExceededError(DocumentError):
    """The document is larger or deeper than a limit of `Settings` allows (characters of text,
    unpacked bytes, pages, nesting depth): refused before the expensive step. ``setting``
    names the limit, so a user knows what to raise if the document is genuine."""

    def __init__(self, source: str, what: str, limit: int, setting: str, document_id: str | None = None) -> None:
        self.setting = setting
        self.limit = limit
        super().__init__(source, f"{what}, above the limit of {limit:,} (setting {setting})", document_id)
