"""What serving many cities costs: the same page on one city's host, and rotating over 1,000.

A city portal is chosen by the Host header (ratusz.tenants.routing). Whatever a request for a
city costs more when the cities take turns (a cache entry per host, a catalog cache per schema
in the PostgreSQL backend, a connection recycled after many schemas) shows up as a lower rate
for many hosts than for one. Measured from outside with the shared harness
(benchmarks/httpbench.py): `--cities` cities (1,000; the seeding timed and printed apart),
gunicorn with the Helm chart's arguments and production settings, wrk with `--connections`
connections (50) sending the same page either to one host or to every host in turn. Rounds of
each are interleaved (one, many, one, many, ...) after a warm-up round of each, so that other
work on the machine hits both alike; the script prints every round's requests per second and
p50/p95/p99, their medians, the ratio many/one and the machine's load at start and end, and
writes benchmarks/results/routing.json.

    .venv/bin/python benchmarks/routing.py --redis-url redis://127.0.0.1:6379/8
    .venv/bin/python benchmarks/routing.py --cities 30 --rounds 1 --duration 5   # a smoke run

Production has Redis as the cache: give the run a Redis database of its own (`--redis-url`,
emptied at start); without one the server uses the single machine's file cache.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import benchsupport as bench
import httpbench

TARGET = 0.95  # many/one: a routing cost of at most 5 %


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    httpbench.add_arguments(parser, kind="routing")
    parser.add_argument("--path", default="/", help="the page requested (default: the city home)")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds of each (default 3)")
    parser.add_argument("--duration", type=float, default=20, help="seconds a round (default 20)")
    parser.add_argument("--connections", type=int, default=50, help="wrk connections (default 50)")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    args.no_big_city = True  # the fleet only: every host serves the same small page
    run = bench.start_run("routing")
    seeded = httpbench.seed(args)
    hosts = list(seeded.fleet_hosts[: args.cities])
    one = [httpbench.Request(host=hosts[0], path=args.path)]
    many = [httpbench.Request(host=host, path=args.path) for host in hosts]
    rounds: list[dict[str, Any]] = []
    with httpbench.Server(args) as server:
        server.warm(one + many[:: max(1, len(many) // 20)], rounds=3)
        print(
            f"# {len(hosts)} hosts; page {args.path}; wrk -c{args.connections}, "
            f"{args.duration:.0f} s rounds; load at start {bench.load_text(run.load_start)}",
            flush=True,
        )
        for number in range(args.rounds + 1):
            for kind, requests in (("one", one), ("many", many)):
                result = httpbench.run_wrk(
                    server, requests, connections=args.connections, duration=args.duration
                )
                rounds.append(
                    {"round": number, "hosts": kind, "warm_up": number == 0, **result.as_dict()}
                )
                print(
                    f"#   round {number}{' (warm-up)' if number == 0 else ''} {kind:>4}: "
                    f"{result.rps:.1f} req/s, p50 {result.p50_ms:.1f} ms, p95 "
                    f"{result.p95_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, unexpected "
                    f"{result.unexpected([200])}",
                    file=sys.stderr,
                    flush=True,
                )
    httpbench.finish(args)

    summary: dict[str, dict[str, float]] = {}
    table = []
    for kind, label in (("one", "1 host"), ("many", f"{len(hosts)} hosts")):
        measured = [row for row in rounds if row["hosts"] == kind and not row["warm_up"]]
        summary[kind] = {
            key: bench.median([float(row[key]) for row in measured])
            for key in ("rps", "p50_ms", "p95_ms", "p99_ms")
        }
        unexpected = sum(
            sum(int(n) for code, n in row["codes"].items() if code != "200") for row in measured
        )
        table.append(
            [label, str(len(measured))]
            + [f"{summary[kind][key]:.1f}" for key in ("rps", "p50_ms", "p95_ms", "p99_ms")]
            + [str(unexpected)]
        )
    ratio = summary["many"]["rps"] / summary["one"]["rps"]
    print()
    print(
        bench.table(
            ["hosts", "rounds", "req/s (median)", "p50 ms", "p95 ms", "p99 ms", "not 200"], table
        )
    )
    print()
    print(
        f"{len(hosts)} hosts / 1 host: {ratio:.2f}x the throughput (routing cost "
        f"{100 * (1 - ratio):.1f} %, target <= {100 * (1 - TARGET):.0f} %)"
    )
    path = bench.write_results(
        run,
        conditions={
            "cities": seeded.cities,
            "hosts": len(hosts),
            "page": args.path,
            "connections": args.connections,
            "round_s": args.duration,
            "rounds": args.rounds,
            "cache": "redis" if args.redis_url else "file",
            "seeding_s": round(seeded.seconds, 1),
        },
        rows=[*rounds, {"summary": summary, "ratio_many_to_one": round(ratio, 3)}],
    )
    print(f"# load at end {bench.load()}; figures in {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
