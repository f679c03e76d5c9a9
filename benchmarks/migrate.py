"""How long `migrate_schemas` takes across the fleet: ours against plain django-tenants.

1. A real migration at several fleet sizes (`--levels`, default 50, 200 and 500 cities;
   `--no-real` skips it), in a child process that adds `benchapp` (a city-plane app of
   benchmarks/, settings in benchmarks/bench_settings.py) whose migrations 0002, 0003 and 0004
   each add one indexed column to a table holding no rows. At each level, in the same run: ours
   applies 0002 to every city (public, template and blueprint first, then per migration state
   one pilot city by Django and the others by replaying its SQL), django-tenants' standard
   executor 0003 and its multiprocessing executor 0004 (TENANT_MULTIPROCESSING_MAX_PROCESSES,
   2 by default); then the three columns are dropped again everywhere (not timed) for the next
   level. Above `--baseline-up-to` cities only ours runs.
2. No-op (nothing pending) at the largest level, product settings and models: our
   `migrate_schemas` against django-tenants' `MigrateSchemasCommand` with both executors
   (`--no-noop-baselines` times ours only).

django-tenants' paths run with django-tenants' stock introspection unless
`--baseline-introspection ours`. The figures go to benchmarks/results/migrate.json
(benchsupport.write_results) with the curve of time against cities; benchmarks/plots.py draws it.

    .venv/bin/python benchmarks/migrate.py                 # the full run (~35 minutes)
    .venv/bin/python benchmarks/migrate.py --levels 5,20 --no-noop-baselines
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from functools import partial
from pathlib import Path

import benchsupport as bench

HERE = Path(__file__).resolve().parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--levels",
        default="50,200,500",
        help="fleet sizes at which the real migration is timed, comma-separated "
        "(default 50,200,500); the no-op runs at the largest",
    )
    parser.add_argument(
        "--baseline-up-to",
        type=int,
        default=500,
        help="django-tenants' executors run at levels up to this many cities (default 500)",
    )
    parser.add_argument(
        "--executors",
        default="standard,multiprocessing",
        help="django-tenants executors to compare with, comma-separated ('' for none)",
    )
    parser.add_argument(
        "--jobs", type=int, default=None, help="our migrate_schemas --jobs (default: its own)"
    )
    parser.add_argument(
        "--ours-repeats", type=int, default=3, help="no-op runs of ours (median reported)"
    )
    parser.add_argument(
        "--real",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="time a real migration across the cities (default: yes)",
    )
    parser.add_argument(
        "--noop-baselines",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time django-tenants' no-op runs (default: yes)",
    )
    parser.add_argument("--server", default=bench.DEFAULT_SERVER, help="PostgreSQL server URL")
    parser.add_argument(
        "--database", default="ratusz_bench_migrate", help="dropped and created afresh"
    )
    parser.add_argument(
        "--baseline-introspection",
        choices=("stock", "ours"),
        default="stock",
        help="introspection used by django-tenants' command (default: django-tenants' own)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    # Internal: the real-migration phase, run in a child process with bench_settings.
    parser.add_argument("--phase", choices=("main", "real"), default="main", help=argparse.SUPPRESS)
    parser.add_argument("--results", help=argparse.SUPPRESS)
    return parser.parse_args()


def levels(args: argparse.Namespace) -> list[int]:
    return sorted({int(level) for level in args.levels.split(",") if level.strip()})


def executors(args: argparse.Namespace) -> list[str]:
    return [name.strip() for name in args.executors.split(",") if name.strip()]


def label(path: str) -> str:
    return path if path == "ours" else f"django-tenants {path}"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def ours_migrate(jobs: int | None = None, **options: object) -> None:
    from django.core.management import call_command

    if jobs:
        options["jobs"] = jobs
    call_command("migrate_schemas", verbosity=0, **options)


def plain_migrate(executor: str, introspection: str, **options: object) -> None:
    with bench.introspection(introspection):
        bench.plain_migrate_schemas(executor, **options)


def city_schemas() -> list[str]:
    from ratusz.tenants.models import City

    bench.tenant_connection().set_schema_to_public()
    return list(City.objects.order_by("pk").values_list("schema_name", flat=True))


def applied_everywhere(migration: tuple[str, str]) -> int:
    """How many cities have `migration` recorded (a check that a run really did its work)."""
    from django.db import connection
    from django_tenants.utils import quote_schema_name as q

    count = 0
    with connection.cursor() as cursor:
        for schema in city_schemas():
            cursor.execute(
                f"SELECT 1 FROM {q(schema)}.django_migrations WHERE app = %s AND name = %s",
                list(migration),
            )
            count += cursor.fetchone() is not None
    return count


STEPS = ("0002_step_2", "0003_step_3", "0004_step_4")


def reset_benchapp() -> None:
    """Back to benchapp 0001 in the template and every city (not timed): drop the columns the
    steps added (their indexes go with them) and forget the steps."""
    from django.conf import settings
    from django.db import connection, transaction
    from django_tenants.utils import quote_schema_name as q

    drops = ", ".join(f"DROP COLUMN IF EXISTS step_{step.rsplit('_', 1)[1]}" for step in STEPS)
    for schema in [settings.TEMPLATE_SCHEMA_NAME, *city_schemas()]:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {q(schema)}.benchapp_benchnote {drops}")
            cursor.execute(
                f"DELETE FROM {q(schema)}.django_migrations "
                "WHERE app = 'benchapp' AND name <> '0001_note'"
            )


def real_phase(args: argparse.Namespace) -> None:
    """In a child process with benchapp installed: at each level, fill the fleet and time one
    additive migration on each path."""
    bench.configure_environment(args.server, args.database, settings_module="bench_settings")
    import django

    django.setup()
    from django.db import connections

    results: list[dict[str, object]] = []
    for level in levels(args):
        filled = bench.fill_cities(level)
        bench.vacuum_catalogs()
        print(f"# {level} cities ({filled:.1f} s to provision)", file=sys.stderr, flush=True)
        entry: dict[str, object] = {"cities": level, "load_start": load()}
        if not results:
            # 0001 creates the table everywhere (ours, also the template): timed, not compared.
            entry["ours 0001 (create table)"] = bench.timed(
                partial(ours_migrate, args.jobs, app_label="benchapp", migration_name="0001")
            )
        reset_benchapp()
        bench.vacuum_catalogs()
        steps = [("ours", STEPS[0])]
        if level <= args.baseline_up_to:
            steps += list(zip(executors(args), STEPS[1:], strict=False))
        for path, migration in steps:
            if path == "ours":
                run = partial(
                    ours_migrate, args.jobs, app_label="benchapp", migration_name=migration
                )
            else:
                run = partial(
                    plain_migrate,
                    path,
                    args.baseline_introspection,
                    app_label="benchapp",
                    migration_name=migration,
                )
            seconds = bench.timed(run)
            connections.close_all()
            done = applied_everywhere(("benchapp", migration))
            assert done == level, f"{path}: {migration} reached {done} of {level} cities"
            entry[label(path)] = seconds
            print(
                f"#   {level} cities, {label(path)} {migration}: {seconds:.1f} s "
                f"({seconds / level * 1000:.1f} ms per city)",
                file=sys.stderr,
                flush=True,
            )
        entry["load_end"] = load()
        results.append(entry)
    assert args.results
    Path(args.results).write_text(json.dumps(results))


def main() -> int:
    args = parse_args()
    # One connection per thread, no pool: django-tenants' multiprocessing executor forks, and a
    # forked child that took a connection from the parent's pool would share its socket (and
    # wait forever for an answer the parent reads).
    os.environ["DB_POOL_SIZE"] = "0"
    if args.phase == "real":
        real_phase(args)
        return 0

    run = bench.start_run("migrate")
    started_load = load()
    bench.prepare(args.server, args.database)
    from django.db import connections

    print(f"# migrate_schemas benchmark: {bench.machine()}")
    from ratusz.tenants.blueprint import current_blueprint

    top = max(levels(args))
    print(
        f"# database {args.database}; levels {levels(args)}; baseline introspection: "
        f"{args.baseline_introspection}; blueprint: {current_blueprint().tables} tables; "
        f"load at start {started_load}",
        flush=True,
    )

    real: list[dict[str, object]] = []
    if args.real:
        connections.close_all()
        with tempfile.TemporaryDirectory() as tmp:
            results = Path(tmp) / "real.json"
            bench.run_child(
                [
                    str(HERE / "migrate.py"),
                    "--phase=real",
                    f"--results={results}",
                    f"--server={args.server}",
                    f"--database={args.database}",
                    f"--levels={args.levels}",
                    f"--baseline-up-to={args.baseline_up_to}",
                    f"--executors={args.executors}",
                    f"--baseline-introspection={args.baseline_introspection}",
                    *([f"--jobs={args.jobs}"] if args.jobs else []),
                ],
                env={"RATUSZ_DATA_DIR": os.environ["RATUSZ_DATA_DIR"]},
            )
            real = json.loads(results.read_text())

    filled = bench.fill_cities(top)
    bench.vacuum_catalogs()
    print(f"# no-op at {top} cities ({filled:.1f} s to provision)", file=sys.stderr, flush=True)
    noop: dict[str, float] = {}
    ours_runs = [
        bench.timed(partial(ours_migrate, args.jobs)) for _ in range(max(1, args.ours_repeats))
    ]
    noop["ours"] = bench.median(ours_runs)
    print(
        f"#   no-op ours: {', '.join(f'{s:.2f}' for s in ours_runs)} s", file=sys.stderr, flush=True
    )
    for executor in executors(args) if args.noop_baselines else []:
        noop[label(executor)] = bench.timed(
            partial(plain_migrate, executor, args.baseline_introspection)
        )
        connections.close_all()
        print(f"#   no-op {label(executor)}: {noop[label(executor)]:.1f} s", file=sys.stderr)

    rows = []
    for entry in real:
        cities = int(str(entry["cities"]))
        ours = float(str(entry["ours"]))
        for path in ["ours", *(label(e) for e in executors(args))]:
            if path not in entry:
                continue
            seconds = float(str(entry[path]))
            rows.append(
                [
                    "real",
                    str(cities),
                    path,
                    f"{seconds:.2f}",
                    f"{seconds / cities * 1000:.1f}",
                    f"{seconds / cities * 1000 / 60:.1f}",
                    "" if path == "ours" else bench.ratio(seconds, ours),
                    f"{entry['load_start']} / {entry['load_end']}",
                ]
            )
    for path, seconds in noop.items():
        rows.append(
            [
                "no-op",
                str(top),
                path,
                f"{seconds:.2f}",
                f"{seconds / top * 1000:.1f}",
                f"{seconds / top * 1000 / 60:.2f}",
                "" if path == "ours" else bench.ratio(seconds, noop["ours"]),
                "",
            ]
        )
    print()
    print(
        bench.table(
            [
                "run",
                "cities",
                "path",
                "seconds",
                "ms per city",
                "min per 1,000",
                "x ours",
                "load 1/5/15 min start / end",
            ],
            rows,
        )
    )
    print()
    for entry in real:
        cities = int(str(entry["cities"]))
        ours = float(str(entry["ours"]))
        standard = entry.get(label("standard"))
        ratio = (
            f", {bench.ratio(float(str(standard)), ours)} faster than standard" if standard else ""
        )
        print(
            f"real migration with {cities} cities: ours {ours:.1f} s, "
            f"{ours / cities * 1000 / 60:.2f} min per 1,000 cities (target <= 3){ratio}"
            + (" (target >= 5x at 500)" if cities == 500 and standard else "")
        )
    print(f"no-op with {top} cities: ours {noop['ours']:.2f} s (target <= 15 s)")
    paths = ["ours", *(label(e) for e in executors(args))]
    bench.write_results(
        run,
        conditions={
            "cities": top,
            "levels": levels(args),
            "city_tables": current_blueprint().tables,
            "baseline_introspection": args.baseline_introspection,
            "jobs": args.jobs or "default",
        },
        rows=[
            {"run": "real", "cities": entry["cities"], "path": path, "seconds": entry[path]}
            for entry in real
            for path in paths
            if path in entry
        ]
        + [{"run": "no-op", "cities": top, "path": path, "seconds": s} for path, s in noop.items()],
        curves=[
            bench.Curve(
                name="migrate_real",
                title="One additive migration across the fleet",
                x_label="cities",
                y_label="seconds",
                series={
                    path: [
                        (float(str(entry["cities"])), float(str(entry[path])))
                        for entry in real
                        if path in entry
                    ]
                    for path in paths
                },
            )
        ],
    )
    if not args.keep:
        bench.drop_database(args.server, args.database)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
