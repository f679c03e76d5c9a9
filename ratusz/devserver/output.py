"""What every step of the launcher shares: where the repository is, how it speaks, how it fails."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


class Failure(Exception):
    """A step could not be done; the message says why and what to do, for a person."""


class Stop(Exception):
    """SIGTERM or SIGINT arrived."""


def say(message: str) -> None:
    print(f"[ratusz] {message}", flush=True)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _first_lines(exc: BaseException | None, count: int = 3) -> str:
    text = str(exc).strip() if exc is not None else ""
    return "\n  ".join(text.splitlines()[:count]) or type(exc).__name__
