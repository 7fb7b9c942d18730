"""Time the dashboard pages against their SQL floors on the database DATABASE_URL names.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python -m bench.run [--slug bench-2022]
    DATABASE_URL=… .venv/bin/python -m bench.run --province [--slug prov-2022]

Each page is timed twice: as a browser gets it (a GET of its address through Django's test
client, signed in as the plan's leader: middleware, view and template) and its selectors alone.
For each: one warm-up run, then the median of `--runs` runs taken in turn with those of the
page's floor statement (bench/floors.py), and the queries, counted in a run of their own. One
line each:

    BENCH <page> db=<vendor> units=<n> median_ms=<x> floor_ms=<y> ratio=<x/y> queries=<q>
          html_kb=<size>
    DETAIL <page>-selectors db=<vendor> units=<n> median_ms=<x> floor_ms=<y> ratio=<x/y>
          queries=<q>

and first `DETAIL request-floor`: a signed-in page that reads no figures (the password form),
what every page costs before its reads.

The Word bulletin (`bulletin`) is timed as a file made from the figures (it is downloaded,
not shown), with a DETAIL line for the figures it gathers. With `--province` (data from
`gen_bench_data --province`) the pages are the province's overview (per city, from the
cities' reports), a city's overview and matrix, and a county's overview read by the
province's leader (the drill-down from province to county). The as-of date is 30 September
of the plan's year unless `--as-of` says otherwise: figures approved later, withdrawn by
then or left out as late are then really filtered out. `--profile <page>` prints where the
time of one run goes (cProfile; `--profile-sort tottime` by the time spent in each function).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

# Issue 14: each page as a browser gets it under 500 ms median and within 2x of its floor.
PAGE_GOAL_MS = 500
GOAL_RATIO = 2
# The selectors alone kept the earlier goal (docs/benchmarks.md): under 300 ms, within 2x.
SELECTOR_GOAL_MS = 300
# The Word bulletin's own goal: under 2 s, with no floor ratio (a floor is one statement; the
# file is python-docx's work on top of it). What it reads keeps the selectors' goals.
BULLETIN_GOAL_MS = 2000
SCENARIOS = ("overview", "matrix", "ranking", "bulletin")
PROVINCE_SCENARIOS = ("province-overview", "city-overview", "city-matrix", "drill-down")
MATRIX_PROGRAMME = 3
SLOW_MS = 2000  # a page slower than this is timed 3 times, not --runs times
REQUEST_FLOOR_URL = "/accounts/password/change/"  # a signed-in page that reads no figures


def medians_ms(runs: list[Callable[[], object]], times: int) -> list[float]:
    """The median time of each of `runs`, taken in turn (a page, its selectors, its floor, a
    page, …) so that a busy moment of the machine weighs on each alike and their ratio holds.
    One warm-up round first (caches, connection, query plans)."""
    started = time.perf_counter()
    for run in runs:
        run()
    if (time.perf_counter() - started) * 1000 > SLOW_MS:
        times = min(times, 3)
    taken: list[list[float]] = [[] for _ in runs]
    for _ in range(times):
        for run, samples in zip(runs, taken, strict=True):
            started = time.perf_counter()
            run()
            samples.append((time.perf_counter() - started) * 1000)
    return [statistics.median(samples) for samples in taken]


@dataclass
class Page:
    """One scenario: its address (None: not a page), its reads, its floor."""

    name: str
    url: str | None
    reads: Callable[[], object]
    floor: Callable[[], object]
    reader: object = None  # the user who reads it; None: the plan's leader


def browser(user):
    """A test client signed in as `user` (a leader: no second factor to pass)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def get(client, url: str) -> Callable[[], object]:
    def run():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return response

    return run


def overview_reads(plan, as_of):
    """What the overview page reads (dashboards.views.overview): the overview and the early
    warnings it lists beside."""
    from dashboards.selectors import PlanFigures

    figures = PlanFigures(plan, as_of)
    return figures.overview, figures.warnings


def plan_pages(plan, as_of) -> list[Page]:
    """The flat bench plan's pages (gen_bench_data)."""
    from bench.floors import Floors
    from dashboards.selectors import PlanFigures

    try:
        from dashboards import bulletin
    except ImportError:
        bulletin = None

    floors = Floors(plan=plan, as_of=as_of)

    def bulletin_data():
        # The figures are computed when first read: read every one the bulletin shows.
        f = bulletin.bulletin_figures(plan=plan, as_of=as_of) if bulletin else None
        figures = f or PlanFigures(plan, as_of, trend=False)
        return (
            figures.overview,
            figures.ranking,
            figures.warnings,
            figures.timeliness,
            figures.milestones,
            f.reporting if f else None,
        )

    query = f"?as_of={as_of.isoformat()}"
    base = f"/dashboards/{plan.slug}/"
    pages = [
        Page("overview", base + query, lambda: overview_reads(plan, as_of), floors.overview_page),
        Page(
            "matrix",
            f"{base}programmes/{MATRIX_PROGRAMME}/{query}",
            lambda: PlanFigures(plan, as_of).matrix(MATRIX_PROGRAMME),
            lambda: floors.matrix(MATRIX_PROGRAMME),
        ),
        Page(
            "ranking",
            f"{base}ranking/{query}",
            lambda: PlanFigures(plan, as_of).ranking,
            floors.ranking,
        ),
    ]
    if bulletin is not None and hasattr(bulletin, "bulletin_docx"):
        pages.append(
            Page(
                "bulletin",
                None,
                lambda: bulletin.bulletin_docx(plan=plan, as_of=as_of),
                floors.bulletin,
            )
        )
        pages.append(Page("bulletin-data", None, bulletin_data, floors.bulletin))
    else:
        pages.append(Page("bulletin", None, bulletin_data, floors.bulletin))
    return pages


def province_pages(province, as_of) -> list[Page]:
    """The province chain's pages (gen_bench_data --province): the province's overview, the
    first city's overview and matrix (as its own leader), the first county of that city's
    overview as the province's leader."""
    from bench.floors import Floors
    from dashboards.selectors import PlanFigures
    from demo.bench import bench_leader
    from plans.models import Plan

    city = Plan.objects.filter(parent=province).select_related("issuer").order_by("slug").first()
    county = Plan.objects.filter(parent=city).order_by("slug").first() if city else None
    if county is None:
        raise SystemExit(f"「{province.slug}」没有下级市、县方案：先运行 gen_bench_data --province")
    query = f"?as_of={as_of.isoformat()}"

    def overview(plan, name, reader=None):
        return Page(
            name,
            f"/dashboards/{plan.slug}/{query}",
            lambda: overview_reads(plan, as_of),
            Floors(plan=plan, as_of=as_of).overview_page,
            reader,
        )

    city_floors = Floors(plan=city, as_of=as_of)
    return [
        overview(province, "province-overview"),
        overview(city, "city-overview", bench_leader(federation=city.issuer)),
        Page(
            "city-matrix",
            f"/dashboards/{city.slug}/programmes/{MATRIX_PROGRAMME}/{query}",
            lambda: PlanFigures(city, as_of).matrix(MATRIX_PROGRAMME),
            lambda: city_floors.matrix(MATRIX_PROGRAMME),
            bench_leader(federation=city.issuer),
        ),
        overview(county, "drill-down"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", help="the bench plan (default bench-2022; prov-2022)")
    parser.add_argument("--province", action="store_true", help="the province chain's pages")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, help="default: 30 September")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", choices=SCENARIOS + PROVINCE_SCENARIOS, action="append")
    parser.add_argument("--profile", help="a page's name, or <name>-selectors")
    parser.add_argument(
        "--profile-sort",
        default="cumulative",
        choices=["cumulative", "tottime"],
        help="the profile's order: time spent below each function, or in it alone",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    # WhiteNoise warns once that `collectstatic` has not been run: no page here needs it.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    from config.startup import freeze_startup_heap

    freeze_startup_heap()  # as a server process does at start-up (config/wsgi.py)
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from demo.bench import bench_leader
    from orgs.models import Unit
    from plans.models import Allocation, Plan

    settings.DEBUG = False  # as in production: no query log while timing
    slug = args.slug or ("prov-2022" if args.province else "bench-2022")
    plan = Plan.objects.filter(slug=slug).select_related("issuer").first()
    if plan is None:
        command = "gen_bench_data --province" if args.province else "gen_bench_data"
        print(f"没有标识为「{slug}」的计划：先运行 {command}", file=sys.stderr)
        return 1
    # Inside the year: later approvals, withdrawals and late figures are filtered out.
    as_of = args.as_of or dt.date(plan.year, 9, 30)
    vendor = connection.vendor
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does soon after a bulk load (inserts trigger it since
            # PostgreSQL 13): statistics, and the visibility map index-only scans rely on.
            cursor.execute("VACUUM ANALYZE")
            # JIT compiles every plan estimated above jit_above_cost; for these sub-second
            # statements compiling costs more than it saves (docs/benchmarks.md).
            cursor.execute("SET jit = off")
    if args.province:  # every unit of the chain: codes start with the province's prefix
        units = Unit.objects.filter(code__startswith=slug.rsplit("-", 1)[0] + "-").count()
        pages = province_pages(plan, as_of)
    else:
        units = (
            Allocation.objects.filter(indicator__plan=plan, unit__isnull=False)
            .values("unit_id")
            .distinct()
            .count()
        )
        pages = plan_pages(plan, as_of)
    pages = [p for p in pages if not args.only or p.name.removesuffix("-data") in args.only]
    leader = bench_leader(federation=plan.issuer)
    clients: dict[int, object] = {}

    def client_of(page: Page):
        reader = page.reader or leader
        if reader.pk not in clients:
            clients[reader.pk] = browser(reader)
        return clients[reader.pk]

    runs: dict[str, Callable[[], object]] = {}
    for page in pages:
        if page.url is not None:
            runs[page.name] = get(client_of(page), page.url)
            runs[f"{page.name}-selectors"] = page.reads
        else:
            runs[page.name] = page.reads

    if args.profile:
        runs[args.profile]()
        profile = cProfile.Profile()
        profile.runcall(runs[args.profile])
        pstats.Stats(profile).sort_stats(args.profile_sort).print_stats(30)
        return 0

    print(f"# {plan.slug} as of {as_of}, median of {args.runs} runs after a warm-up", flush=True)
    # What any signed-in page costs before it reads a figure: session, user, second factor,
    # password age, context processors and the base template around a small form. No page
    # is answered faster than this, whatever its floor (docs/benchmarks.md).
    bare = get(clients.setdefault(leader.pk, browser(leader)), REQUEST_FLOOR_URL)
    (bare_ms,) = medians_ms([bare], args.runs)
    with CaptureQueriesContext(connection) as queries:
        response = bare()
    print(
        f"DETAIL request-floor db={vendor} median_ms={bare_ms:.1f} queries={len(queries)} "
        f"html_kb={len(response.content) / 1024:.0f}",
        flush=True,
    )
    missed = []
    for page in pages:
        names = [page.name] + ([f"{page.name}-selectors"] if page.url else [])
        floor_ms, *times = medians_ms([page.floor] + [runs[n] for n in names], args.runs)
        for name, page_ms in zip(names, times, strict=True):
            with CaptureQueriesContext(connection) as queries:
                response = runs[name]()
            ratio = page_ms / floor_ms
            kind = "BENCH" if name == page.name and not name.endswith("-data") else "DETAIL"
            whole = page.url is not None and name == page.name
            size = f" html_kb={len(response.content) / 1024:.0f}" if whole else ""
            print(
                f"{kind} {name} db={vendor} units={units} median_ms={page_ms:.1f} "
                f"floor_ms={floor_ms:.1f} ratio={ratio:.2f} queries={len(queries)}{size}",
                flush=True,
            )
            if page.url is None and name == "bulletin" and "bulletin-data" in runs:
                if page_ms > BULLETIN_GOAL_MS:
                    missed.append(f"{name} ({page_ms:.0f} ms > {BULLETIN_GOAL_MS} ms)")
                continue
            goal = PAGE_GOAL_MS if whole else SELECTOR_GOAL_MS
            if page_ms > goal or ratio > GOAL_RATIO:
                missed.append(f"{name} ({page_ms:.0f} ms, {ratio:.2f}x)")
    if missed:
        print(
            f"# goals missed on {vendor} (pages <= {PAGE_GOAL_MS} ms, selectors <= "
            f"{SELECTOR_GOAL_MS} ms, each <= {GOAL_RATIO}x its floor; the Word bulletin <= "
            f"{BULLETIN_GOAL_MS} ms): " + ", ".join(missed),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
