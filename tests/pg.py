"""A throwaway PostgreSQL server for the store's tests, started from Debian's ``postgresql``
package (``apt-get install postgresql``): initdb into a temporary folder, a private port on
127.0.0.1, trust authentication, stopped at the end of the session.

``POLICYFLOW_TEST_POSTGRES`` (a SQLAlchemy URL) uses a server of your own instead. Without
either, the PostgreSQL cases are skipped, saying why.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def throwaway_postgres() -> Iterator[str | None]:
    """Yield a URL of an empty database on a fresh server, or None when there is no server."""
    if os.environ.get("POLICYFLOW_TEST_POSTGRES"):
        yield os.environ["POLICYFLOW_TEST_POSTGRES"]
        return
    pg_bin = _pg_bin()
    if pg_bin is None:
        yield None
        return
    root = Path(tempfile.mkdtemp(prefix="policyflow-pg-"))
    root.chmod(0o755)  # the postgres user must reach its data folder
    data, port = root / "data", _free_port()
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(root, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    run = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}
    subprocess.run([*as_postgres, str(pg_bin / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8"], **run)  # type: ignore[call-overload]
    subprocess.run([*as_postgres, str(pg_bin / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-t", "60",
                    "-o", f"-p {port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off "
                          "-c synchronous_commit=off -c full_page_writes=off", "start"], **run)  # type: ignore[call-overload]
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_postgres, str(pg_bin / "pg_ctl"), "-D", str(data), "stop", "-m", "immediate"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)


def fresh_database(server_url: str, name: str) -> str:
    """A new empty database on the server of ``server_url``; returns its URL."""
    import sqlalchemy as sa

    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
            c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"
