"""The ``policyflow`` command line."""

from __future__ import annotations

import logging
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

import click

# Prefect reads its settings at import: no telemetry, quiet logs.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

#: Exit status of a run stopped by Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


@click.group()
@click.version_option(package_name="policyflow")
def main() -> None:
    """Turn Chinese policy circulars into obligation records."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder for documents.jsonl and obligations.jsonl.")
@click.option("--registry", "registry_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Extra department registry file (JSON Lines); may be repeated.")
@click.option("--cues", "cue_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Extra cue-word file (JSON, shaped like the bundled cues.json); may be repeated.")
@click.option("--chunk-size", type=int, default=None, help="Documents per Prefect task.")
@click.option("--workers", type=int, default=None, help="Worker threads.")
@click.option("--ocr", is_flag=True, default=None,
              help="Recognise PDFs without a text layer with Tesseract (Debian: tesseract-ocr, tesseract-ocr-chi-sim).")
@click.option("--quiet", "-q", is_flag=True, help="No per-document progress lines.")
def run(paths: tuple[str, ...], output: Path, registry_files: tuple[Path, ...], cue_files: tuple[Path, ...],
        chunk_size: int | None, workers: int | None, ocr: bool | None, quiet: bool) -> None:
    """Extract every circular in PATHS (files or folders) into OUTPUT.

    Exits 1 when any document could not be read (its line in documents.jsonl says why) or
    when PATHS hold no circular; 130 when interrupted (the previous output is left as it was).
    """
    from pipeline import OutputError, PolicyflowError, Settings, check_output_folder, check_outputs, scan_inputs
    from pipeline.inputs import printable_name

    started = time.perf_counter()
    try:
        settings = Settings.from_env(registry_files=registry_files or None, cue_files=cue_files or None,
                                     chunk_size=chunk_size, workers=workers, ocr=ocr)
        check_output_folder(output)
    except (PolicyflowError, OutputError) as exc:
        raise click.UsageError(str(exc)) from exc
    mismatch = check_outputs(output)
    if mismatch:
        click.echo(f"note: the previous output is not a consistent pair: {printable_name(mismatch)}; "
                   f"this run replaces it", err=True)
    scan = scan_inputs(list(paths), settings)
    if scan.skipped and not quiet:
        click.echo(f"skipped {len(scan.skipped)} files of other formats (policyflow reads "
                   f"{' '.join(settings.scan_suffixes)})", err=True)
    if not scan.sources:
        click.echo(f"no circulars found in {printable_name(' '.join(paths))}; "
                   f"the output in {printable_name(str(output))} is left unchanged", err=True)
        sys.exit(1)
    _use_writable_prefect_home()
    from flows.extract import CANCELLED, resources_for, run_batch

    def interrupt(signum: int, frame: FrameType | None) -> None:
        CANCELLED.set()  # workers stop before their next document
        # the user asked to stop: Prefect's crash report of the flow would only repeat it
        logging.getLogger("prefect").setLevel(logging.CRITICAL)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        try:
            resources_for(settings)  # a malformed registry file is reported now, not after the batch
        except PolicyflowError as exc:
            raise click.UsageError(str(exc)) from exc
        from flows.server import prefect_api

        with prefect_api():
            summary = run_batch(scan.sources, str(output), settings, progress=not quiet)
    except KeyboardInterrupt:
        click.echo(f"interrupted after {time.perf_counter() - started:.1f} s: nothing written; "
                   f"the output in {printable_name(str(output))} is left unchanged", err=True)
        sys.exit(EXIT_INTERRUPTED)
    finally:
        signal.signal(signal.SIGINT, previous)
        CANCELLED.clear()
    click.echo(f"{summary.line()} in {time.perf_counter() - started:.1f} s")
    if summary.failed:
        sys.exit(1)


@main.command()
@click.argument("inbox", required=False, default="corpus/inbox")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder for the exports (and the default SQLite store, policyflow.db).")
@click.option("--store", "store_url", default=None, envvar="POLICYFLOW_STORE", show_envvar=True,
              help="Store URL, e.g. postgresql+psycopg://user@host/db (default: SQLite in OUTPUT).")
@click.option("--settle", type=float, default=1.0, show_default=True,
              help="Seconds between the two looks at each file; a file whose size changes is left for the next run.")
@click.option("--quiet", "-q", is_flag=True, help="No per-document progress lines.")
def batch(inbox: str, output: Path, store_url: str | None, settle: float, quiet: bool) -> None:
    """Run the batch flow once over INBOX (default corpus/inbox/): extract what is new or
    changed, skip what the store has seen, rewrite OUTPUT's exports from the store.

    Exits 1 when a file read in this run could not be read (the store and documents.jsonl
    say why), 130 when interrupted (whole documents are kept; the next run goes on)."""
    from pipeline import OutputError, PolicyflowError, Settings, check_output_folder
    from pipeline.store import StoreError

    started = time.perf_counter()
    if not Path(inbox).is_dir():
        raise click.UsageError(f"the inbox {printable(inbox)} is not a folder")
    try:
        settings = Settings.from_env()
        check_output_folder(output)
    except (PolicyflowError, OutputError) as exc:
        raise click.UsageError(str(exc)) from exc
    _use_writable_prefect_home()
    from flows.batch import batch_flow, store_for
    from flows.extract import resources_for

    try:
        store_for(store_url, str(output))
        resources_for(settings)
    except (StoreError, PolicyflowError) as exc:
        raise click.UsageError(str(exc)) from exc
    from flows.server import prefect_api

    try:
        with prefect_api():
            report = batch_flow(inbox, str(output), store_url, settle, settings, progress=not quiet)
    except KeyboardInterrupt:
        click.echo(f"interrupted after {time.perf_counter() - started:.1f} s: the documents stored so far are kept; "
                   f"run again to finish", err=True)
        sys.exit(EXIT_INTERRUPTED)
    for line in report.failed:
        click.echo(f"not ok: {printable(line['file'])}: {line['status']}: {line['error']}", err=True)
    click.echo(f"{report.line()} in {time.perf_counter() - started:.1f} s")
    if report.failed:
        sys.exit(1)


@main.command()
@click.argument("inbox", required=False, default="corpus/inbox")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder for the exports (and the default SQLite store, policyflow.db).")
@click.option("--store", "store_url", default=None, envvar="POLICYFLOW_STORE", show_envvar=True,
              help="Store URL, e.g. postgresql+psycopg://user@host/db (default: SQLite in OUTPUT).")
@click.option("--interval", type=click.FloatRange(min=1), default=None,
              help="Seconds between runs (default 600, every ten minutes).")
@click.option("--cron", default=None, help="A cron expression instead of an interval, e.g. '*/15 * * * *'.")
@click.option("--port", type=int, default=4200, show_default=True,
              help="Port of the local Prefect server (its UI too), unless PREFECT_API_URL names one.")
@click.option("--settle", type=float, default=1.0, show_default=True,
              help="Seconds between the two looks at each file of the inbox.")
def serve(inbox: str, output: Path, store_url: str | None, interval: float | None, cron: str | None, port: int,
          settle: float) -> None:
    """Serve the batch flow over INBOX as a Prefect deployment on a schedule, until Ctrl-C.

    Starts a local Prefect server (UI at http://127.0.0.1:PORT) unless PREFECT_API_URL points
    at one, and stops it on exit."""
    from pipeline import OutputError, PolicyflowError, check_output_folder
    from pipeline.store import StoreError

    if interval and cron:
        raise click.UsageError("give --interval or --cron, not both")
    if not Path(inbox).is_dir():
        raise click.UsageError(f"the inbox {printable(inbox)} is not a folder")
    try:
        check_output_folder(output)
    except (PolicyflowError, OutputError) as exc:
        raise click.UsageError(str(exc)) from exc
    _use_writable_prefect_home()
    from flows.serve import ServerError, local_prefect_server, serve_batch
    from pipeline.store import Store

    try:
        Store.open(store_url, output.resolve()).close()  # a bad URL is reported now, not at the first run
    except StoreError as exc:
        raise click.UsageError(str(exc)) from exc
    # SIGTERM stops the runner as Ctrl-C does: pending runs cancelled, the deployment paused
    signal.signal(signal.SIGTERM, lambda signum, frame: signal.raise_signal(signal.SIGINT))
    try:
        with local_prefect_server(port) as api:
            click.echo(f"serving the batch over {printable(inbox)} every "
                       f"{cron or f'{interval or 600:g} s'}; Prefect UI: {api.removesuffix('/api')}; "
                       f"stop with Ctrl-C", err=True)
            serve_batch(str(Path(inbox).resolve()), str(output.resolve()), store_url, interval, cron, settle)
    except ServerError as exc:
        raise click.UsageError(str(exc)) from exc
    except KeyboardInterrupt:
        pass
    click.echo("stopped", err=True)


#: what `export` writes by default, per format, inside --output
LEDGER_FILES = {"xlsx": "ledger.xlsx", "csv": "ledger.csv", "ics": "deadlines.ics"}


@main.command()
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder for the ledger files (and the default SQLite store, policyflow.db).")
@click.option("--store", "store_url", default=None, envvar="POLICYFLOW_STORE", show_envvar=True,
              help="Store URL, e.g. postgresql+psycopg://user@host/db (default: SQLite in OUTPUT).")
@click.option("--format", "formats", type=click.Choice(list(LEDGER_FILES)), multiple=True,
              help="xlsx (a sheet per department), csv or ics (deadlines); may be repeated (default: all three).")
@click.option("--department", default=None, help="Only this department's rows.")
@click.option("--to", "target", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of OUTPUT (with one --format).")
def export(output: Path, store_url: str | None, formats: tuple[str, ...], department: str | None,
           target: Path | None) -> None:
    """Write the department ledgers (工作台账) from the store: OUTPUT/ledger.xlsx,
    OUTPUT/ledger.csv and OUTPUT/deadlines.ics. Reviewed values win over extracted ones;
    rejected tasks are left out."""
    from pipeline import OutputError, PolicyflowError, check_output_folder
    from pipeline.ledger import ledger_rows
    from pipeline.ledger_files import write_csv, write_ics, write_xlsx
    from pipeline.output import remove_stale_temporaries
    from pipeline.store import Store, StoreError
    from pipeline.store import store_url as resolve_store_url

    chosen = list(dict.fromkeys(formats)) or list(LEDGER_FILES)
    if target is not None and len(chosen) != 1:
        raise click.UsageError("--to names one file: give exactly one --format with it")
    resolved = resolve_store_url(store_url, output)
    if resolved.startswith("sqlite:///") and not Path(resolved.removeprefix("sqlite:///")).is_file():
        raise click.UsageError(f"no store at {printable(resolved.removeprefix('sqlite:///'))}: "
                               f"run policyflow batch first (or give --store)")
    try:
        store = Store.open(store_url, output)
    except StoreError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        if store.counts()["documents"] == 0:
            raise click.UsageError("the store holds no circulars: run policyflow batch first")
        rows = ledger_rows(store)
    finally:
        store.close()
    if department is not None:
        names = sorted({row.department for row in rows})
        if department not in names:
            close = _close_names(department, names)
            hint = f"; did you mean {'、'.join(close)}?" if close else f"; the ledger has {len(names)} departments"
            raise click.UsageError(f"no department '{printable(department)}' in the ledger{hint}")
        rows = [row for row in rows if row.department == department]
    folder = target.parent if target is not None else output
    try:
        check_output_folder(folder)
    except (PolicyflowError, OutputError) as exc:
        raise click.UsageError(str(exc)) from exc
    remove_stale_temporaries(folder)
    writers = {"xlsx": (write_xlsx, "rows"), "csv": (write_csv, "rows"), "ics": (write_ics, "events")}
    for name in chosen:
        path = target if target is not None else output / LEDGER_FILES[name]
        write, unit = writers[name]
        count = write(rows, path)
        click.echo(f"wrote {printable(str(path))}: {count} {unit}, {_size(path.stat().st_size)}")


def _close_names(name: str, names: list[str]) -> list[str]:
    """Up to three of ``names`` that look like ``name`` (a typo, a short form)."""
    from rapidfuzz import fuzz, process

    return [found for found, _, _ in process.extract(name, names, scorer=fuzz.WRatio, limit=3, score_cutoff=60)]


def _size(size: int) -> str:
    return f"{size / 1024:.1f} KiB" if size >= 1024 else f"{size} bytes"


@main.command()
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder of the exports and the default SQLite store.")
@click.option("--store", "store_url", default=None, envvar="POLICYFLOW_STORE", show_envvar=True,
              help="Store URL (default: SQLite in OUTPUT).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; only this machine by default.")
@click.option("--port", type=int, default=8765, show_default=True)
@click.option("--token", envvar="POLICYFLOW_REVIEW_TOKEN", default=None, show_envvar=True,
              help="The session token writes need (default: a new random one, printed at start).")
def review(output: Path, store_url: str | None, host: str, port: int, token: str | None) -> None:
    """Start the review page: check records against their sources, correct them, export ledgers."""
    import secrets

    import uvicorn

    from pipeline import OutputError, PolicyflowError, check_output_folder
    from pipeline.store import StoreError

    try:
        check_output_folder(output)
    except (PolicyflowError, OutputError) as exc:
        raise click.UsageError(str(exc)) from exc
    _use_writable_prefect_home()
    from flows.batch import batch_flow
    from flows.review.app import ReviewConfig, create_app
    from flows.server import prefect_api

    config = ReviewConfig(output=output.resolve(), store_url=store_url, token=token or secrets.token_urlsafe(16),
                          run_batch=lambda folder, out, store: batch_flow(folder, out, store, 0))
    try:
        app = create_app(config)
    except StoreError as exc:
        raise click.UsageError(str(exc)) from exc
    with prefect_api():  # uploads run the batch flow against this API (a local one unless PREFECT_API_URL)
        click.echo(f"review page: http://{host}:{port}/  token: {config.token}  (stop with Ctrl-C)", err=True)
        uvicorn.run(app, host=host, port=port, log_level="warning")


def printable(name: str) -> str:
    from pipeline.inputs import printable_name

    return printable_name(name)


def _use_writable_prefect_home() -> None:
    """Prefect keeps its database under PREFECT_HOME (default ~/.prefect). When that cannot
    be written (a read-only or foreign HOME), use a folder under the system's temporary
    folder rather than fail with pages of tracebacks."""
    if "PREFECT_HOME" in os.environ:
        return
    home = Path("~/.prefect").expanduser()
    try:
        home.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=home):
            return
    except OSError:
        fallback = Path(tempfile.gettempdir()) / f"policyflow-prefect-{os.getuid()}"
        fallback.mkdir(mode=0o700, exist_ok=True)
        os.environ["PREFECT_HOME"] = str(fallback)
        click.echo(f"note: {home} is not writable; Prefect's local data goes to {fallback}", err=True)


if __name__ == "__main__":
    main()
