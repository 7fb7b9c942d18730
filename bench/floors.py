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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from dashboards import metrics
from dashboards.selectors import cutoff
from plans.models import Indicator, Plan

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

# Each unit's share of each indicator with its current figure and the share of the
# indicator's window elapsed. `elapsed` lists the plan's indicators only.
CELLS = """
cells AS (
    SELECT unit_id, indicator_id, elapsed,
           CASE WHEN share > 0 THEN COALESCE(achieved, 0) * 1.0 / share END AS done
    FROM shares
)"""
SHARES = sql(
    """
shares AS MATERIALIZED (
    SELECT a.unit_id, a.indicator_id, a.value AS share, e.share AS elapsed,
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
    SELECT a.unit_id, a.indicator_id, a.value AS share, e.share AS elapsed, f.value AS achieved
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
           SUM(CASE WHEN r.confirmed_at < %(at)s THEN 1 ELSE 0 END) AS received,
           SUM(CASE WHEN r.confirmed_at < %(at)s AND NOT r.is_late THEN 1 ELSE 0 END) AS on_time
    FROM reporting_obligation o
    LEFT JOIN reporting_report r ON r.obligation_id = o.id
    WHERE o.plan_id = %(plan)s AND o.due_date <= %(as_of)s
    GROUP BY o.unit_id
)"""

# Capped completion score (out of 100), targets and targets behind, per unit.
SCORES = """
scores AS (
    SELECT unit_id, COUNT(*) AS targets,
           ROUND(AVG(CASE WHEN done > 1 THEN 1 ELSE done END) * 100, 1) AS score,
           SUM(CASE WHEN done < 1 AND elapsed - done > %(behind)s THEN 1 ELSE 0 END) AS behind
    FROM cells GROUP BY unit_id
)"""

# Targets a unit trails the elapsed time on by more than the margin, with their count.
LAGGING = """
lagging AS (
    SELECT unit_id, indicator_id, done, elapsed, COUNT(*) OVER (PARTITION BY unit_id) AS n
    FROM cells WHERE done IS NOT NULL AND elapsed - done > %(behind)s
)"""

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


def latest(indicators: str) -> str:
    """PostgreSQL: the current figure of every unit × indicator of `indicators` (a condition
    on `plans_indicator i`) in one backward pass over the covering index, DISTINCT ON with
    the newest period first, as `dashboards.selectors.official_values` reads them there.
    SQLite has no DISTINCT ON: it looks each one up (`FIGURES`)."""
    return sql(
        """
figures AS MATERIALIZED (
    SELECT DISTINCT ON (ov.indicator_id, ov.unit_id) ov.indicator_id, ov.unit_id, ov.value
    FROM reporting_officialvalue ov
    WHERE ov.indicator_id IN (SELECT i.id FROM plans_indicator i WHERE """,
        indicators,
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
       COALESCE(i.target * 1.0 / i.target_denominator, NULLIF(c.declared_total, 0),
                (SELECT SUM(a.value) FROM plans_allocation a WHERE a.indicator_id = i.id)),
       CASE WHEN i.id IN (SELECT i2.id FROM plans_indicator i2
                          WHERE i2.plan_id = %(plan)s
                            AND EXISTS (SELECT 1 FROM reporting_obligation_indicators oi
                                        WHERE oi.indicator_id = i2.id))
            THEN 1 ELSE 0 END,
       NULL, NULL, NULL, NULL
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

# PostgreSQL: the programme's current figures from `latest`, joined to the shares.
MATRIX_GRID_JOINED = sql(
    """
grid AS (
    SELECT a.unit_id, a.indicator_id, a.value AS share, f.value AS achieved
    FROM plans_allocation a
    JOIN plans_indicator i ON i.id = a.indicator_id
    LEFT JOIN figures f ON f.indicator_id = a.indicator_id AND f.unit_id = a.unit_id
    WHERE a.unit_id IS NOT NULL AND i.programme_id = """,
    PROGRAMME,
    """
    UNION ALL
    SELECT f.unit_id, f.indicator_id, NULL, f.value
    FROM figures f
    WHERE NOT EXISTS (SELECT 1 FROM plans_allocation a
                      WHERE a.indicator_id = f.indicator_id AND a.unit_id = f.unit_id)
)""",
)

MATRIX_CELLS = """
cells AS (
    SELECT g.unit_id, g.indicator_id, g.share, g.achieved, e.share AS elapsed,
           CASE WHEN g.share > 0 THEN COALESCE(g.achieved, 0) * 1.0 / g.share END AS done
    FROM grid g
    JOIN elapsed e ON e.indicator_id = g.indicator_id
    WHERE g.share IS NOT NULL OR g.achieved IS NOT NULL
)
SELECT c.unit_id, c.indicator_id, c.share, c.achieved, c.done,
       CASE WHEN c.done IS NULL THEN ''
            WHEN c.done >= 1 THEN 'done'
            WHEN c.elapsed - c.done > %(far_behind)s THEN 'far_behind'
            WHEN c.elapsed - c.done > %(behind)s THEN 'behind'
            ELSE 'on_track' END AS status
FROM cells c
JOIN orgs_unit u ON u.id = c.unit_id
JOIN plans_indicator i ON i.id = c.indicator_id
ORDER BY u."order", u.id, i."order"
"""


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
            # Floats: SQLite binds a Decimal as text, which never compares equal to a number.
            "behind": float(behind),
            "far_behind": float(far_behind),
        }
        rows = []
        for n, indicator in enumerate(Indicator.objects.filter(plan=self.plan).order_by("pk")):
            share = metrics.elapsed(self.plan, self.as_of, indicator)
            self.params[f"i{n}"], self.params[f"e{n}"] = indicator.pk, float(share)
            rows.append(f"(%(i{n})s, %(e{n})s)")
        # One row per indicator of the plan; only placeholders are formatted in.
        self.elapsed = "\nelapsed (indicator_id, share) AS (VALUES " + ", ".join(rows) + ")"

    def _run(self, sql: str, **extra) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, {**self.params, **extra})
            return cursor.fetchall()

    @property
    def figures(self) -> str:
        return latest("i.plan_id = %(plan)s") if self.distinct_on else FIGURES

    @property
    def distinct_on(self) -> bool:
        return connection.vendor == "postgresql"

    def overview_sql(self) -> str:
        return _with(self.figures) + OVERVIEW_ROWS + ORDER

    def matrix_sql(self) -> str:
        if self.distinct_on:
            programme = latest("i.programme_id = " + PROGRAMME)
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

    def matrix(self, number: int) -> list[tuple]:
        return self._run(self.matrix_sql(), number=number)

    def ranking(self) -> list[tuple]:
        return self._run(self.ranking_sql())

    def bulletin(self) -> list[tuple]:
        return self._run(self.bulletin_sql())
