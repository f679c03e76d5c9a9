"""The launcher's options, from its command line and the environment."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ratusz.devserver.output import REPO, _truthy


@dataclass(frozen=True)
class Options:
    port: int
    check: bool
    worker: bool
    embedded_db: bool
    data_dir: Path


def parse_options(argv: list[str], environ: Mapping[str, str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m ratusz.devserver",
        description="Run Ratusz locally: database, migrations, demo cities, web server, worker.",
    )
    parser.add_argument("--port", type=int, default=None, help="Web port (RATUSZ_PORT, 8000).")
    parser.add_argument("--check", action="store_true", help="Prepare everything, start nothing.")
    parser.add_argument("--no-worker", action="store_true", help="Do not start a Celery worker.")
    parser.add_argument(
        "--embedded-db", action="store_true", help="Always use the embedded PostgreSQL."
    )
    args = parser.parse_args(argv)
    port = args.port
    if port is None:
        raw = environ.get("RATUSZ_PORT", "") or "8000"
        try:
            port = int(raw)
        except ValueError:
            parser.error(f"RATUSZ_PORT must be a port number, got {raw!r}")
    if not 0 < port < 65536:
        parser.error(f"the port must be between 1 and 65535, got {port}")
    data_dir = Path(environ.get("RATUSZ_DATA_DIR", "") or REPO / ".data").resolve()
    return Options(
        port=port,
        check=args.check or _truthy(environ.get("RATUSZ_DEVSERVER_CHECK")),
        worker=not (args.no_worker or _truthy(environ.get("RATUSZ_NO_WORKER"))),
        embedded_db=args.embedded_db or _truthy(environ.get("RATUSZ_EMBEDDED_DB")),
        data_dir=data_dir,
    )
