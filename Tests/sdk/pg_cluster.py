#!/usr/bin/env python3
"""A private PostgreSQL server for tests (stdlib only; pytest optional).

`initdb` into a temporary directory (trust authentication for local and 127.0.0.1 connections,
superuser `postgres`), `pg_ctl start` on a free port, listening on 127.0.0.1 only, with its
Unix-domain socket in that directory; so it never touches, or depends on, a cluster of the
system. It can be stopped (fast or immediate, i.e. a crash) and started again on the same port
and data directory, which is how test_postgres.py takes the ledger away mid-traffic.

initdb and pg_ctl refuse to run as root: as root they run as the `postgres` system user
(`runuser -u postgres --`), and the directory is handed to that user first.

The binaries: $SLUICE_PG_BIN, else `pg_config --bindir`, else the newest
/usr/lib/postgresql/*/bin (Debian's layout).

From a test:
    cluster = PgCluster()
    cluster.start()
    cluster.create_database("ledger")
    url = cluster.url("ledger")          # postgres://postgres@127.0.0.1:PORT/ledger
    cluster.stop("immediate"); cluster.start()
    cluster.destroy()

From a shell (scripts/test, .ci/run):
    url=$(python3 Tests/sdk/pg_cluster.py start --dir DIR [--database NAME])   # prints the URL
    python3 Tests/sdk/pg_cluster.py stop --dir DIR                             # stops, removes DIR
    python3 Tests/sdk/pg_cluster.py bin        # prints the binaries' directory; exit 1 if none
"""
from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

INSTALL_HINT = "install PostgreSQL (Debian: apt-get install postgresql)"
START_WAIT_S = 60
STOP_WAIT_S = 60
SYSTEM_USER = "postgres"      # who runs the server when we are root
SUPERUSER = "postgres"        # the database superuser initdb creates


class PgClusterError(RuntimeError):
    """PostgreSQL is missing or the private server could not be set up."""


def _fail(message: str):
    """Inside pytest: a failed test with `message` (no traceback); elsewhere: PgClusterError."""
    pytest = sys.modules.get("pytest")
    if pytest is not None and hasattr(pytest, "fail"):
        pytest.fail(message, pytrace=False)
    raise PgClusterError(message)


def _version_key(path: str) -> tuple:
    return tuple(int(n) for n in re.findall(r"\d+", Path(path).parent.name) or [0])


def find_bin_dir() -> Path:
    """The directory of initdb and pg_ctl; fails with the install hint when there is none."""
    tried = []
    env = os.environ.get("SLUICE_PG_BIN")
    if env:
        if (Path(env) / "initdb").is_file() and (Path(env) / "pg_ctl").is_file():
            return Path(env)
        _fail(f"SLUICE_PG_BIN={env} holds no initdb and pg_ctl; {INSTALL_HINT}, or fix SLUICE_PG_BIN")
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out and (Path(out) / "initdb").is_file() and (Path(out) / "pg_ctl").is_file():
            return Path(out)
        tried.append(f"pg_config --bindir ({out or 'nothing'})")
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    for candidate in candidates:
        if (Path(candidate) / "initdb").is_file() and (Path(candidate) / "pg_ctl").is_file():
            return Path(candidate)
    for name in ("initdb", "pg_ctl"):
        if not shutil.which(name):
            break
    else:
        return Path(shutil.which("initdb")).resolve().parent
    _fail(f"PostgreSQL server binaries (initdb, pg_ctl) not found: {INSTALL_HINT}"
          + (f" (tried {', '.join(tried)})" if tried else ""))
    raise AssertionError("unreachable")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgCluster:
    """One private PostgreSQL server in a temporary directory."""

    def __init__(self, root: str | os.PathLike | None = None, port: int | None = None,
                 bin_dir: str | os.PathLike | None = None):
        self.bin_dir = Path(bin_dir) if bin_dir else find_bin_dir()
        self.as_root = os.geteuid() == 0
        if self.as_root and not shutil.which("runuser"):
            _fail("running as root, PostgreSQL must run as another user, but `runuser` is missing")
        if root is None:
            root = tempfile.mkdtemp(prefix="sluice-pg-")
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.data_dir = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.log_path = self.root / "postgres.log"
        self.port = port
        self._port_fixed = port is not None

    # -- running the server's tools

    def _tool(self, name: str) -> str:
        return str(self.bin_dir / name)

    def _run_tool(self, args: list[str], timeout: float) -> subprocess.CompletedProcess:
        """initdb and pg_ctl, as the `postgres` system user when we are root."""
        if self.as_root:
            args = ["runuser", "-u", SYSTEM_USER, "--", *args]
        try:
            return subprocess.run(args, capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL, cwd=str(self.root))
        except subprocess.TimeoutExpired as e:
            _fail(f"`{' '.join(args)}` did not finish within {timeout:.0f} s:\n{e.stdout or ''}{e.stderr or ''}"
                  f"\n{self.log_tail()}")
        except OSError as e:
            _fail(f"cannot run `{' '.join(args)}`: {e}; {INSTALL_HINT}")
        raise AssertionError("unreachable")

    def _hand_over(self) -> None:
        """As root: the directory belongs to the server's user, who must be able to reach it."""
        if not self.as_root:
            return
        try:
            import pwd
            user = pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            _fail(f"running as root, but there is no `{SYSTEM_USER}` system user to run PostgreSQL: {INSTALL_HINT}")
        for path in (self.root, *self.root.rglob("*")):
            os.chown(path, user.pw_uid, user.pw_gid)
        probe = subprocess.run(["runuser", "-u", SYSTEM_USER, "--", "test", "-w", str(self.root)],
                               capture_output=True)
        if probe.returncode != 0:
            _fail(f"the `{SYSTEM_USER}` user cannot write {self.root} (a parent directory is closed to it); "
                  f"set TMPDIR to a directory other users can traverse")

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "--- postgres.log ---\n" + "\n".join(text.splitlines()[-lines:])

    # -- life cycle

    @property
    def initialized(self) -> bool:
        return (self.data_dir / "PG_VERSION").is_file()

    def init(self) -> None:
        """initdb, if the data directory is not there yet."""
        if self.initialized:
            return
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        self._hand_over()
        r = self._run_tool([self._tool("initdb"), "-D", str(self.data_dir), "-U", SUPERUSER, "--auth=trust",
                            "-E", "UTF8", "--locale=C", "--no-sync"], timeout=180)
        if r.returncode != 0:
            _fail(f"initdb failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
        # Trust for the Unix socket and loopback only; nothing else may connect.
        (self.data_dir / "pg_hba.conf").write_text(
            "local all all trust\n"
            "host  all all 127.0.0.1/32 trust\n")
        self._hand_over()

    def start(self) -> None:
        """Starts the server (initializing it first if needed) and waits until it accepts connections.

        The first start picks a free port; later starts reuse it."""
        self.init()
        attempts = 1 if self._port_fixed else 5
        for attempt in range(attempts):
            if self.port is None:
                self.port = free_port()
            options = (f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
                       f"-c fsync=off -c max_connections=200 -c unix_socket_permissions=0777")
            r = self._run_tool([self._tool("pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_path),
                                "-w", "-t", str(START_WAIT_S), "-o", options, "start"], timeout=START_WAIT_S + 30)
            if r.returncode == 0:
                self._port_fixed = True
                return
            log = self.log_tail()
            if not self._port_fixed and "could not bind" in log and attempt + 1 < attempts:
                self.port = None     # someone took the port in between: try another
                continue
            _fail(f"pg_ctl start failed ({r.returncode}):\n{r.stdout}\n{r.stderr}\n{log}")

    def stop(self, mode: str = "fast") -> None:
        """`pg_ctl stop -m fast` (disconnects clients, clean shutdown) or `-m immediate` (a crash:
        the next start recovers from the WAL)."""
        if mode not in ("smart", "fast", "immediate"):
            raise ValueError(f"stop mode must be smart, fast or immediate, not {mode!r}")
        if not self.running:
            return
        r = self._run_tool([self._tool("pg_ctl"), "-D", str(self.data_dir), "-m", mode, "-w",
                            "-t", str(STOP_WAIT_S), "stop"], timeout=STOP_WAIT_S + 30)
        if r.returncode != 0 and self.running:
            _fail(f"pg_ctl stop -m {mode} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}\n{self.log_tail()}")

    @property
    def running(self) -> bool:
        if not self.initialized:
            return False
        r = self._run_tool([self._tool("pg_ctl"), "-D", str(self.data_dir), "status"], timeout=30)
        return r.returncode == 0

    def destroy(self) -> None:
        """Stops the server (immediately) and removes its directory."""
        try:
            if self.initialized:
                self._run_tool([self._tool("pg_ctl"), "-D", str(self.data_dir), "-m", "immediate", "-w",
                                "-t", str(STOP_WAIT_S), "stop"], timeout=STOP_WAIT_S + 30)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    # -- databases

    def url(self, db: str = "postgres") -> str:
        assert self.port is not None, "start the cluster first"
        return f"postgres://{SUPERUSER}@127.0.0.1:{self.port}/{db}"

    def psql(self, sql: str, db: str = "postgres") -> str:
        """Runs `sql` with psql over TCP; returns its unaligned output."""
        psql = self._tool("psql")
        if not Path(psql).is_file():
            psql = shutil.which("psql") or psql
        args = [psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port),
                "-U", SUPERUSER, "-d", db, "-c", sql]
        try:
            r = subprocess.run(args, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                               env=dict(os.environ, PGCONNECT_TIMEOUT="10"))
        except OSError as e:
            _fail(f"cannot run psql: {e}; {INSTALL_HINT}")
        if r.returncode != 0:
            _fail(f"psql -c {sql!r} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
        return r.stdout

    def create_database(self, name: str) -> str:
        """Creates database `name` (letters, digits, underscores) and returns its URL."""
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"database name {name!r}: use letters, digits and underscores")
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def __enter__(self) -> "PgCluster":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.destroy()


# ------------------------------------------------------------------------------------ CLI

def _cluster_in(directory: str) -> PgCluster:
    """The cluster whose root is `directory`, port read back from postmaster.pid if it runs."""
    cluster = PgCluster(root=directory)
    pid_file = cluster.data_dir / "postmaster.pid"
    if pid_file.is_file():
        lines = pid_file.read_text().splitlines()
        if len(lines) > 3 and lines[3].strip().isdigit():
            cluster.port = int(lines[3])
            cluster._port_fixed = True
    return cluster


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="A private PostgreSQL server for tests.")
    sub = ap.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="initdb + start in DIR; print the URL of DATABASE")
    start.add_argument("--dir", required=True, help="the server's directory (created; made the server user's)")
    start.add_argument("--database", default="sluice_test", help="database to create (default sluice_test)")
    stop = sub.add_parser("stop", help="stop the server in DIR and remove DIR")
    stop.add_argument("--dir", required=True)
    stop.add_argument("--keep", action="store_true", help="stop but keep the directory")
    sub.add_parser("bin", help="print the directory of initdb and pg_ctl (exit 1 when PostgreSQL is missing)")
    args = ap.parse_args(argv)
    try:
        if args.command == "bin":
            print(find_bin_dir())
        elif args.command == "start":
            cluster = PgCluster(root=args.dir)
            cluster.start()
            try:
                url = cluster.create_database(args.database)
            except BaseException:
                cluster.stop("immediate")
                raise
            print(url, flush=True)
        else:
            if not Path(args.dir).exists():
                return 0
            try:
                cluster = _cluster_in(args.dir)
            except PgClusterError:
                # No PostgreSQL to run pg_ctl with: then nothing was started in DIR either.
                if (Path(args.dir) / "data" / "postmaster.pid").exists():
                    raise
                if not args.keep:
                    shutil.rmtree(args.dir, ignore_errors=True)
                return 0
            if args.keep:
                cluster.stop("fast")
            else:
                cluster.destroy()
    except PgClusterError as e:
        print(f"pg_cluster: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
