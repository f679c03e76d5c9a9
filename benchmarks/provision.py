"""How long provisioning one city takes with 1, 10, 100, 1,000 and 5,000 cities already present.

Five paths, measured in the same run, on the same models, in the same database:

- spare:   `ratusz.tenants.services.provision_city` with a spare schema ready (the usual case:
           a pool is kept topped up in the background, see ratusz.tenants.spares), so the
           schema is renamed into place; filling the pool before each sample is not timed;
- ours:    the same with the pool empty: a spare is built on the spot over
           SPARE_BUILD_CONNECTIONS connections (its tables side by side), then taken;
- script:  the same with one build connection: the blueprint DDL as one script inside the
           provisioning transaction (what "ours" was before the side-by-side build);
- default: what django-tenants does for a new tenant: save the tenant and its domain, CREATE
           SCHEMA, then django-tenants' own `migrate_schemas --tenant --schema <new>` replays
           every migration into it;
- clone:   django-tenants' TENANT_BASE_SCHEMA path: `CloneSchema().clone_schema(base, new)`
           from a migrated base schema, then `migrate_schemas --fake` for the new schema, as
           `TenantMixin.create_schema` does.

Every path creates the same rows: the city, its primary domain, its schema, the city-plane
defaults (city initializers) and its first administrator's invitation. Each sample city is
removed again after it is measured (not timed), so every sample sees exactly N cities. The slow
paths run with django-tenants' stock introspection unless `--baseline-introspection ours`. The
cities present are filled fast (spares built side by side, then taken; see
benchsupport.fill_cities), and the time the filling took is printed apart.

`--burst` measures the pool instead: starting from the pool a quiet sign-up history asks for,
20 sign-ups arrive within a minute while a refill worker tops the pool up after each take (as
the task queued by name after each take does); it prints how many were served from the pool,
their median and p95, and the pool's size along the way.

    .venv/bin/python benchmarks/provision.py                      # the full run (hours at 5,000)
    .venv/bin/python benchmarks/provision.py --levels 1,10 --samples 3 --slow-samples 2
    .venv/bin/python benchmarks/provision.py --levels 1000 --burst
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import benchsupport as bench

PATHS = ("ours", "script", "spare", "default", "clone")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--levels",
        default="1,10,100,1000,5000",
        help="numbers of cities present when measuring, comma-separated "
        "(default 1,10,100,1000,5000)",
    )
    parser.add_argument("--samples", type=int, default=30, help="samples of our path per level")
    parser.add_argument(
        "--slow-samples", type=int, default=7, help="samples of each django-tenants path per level"
    )
    parser.add_argument("--server", default=bench.DEFAULT_SERVER, help="PostgreSQL server URL")
    parser.add_argument("--database", default="ratusz_bench", help="dropped and created afresh")
    parser.add_argument(
        "--baseline-introspection",
        choices=("stock", "ours"),
        default="stock",
        help="introspection used by the django-tenants paths (default: django-tenants' own)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--wizard",
        action="store_true",
        help="measure the sign-up wizard instead: from submitting the form to the new portal "
        "answering its administrator's first page (ours only, --samples per level)",
    )
    parser.add_argument(
        "--no-vacuum",
        action="store_true",
        help="skip VACUUM ANALYZE of the catalogs after filling a level",
    )
    parser.add_argument(
        "--burst",
        action="store_true",
        help="measure a burst of sign-ups against the pool instead (at each level)",
    )
    parser.add_argument(
        "--burst-size", type=int, default=20, help="sign-ups in the burst (default 20)"
    )
    parser.add_argument(
        "--burst-seconds", type=float, default=60, help="over how long (default 60 s)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database a run with --keep left (levels must not be below its count)",
    )
    return parser.parse_args()


# --- the three paths ---------------------------------------------------------------------------


def provision_ours(slug: str) -> None:
    from ratusz.tenants.services import provision_city

    provision_city(name=f"City {slug}", slug=slug, admin_email=f"admin@{slug}.example.org")


def provision_script(slug: str) -> None:
    from django.conf import settings

    saved = settings.SPARE_BUILD_CONNECTIONS
    settings.SPARE_BUILD_CONNECTIONS = 1
    try:
        provision_ours(slug)
    finally:
        settings.SPARE_BUILD_CONNECTIONS = saved


def _finish_city(city: object, host: str) -> None:
    """What provision_city does after the schema exists: defaults and the first invitation."""
    from django.conf import settings

    from ratusz.accounts.models import Role
    from ratusz.accounts.services import create_invitation
    from ratusz.tenants.context import CityRef, city_context
    from ratusz.tenants.initializers import NewCity, city_initializers
    from ratusz.tenants.models import City

    assert isinstance(city, City)
    ref = CityRef.from_city(city, host)
    admin_email = f"admin@{city.slug}.example.org"
    with city_context(city):  # the same search path as the CityRef provision_city uses
        for initializer in city_initializers():
            initializer(NewCity(city=ref, admin_email=admin_email, admin_name=""))
        create_invitation(
            email=admin_email, role=Role.ADMINISTRATOR, valid_days=settings.INVITATION_VALID_DAYS
        )


def _new_city(slug: str) -> tuple[object, str]:
    from django.conf import settings

    from ratusz.tenants.models import City
    from ratusz.tenants.slugs import schema_name_for

    city = City(schema_name=schema_name_for(slug), slug=slug, name=f"City {slug}", languages=["pl"])
    city.save(verbosity=0)
    return city, f"{slug}.{settings.BASE_DOMAIN}"


def provision_default(slug: str, introspection: str) -> None:
    """TenantMixin.save() with auto_create_schema, then the domain (django-tenants' docs)."""
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import quote_schema_name, schema_exists

    from ratusz.tenants.models import City, Domain

    with bench.introspection(introspection):
        city, host = _new_city(slug)
        assert isinstance(city, City)
        # TenantMixin.create_schema(check_if_exists=True) without a base schema:
        if not schema_exists(city.schema_name):
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE SCHEMA {quote_schema_name(city.schema_name)}")
            bench.plain_migrate_schemas("standard", tenant=True, schema_name=city.schema_name)
        bench.tenant_connection().set_schema_to_public()
        Domain.objects.create(domain=host, tenant=city, is_primary=True, verified_at=timezone.now())
        _finish_city(city, host)


def provision_clone(slug: str, introspection: str) -> None:
    """TenantMixin.create_schema with TENANT_BASE_SCHEMA: clone, then fake the migrations."""
    from django.conf import settings
    from django.utils import timezone
    from django_tenants.clone import CloneSchema

    from ratusz.tenants.models import City, Domain

    with bench.introspection(introspection):
        city, host = _new_city(slug)
        assert isinstance(city, City)
        CloneSchema().clone_schema(settings.TEMPLATE_SCHEMA_NAME, city.schema_name, "DATA")
        bench.plain_migrate_schemas(
            "standard", tenant=True, fake=True, schema_name=city.schema_name
        )
        bench.tenant_connection().set_schema_to_public()
        Domain.objects.create(domain=host, tenant=city, is_primary=True, verified_at=timezone.now())
        _finish_city(city, host)


def remove_city(slug: str) -> None:
    from ratusz.tenants.models import City
    from ratusz.tenants.services import purge_city

    city = City.objects.filter(slug=slug).first()
    if city is not None:
        purge_city(city=city)


def measure(provision: Callable[[str], None], slug: str) -> float:
    from django.db import connection

    connection.ensure_connection()
    started = time.perf_counter()
    try:
        provision(slug)
        return time.perf_counter() - started
    finally:
        bench.tenant_connection().set_schema_to_public()
        remove_city(slug)
        # A request boundary, as in production (connections serving many cities are recycled).
        connection.close_if_unusable_or_obsolete()


# --- the run -----------------------------------------------------------------------------------


# --- the sign-up wizard (--wizard) ------------------------------------------------------------


def signup_through_wizard(slug: str) -> None:
    """What a person signing up waits for: the wizard's POST (provisioning, the template, the
    e-mail queued), the hand-off to the city's host, and the back office's first page."""
    import uuid

    from django.conf import settings
    from django.test import Client

    control = Client(HTTP_HOST=settings.BASE_DOMAIN, REMOTE_ADDR="127.0.0.1")
    response = control.post(
        "/signup/",
        {
            "name": f"City {slug}",
            "country": "PL",
            "population": "50000",
            "languages": ["pl", "en"],
            "default_language": "pl",
            "slug": slug,
            "admin_name": "Bench Admin",
            "admin_email": f"admin@{slug}.example.org",
            "plan": "trial",
            "template": "participatory-budget",
            "accept_terms": "on",
            "idempotency_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302, response.content[:500]
    handoff = response["Location"].split("://", 1)[1]
    host, path = handoff.split("/", 1)
    portal = Client(HTTP_HOST=host.split(":")[0])
    landed = portal.get("/" + path)
    assert landed.status_code == 302, landed.status_code
    back_office = portal.get(landed["Location"])
    assert back_office.status_code == 200, back_office.status_code


def main_wizard(args: argparse.Namespace) -> int:
    levels = sorted({int(level) for level in args.levels.split(",") if level.strip()})
    bench.prepare(args.server, args.database, fresh=not args.reuse)

    from django.conf import settings
    from django.core.cache import cache

    from ratusz.tenants.models import City
    from ratusz.tenants.spares import fill_spare_pool

    settings.SPARE_SCHEMAS = 0  # the pool is filled here, untimed, as the background task would

    print(f"# sign-up wizard benchmark: {bench.machine()}")
    print(f"# database {args.database}; {args.samples} samples per level", flush=True)
    rows: list[list[str]] = []
    for level in levels:
        filled = bench.fill_cities(level)
        assert City.objects.count() == level, "--reuse: the database has more cities than that"
        if not args.no_vacuum:
            bench.vacuum_catalogs()
        print(f"# {level} cities present (filled in {filled:.1f} s)", file=sys.stderr, flush=True)
        wizard, wizard_cold, ours = [], [], []
        for sample in range(args.samples):
            cache.clear()  # the wizard's rate limits count per address and e-mail
            fill_spare_pool(1)
            wizard.append(measure(signup_through_wizard, f"wizard-{level}-{sample}"))
            cache.clear()
            wizard_cold.append(measure(signup_through_wizard, f"cold-{level}-{sample}"))
            ours.append(measure(provision_ours, f"ours-{level}-{sample}"))
        assert City.objects.count() == level, "a sample city was left behind"
        for path, times in (
            ("provision_city (empty pool)", ours),
            ("wizard (spare ready)", wizard),
            ("wizard (empty pool)", wizard_cold),
        ):
            rows.append(
                [
                    str(level),
                    path,
                    str(len(times)),
                    f"{bench.median(times):.3f}",
                    f"{bench.percentile(times, 95):.3f}",
                    f"{min(times):.3f}",
                ]
            )
    print()
    print(bench.table(["cities", "path", "n", "median s", "p95 s", "min s"], rows))
    print()
    print("wizard: submit -> hand-off -> back office answering, target <= 3 s")
    if not args.keep:
        bench.drop_database(args.server, args.database)
    return 0


# --- a burst of sign-ups against the pool (--burst) -------------------------------------------


def main_burst(args: argparse.Namespace) -> int:
    """`--burst-size` sign-ups spread evenly over `--burst-seconds`, with a refill worker that
    tops the pool up after each take, as the task queued by name after each take does (the
    benchmark has no broker: a thread of its own stands for the worker)."""
    import threading

    levels = sorted({int(level) for level in args.levels.split(",") if level.strip()})
    bench.prepare(args.server, args.database, fresh=not args.reuse)

    from datetime import timedelta

    from django.conf import settings
    from django.db import connections, transaction
    from django.utils import timezone

    from ratusz.tenants.models import City, SpareSchema
    from ratusz.tenants.services import provisioning, purge_city
    from ratusz.tenants.spares import fill_spare_pool, recent_sign_up_rate, target_size

    print(f"# sign-up burst benchmark: {bench.machine()}; load at start {bench.load()}")
    print(
        f"# {args.burst_size} sign-ups over {args.burst_seconds:.0f} s; pool between "
        f"{settings.SPARE_SCHEMAS} and {settings.SPARE_SCHEMAS_MAX}, spares built over "
        f"{settings.SPARE_BUILD_CONNECTIONS} connections",
        flush=True,
    )
    wanted = threading.Event()
    stop = threading.Event()
    refills: list[int] = []

    def refill_worker() -> None:
        try:
            while not stop.is_set():
                if wanted.wait(0.2):
                    wanted.clear()
                    refills.append(fill_spare_pool())
        finally:
            connections.close_all()

    served: list[bool] = []
    real_take = provisioning.take_spare

    def take_and_note(schema: str, blueprint: object, *, name: str | None = None) -> bool:
        taken = real_take(schema, blueprint, name=name)  # type: ignore[arg-type]
        if name is None:  # the first try: a spare from the pool
            served.append(taken)
        return taken

    provisioning.take_spare = take_and_note  # type: ignore[assignment]
    provisioning.refill_after_commit = lambda: transaction.on_commit(wanted.set)
    run = bench.start_run("provision")
    rows: list[list[str]] = []
    figures: list[dict[str, object]] = []
    for level in levels:
        filled = bench.fill_cities(level)
        # The cities present signed up long ago: the burst starts from a quiet history.
        City.objects.update(created_at=timezone.now() - timedelta(days=30))
        if not args.no_vacuum:
            bench.vacuum_catalogs()
        print(f"# {level} cities present (filled in {filled:.1f} s)", flush=True)
        fill_spare_pool()
        start_pool = SpareSchema.objects.count()
        served.clear()
        refills.clear()
        worker = threading.Thread(target=refill_worker)
        stop.clear()
        worker.start()
        times: list[float] = []
        pool_sizes: list[int] = []
        began = time.perf_counter()
        try:
            for number in range(args.burst_size):
                due = began + number * args.burst_seconds / args.burst_size
                time.sleep(max(0.0, due - time.perf_counter()))
                pool_sizes.append(SpareSchema.objects.count())
                slug = f"burst-{level}-{number}"
                started = time.perf_counter()
                provisioning.provision_city(
                    name=f"Burst {number}", slug=slug, admin_email=f"a@{slug}.example.org"
                )
                times.append(time.perf_counter() - started)
        finally:
            stop.set()
            worker.join()
        rate = recent_sign_up_rate()
        from_pool = sum(served)
        pooled = [t for t, hit in zip(times, served, strict=True) if hit]
        print(
            f"#   pool {start_pool} at the start; before each sign-up: {pool_sizes}; "
            f"after: {SpareSchema.objects.count()} (target now {target_size(rate)} for "
            f"{rate.counts} sign-ups in the last 10 min / hour); refills built {refills}",
            flush=True,
        )
        rows.append(
            [
                str(level),
                f"{args.burst_size} in {args.burst_seconds:.0f} s",
                f"{from_pool}/{len(served)}",
                f"{bench.median(times):.3f}",
                f"{bench.percentile(times, 95):.3f}",
                f"{bench.median(pooled):.3f}" if pooled else "-",
                f"{time.perf_counter() - began:.1f}",
            ]
        )
        figures.append(
            {
                "cities": level,
                "sign_ups": args.burst_size,
                "seconds": args.burst_seconds,
                "from_pool": from_pool,
                "median_s": round(bench.median(times), 4),
                "p95_s": round(bench.percentile(times, 95), 4),
                "pool_before_each": pool_sizes,
                "filling_s": round(filled, 1),
            }
        )
        for city in City.objects.filter(slug__startswith="burst-"):
            purge_city(city=city)
    print()
    print(
        bench.table(
            ["cities", "burst", "from pool", "median s", "p95 s", "pool median s", "took s"],
            rows,
        )
    )
    print(f"# load at end {bench.load()}")
    written = bench.write_results(
        run,
        name="provision-burst",
        conditions={
            "levels": levels,
            "pool_min": settings.SPARE_SCHEMAS,
            "pool_max": settings.SPARE_SCHEMAS_MAX,
            "spare_build_connections": settings.SPARE_BUILD_CONNECTIONS,
        },
        rows=figures,
    )
    print(f"# figures in {written}")
    if not args.keep:
        bench.drop_database(args.server, args.database)
    return 0


def main() -> int:
    args = parse_args()
    if args.wizard:
        return main_wizard(args)
    if args.burst:
        return main_burst(args)
    levels = sorted({int(level) for level in args.levels.split(",") if level.strip()})
    bench.prepare(args.server, args.database, fresh=not args.reuse)

    from django.conf import settings

    from ratusz.tenants.blueprint import current_blueprint
    from ratusz.tenants.models import City, SpareSchema
    from ratusz.tenants.spares import drop_spare, fill_spare_pool

    # The benchmark fills the pool itself, before each "spare" sample (and never during one).
    settings.SPARE_SCHEMAS = 0

    print(f"# provisioning benchmark: {bench.machine()}; load at start {bench.load()}")
    print(
        f"# database {args.database}; {args.samples} samples of ours and {args.slow_samples} of "
        f"each django-tenants path per level; baseline introspection: "
        f"{args.baseline_introspection}; blueprint: {current_blueprint().tables} tables",
        flush=True,
    )
    paths: dict[str, Callable[[str], None]] = {
        "ours": provision_ours,
        "script": provision_script,
        "spare": provision_ours,
        "default": lambda slug: provision_default(slug, args.baseline_introspection),
        "clone": lambda slug: provision_clone(slug, args.baseline_introspection),
    }
    run = bench.start_run("provision")
    results: dict[tuple[int, str], list[float]] = {}
    fill_times: dict[int, float] = {}
    started = time.perf_counter()
    for level in levels:
        filled = bench.fill_cities(level)
        assert City.objects.count() == level, "--reuse: the database has more cities than that"
        if not args.no_vacuum:
            bench.vacuum_catalogs()
        fill_times[level] = filled
        print(f"# {level} cities present (filled in {filled:.1f} s)", flush=True)
        for path in PATHS:
            results[(level, path)] = []
        # Interleave the paths so that noise from other work on the machine hits all of them.
        for sample in range(max(args.samples, args.slow_samples)):
            for path in PATHS:
                wanted = args.samples if path in ("ours", "script", "spare") else args.slow_samples
                if sample < wanted:
                    slug = f"{path}-{level}-{sample}"
                    if path == "spare":
                        fill_spare_pool(1)
                    else:  # the pool empty (not timed)
                        for spare in SpareSchema.objects.all():
                            drop_spare(spare)
                    results[(level, path)].append(measure(paths[path], slug))
        assert City.objects.count() == level, "a sample city was left behind"
        ours = results[(level, "ours")]
        print(
            f"#   ours median {bench.median(ours):.3f} s; default median "
            f"{bench.median(results[(level, 'default')] or [0]):.3f} s; clone median "
            f"{bench.median(results[(level, 'clone')] or [0]):.3f} s",
            file=sys.stderr,
            flush=True,
        )

    rows: list[list[str]] = []
    for level in levels:
        ours = results[(level, "ours")]
        for path in PATHS:
            times = results[(level, path)]
            if not times:
                continue
            rows.append(
                [
                    str(level),
                    path,
                    str(len(times)),
                    f"{bench.median(times):.3f}",
                    f"{bench.percentile(times, 95):.3f}",
                    f"{min(times):.3f}",
                    "" if path == "ours" else bench.ratio(bench.median(times), bench.median(ours)),
                    ""
                    if path == "ours"
                    else bench.ratio(bench.percentile(times, 95), bench.percentile(ours, 95)),
                ]
            )
    print()
    print(
        bench.table(
            [
                "cities",
                "path",
                "n",
                "median s",
                "p95 s",
                "min s",
                "x ours (median)",
                "x ours (p95)",
            ],
            rows,
        )
    )
    print()
    worst = results[(levels[-1], "ours")]
    default = results[(levels[-1], "default")]
    print(f"with {levels[-1]} cities present:")
    spare_times = results[(levels[-1], "spare")]
    script = results[(levels[-1], "script")]
    print(f"  spare median {bench.median(spare_times):.3f} s")
    print(f"  ours (empty pool) median {bench.median(worst):.3f} s (target <= 0.5 s)")
    if default:
        default_spare = bench.median(default) / bench.median(spare_times)
        print(f"  default/spare {default_spare:.1f}x (target >= 10x)")
        print(f"  default/ours {bench.median(default) / bench.median(worst):.1f}x")
    print(f"  script (one connection, empty pool) median {bench.median(script):.3f} s")
    print(
        "filling the levels (not timed above): "
        + ", ".join(f"{level} cities {seconds:.0f} s" for level, seconds in fill_times.items())
    )
    print(f"total run {time.perf_counter() - started:.0f} s (after set-up); load {bench.load()}")
    figures = [
        {
            "cities": level,
            "path": path,
            "n": len(times),
            "median_s": round(bench.median(times), 4),
            "p95_s": round(bench.percentile(times, 95), 4),
            "min_s": round(min(times), 4),
        }
        for (level, path), times in results.items()
        if times
    ]
    written = bench.write_results(
        run,
        conditions={
            "levels": levels,
            "samples": args.samples,
            "slow_samples": args.slow_samples,
            "filling_s": {str(level): round(seconds, 1) for level, seconds in fill_times.items()},
            "spare_build_connections": settings.SPARE_BUILD_CONNECTIONS,
        },
        rows=figures,
        curves=[
            bench.Curve(
                "provision-time",
                "Provisioning one city",
                "cities present",
                "median seconds",
                {
                    path: [
                        (float(level), bench.median(times))
                        for (level, measured), times in results.items()
                        if measured == path and times
                    ]
                    for path in PATHS
                    if any(measured == path and times for (_l, measured), times in results.items())
                },
                log_x=True,
                targets={"target with the pool empty": 0.5},
            )
        ],
    )
    print(f"# figures in {written}")
    if not args.keep:
        bench.drop_database(args.server, args.database)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
