"""How long `migrate_schemas` takes with 500 cities: ours against plain django-tenants.

1. No-op (nothing pending), product settings and models: our `migrate_schemas` (public,
   template, blueprint, then one small query per city) against django-tenants' own
   `MigrateSchemasCommand` with its `standard` and `multiprocessing` executors (the latter with
   TENANT_MULTIPROCESSING_MAX_PROCESSES, 2 by default).
2. A real migration (optional, `--no-real` skips it): a child process adds `benchapp` (a
   city-plane app of benchmarks/, settings in benchmarks/bench_settings.py) whose migrations
   0002, 0003 and 0004 each add one indexed column. Ours applies 0002 to every city,
   django-tenants' standard executor 0003 and its multiprocessing executor 0004: the same
   kind of work, measured in the same run.

django-tenants' paths run with django-tenants' stock introspection unless
`--baseline-introspection ours`.

    .venv/bin/python benchmarks/migrate.py                 # the full run (~30 minutes)
    .venv/bin/python benchmarks/migrate.py --cities 20 --no-real
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
    parser.add_argument("--cities", type=int, default=500, help="cities present (default 500)")
    parser.add_argument(
        "--executors",
        default="standard,multiprocessing",
        help="django-tenants executors to compare with, comma-separated ('' for none)",
    )
    parser.add_argument(
        "--ours-repeats", type=int, default=3, help="no-op runs of ours (median reported)"
    )
    parser.add_argument(
        "--real",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time a real migration across the cities (default: yes)",
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


def executors(args: argparse.Namespace) -> list[str]:
    return [name.strip() for name in args.executors.split(",") if name.strip()]


def label(path: str) -> str:
    return path if path == "ours" else f"django-tenants {path}"


def ours_migrate(**options: object) -> None:
    from django.core.management import call_command

    call_command("migrate_schemas", verbosity=0, **options)


def plain_migrate(executor: str, introspection: str, **options: object) -> None:
    with bench.introspection(introspection):
        bench.plain_migrate_schemas(executor, **options)


def applied_everywhere(migration: tuple[str, str]) -> int:
    """How many cities have `migration` recorded (a check that a run really did its work)."""
    from django.db import connection
    from django_tenants.utils import quote_schema_name as q

    from ratusz.tenants.models import City

    bench.tenant_connection().set_schema_to_public()
    count = 0
    with connection.cursor() as cursor:
        for schema in City.objects.values_list("schema_name", flat=True):
            cursor.execute(
                f"SELECT 1 FROM {q(schema)}.django_migrations WHERE app = %s AND name = %s",
                list(migration),
            )
            count += cursor.fetchone() is not None
    return count


def real_phase(args: argparse.Namespace) -> None:
    """In a child process with benchapp installed: time real migrations across the cities."""
    bench.configure_environment(args.server, args.database, settings_module="bench_settings")
    import django

    django.setup()
    from ratusz.tenants.models import City

    cities = City.objects.count()
    results: dict[str, float] = {}
    # 0001 creates the table everywhere (ours, also the template): timed, but not compared.
    results["ours 0001 (create table)"] = bench.timed(
        lambda: ours_migrate(app_label="benchapp", migration_name="0001")
    )
    steps = [("ours", "0002_step_2")]
    steps += [(executor, f"000{3 + i}_step_{3 + i}") for i, executor in enumerate(executors(args))]
    for path, migration in steps:
        if path == "ours":
            run = partial(ours_migrate, app_label="benchapp", migration_name=migration)
        else:
            run = partial(
                plain_migrate,
                path,
                args.baseline_introspection,
                app_label="benchapp",
                migration_name=migration,
            )
        seconds = bench.timed(run)
        done = applied_everywhere(("benchapp", migration))
        assert done == cities, f"{path}: {migration} reached {done} of {cities} cities"
        results[f"{label(path)} {migration[:4]} (add indexed column)"] = seconds
        print(
            f"#   real migration {label(path)} {migration}: {seconds:.1f} s",
            file=sys.stderr,
            flush=True,
        )
    assert args.results
    Path(args.results).write_text(json.dumps(results))


def main() -> int:
    args = parse_args()
    if args.phase == "real":
        real_phase(args)
        return 0

    bench.prepare(args.server, args.database)
    from django.db import connections

    print(f"# migrate_schemas benchmark: {bench.machine()}")
    from ratusz.tenants.blueprint import current_blueprint

    print(
        f"# database {args.database}; {args.cities} cities; baseline introspection: "
        f"{args.baseline_introspection}; blueprint: {current_blueprint().tables} tables",
        flush=True,
    )
    filled = bench.fill_cities(args.cities)
    bench.vacuum_catalogs()
    print(f"# {args.cities} cities provisioned in {filled:.1f} s", file=sys.stderr, flush=True)

    noop: dict[str, float] = {}
    ours_runs = []
    for _ in range(max(1, args.ours_repeats)):
        ours_runs.append(bench.timed(ours_migrate))
    noop["ours"] = bench.median(ours_runs)
    print(
        f"#   no-op ours: {', '.join(f'{s:.2f}' for s in ours_runs)} s", file=sys.stderr, flush=True
    )
    for executor in executors(args):
        noop[f"django-tenants {executor}"] = bench.timed(
            partial(plain_migrate, executor, args.baseline_introspection)
        )
        connections.close_all()
        print(
            f"#   no-op django-tenants {executor}: {noop[f'django-tenants {executor}']:.1f} s",
            file=sys.stderr,
            flush=True,
        )

    real: dict[str, float] = {}
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
                    f"--executors={args.executors}",
                    f"--baseline-introspection={args.baseline_introspection}",
                ],
                env={"RATUSZ_DATA_DIR": os.environ["RATUSZ_DATA_DIR"]},
            )
            real = json.loads(results.read_text())

    rows = [
        [
            "no-op",
            path,
            f"{seconds:.2f}",
            f"{seconds / args.cities * 1000:.1f}",
            "" if path == "ours" else bench.ratio(seconds, noop["ours"]),
        ]
        for path, seconds in noop.items()
    ]
    ours_real = next((s for path, s in real.items() if path.startswith("ours 0002")), 0.0)
    for path, seconds in real.items():
        compared = not path.startswith("ours")
        rows.append(
            [
                "real",
                path,
                f"{seconds:.2f}",
                f"{seconds / args.cities * 1000:.1f}",
                bench.ratio(seconds, ours_real) if compared else "",
            ]
        )
    print()
    print(bench.table(["run", "path", "seconds", "ms per city", "x ours"], rows))
    print()
    print(f"no-op with {args.cities} cities: ours {noop['ours']:.2f} s (target <= 15 s)")
    if not args.keep:
        bench.drop_database(args.server, args.database)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
