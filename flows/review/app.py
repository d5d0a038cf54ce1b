"""The review workspace: a local web page where staff check every record against its source.

Server-rendered (FastAPI and Jinja2, which Prefect already brings; htmx 2.0.11 vendored under
``static/``, no CDN), so it works offline. Pages: the document list (counts per review status,
what changed since the last version, filters and search), a document (its source text with each
task's span highlighted, the outline, each task's values with where they came from, decisions),
a department (its open tasks across circulars, by deadline, overdue marked), ledger downloads,
and uploads (the on-demand batch over the uploaded files).

Safety: the server binds 127.0.0.1 unless told otherwise; every write needs the session token
(printed at start, or ``POLICYFLOW_REVIEW_TOKEN``) and a reviewer's name, given once on the
sign-in page and kept in cookies; every form and htmx request carries a CSRF token derived from
the session token; Jinja2 escapes all document text; a stale save gets 409 and changes nothing;
uploads are size-limited and type-checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import html
import secrets
import threading
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from fastapi import FastAPI, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from rapidfuzz import fuzz, process

from pipeline import load_resources
from pipeline.ledger import ledger_rows
from pipeline.model import TaskRecord
from pipeline.store import Store
from pipeline.store.reviews import REVIEW_FIELDS, Review, ReviewConflict, ReviewError, Reviews, reviewable_values

HERE = Path(__file__).parent
#: what the upload form accepts, and how much of it
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".md", ".markdown", ".pdf", ".docx", ".doc", ".wps")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
STATUS_NAMES = {"pending": "待审核", "accepted": "已确认", "corrected": "已更正", "rejected": "已驳回"}


@dataclass
class ReviewConfig:
    output: Path
    store_url: str | None = None
    token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    #: runs the batch over a folder of uploaded files (set by the command to the Prefect flow)
    run_batch: Any = None


@dataclass
class UploadJob:
    id: str
    files: list[str]
    state: str = "running"  # running, done, failed
    lines: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None


def create_app(config: ReviewConfig) -> FastAPI:
    store = Store.open(config.store_url, config.output)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(title="policyflow review", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals["status_names"] = STATUS_NAMES
    reviews = Reviews(store)
    registry = _registry_names()
    jobs: dict[str, UploadJob] = {}
    csrf = hmac.new(config.token.encode(), b"csrf", hashlib.sha256).hexdigest()
    app.state.store = store

    def signed_in(request: Request) -> str | None:
        """The reviewer's name when the request carries the session token."""
        token, reviewer = request.cookies.get("pf_token", ""), unquote(request.cookies.get("pf_reviewer", ""))
        return reviewer if token and hmac.compare_digest(token, config.token) and reviewer.strip() else None

    def writer(request: Request, form_csrf: str | None) -> str:
        """The reviewer of a write: refused without the token (403) or the CSRF token (403)."""
        reviewer = signed_in(request)
        if reviewer is None:
            raise HTTPException(403, "sign in with the session token first")
        sent = form_csrf or request.headers.get("x-csrf-token", "")
        if not hmac.compare_digest(sent, csrf):
            raise HTTPException(403, "the form is missing its CSRF token; reload the page")
        return reviewer

    def page(request: Request, template: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, template, {"reviewer": signed_in(request), "csrf": csrf, **context})

    # --- sign in ---------------------------------------------------------------------------------
    @app.get("/signin", response_class=HTMLResponse)
    def signin_form(request: Request) -> HTMLResponse:
        return page(request, "signin.html", error=None)

    @app.post("/signin")
    def signin(request: Request, token: str = Form(...), reviewer: str = Form(...)) -> Response:
        if not hmac.compare_digest(token.strip(), config.token) or not reviewer.strip():
            return page(request, "signin.html", error="token or name missing or wrong")
        response = RedirectResponse("/", status_code=303)
        for key, value in (("pf_token", token.strip()), ("pf_reviewer", quote(reviewer.strip()))):  # a cookie is latin-1
            response.set_cookie(key, value, httponly=True, samesite="strict")
        return response

    # --- documents --------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def documents(request: Request, q: str = "", department: str = "", status: str = "", issuer: str = "",
                  due_before: str = "") -> HTMLResponse:
        decided = reviews.all()
        listed = []
        departments: set[str] = set()
        for doc in store.latest():
            record = doc["record"]
            tasks = store.tasks_of(doc["sha256"])
            counts: Counter[str] = Counter()
            names: set[str] = set()
            dues: list[str] = []
            for key, task in tasks.items():
                values = _values(task, decided.get((doc["key"], key)))
                counts[values["status"]] += 1
                names.update(n for n in [values["lead"], *values["co"]] if n)
                if values["due_date"]:
                    dues.append(values["due_date"])
            departments |= names
            text = " ".join(str(record.get(f) or "") for f in ("title", "doc_number", "source_file")) + " ".join(
                record.get("issuer") or [])
            if q and q not in text and not any(q in t.text for t in tasks.values()):
                continue
            if department and department not in names:
                continue
            if status and not counts[status]:
                continue
            if issuer and not any(issuer in i for i in record.get("issuer") or []):
                continue
            if due_before and not any(d <= due_before for d in dues):
                continue
            listed.append({"doc": doc, "record": record, "counts": counts, "changes": record.get("changes")})
        return page(request, "documents.html", listed=listed, departments=sorted(departments),
                    filters={"q": q, "department": department, "status": status, "issuer": issuer,
                             "due_before": due_before})

    @app.get("/documents/{key}", response_class=HTMLResponse)
    def document(request: Request, key: str) -> HTMLResponse:
        doc = next((d for d in store.latest() if d["key"] == key), None)
        if doc is None:
            raise HTTPException(404, f"no document {key}")
        snapshot = store.snapshot(doc["sha256"])
        tasks = store.tasks_of(doc["sha256"])
        decided = reviews.of_document(key)
        cards = [_card(key, task_key, task, decided.get(task_key)) for task_key, task in tasks.items()]
        added = [r for r in decided.values() if r.added is not None]
        segments = _segments(snapshot.text if snapshot else "", cards, added)
        return page(request, "document.html", doc=doc, record=doc["record"], cards=cards,
                    added=[_added_card(r) for r in added],
                    segments=segments, headings=snapshot.headings if snapshot else [],
                    history=store.history(key),
                    departments=sorted(set(registry) | {n for c in cards for n in [c["values"]["lead"], *c["values"]["co"]] if n}))

    @app.post("/documents/{key}/tasks/{task_key}", response_class=HTMLResponse)
    def decide(request: Request, key: str, task_key: str, status: str = Form(...), revision: int = Form(0),
               csrf_token: str | None = Form(None), title: str | None = Form(None), lead: str | None = Form(None),
               co: str | None = Form(None), due: str | None = Form(None)) -> Response:
        reviewer = writer(request, csrf_token)
        doc = next((d for d in store.latest() if d["key"] == key), None)
        task = store.tasks_of(doc["sha256"]).get(task_key) if doc else None
        current = reviews.get(key, task_key)
        if task is None and (current is None or current.added is None):
            raise HTTPException(404, "no such task")
        corrections: dict[str, Any] = {}
        if status == "corrected":
            extracted = _values(task, None) if task is not None else {}
            submitted: dict[str, Any] = {f: (v.strip() or None) for f, v in
                                         (("title", title), ("lead", lead), ("due", due)) if v is not None}
            if co is not None:
                submitted["co"] = _names(co)
            # only what differs from the extracted value is a correction
            corrections = {f: v for f, v in submitted.items() if v != extracted.get(f)}
        try:
            review = reviews.decide(key, task_key, reviewer, status, corrections, revision)  # type: ignore[arg-type]
        except ReviewConflict as exc:
            return HTMLResponse(f'<div class="conflict" role="alert">{html.escape(str(exc))}</div>', status_code=409)
        except ReviewError as exc:
            return HTMLResponse(f'<div class="conflict" role="alert">{html.escape(str(exc))}</div>', status_code=422)
        card = _card(key, task_key, task, review) if task is not None else _added_card(review)
        return page(request, "task.html", card=card)

    @app.post("/documents/{key}/sections", response_class=HTMLResponse)
    def accept_section(request: Request, key: str, section: str = Form(...),
                       csrf_token: str | None = Form(None)) -> Response:
        reviewer = writer(request, csrf_token)
        doc = next((d for d in store.latest() if d["key"] == key), None)
        if doc is None:
            raise HTTPException(404)
        for task_key, task in store.tasks_of(doc["sha256"]).items():
            current = reviews.get(key, task_key)
            if " / ".join(task.section_path).startswith(section) and (current is None or current.status == "pending"):
                reviews.decide(key, task_key, reviewer, "accepted", revision=current.revision if current else 0)
        return RedirectResponse(f"/documents/{key}", status_code=303)

    @app.post("/documents/{key}/added")
    def add_task(request: Request, key: str, start: int = Form(...), end: int = Form(...),
                 lead: str = Form(""), co: str = Form(""), due: str = Form(""), title: str = Form(""),
                 csrf_token: str | None = Form(None)) -> Response:
        reviewer = writer(request, csrf_token)
        doc = next((d for d in store.latest() if d["key"] == key), None)
        snapshot = store.snapshot(doc["sha256"]) if doc else None
        if doc is None or snapshot is None or not 0 <= start < end <= len(snapshot.text):
            raise HTTPException(422, "select the task's text in the source first")
        text = snapshot.text[start:end]
        fields = {"title": title.strip() or text[:60], "lead": lead.strip() or None, "co": _names(co) or [],
                  "due": due.strip() or None}
        reviews.add_task(key, doc["sha256"], start, end, text, reviewer, fields)
        return RedirectResponse(f"/documents/{key}", status_code=303)

    @app.get("/suggest")
    def suggest(q: str = "") -> list[str]:
        """Department names like ``q`` (registry and store), best first: the picker's list."""
        if not q.strip():
            return []
        known = set(registry) | {r.department for r in ledger_rows(store)}
        return [name for name, _, _ in process.extract(q, known, scorer=fuzz.WRatio, limit=10)]

    # --- departments and ledgers ------------------------------------------------------------------
    @app.get("/departments/{name}", response_class=HTMLResponse)
    def department(request: Request, name: str) -> HTMLResponse:
        return page(request, "department.html", department=name, rows=ledger_rows(store, name), today=dt.date.today())

    @app.get("/ledger.{fmt}")
    def ledger(fmt: str, department: str | None = None) -> Response:
        from pipeline import ledger_files

        writers = {"xlsx": ledger_files.write_xlsx, "csv": ledger_files.write_csv, "ics": ledger_files.write_ics}
        if fmt not in writers:
            raise HTTPException(404)
        folder = config.output / "downloads"
        folder.mkdir(parents=True, exist_ok=True)
        name = "deadlines.ics" if fmt == "ics" else f"ledger.{fmt}"
        path = folder / name
        writers[fmt](ledger_rows(store, department or None), path)
        return FileResponse(path, filename=name)

    # --- uploads ----------------------------------------------------------------------------------
    @app.post("/uploads", response_class=HTMLResponse)
    async def upload(request: Request, files: list[UploadFile], csrf_token: str | None = Form(None)) -> Response:
        writer(request, csrf_token)
        if config.run_batch is None:
            raise HTTPException(503, "uploads need the batch flow; start the page with `policyflow review`")
        job = UploadJob(id=uuid.uuid4().hex[:12], files=[])
        folder = config.output / "uploads" / job.id
        folder.mkdir(parents=True)
        for upload_file in files:
            name = Path(upload_file.filename or "").name
            if not name or Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
                raise HTTPException(415, f"{name or 'a file'}: policyflow reads {' '.join(UPLOAD_SUFFIXES)}")
            data = await upload_file.read(MAX_UPLOAD_BYTES + 1)
            if len(data) > MAX_UPLOAD_BYTES:
                raise HTTPException(413, f"{name} is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
            (folder / name).write_bytes(data)
            job.files.append(name)
        jobs[job.id] = job

        def run() -> None:
            try:
                report = config.run_batch(str(folder), str(config.output), config.store_url)
                job.lines = report.lines
                job.state = "done"
            except Exception as exc:  # shown on the page; the store keeps what was saved
                job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"

        threading.Thread(target=run, name=f"upload-{job.id}", daemon=True).start()
        return page(request, "upload.html", job=job, keys={})

    @app.get("/uploads/{job_id}", response_class=HTMLResponse)
    def upload_progress(request: Request, job_id: str) -> HTMLResponse:
        job = jobs.get(job_id)
        if job is None:
            raise HTTPException(404)
        keys = {line["file"]: line.get("document_key") for line in job.lines}
        opened = [key for key in keys.values() if key]
        if job.state == "done" and len(job.files) == 1 and len(opened) == 1 and request.headers.get("hx-request"):
            # one circular uploaded and read: its document page opens by itself
            return HTMLResponse("", headers={"HX-Redirect": f"/documents/{opened[0]}"})
        return page(request, "upload.html", job=job, keys=keys)

    return app


def _names(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [n.strip() for n in value.replace("，", "、").replace(",", "、").split("、") if n.strip()]


def _values(task: TaskRecord, review: Review | None) -> dict[str, Any]:
    """A task's reviewable values, reviewed ones winning, and its review status."""
    values = {**reviewable_values(task), "due_date": task.due.date if task.due else None}
    if review is not None:
        values.update({f: review.fields[f] for f in REVIEW_FIELDS if f in review.fields})
        if "due" in review.fields:
            values["due_date"] = None
    values["status"] = review.status if review else "pending"
    return values


def _card(key: str, task_key: str, task: TaskRecord, review: Review | None) -> dict[str, Any]:
    values = _values(task, review)
    extracted = _values(task, None)
    return {"key": key, "task_key": task_key, "task": task, "values": values, "extracted": extracted,
            "review": review, "revision": review.revision if review else 0,
            "reviewed": {f for f in REVIEW_FIELDS if review and f in review.fields},
            "section": " / ".join(task.section_path)}


def _added_card(review: Review) -> dict[str, Any]:
    return {"key": review.document_key, "task_key": review.task_key, "task": None, "review": review,
            "values": {**review.fields, "status": review.status, "due_date": None}, "extracted": {},
            "revision": review.revision, "reviewed": set(review.fields), "section": "审核时补充"}


def _segments(text: str, cards: list[dict[str, Any]], added: list[Review]) -> list[tuple[str, str | None]]:
    """The source text cut at task spans: (text, task key or None), spans in order, no overlap."""
    spans = sorted([(c["task"].start, c["task"].end, c["task_key"]) for c in cards]
                   + [(r.added["start"], r.added["end"], r.task_key) for r in added if r.added])
    segments: list[tuple[str, str | None]] = []
    cursor = 0
    for start, end, task_key in spans:
        start = max(start, cursor)
        if end <= start:
            continue
        if start > cursor:
            segments.append((text[cursor:start], None))
        segments.append((text[start:end], task_key))
        cursor = end
    if cursor < len(text):
        segments.append((text[cursor:], None))
    return segments


def _registry_names() -> list[str]:
    """The department registry's names, abbreviations and aliases (loaded once)."""
    registry = load_resources().registry
    names = {n for entry in registry.entries.values() for n in (entry.name, *entry.abbreviations, *entry.aliases)}
    return sorted(names)
