"""The floor of each benchmark scenario: ONE hand-written SQL statement per page.

Each statement computes the aggregates the page's selectors compute, in one round trip. Its
time is what the database alone needs; a page's time over it is the price of the ORM, of
extra round trips and of the Python around them.

The current figure of a unit on an indicator (the latest period officially valid on the
as-of date) is read from the covering index `official_current_figure`, the fastest way on
each database, as the selectors read it: on SQLite looked up per unit × indicator, newest
period first (3-5 times faster than numbering all 200,000 figures with ROW_NUMBER()); on
PostgreSQL all at once with DISTINCT ON in one backward pass over the index (`latest`),
about three times faster there than the lookups. The rest of each statement is the same
text on both.

Statements are joined from the fixed fragments below; every value is a query parameter. The
share of each indicator's window elapsed on the as-of date (`dashboards.metrics`) is computed
once when a `Floors` is made (it needs only the indicators' dates) and passed as a VALUES list.

Judgements are exact, as the page's Decimal arithmetic is: the time elapsed is passed as its
fraction (days passed / days in the window), the margins as theirs (0.30 = 3/10), and
"completion a/s trails elapsed p/q by more than m/d" is compared cross-multiplied, in whole
cents, p·s·d − a·q·d > m·q·s: integers on SQLite, exact numerics on PostgreSQL. Compared as
floating-point quotients, 1.0 − 0.7 > 0.30 is true, and the SQLite matrix floor disagreed
with the page on 19 of 5,000 cells. Targets come as numerator and denominator; scores as
whole tenths.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from dashboards import metrics
from plans.models import Indicator, Plan
from reporting.as_of import cutoff

# Counted on the as-of date (docs/dashboards.md, the as-of rule): official before the cut-off
# and not withdrawn by it, whatever the period; the period only picks a unit's latest.
OFFICIAL = """ov.counts AND ov.approved_at < %(at)s
      AND (ov.withdrawn_at IS NULL OR ov.withdrawn_at >= %(at)s)"""


def sql(*fragments: str) -> str:
    """A statement from the fixed fragments of this module (values go in as parameters)."""
    return "".join(fragments)


def current(alias: str) -> str:
    """The current figure of the unit × indicator in the row `alias` (NULL when none)."""
    return f"""(SELECT ov.value FROM reporting_officialvalue ov
             WHERE ov.indicator_id = {alias}.indicator_id AND ov.unit_id = {alias}.unit_id
               AND {OFFICIAL}
             ORDER BY ov.period_end DESC LIMIT 1)"""  # noqa: S608 - `alias` is ours


PROGRAMME = """(SELECT p.id FROM plans_programme p
                            WHERE p.plan_id = %(plan)s AND p.number = %(number)s)"""


def cents(value: str) -> str:
    """A figure or share in whole cents (values have two decimal places): exact integers to
    compare cross-multiplied, where SQLite would compare floating-point quotients."""
    return f"CAST(ROUND(({value}) * 100) AS BIGINT)"


def trails(margin: str, c: str = "") -> str:
    """A judged share (`{c}a`, `{c}s` in cents, elapsed `{c}ep`/`{c}eq`) is not done and
    trails the time elapsed by more than the margin `%(margin_n)s/%(margin_d)s`, exactly
    (`dashboards.metrics.is_behind`)."""
    return (
        f"{c}a < {c}s AND {c}ep * {c}s * %({margin}_d)s - {c}a * {c}eq * %({margin}_d)s"
        f" > %({margin}_n)s * {c}eq * {c}s"
    )


# Each unit's share of each indicator with its current figure and the share of the
# indicator's window elapsed (ep/eq). `elapsed` lists the plan's indicators only. `done`
# (a quotient) is only averaged into the score; judgements use the exact `a`, `s`.
CELLS = sql(
    """
cells AS (
    SELECT unit_id, indicator_id, ep, eq, s, a,
           CASE WHEN share > 0 THEN COALESCE(achieved, 0) * 1.0 / share END AS done
    FROM (SELECT unit_id, indicator_id, ep, eq, share, achieved, """,
    cents("share"),
    " AS s, ",
    cents("COALESCE(achieved, 0)"),
    """ AS a
          FROM shares) x
)""",
)
SHARES = sql(
    """
shares AS MATERIALIZED (
    SELECT a.unit_id, a.indicator_id, a.value AS share, e.ep, e.eq,
           """,
    current("a"),
    """ AS achieved
    FROM plans_allocation a
    JOIN elapsed e ON e.indicator_id = a.indicator_id
    WHERE a.unit_id IS NOT NULL
),""",
    CELLS,
)
# The same, each share's figure taken from `figures` (PostgreSQL's DISTINCT ON, below).
SHARES_JOINED = sql(
    """
shares AS MATERIALIZED (
    SELECT a.unit_id, a.indicator_id, a.value AS share, e.ep, e.eq, f.value AS achieved
    FROM plans_allocation a
    JOIN elapsed e ON e.indicator_id = a.indicator_id
    LEFT JOIN figures f ON f.indicator_id = a.indicator_id AND f.unit_id = a.unit_id
    WHERE a.unit_id IS NOT NULL
),""",
    CELLS,
)

# Completeness and timeliness of what fell due by the as-of date, per unit.
TIMELY = """
timely AS (
    SELECT o.unit_id, COUNT(*) AS expected,
           SUM(CASE WHEN o.reported_at < %(at)s THEN 1 ELSE 0 END) AS received,
           SUM(CASE WHEN o.reported_at < %(at)s AND NOT o.reported_late THEN 1 ELSE 0 END)
               AS on_time
    FROM reporting_obligation o
    WHERE o.plan_id = %(plan)s AND o.due_date <= %(as_of)s
    GROUP BY o.unit_id
)"""

# Capped completion score in whole tenths (out of 1,000), targets and targets behind, per
# unit. The score's average is of quotients: it could differ from the page's (which rounds
# half to even) only on an exact tie at a twentieth, which a test on the bench data rules out.
SCORES = sql(
    """
scores AS (
    SELECT unit_id, COUNT(*) AS targets,
           CAST(ROUND(AVG(CASE WHEN s <= 0 THEN NULL WHEN a >= s THEN 1 ELSE done END) * 1000)
                AS BIGINT) AS score,
           SUM(CASE WHEN s > 0 AND """,
    trails("behind"),
    """ THEN 1 ELSE 0 END) AS behind
    FROM cells GROUP BY unit_id
)""",
)

# Targets a unit trails the elapsed time on by more than the margin, with their count.
LAGGING = sql(
    """
lagging AS (
    SELECT unit_id, indicator_id, done, ep * 1.0 / eq AS elapsed,
           COUNT(*) OVER (PARTITION BY unit_id) AS n
    FROM cells WHERE s > 0 AND """,
    trails("behind"),
    """
)""",
)

# The overview: every unit × indicator with a figure, and the current figure of each.
FIGURES = sql(
    """
pairs AS (
    SELECT DISTINCT ov.indicator_id, ov.unit_id
    FROM reporting_officialvalue ov
    WHERE ov.indicator_id IN (SELECT i.id FROM plans_indicator i WHERE i.plan_id = %(plan)s)
),
figures AS MATERIALIZED (
    SELECT p.indicator_id, """,
    current("p"),
    """ AS value
    FROM pairs p
)""",
)


def latest(ids: str) -> str:
    """PostgreSQL: the current figure of every unit × indicator of `ids` (a list of
    placeholders of indicator ids) in one backward pass over the covering index, DISTINCT ON
    with the newest period first, as `dashboards.selectors.official_values` reads them there:
    from the ids as a list, not a subquery, so that a second plan in the database does not
    turn it into a sort on disk. SQLite has no DISTINCT ON: it looks each one up (`FIGURES`)."""
    return sql(
        """
figures AS MATERIALIZED (
    SELECT DISTINCT ON (ov.indicator_id, ov.unit_id) ov.indicator_id, ov.unit_id, ov.value
    FROM reporting_officialvalue ov
    WHERE ov.indicator_id IN (""",
        ids,
        """)
      AND """,
        OFFICIAL,
        """
    ORDER BY ov.indicator_id DESC, ov.unit_id DESC, ov.period_end DESC
)""",
    )


# The pages' rows share the columns (part, pos, unit_id, indicator_id, day, x1 … x6), so
# the bulletin can put them in one UNION ALL. The overview's trend: per indicator and period,
# the city total (one pass over every valid figure). The bulletin shows no trend.
TREND_ROWS = sql(
    """
SELECT 'period' AS part, CAST(NULL AS BIGINT) AS pos, CAST(NULL AS BIGINT) AS unit_id,
       i.id AS indicator_id, ov.period_end AS day, SUM(ov.value) AS x1,
       CAST(NULL AS NUMERIC) AS x2, CAST(NULL AS NUMERIC) AS x3, CAST(NULL AS NUMERIC) AS x4,
       CAST(NULL AS NUMERIC) AS x5, CAST(NULL AS NUMERIC) AS x6
FROM reporting_officialvalue ov
JOIN plans_indicator i ON i.id = ov.indicator_id
WHERE i.plan_id = %(plan)s AND """,
    OFFICIAL,
    """
GROUP BY i.id, ov.period_end""",
)

# The overview's totals per indicator: achieved (and how many units), pending, target.
TOTAL_ROWS = sql(
    """
SELECT 'achieved' AS part, CAST(NULL AS BIGINT) AS pos, CAST(NULL AS BIGINT) AS unit_id,
       indicator_id, CAST(NULL AS DATE) AS day, SUM(value) AS x1, COUNT(value) AS x2,
       CAST(NULL AS NUMERIC) AS x3, CAST(NULL AS NUMERIC) AS x4, CAST(NULL AS NUMERIC) AS x5,
       CAST(NULL AS NUMERIC) AS x6
FROM figures GROUP BY indicator_id
UNION ALL
SELECT 'pending', NULL, NULL, pv.indicator_id, NULL, SUM(pv.value), NULL, NULL, NULL, NULL, NULL
FROM reporting_progressvalue pv
JOIN reporting_report r ON r.id = pv.report_id
JOIN reporting_obligation o ON o.id = r.obligation_id
WHERE o.plan_id = %(plan)s AND r.status = 'confirmed' AND pv.value IS NOT NULL
GROUP BY pv.indicator_id
UNION ALL
SELECT 'target', NULL, NULL, i.id, NULL,
       COALESCE(i.target, NULLIF(c.declared_total, 0),
                (SELECT SUM(a.value) FROM plans_allocation a WHERE a.indicator_id = i.id)),
       CASE WHEN i.id IN (SELECT i2.id FROM plans_indicator i2
                          WHERE i2.plan_id = %(plan)s
                            AND EXISTS (SELECT 1 FROM reporting_obligation_indicators oi
                                        WHERE oi.indicator_id = i2.id))
            THEN 1 ELSE 0 END,
       CASE WHEN i.target IS NULL THEN 1 ELSE i.target_denominator END, NULL, NULL, NULL
FROM plans_indicator i
LEFT JOIN plans_allocationcolumn c ON c.indicator_id = i.id
WHERE i.plan_id = %(plan)s""",
)
OVERVIEW_ROWS = sql(TREND_ROWS, "\nUNION ALL", TOTAL_ROWS)

RANKING_ROWS = """
SELECT 'rank', ROW_NUMBER() OVER (ORDER BY COALESCE(s.score, -1) DESC, u."order", u.id),
       s.unit_id, NULL, NULL, s.score, s.targets, s.behind,
       COALESCE(t.expected, 0), COALESCE(t.received, 0), COALESCE(t.on_time, 0)
FROM scores s
JOIN orgs_unit u ON u.id = s.unit_id
LEFT JOIN timely t ON t.unit_id = s.unit_id"""

WARNING_ROWS = """
SELECT 'warning', ROW_NUMBER() OVER (ORDER BY l.n DESC, u."order", l.unit_id,
                                     l.done - l.elapsed),
       l.unit_id, l.indicator_id, NULL, l.done, l.elapsed, l.n, NULL, NULL, NULL
FROM lagging l
JOIN orgs_unit u ON u.id = l.unit_id"""

ORDER = "\nORDER BY 1, 2, 4, 5"

# The matrix: every unit with a share in the programme or a current figure on it.
MATRIX_GRID = sql(
    """
grid AS (
    SELECT a.unit_id, a.indicator_id, a.value AS share, """,
    current("a"),
    """ AS achieved
    FROM plans_allocation a
    JOIN plans_indicator i ON i.id = a.indicator_id
    WHERE a.unit_id IS NOT NULL AND i.programme_id = """,
    PROGRAMME,
    """
    UNION ALL
    SELECT p.unit_id, p.indicator_id, NULL, """,
    current("p"),
    """
    FROM (SELECT DISTINCT ov.indicator_id, ov.unit_id
          FROM reporting_officialvalue ov
          WHERE ov.indicator_id IN (SELECT i.id FROM plans_indicator i
                                    WHERE i.programme_id = """,
    PROGRAMME,
    """)) p
    WHERE NOT EXISTS (SELECT 1 FROM plans_allocation a
                      WHERE a.indicator_id = p.indicator_id AND a.unit_id = p.unit_id)
)""",
)

# PostgreSQL: the programme's shares and its current figures from `latest`, in one full join
# (as UNION ALL with NOT EXISTS for the figures without a share, PostgreSQL hashed every
# plan's allocations once a province's were in the database).
MATRIX_GRID_JOINED = sql(
    """
grid AS (
    SELECT COALESCE(a.unit_id, f.unit_id) AS unit_id,
           COALESCE(a.indicator_id, f.indicator_id) AS indicator_id,
           a.value AS share, f.value AS achieved
    FROM (SELECT a.unit_id, a.indicator_id, a.value
          FROM plans_allocation a
          JOIN plans_indicator i ON i.id = a.indicator_id
          WHERE a.unit_id IS NOT NULL AND i.programme_id = """,
    PROGRAMME,
    """) a
    FULL JOIN figures f ON f.indicator_id = a.indicator_id AND f.unit_id = a.unit_id
)""",
)

MATRIX_CELLS = sql(
    """
cells AS (
    SELECT g.unit_id, g.indicator_id, g.share, g.achieved, e.ep, e.eq,
           CASE WHEN g.share > 0 THEN COALESCE(g.achieved, 0) * 1.0 / g.share END AS done,
           """,
    cents("g.share"),
    " AS s, ",
    cents("COALESCE(g.achieved, 0)"),
    """ AS a
    FROM grid g
    JOIN elapsed e ON e.indicator_id = g.indicator_id
    WHERE g.share IS NOT NULL OR g.achieved IS NOT NULL
)
SELECT c.unit_id, c.indicator_id, c.share, c.achieved, c.done,
       CASE WHEN c.s IS NULL OR c.s <= 0 THEN ''
            WHEN c.a >= c.s THEN 'done'
            WHEN """,
    trails("far_behind", "c."),
    """ THEN 'far_behind'
            WHEN """,
    trails("behind", "c."),
    """ THEN 'behind'
            ELSE 'on_track' END AS status
FROM cells c
JOIN orgs_unit u ON u.id = c.unit_id
JOIN plans_indicator i ON i.id = c.indicator_id
ORDER BY u."order", u.id, i."order"
""",
)


def elapsed_fraction(plan: Plan, as_of: dt.date, indicator: Indicator) -> tuple[int, int]:
    """`dashboards.metrics.elapsed` as (days passed, days in the window), clamped alike."""
    start, end = metrics.window(plan, indicator)
    days = (end - start).days + 1
    if days <= 0:
        return 1, 1
    return min(max((as_of - start).days + 1, 0), days), days


def _with(*ctes: str) -> str:
    return "WITH" + ",".join(ctes)


@dataclass
class Floors:
    """The floor statements for one plan and as-of date, ready to run."""

    plan: Plan
    as_of: dt.date

    def __post_init__(self) -> None:
        ops = connection.ops
        behind, far_behind = metrics.thresholds()
        self.params: dict[str, object] = {
            "plan": self.plan.pk,
            "at": ops.adapt_datetimefield_value(cutoff(self.as_of)),
            "as_of": ops.adapt_datefield_value(self.as_of),
        }
        # The margins as fractions of integers (0.30 = 3/10): SQLite binds a Decimal as text,
        # and a float is not 0.30.
        for name, margin in (("behind", behind), ("far_behind", far_behind)):
            self.params[f"{name}_n"], self.params[f"{name}_d"] = margin.as_integer_ratio()
        rows = []
        # Each programme's indicators' placeholders, by programme number, for `latest`.
        self.ids: dict[int | None, list[str]] = {None: []}
        indicators = Indicator.objects.filter(plan=self.plan).select_related("programme")
        for n, indicator in enumerate(indicators.order_by("pk")):
            self.ids[None].append(f"%(i{n})s")
            self.ids.setdefault(indicator.programme.number, []).append(f"%(i{n})s")
            passed, days = elapsed_fraction(self.plan, self.as_of, indicator)
            self.params[f"i{n}"], self.params[f"p{n}"], self.params[f"q{n}"] = (
                indicator.pk,
                passed,
                days,
            )
            rows.append(f"(%(i{n})s, %(p{n})s, %(q{n})s)")
        # One row per indicator of the plan; only placeholders are formatted in.
        self.elapsed = "\nelapsed (indicator_id, ep, eq) AS (VALUES " + ", ".join(rows) + ")"

    def _run(self, sql: str, **extra) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, {**self.params, **extra})
            return cursor.fetchall()

    @property
    def figures(self) -> str:
        return latest(", ".join(self.ids[None])) if self.distinct_on else FIGURES

    @property
    def distinct_on(self) -> bool:
        return connection.vendor == "postgresql"

    def overview_sql(self) -> str:
        return _with(self.figures) + OVERVIEW_ROWS + ORDER

    def overview_page_sql(self) -> str:
        """The overview page: the overview and the early warnings it lists beside."""
        shares = SHARES_JOINED if self.distinct_on else SHARES
        return (
            _with(self.figures, self.elapsed, shares, LAGGING)
            + OVERVIEW_ROWS
            + "\nUNION ALL"
            + WARNING_ROWS
            + ORDER
        )

    def matrix_sql(self, number: int) -> str:
        if self.distinct_on:
            programme = latest(", ".join(self.ids.get(number, ["NULL"])))
            return _with(self.elapsed, programme, MATRIX_GRID_JOINED, MATRIX_CELLS)
        return _with(self.elapsed, MATRIX_GRID, MATRIX_CELLS)

    def ranking_sql(self) -> str:
        return _with(self.elapsed, SHARES, TIMELY, SCORES) + RANKING_ROWS + ORDER

    def bulletin_sql(self) -> str:
        shares = SHARES_JOINED if self.distinct_on else SHARES
        return (
            _with(self.figures, self.elapsed, shares, TIMELY, SCORES, LAGGING)
            + TOTAL_ROWS
            + "\nUNION ALL"
            + RANKING_ROWS
            + "\nUNION ALL"
            + WARNING_ROWS
            + ORDER
        )

    def overview(self) -> list[tuple]:
        return self._run(self.overview_sql())

    def overview_page(self) -> list[tuple]:
        return self._run(self.overview_page_sql())

    def matrix(self, number: int) -> list[tuple]:
        return self._run(self.matrix_sql(number), number=number)

    def ranking(self) -> list[tuple]:
        return self._run(self.ranking_sql())

    def bulletin(self) -> list[tuple]:
        return self._run(self.bulletin_sql())
