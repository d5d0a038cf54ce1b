"""The data model that flows through every stage.

A loader builds a `Document` (normalised text and blocks with offsets); `structure` fills in
its header, outline and parts; `segment` finds deadlines, names and references; `extract`
returns `TaskRecord`s. Every offset anywhere is a character offset into `Document.text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from pipeline.segment import Spans

Format = Literal["txt", "html", "markdown", "pdf", "docx", "other"]
Status = Literal["ok", "failed", "empty", "needs_ocr", "unsupported"]
Modality = Literal["must", "must_not", "should", "may", "encouraged", "statement"]
#: What a block is: body text, an outline heading, a title line, header fields (发文字号,
#: 主送), a signature or date line, or furniture (page numbers, running heads, 版记).
BlockRole = Literal["body", "heading", "title", "header", "signature", "furniture", "table_row"]


@dataclass
class Block:
    """One paragraph of the normalised text: ``Document.text[start:end]``."""

    start: int
    end: int
    role: BlockRole = "body"
    page: int | None = None
    #: Index of the part (cover notice 0, attachments 1..) the block belongs to.
    part: int = 0
    #: For a table row (role "table_row"): which table of the document, and the span of
    #: each cell in the text (cells are joined by a tab).
    table: int | None = None
    cells: list[tuple[int, int]] | None = None
    #: For a table row read from a PDF: text offsets where a cell's line met the cell's edge
    #: and went on below (a long name wrapping, or names that each fill a line)
    wraps: list[int] | None = None


@dataclass
class Heading:
    """An outline heading such as 一、总体要求 or （二）: marker, level and its own text."""

    marker: str
    level: int
    label: str
    start: int
    end: int
    path: tuple[str, ...] = ()
    part: int = 0


#: Where a header field came from: the printed header (发文字号, title, 主送, masthead), the
#: signature (署名 and 成文日期), the container (a page's metadata table, YAML front matter, a
#: crawler's header), or nowhere.
MetadataSource = Literal["printed_header", "signature", "container", "none"]
#: The header fields whose source is recorded, in record order.
HEADER_FIELDS = ("doc_number", "title", "issuer", "date", "addressees")


@dataclass
class MetadataConflict:
    """A value of a header field that lost to another source (a repost date against the
    printed signature date): kept on the record so that a reviewer sees both."""

    field: str
    value: str
    source: MetadataSource
    kept: str
    kept_source: MetadataSource


@dataclass
class Header:
    """GB/T 9704 header elements found in the document, each with where it came from."""

    doc_number: str | None = None
    title: str | None = None
    issuer: list[str] = field(default_factory=list)
    date: str | None = None
    addressees: list[str] = field(default_factory=list)
    #: The source of each field of `HEADER_FIELDS` ("none" when the field is empty).
    sources: dict[str, MetadataSource] = field(default_factory=dict)
    #: Values that lost: a container's where the printed header states the field otherwise.
    conflicts: list[MetadataConflict] = field(default_factory=list)

    def source_of(self, name: str) -> MetadataSource:
        return self.sources.get(name, "none")


@dataclass
class Part:
    """The cover notice or one attachment, with its own title."""

    index: int
    start: int
    end: int
    title: str | None = None


@dataclass
class Document:
    """One source file, normalised, as every stage sees it."""

    id: str
    source_file: str
    sha256: str
    format: Format
    text: str
    blocks: list[Block] = field(default_factory=list)
    #: Fields a container states outside the text: an HTML metadata table, YAML front matter.
    source_metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    header: Header = field(default_factory=Header)
    headings: list[Heading] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    #: Spans of ``text`` the source sets in bold type (HTML <b>/<strong>, DOCX bold runs,
    #: Markdown **…**), in text order: a circular may say that the bold body leads.
    emphasis: list[tuple[int, int]] = field(default_factory=list)
    #: Deadlines, registry names and references found in ``text`` (set by `segment`).
    spans: Spans | None = None

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    def page_at(self, offset: int) -> int | None:
        """The page of the block that holds ``offset`` (None for formats without pages)."""
        for block in self.blocks:
            if block.start <= offset < block.end or (block.start == offset == block.end):
                return block.page
        return None


@dataclass
class Department:
    """A body named in an assignment: as printed, and as the registry knows it."""

    surface: str
    name: str
    known: bool
    #: The body's present-day name when the registry records a successor (保监会 → 金融监管总局).
    current_name: str | None = None


@dataclass
class Deadline:
    """When or how often to act: a fixed `date`, or a recurrence `rrule` (RFC 5545)."""

    text: str
    kind: Literal["fixed", "recurring", "ongoing", "relative"]
    date: str | None = None
    rrule: str | None = None
    start: int = 0
    end: int = 0


@dataclass
class Obligation:
    """One clause (or run of clauses) with one modality."""

    text: str
    modality: Modality
    start: int
    end: int
    actors: list[str] = field(default_factory=list)
    action: str | None = None
    deadline: Deadline | None = None


@dataclass
class Assignment:
    """Departments named by one piece of assignment markup."""

    text: str
    start: int
    end: int
    lead: Department | None
    co: list[Department]
    open_ended: bool
    #: Deadline stated inside the markup, e.g. （市财政局负责，2025年底前完成）.
    deadline: Deadline | None = None
    #: Parts of the markup that were not understood (kept, never silently dropped).
    unread: list[str] = field(default_factory=list)


@dataclass
class TaskRecord:
    """One task: its text, who does it, what it obliges, by when, and what it cites."""

    document_id: str
    section_path: list[str]
    title: str
    text: str
    start: int
    end: int
    assignment: Assignment | None
    obligations: list[Obligation] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    #: The task's 完成时限: the time limit its markup, label or table column states, else the
    #: latest date its text sets, else its one rhythm; None when it sets none.
    due: Deadline | None = None
    references: list[str] = field(default_factory=list)
    page: int | None = None
    confidence: float = 1.0
    #: Index of the part (cover notice 0, attachments 1..).
    part: int = 0


@dataclass
class ExtractionResult:
    """What one document gave: its record status and tasks, or the error that stopped it."""

    source_file: str
    document: Document | None
    tasks: list[TaskRecord]
    status: Status = "ok"
    error: str | None = None
    format: Format = "other"
    sha256: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)
