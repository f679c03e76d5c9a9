"""Load shedding: burst a slow page, then measure how soon a normal page is served normally again.

gunicorn is started as the Helm chart starts it (benchmarks/httpbench.py: its arguments, its
workers and threads, production settings) on a benchmark database with the big city of issue 13
(10,016 ideas in one project), twice in the same run:

- `on`:  the defaults (DB_STATEMENT_TIMEOUT_MS=5000, REQUEST_QUEUE_TIMEOUT_S=5, disconnected
         clients dropped);
- `off`: shedding switched off through the settings (no statement timeout, no queue limit,
         disconnected clients served).

Each run measures the normal page (a small city's home) with wrk for a baseline window, then
bursts the slow page (the big project's idea search, slow by volume) from many connections whose
clients give up after a short timeout and reconnect, as browsers and proxies do, then measures
the normal page again in successive windows. It prints, per window: requests served, 503s,
errors, p50/p95, and the throughput against the baseline; the time until throughput is back to
90 % of the baseline; what the burst's clients saw (answers, 503s with Retry-After, requests
they gave up on); what the server logged (refused, dropped, statements cut); and the machine's
load at start and end.

    .venv/bin/python benchmarks/burst.py                       # ~6 minutes plus seeding
    .venv/bin/python benchmarks/burst.py --keep                # keep the database, then
    .venv/bin/python benchmarks/burst.py --reuse --modes on    # measure it again
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import benchsupport as bench
import httpbench

MODES: dict[str, dict[str, str]] = {
    "on": {},  # the product's defaults
    "off": {
        "DB_STATEMENT_TIMEOUT_MS": "0",
        "REQUEST_QUEUE_TIMEOUT_S": "0",
        "REQUEST_DROP_DISCONNECTED": "0",
    },
}
RECOVERED = 0.9  # throughput back to 90 % of the baseline


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    httpbench.add_arguments(parser, cities=10, kind="burst")
    parser.add_argument("--modes", default="on,off", help="comma-separated: on, off")
    parser.add_argument(
        "--slow-path",
        default="/projects/{project}/?q=fountain",
        help="the page burst ({project}: the big city's project; default %(default)s)",
    )
    parser.add_argument("--burst-seconds", type=float, default=30)
    parser.add_argument("--burst-connections", type=int, default=50)
    parser.add_argument(
        "--client-timeout",
        type=float,
        default=2.0,
        help="seconds a bursting client waits for its answer before it closes the connection "
        "and sends the request again (default %(default)s)",
    )
    parser.add_argument("--connections", type=int, default=10, help="wrk's, on the normal page")
    parser.add_argument(
        "--results-name",
        default="burst",
        help="benchmarks/results/<name>.json (default %(default)s), e.g. for a variant's run",
    )
    parser.add_argument("--baseline-seconds", type=float, default=10)
    parser.add_argument("--window-seconds", type=float, default=5)
    parser.add_argument("--windows", type=int, default=6)
    return parser.parse_args()


# --- the burst: clients that give up ---------------------------------------------------------


@dataclass
class BurstResult:
    sent: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    retry_after: int = 0  # 503 answers carrying Retry-After
    gave_up: int = 0  # no answer within the client's timeout: connection closed
    connect_errors: int = 0  # refused or reset before the request was sent
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "503_with_retry_after": self.retry_after,
            "gave_up": self.gave_up,
            "connect_errors": self.connect_errors,
        }


def _ask(port: int, payload: bytes, timeout: float) -> tuple[int, bool] | str:
    """One request on a new connection: (status, has Retry-After), "gave up" or "error"."""
    deadline = time.monotonic() + timeout
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    except OSError:
        return "error"
    try:
        sock.sendall(payload)
        received = b""
        while b"\r\n\r\n" not in received:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return "gave up"
            sock.settimeout(remaining)
            chunk = sock.recv(65536)
            if not chunk:
                return "error" if not received else "gave up"
            received += chunk
        head = received.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
        status = int(head.split(" ", 2)[1])
        return status, "\r\nretry-after:" in head
    except TimeoutError:
        return "gave up"
    except OSError:
        return "error"
    finally:
        sock.close()  # also when the answer has not come: the client leaves


def burst(port: int, host: str, path: str, args: argparse.Namespace) -> BurstResult:
    payload = (
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-Proto: https\r\n"
        "Accept: text/html\r\nConnection: close\r\n\r\n"
    ).encode()
    result = BurstResult()
    stop = time.monotonic() + args.burst_seconds

    def client() -> None:
        while time.monotonic() < stop:
            outcome = _ask(port, payload, args.client_timeout)
            with result.lock:
                result.sent += 1
                if outcome == "gave up":
                    result.gave_up += 1
                elif outcome == "error":
                    result.connect_errors += 1
                    time.sleep(0.05)
                else:
                    assert isinstance(outcome, tuple)
                    result.statuses[outcome[0]] += 1
                    result.retry_after += outcome[0] == 503 and outcome[1]

    threads = [threading.Thread(target=client) for _ in range(args.burst_connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result


# --- one mode ----------------------------------------------------------------------------------


@dataclass
class Window:
    start_s: float  # seconds after the burst ended
    result: httpbench.WrkResult

    @property
    def served(self) -> int:
        return sum(count for code, count in self.result.codes.items() if 200 <= code < 400)

    @property
    def refused(self) -> int:
        return self.result.codes.get(503, 0)

    @property
    def errors(self) -> int:
        return self.result.unexpected(expected=(200, 503))

    @property
    def served_per_s(self) -> float:
        return self.served / self.result.seconds if self.result.seconds else 0.0


def _log_counts(server: httpbench.Server) -> dict[str, int]:
    log = server.log_path.read_text(errors="replace")
    return {
        "refused (waited too long)": log.count(" with 503: it waited "),
        "dropped (client gone)": log.count("the client closed the connection before it was"),
        "statements cut": log.count("statement timeout ("),
    }


def run_mode(
    mode: str, args: argparse.Namespace, normal: httpbench.Request, slow_path: str, slow_host: str
) -> dict[str, Any]:
    server = httpbench.Server(args, log_name=f"burst-{mode}")
    server.environment.update(MODES[mode])
    # The server's warnings (refused, dropped, statements cut) are counted from its log.
    server.environment["LOG_LEVEL"] = "WARNING"
    with server:
        server.warm([normal, httpbench.Request(host=slow_host, path=slow_path)], rounds=2)
        quiet_started = time.perf_counter()
        status, _ = server.get(slow_path, host=slow_host)
        quiet_slow_s = time.perf_counter() - quiet_started
        baseline = Window(
            -args.baseline_seconds,
            httpbench.run_wrk(
                server, [normal], connections=args.connections, duration=args.baseline_seconds
            ),
        )
        print(
            f"\n## shedding {mode}: slow page alone {quiet_slow_s:.2f} s (status {status}); "
            f"normal page baseline {baseline.served_per_s:.1f} served/s, "
            f"p95 {baseline.result.p95_ms:.0f} ms",
            flush=True,
        )
        burst_started = time.perf_counter()
        bursting = burst(server.port, slow_host, slow_path, args)
        burst_s = time.perf_counter() - burst_started
        ended = time.perf_counter()
        windows = []
        for _ in range(args.windows):
            start = time.perf_counter() - ended
            windows.append(
                Window(
                    start,
                    httpbench.run_wrk(
                        server,
                        [normal],
                        connections=args.connections,
                        duration=args.window_seconds,
                        timeout=30,
                    ),
                )
            )
        logged = _log_counts(server)
    recovered_at = next(
        (
            round(w.start_s + w.result.seconds, 1)
            for w in windows
            if w.served_per_s >= RECOVERED * baseline.served_per_s and w.errors == 0
        ),
        None,
    )
    rows = [
        [
            "baseline" if w is baseline else f"+{w.start_s:.0f} s",
            str(w.result.requests),
            str(w.served),
            str(w.refused),
            str(w.errors),
            f"{w.result.p50_ms:.0f}" if w.result.requests else "-",
            f"{w.result.p95_ms:.0f}" if w.result.requests else "-",
            f"{w.served_per_s:.1f}",
            f"{w.served_per_s / baseline.served_per_s:.2f}" if baseline.served_per_s else "-",
        ]
        for w in [baseline, *windows]
    ]
    print(
        f"burst: {args.burst_connections} clients for {burst_s:.1f} s on {slow_path}, each "
        f"giving up after {args.client_timeout:g} s: {bursting.sent} requests, answers "
        f"{dict(sorted(bursting.statuses.items()))} ({bursting.retry_after} of the 503s with "
        f"Retry-After), {bursting.gave_up} given up, {bursting.connect_errors} connection errors"
    )
    print(f"server log: {logged}")
    headers = ["window", "requests", "served", "503", "errors", "p50 ms", "p95 ms", "served/s"]
    print(bench.table([*headers, "ratio"], rows))
    measured_s = windows[-1].start_s + windows[-1].result.seconds
    print(
        "throughput back to >= 90 % of the baseline: "
        + (
            f"{recovered_at} s after the burst"
            if recovered_at is not None
            else f"not within {measured_s:.0f} s"
        )
    )
    return {
        "mode": mode,
        "settings": MODES[mode],
        "slow_page_alone_s": round(quiet_slow_s, 3),
        "baseline": baseline.result.as_dict(),
        "baseline_served_per_s": round(baseline.served_per_s, 1),
        "burst": bursting.as_dict() | {"seconds": round(burst_s, 1)},
        "server_log": logged,
        "windows": [
            {"start_s": round(w.start_s, 1), "served": w.served, "503": w.refused}
            | {"errors": w.errors, "served_per_s": round(w.served_per_s, 1)}
            | {"ratio": round(w.served_per_s / baseline.served_per_s, 2)}
            | w.result.as_dict()
            for w in windows
        ],
        "recovered_after_s": recovered_at,
    }


def main() -> int:
    args = parse_args()
    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    unknown = set(modes) - set(MODES)
    if unknown:
        raise SystemExit(f"unknown modes: {', '.join(sorted(unknown))}")
    run = bench.start_run("burst")
    print(f"# machine load at start: {bench.load_text(run.load_start)}", flush=True)
    seeded = httpbench.seed(args)
    if seeded.big is None or not seeded.fleet_hosts:
        raise SystemExit("burst.py needs the big city and at least one small city (--cities >= 2)")
    normal = httpbench.Request(host=seeded.fleet_hosts[0], path="/")
    slow_path = args.slow_path.format(project=seeded.big.project)
    print(f"# {bench.machine()}")
    print(
        f"# {seeded.cities} cities, the big one with {seeded.rows}; gunicorn as the chart runs "
        f"it; normal page: https://{normal.host}/ with wrk -c{args.connections}; slow page: "
        f"https://{seeded.big.host}{slow_path}",
        flush=True,
    )
    results = [run_mode(mode, args, normal, slow_path, seeded.big.host) for mode in modes]
    load_end = os.getloadavg()
    print(
        f"\n# machine load at start: {bench.load_text(run.load_start)}, at end: "
        f"{bench.load_text(load_end)}"
    )
    for result in results:
        ratios = ", ".join(f"{w['ratio']:.2f}" for w in result["windows"])
        print(
            f"# shedding {result['mode']}: served/s against its baseline, window by window "
            f"after the burst: {ratios}; back to 90 % after {result['recovered_after_s']} s"
        )
    recovery = bench.Curve(
        args.results_name + "-recovery",
        "A normal page after a burst on a slow page",
        "seconds after the burst (middle of each window)",
        "served per second / baseline",
        {
            f"shedding {result['mode']}": [
                (w["start_s"] + w["seconds"] / 2, w["ratio"]) for w in result["windows"]
            ]
            for result in results
        },
        targets={"90 % of the baseline": RECOVERED},
    )
    bench.write_results(
        run,
        conditions={
            "cities": seeded.cities,
            "big_city_rows": seeded.rows,
            "normal_page": f"https://{normal.host}/",
            "slow_page": f"https://{seeded.big.host}{slow_path}",
            "burst_connections": args.burst_connections,
            "burst_seconds": args.burst_seconds,
            "client_timeout_s": args.client_timeout,
            "wrk_connections": args.connections,
            "window_seconds": args.window_seconds,
            "windows": args.windows,
        },
        rows=results,
        curves=[recovery],
        name=args.results_name,
    )
    httpbench.finish(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
