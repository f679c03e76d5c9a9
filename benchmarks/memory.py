"""Memory of the web workers and of PostgreSQL's backends as the server serves more cities:
after requests to 1 city, then to 100, then to all 1,000 (cumulative), measured from /proc.

- web workers: each gunicorn worker's resident set (VmRSS) and its private part (RssAnon);
- PostgreSQL backends: the server's connections to the benchmark database (pg_stat_activity),
  each backend's private memory (RssAnon: its caches of the catalog, plans, memory contexts),
  without the shared buffers it touched (RssShmem, shared by all backends).

Each city's home page is requested `--rounds` times (default 3, over new connections, so that
every worker is likely to serve every city), 8 at a time; the first city 10 times per worker,
so that the baseline has every worker warm.

    .venv/bin/python benchmarks/memory.py --reuse --keep     # the database load.py kept
    .venv/bin/python benchmarks/memory.py --cities 120 --levels 1,10,100
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import benchsupport as bench
import httpbench


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    httpbench.add_arguments(parser, cities=1000, kind="load")
    parser.add_argument("--levels", default="1,100,1000", help="cities served, cumulative")
    parser.add_argument("--rounds", type=int, default=3, help="requests per city and level (3)")
    return parser.parse_args()


def proc_memory(pid: int) -> dict[str, int]:
    """VmRSS, RssAnon and RssShmem of a process in KiB (empty when it is gone)."""
    figures = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "RssAnon", "RssShmem"):
                figures[name] = int(value.split()[0])
    except OSError:
        return {}
    return figures


def backend_pids(database: str) -> list[int]:
    """PostgreSQL backends connected to the benchmark database, this process's excepted."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'",
            [database],
        )
        return [row[0] for row in cursor.fetchall()]


def snapshot(server: httpbench.Server, database: str) -> dict[str, Any]:
    workers = {pid: proc_memory(pid) for pid in server.worker_pids()}
    backends = {pid: proc_memory(pid) for pid in backend_pids(database)}
    workers = {pid: m for pid, m in workers.items() if m}
    backends = {pid: m for pid, m in backends.items() if m}
    mib = 1024
    return {
        "workers": len(workers),
        "worker_rss_mib": [round(m["VmRSS"] / mib, 1) for m in workers.values()],
        "worker_rss_sum_mib": round(sum(m["VmRSS"] for m in workers.values()) / mib, 1),
        "worker_anon_sum_mib": round(sum(m["RssAnon"] for m in workers.values()) / mib, 1),
        "backends": len(backends),
        "backend_anon_sum_mib": round(sum(m["RssAnon"] for m in backends.values()) / mib, 1),
        "backend_anon_max_mib": round(
            max((m["RssAnon"] for m in backends.values()), default=0) / mib, 1
        ),
        "backend_shmem_max_mib": round(
            max((m.get("RssShmem", 0) for m in backends.values()), default=0) / mib, 1
        ),
    }


def serve(server: httpbench.Server, hosts: list[str], rounds: int) -> tuple[int, int]:
    """GET / of every host `rounds` times, 8 at a time; returns (answered 200, others)."""

    def one(host: str) -> int:
        try:
            status, _ = server.get("/", host=host, timeout=60)
        except OSError:
            return 0
        return status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(one, [host for _ in range(rounds) for host in hosts]))
    good = sum(1 for status in statuses if status == 200)
    return good, len(statuses) - good


def main() -> int:
    args = parse_args()
    levels = sorted({int(level) for level in args.levels.split(",") if level.strip()})
    run = bench.start_run("memory")
    seeded = httpbench.seed(args)
    hosts = list(seeded.fleet_hosts)
    if seeded.big is not None:
        hosts.insert(0, seeded.big.host)
    if levels[-1] > len(hosts):
        raise SystemExit(f"{levels[-1]} cities asked, {len(hosts)} seeded: raise --cities")
    print(f"# memory benchmark: {bench.machine()}")
    rows: list[dict[str, Any]] = []
    with httpbench.Server(args) as server:
        time.sleep(2)
        rows.append({"cities_served": 0, **snapshot(server, args.database)})
        for level in levels:
            started = time.perf_counter()
            # The first city is asked often enough that every worker has served it (a worker
            # loads most of Django at its first request): the baseline of the growth.
            rounds = args.rounds if level > 1 else max(args.rounds, 10 * len(server.worker_pids()))
            good, bad = serve(server, hosts[:level], rounds)
            rows.append(
                {
                    "cities_served": level,
                    "requests": good + bad,
                    "not_200": bad,
                    "seconds": round(time.perf_counter() - started, 1),
                    **snapshot(server, args.database),
                }
            )
            print(f"  served {level} cities: {rows[-1]}", file=sys.stderr, flush=True)
        command = server.describe()
    first = rows[1] if len(rows) > 1 else rows[0]
    print()
    print(
        bench.table(
            [
                "cities served",
                "requests",
                "not 200",
                "workers RSS MiB (each)",
                "workers RSS sum",
                "growth",
                "backends",
                "backends private MiB",
                "max backend",
            ],
            [
                [
                    str(row["cities_served"]),
                    str(row.get("requests", "")),
                    str(row.get("not_200", "")),
                    ", ".join(f"{value:.0f}" for value in row["worker_rss_mib"]),
                    f"{row['worker_rss_sum_mib']:.1f}",
                    f"{row['worker_rss_sum_mib'] - first['worker_rss_sum_mib']:+.1f}",
                    str(row["backends"]),
                    f"{row['backend_anon_sum_mib']:.1f}",
                    f"{row['backend_anon_max_mib']:.1f}",
                ]
                for row in rows
            ],
        )
    )
    print("growth: the workers' RSS against after serving the first city")
    httpbench.finish(args)
    served = [row for row in rows if row["cities_served"]]
    bench.write_results(
        run,
        conditions={
            "cities": seeded.cities,
            "levels": levels,
            "rounds": args.rounds,
            "server": command,
            **seeded.rows,
        },
        rows=rows,
        curves=[
            bench.Curve(
                name="memory-against-cities",
                title="Memory after serving N cities",
                x_label="cities served (cumulative)",
                y_label="MiB",
                series={
                    "web workers, RSS (sum)": [
                        (row["cities_served"], row["worker_rss_sum_mib"]) for row in served
                    ],
                    "PostgreSQL backends, private (sum)": [
                        (row["cities_served"], row["backend_anon_sum_mib"]) for row in served
                    ],
                },
                log_x=True,
            )
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
