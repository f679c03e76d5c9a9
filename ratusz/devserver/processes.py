"""The child processes of `make run` (web server, worker with beat): started in their own process
groups, watched, and stopped together."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from types import FrameType
from typing import NoReturn

from ratusz.devserver.output import REPO, Stop, say

STOP_GRACE_SECONDS = 10.0


READY_TIMEOUT_SECONDS = 60.0


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]


def start_child(name: str, command: list[str], environ: dict[str, str]) -> Child:
    # Each child leads its own process group, so that stopping it also stops what it started
    # (runserver's autoreloader child, Celery's pool and beat); Ctrl-C reaches only us.
    process = subprocess.Popen(
        command, env=environ, cwd=REPO, stdin=subprocess.DEVNULL, process_group=0
    )
    return Child(name=name, process=process)


def signal_group(child: Child, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.process.pid, signum)


def stop_children(children: list[Child]) -> None:
    running = [c for c in children if c.process.poll() is None]
    if running:
        say("Stopping " + ", ".join(c.name for c in running) + " ...")
    # Every group, also a dead child's: its own children (runserver's reloaded server) may live.
    for child in children:
        signal_group(child, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in running:
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{child.name} did not stop in {STOP_GRACE_SECONDS:.0f} s: killing it")
            signal_group(child, signal.SIGKILL)
            child.process.wait()
    # Whatever a child left behind in its group goes too.
    for child in children:
        signal_group(child, signal.SIGKILL)


def wait_until_serving(port: int, web: Child) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if web.process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    return False


@contextlib.contextmanager
def stop_signals_raise() -> Iterator[None]:
    """Turn SIGTERM and SIGINT into `Stop`, so that every step unwinds the same way (a
    foreground command is killed by subprocess.run, the embedded PostgreSQL is stopped)."""

    def handler(signum: int, _frame: FrameType | None) -> NoReturn:
        raise Stop(signal.Signals(signum).name)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def ignore_stop_signals() -> None:
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_IGN)
