"""Pages under load: the big city's pages over HTTP with 1,000 cities present, measured from
outside with wrk against gunicorn started as the Helm chart starts it (production settings).

Each page gets `--connections` connections (50) without think time for `--duration` seconds
(20), after a warm-up; anonymous visitors and signed-in residents (50 residents' sessions in
turn). Targets (issue 13): p95 <= 150 ms anonymous, <= 300 ms signed in, zero errors. Then
latency percentiles against concurrent connections (1, 10, 25, 50, 100) on the city home and
the project page, for the plot in docs/benchmarks/.

    .venv/bin/python benchmarks/load.py --keep              # 1,000 cities, ~25 min + seeding
    .venv/bin/python benchmarks/load.py --reuse --keep      # measure the kept database again
    .venv/bin/python benchmarks/load.py --reuse --save-as load-before
    .venv/bin/python benchmarks/load.py --reuse --compare benchmarks/results/load-before.json
    .venv/bin/python benchmarks/load.py --cities 20 --duration 5 --only home,idea   # smoke

Options of the harness (seeding, server, Redis): see benchmarks/httpbench.py and --help.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import benchsupport as bench
import httpbench

TARGET_ANONYMOUS_MS = 150.0
TARGET_SIGNED_IN_MS = 300.0
SIGNED_IN_RESIDENTS = 50
PAGE_50 = 50


@dataclass(frozen=True)
class Scenario:
    key: str  # for --only
    page: str
    who: str  # "anonymous" | "signed in"
    requests: list[httpbench.Request]

    @property
    def target_ms(self) -> float:
        return TARGET_ANONYMOUS_MS if self.who == "anonymous" else TARGET_SIGNED_IN_MS


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    httpbench.add_arguments(parser, cities=1000, kind="load")
    parser.add_argument("--duration", type=float, default=20, help="seconds per page (20)")
    parser.add_argument("--connections", type=int, default=50, help="connections per page (50)")
    parser.add_argument(
        "--curve-connections",
        default="1,10,25,50,100",
        help="connections of the latency curve, comma-separated ('' to skip)",
    )
    parser.add_argument(
        "--curve-duration", type=float, default=15, help="seconds per point of the curve (15)"
    )
    parser.add_argument(
        "--only", default="", help="comma-separated scenario keys (see the table's first column)"
    )
    parser.add_argument(
        "--save-as", default="load", help="results file name in benchmarks/results/ (load)"
    )
    parser.add_argument(
        "--compare", type=Path, help="an earlier results file: print the ratios against it"
    )
    return parser.parse_args()


def scenarios(seeded: httpbench.Seeded, residents: list[httpbench.Resident]) -> list[Scenario]:
    from ratusz.consultations.methods.ideation.selectors import SORTS

    assert seeded.big is not None
    big = seeded.big
    host = big.host
    project = f"/projects/{big.project}/"
    page_50 = min(PAGE_50, big.pages)

    def anonymous(key: str, page: str, paths: list[str], on: str = host) -> Scenario:
        return Scenario(
            key, page, "anonymous", [httpbench.Request(host=on, path=path) for path in paths]
        )

    def signed_in(key: str, page: str, paths: list[str]) -> Scenario:
        return Scenario(
            key,
            page,
            "signed in",
            [
                httpbench.signed_in(httpbench.Request(host=host, path=path), resident)
                for resident in residents
                for path in paths
            ],
        )

    found: list[Scenario] = [
        anonymous("landing", "control-plane landing", ["/"], on=httpbench.BASE_DOMAIN),
        anonymous("home", "city home", ["/"]),
    ]
    for sort in SORTS:
        found.append(anonymous(f"project-{sort}", f"project, {sort}", [f"{project}?sort={sort}"]))
        found.append(
            anonymous(
                f"project-{sort}-p{page_50}",
                f"project, {sort}, page {page_50}",
                [f"{project}?sort={sort}&page={page_50}"],
            )
        )
    found += [
        anonymous("idea", "idea with 100 comments", [f"/ideas/{big.discussed_idea}/"]),
        anonymous("search", "search q=fountain", [f"{project}?q=fountain"]),
        anonymous("search-partial", "search q=fontan (part of a word)", [f"{project}?q=fontan"]),
        anonymous("map", "map data (GeoJSON)", [f"{project}map.json"]),
        signed_in("home-in", "city home", ["/"]),
        signed_in("project-in", "project, trending", [project]),
        signed_in("idea-in", "idea with 100 comments", [f"/ideas/{big.discussed_idea}/"]),
        signed_in("search-in", "search q=fountain", [f"{project}?q=fountain"]),
    ]
    # Reactions: each resident in turn likes and dislikes ideas spread over the project (a
    # changed mind replaces the reaction; the same one twice is refused in the page: both are
    # the work a click costs).
    reactions = [
        httpbench.reaction(host, idea, kind, residents[number % len(residents)])
        for number, idea in enumerate(big.idea_ids)
        for kind in (1, -1)
    ]
    found.append(Scenario("react", "reaction (POST)", "signed in", reactions))
    return found


def settle(server: httpbench.Server, limit: float = 90) -> float:
    """Wait until the server answers a health check within a second (the previous page's
    requests drained); returns the seconds waited."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        asked = time.perf_counter()
        try:
            status, _ = server.get("/healthz", host=httpbench.BASE_DOMAIN, timeout=10)
        except OSError:
            status = 0
        if status == 200 and time.perf_counter() - asked < 1:
            break
        time.sleep(1)
    return time.perf_counter() - started


def verdict(result: httpbench.WrkResult, scenario: Scenario) -> str:
    errors = result.unexpected([200])
    return "PASS" if result.p95_ms <= scenario.target_ms and errors == 0 else "FAIL"


def measure_pages(
    server: httpbench.Server, chosen: list[Scenario], args: argparse.Namespace
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for scenario in chosen:
        settle(server)
        server.warm(scenario.requests)
        result = httpbench.run_wrk(
            server, scenario.requests, connections=args.connections, duration=args.duration
        )
        row = {
            "key": scenario.key,
            "page": scenario.page,
            "who": scenario.who,
            "connections": args.connections,
            "target_p95_ms": scenario.target_ms,
            **result.as_dict(),
            "errors": result.unexpected([200]),
            "verdict": verdict(result, scenario),
        }
        rows.append(row)
        print(
            f"  {scenario.page} ({scenario.who}): {result.rps:.1f} req/s, p95 "
            f"{result.p95_ms:.0f} ms, errors {row['errors']} -> {row['verdict']}",
            file=sys.stderr,
            flush=True,
        )
    return rows


def measure_curve(
    server: httpbench.Server, all_scenarios: list[Scenario], args: argparse.Namespace
) -> list[dict[str, Any]]:
    levels = [int(level) for level in args.curve_connections.split(",") if level.strip()]
    points: list[dict[str, Any]] = []
    by_key = {scenario.key: scenario for scenario in all_scenarios}
    for key in ("home", "project-trending"):
        scenario = by_key[key]
        for connections in levels:
            settle(server)
            server.warm(scenario.requests, rounds=1)
            result = httpbench.run_wrk(
                server, scenario.requests, connections=connections, duration=args.curve_duration
            )
            points.append(
                {
                    "key": key,
                    "page": scenario.page,
                    "connections": connections,
                    "errors": result.unexpected([200]),
                    **result.as_dict(),
                }
            )
            print(
                f"  curve {scenario.page} c{connections}: p50 {result.p50_ms:.0f} / p95 "
                f"{result.p95_ms:.0f} / p99 {result.p99_ms:.0f} ms",
                file=sys.stderr,
                flush=True,
            )
    return points


def curves(points: list[dict[str, Any]], cities: int) -> list[bench.Curve]:
    drawn = []
    for key, title in (("home", "city home"), ("project-trending", "project page (trending)")):
        mine = [point for point in points if point["key"] == key]
        if not mine:
            continue
        drawn.append(
            bench.Curve(
                name=f"load-latency-{key}",
                title=f"Latency against concurrent connections: {title} ({cities} cities)",
                x_label="concurrent connections (wrk, no think time)",
                y_label="latency (ms)",
                series={
                    f"p{pct}": [(point["connections"], point[f"p{pct}_ms"]) for point in mine]
                    for pct in (50, 95, 99)
                },
                log_y=True,
                targets={"target p95 (anonymous) 150 ms": TARGET_ANONYMOUS_MS},
            )
        )
    return drawn


def print_pages(rows: list[dict[str, Any]]) -> None:
    print(
        bench.table(
            ["key", "page", "who", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "target", ""],
            [
                [
                    row["key"],
                    row["page"],
                    row["who"],
                    f"{row['rps']:.1f}",
                    f"{row['p50_ms']:.0f}",
                    f"{row['p95_ms']:.0f}",
                    f"{row['p99_ms']:.0f}",
                    str(row["errors"]),
                    f"p95 <= {row['target_p95_ms']:.0f}",
                    row["verdict"],
                ]
                for row in rows
            ],
        )
    )


def print_comparison(rows: list[dict[str, Any]], previous_path: Path) -> None:
    previous = bench.read_results(previous_path)
    before = {
        (row["key"], row.get("connections")): row
        for row in previous["rows"]
        if not row.get("curve")
    }
    lines = []
    for row in rows:
        old = before.get((row["key"], row["connections"]))
        if old is None:
            continue
        lines.append(
            [
                row["page"],
                row["who"],
                f"{old['rps']:.1f} -> {row['rps']:.1f}",
                bench.ratio(row["rps"], old["rps"]),
                f"{old['p95_ms']:.0f} -> {row['p95_ms']:.0f}",
                bench.ratio(old["p95_ms"], row["p95_ms"]),
                f"{old['errors']} -> {row['errors']}",
            ]
        )
    print()
    print(
        f"against {previous_path.name} (ratusz {previous.get('commit')}, {previous.get('date')}, "
        f"load {bench.load_text(previous.get('load_start', []))} -> "
        f"{bench.load_text(previous.get('load_end', []))}):"
    )
    print(
        bench.table(["page", "who", "req/s", "x faster", "p95 ms", "x lower p95", "errors"], lines)
    )


def main() -> int:
    args = parse_args()
    run = bench.start_run("load")
    seeded = httpbench.seed(args)
    if seeded.big is None:
        raise SystemExit("load.py measures the big city: drop --no-big-city")
    residents = httpbench.signed_in_residents(SIGNED_IN_RESIDENTS)
    all_scenarios = scenarios(seeded, residents)
    only = {key.strip() for key in args.only.split(",") if key.strip()}
    chosen = [scenario for scenario in all_scenarios if not only or scenario.key in only]
    print(f"# load benchmark: {bench.machine()}")
    print(
        f"# {seeded.cities} cities; big city: {seeded.rows}; {args.connections} connections, "
        f"{args.duration:.0f} s per page; machine load at start "
        f"{bench.load_text(run.load_start)}",
        flush=True,
    )
    with httpbench.Server(args) as server:
        rows = measure_pages(server, chosen, args)
        points = measure_curve(server, all_scenarios, args) if not only else []
        command = server.describe()
    print()
    print_pages(rows)
    if points:
        print()
        print(
            bench.table(
                ["page", "connections", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"],
                [
                    [
                        point["page"],
                        str(point["connections"]),
                        f"{point['rps']:.1f}",
                        f"{point['p50_ms']:.0f}",
                        f"{point['p95_ms']:.0f}",
                        f"{point['p99_ms']:.0f}",
                        str(point["errors"]),
                    ]
                    for point in points
                ],
            )
        )
    if args.compare:
        print_comparison(rows, args.compare)
    httpbench.finish(args)
    print()
    bench.write_results(
        run,
        conditions={
            "cities": seeded.cities,
            **seeded.rows,
            "connections": args.connections,
            "duration_s": args.duration,
            "signed_in_residents": SIGNED_IN_RESIDENTS,
            "server": command,
            "seeding_s": round(seeded.seconds, 1),
        },
        rows=[*rows, *({"curve": True, **point} for point in points)],
        curves=curves(points, seeded.cities),
        name=args.save_as,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
