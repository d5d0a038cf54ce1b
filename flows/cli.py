"""The ``policyflow`` command line."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

# Prefect reads its settings at import: no telemetry, and the local ephemeral API.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


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
@click.option("--chunk-size", type=int, default=None, help="Documents per Prefect task.")
@click.option("--workers", type=int, default=None, help="Worker threads.")
@click.option("--ocr", is_flag=True, default=None,
              help="Recognise PDFs without a text layer with Tesseract (Debian: tesseract-ocr, tesseract-ocr-chi-sim).")
@click.option("--quiet", "-q", is_flag=True, help="No per-document progress lines.")
def run(paths: tuple[str, ...], output: Path, registry_files: tuple[Path, ...], chunk_size: int | None,
        workers: int | None, ocr: bool | None, quiet: bool) -> None:
    """Extract every circular in PATHS (files or folders) into OUTPUT.

    Exits 1 when any document could not be read (its line in documents.jsonl says why).
    """
    from pipeline import PolicyflowError, Settings

    try:
        settings = Settings.from_env(registry_files=registry_files or None, chunk_size=chunk_size, workers=workers,
                                     ocr=ocr)
    except PolicyflowError as exc:
        raise click.UsageError(str(exc)) from exc
    started = time.perf_counter()
    from flows.extract import run_batch

    summary = run_batch(list(paths), str(output), settings, progress=not quiet)
    click.echo(f"{summary.line()} in {time.perf_counter() - started:.1f} s")
    if summary.failed:
        sys.exit(1)
