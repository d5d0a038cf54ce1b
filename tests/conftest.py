"""Shared fixtures: the bundled resources (loaded once), the JSON schemas of the records, and
one Prefect test harness for the tests that run flows."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import pipeline

#: The shared workspace beside the repository: gold corpus, schemas and scorer.
SHARED = Path(os.environ.get("POLICYFLOW_SHARED", Path(__file__).resolve().parents[2] / "shared"))
SCHEMA_DIR = SHARED / "schema"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "corpus: runs the library over the shared gold corpus and scores it (runs by default)")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared workspace (``POLICYFLOW_SHARED`` overrides where it is)."""
    return SHARED


@pytest.fixture(scope="session")
def resources() -> pipeline.Resources:
    return pipeline.load_resources()


class RecordSchemas:
    """Validators for documents.jsonl and obligations.jsonl lines, formats checked."""

    def __init__(self, schema_dir: Path) -> None:
        from jsonschema.validators import validator_for

        self._validators = {}
        for kind, name in (("document", "document.schema.json"), ("obligation", "obligation.schema.json")):
            schema = json.loads((schema_dir / name).read_text(encoding="utf-8"))
            cls = validator_for(schema)
            cls.check_schema(schema)
            self._validators[kind] = cls(schema, format_checker=cls.FORMAT_CHECKER)

    def errors(self, kind: str, row: dict[str, object]) -> list[str]:
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in self._validators[kind].iter_errors(row)]

    def check_jsonl(self, kind: str, path: Path) -> list[dict[str, object]]:
        """Every line of ``path`` parsed and validated; returns the rows."""
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for n, row in enumerate(rows, 1):
            assert self.errors(kind, row) == [], f"{path.name} line {n} is not a valid {kind} record"
        return rows


@pytest.fixture(scope="session")
def record_schemas() -> RecordSchemas:
    if not SCHEMA_DIR.is_dir():
        pytest.skip(f"the record schemas are not at {SCHEMA_DIR}")
    return RecordSchemas(SCHEMA_DIR)


@pytest.fixture(scope="session")
def prefect_test_harness() -> Iterator[None]:
    """A temporary Prefect API and database for the whole session; request it to run flows.
    Its server is given two minutes to start: on a loaded 2-core machine Prefect's default of
    30 s was once not enough (every test that runs a flow then errors)."""
    from prefect.testing.utilities import prefect_test_harness as harness

    with harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL server for the session (see ``tests/pg.py``)."""
    from pg import throwaway_postgres

    with throwaway_postgres() as url:
        if url is None:
            pytest.skip("no PostgreSQL: apt-get install postgresql, or set POLICYFLOW_TEST_POSTGRES")
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """The URL of an empty store, once on SQLite and once on PostgreSQL: the same tests run
    against both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    from pg import fresh_database

    server = request.getfixturevalue("postgres_server")
    return fresh_database(server, f"t{abs(hash(request.node.nodeid)) % 10**9}")
