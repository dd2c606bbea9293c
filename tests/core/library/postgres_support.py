"""
A PostgreSQL server for the library tests, started once per test process.

:func:`server_url` gives ``PELED_TEST_POSTGRES_URL`` when set (a server whose
user may create databases), else starts a throwaway cluster: ``initdb`` +
``pg_ctl`` of the Debian ``postgresql`` package (``/usr/lib/postgresql/<N>/bin``,
``pg_ctl`` on the PATH, or ``PELED_PG_BIN``) in a temp dir, on a free local
port, as the ``postgres`` user when the tests run as root (initdb refuses
root); it is stopped and deleted when the process exits. :func:`require`
turns "unavailable" into a skip with the reason, or into a failure when
``PELED_REQUIRE_POSTGRES=1`` (CI with the package installed).

Imported as ``tests.core.library.postgres_support`` everywhere, so the
library and CLI tests share one cluster.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = [
    "REQUIRE_ENV",
    "URL_ENV",
    "postgres_bin",
    "server_url",
    "require",
    "new_database",
]

REQUIRE_ENV = "PELED_REQUIRE_POSTGRES"
URL_ENV = "PELED_TEST_POSTGRES_URL"


def _version(path: Path) -> float:
    try:
        return float(path.parent.name)
    except ValueError:
        return 0.0


def postgres_bin() -> Path | None:
    """The folder of the server's initdb and pg_ctl, or None."""
    candidates = []
    if os.environ.get("PELED_PG_BIN"):
        candidates.append(Path(os.environ["PELED_PG_BIN"]))
    if shutil.which("pg_ctl"):
        candidates.append(Path(str(shutil.which("pg_ctl"))).resolve().parent)
    candidates += sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=_version, reverse=True
    )
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL cluster in a temp dir."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="peled-pg-"))
        self.port = _free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            import pwd

            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "running as root and there is no 'postgres' user to run initdb"
                ) from None
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        command = [*self.prefix, str(self.bin_dir / args[0]), *args[1:]]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip()}")

    def start(self) -> str:
        data = self.root / "data"
        self._run(
            "initdb",
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",  # a throwaway cluster; the server keeps fsync on
        )
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        self._run(
            "pg_ctl", "-D", str(data), "-o", options, "-l", str(self.root / "log"),
            "-w", "start",
        )  # fmt: skip
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        try:
            self._run(
                "pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop"
            )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


_STATE: dict[str, str] = {}


def server_url() -> str:
    """URL of the server's ``postgres`` database; RuntimeError with the reason
    when there is none (the attempt is made once per process)."""
    if os.environ.get(URL_ENV):
        return os.environ[URL_ENV]
    if "url" not in _STATE and "error" not in _STATE:
        _STATE.update(_start())
    if "error" in _STATE:
        raise RuntimeError(_STATE["error"])
    return _STATE["url"]


def _start() -> dict[str, str]:
    bin_dir = postgres_bin()
    if bin_dir is None:
        return {
            "error": "no initdb/pg_ctl found (install Debian's 'postgresql' "
            f"package, set PELED_PG_BIN, or set {URL_ENV})"
        }
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return {"error": "the psycopg package is not installed"}
    try:
        cluster = Cluster(bin_dir)
        url = cluster.start()
    except (RuntimeError, OSError) as error:
        return {"error": str(error)}
    atexit.register(cluster.stop)
    return {"url": url}


def require() -> str:
    """:func:`server_url`, or skip (fail with PELED_REQUIRE_POSTGRES=1)."""
    try:
        return server_url()
    except RuntimeError as error:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but PostgreSQL is unavailable: {error}")
        pytest.skip(f"PostgreSQL unavailable ({error}): PostgreSQL cases skipped")


def _admin(server_url: str):
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server_url).set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


def new_database(server_url: str) -> Iterator[str]:
    """Create an empty database on the server, yield its URL, drop it."""
    from sqlalchemy.engine import make_url

    name = f"peled_test_{uuid.uuid4().hex[:12]}"
    with _admin(server_url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server_url).set(drivername="postgresql+psycopg", database=name)
    yield url.render_as_string(hide_password=False)
    if os.environ.get(URL_ENV):  # someone's server: clean up (a throwaway
        with _admin(server_url) as admin:  # cluster is deleted whole, faster)
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
