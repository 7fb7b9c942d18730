"""Time the dashboard pages against their SQL floors on the database DATABASE_URL names.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python -m bench.run [--slug bench-2022]

For each scenario: one warm-up run, then the median of `--runs` runs of the selectors, the
same for the floor statement (bench/floors.py), and the queries the selectors issue. Prints
one line per scenario:

    BENCH <scenario> db=<vendor> units=<n> median_ms=<x> floor_ms=<y> ratio=<x/y> queries=<q>

When dashboards.bulletin.bulletin_docx exists, `bulletin` times the Word file and a DETAIL
line (same fields) times the figures it gathers; without it, `bulletin` times the gathering.
`--profile <scenario>` prints where the time of one run goes (cProfile).
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
from collections.abc import Callable

GOAL_MS = 300  # the goals: under 300 ms and within 2x of the floor
GOAL_RATIO = 2
# The Word bulletin's own goal: under 2 s, with no floor ratio (a floor is one statement; the
# file is python-docx's work on top of it). What it reads keeps the pages' goals.
BULLETIN_GOAL_MS = 2000
SCENARIOS = ("overview", "matrix", "ranking", "bulletin")
MATRIX_PROGRAMME = 3
SLOW_MS = 2000  # a page slower than this is timed 3 times, not --runs times


def median_ms(run: Callable[[], object], runs: int) -> float:
    started = time.perf_counter()
    run()  # warm-up: caches, connection, query plans
    if (time.perf_counter() - started) * 1000 > SLOW_MS:
        runs = min(runs, 3)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def pages(plan, as_of) -> dict[str, Callable[[], object]]:
    """Scenario → the page's reads (and, for the bulletin, its Word file when there is one)."""
    from dashboards.selectors import PlanFigures

    try:
        from dashboards import bulletin
    except ImportError:
        bulletin = None

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

    runs = {
        "overview": lambda: PlanFigures(plan, as_of).overview,
        "matrix": lambda: PlanFigures(plan, as_of).matrix(MATRIX_PROGRAMME),
        "ranking": lambda: PlanFigures(plan, as_of).ranking,
        "bulletin": bulletin_data,
    }
    if bulletin is not None and hasattr(bulletin, "bulletin_docx"):
        runs["bulletin"] = lambda: bulletin.bulletin_docx(plan=plan, as_of=as_of)
        runs["bulletin-data"] = bulletin_data
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", default="bench-2022", help="the bench plan (gen_bench_data)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, help="default: 31 January after")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", choices=SCENARIOS, action="append")
    parser.add_argument("--profile", choices=(*SCENARIOS, "bulletin-data"))
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from config.startup import freeze_startup_heap

    freeze_startup_heap()  # as a server process does at start-up (config/wsgi.py)
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.floors import Floors
    from plans.models import Allocation, Plan

    settings.DEBUG = False  # as in production: no query log while timing
    plan = Plan.objects.filter(slug=args.slug).first()
    if plan is None:
        print(f"没有标识为「{args.slug}」的计划：先运行 gen_bench_data", file=sys.stderr)
        return 1
    # The whole year reported: December's figures are approved in January.
    as_of = args.as_of or dt.date(plan.year + 1, 1, 31)
    vendor = connection.vendor
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does soon after a bulk load (inserts trigger it since
            # PostgreSQL 13): statistics, and the visibility map index-only scans rely on.
            cursor.execute("VACUUM ANALYZE")
            # JIT compiles every plan estimated above jit_above_cost; for these sub-second
            # statements compiling costs more than it saves (docs/benchmarks.md).
            cursor.execute("SET jit = off")
    units = (
        Allocation.objects.filter(indicator__plan=plan, unit__isnull=False)
        .values("unit_id")
        .distinct()
        .count()
    )
    floors = Floors(plan=plan, as_of=as_of)
    floor_runs = {
        "overview": floors.overview,
        "matrix": lambda: floors.matrix(MATRIX_PROGRAMME),
        "ranking": floors.ranking,
        "bulletin": floors.bulletin,
        "bulletin-data": floors.bulletin,
    }
    page_runs = pages(plan, as_of)
    bulletin_is_a_file = "bulletin-data" in page_runs

    if args.profile:
        page_runs[args.profile]()
        profile = cProfile.Profile()
        profile.runcall(page_runs[args.profile])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        return 0

    print(f"# {plan.slug} as of {as_of}, median of {args.runs} runs after a warm-up", flush=True)
    missed = []
    names = [n for n in page_runs if n.removesuffix("-data") in (args.only or SCENARIOS)]
    for name in names:
        page_ms = median_ms(page_runs[name], args.runs)
        floor_ms = median_ms(floor_runs[name], args.runs)
        with CaptureQueriesContext(connection) as queries:
            page_runs[name]()
        ratio = page_ms / floor_ms
        print(
            f"{'DETAIL' if name.endswith('-data') else 'BENCH'} {name} db={vendor} units={units} "
            f"median_ms={page_ms:.1f} floor_ms={floor_ms:.1f} ratio={ratio:.2f} "
            f"queries={len(queries)}",
            flush=True,
        )
        if name == "bulletin" and bulletin_is_a_file:
            if page_ms > BULLETIN_GOAL_MS:
                missed.append(f"{name} ({page_ms:.0f} ms > {BULLETIN_GOAL_MS} ms)")
        elif page_ms > GOAL_MS or ratio > GOAL_RATIO:
            missed.append(f"{name} ({page_ms:.0f} ms, {ratio:.2f}x)")
    if missed:
        print(
            f"# goals missed on {vendor} (<= {GOAL_MS} ms and <= {GOAL_RATIO}x the floor; the "
            f"Word bulletin <= {BULLETIN_GOAL_MS} ms): " + ", ".join(missed),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
