"""Time the records import and export of 10,000 rows against django-import-export.

    .venv/bin/python -m bench.records               # SQLite, then PostgreSQL when it answers
    DATABASE_URL=sqlite:///var/bench-records.sqlite3 .venv/bin/python -m bench.records --run

The form is 消费惠农专项活动统计表 (附件2: text, a date range as two columns, a choice, a
cross-field rule, integers and money) filled by one unit, 10,000 rows in one xlsx file.

- ours, import: `record_import_preview` (read with calamine, check every row, store the
  preview) + `record_import_save` (one transaction, bulk writes, one audit entry per row).
- peer, import: django-import-export 4 reading the same file with tablib into the same `Record`
  model through a `ModelResource` that validates each column with its widgets and the same
  rule and builds `Record.data`, configured with the options its documentation gives for
  speed: every row checked and its key filled in before any lookup (`before_import`), so that
  `CachedInstanceLoader` finds the existing rows by key in one query, as ours does; form, unit
  and user given as objects already read, so that nothing is looked up per row (not even for
  the text of each row in the result, `str(record)`, which names the form); `skip_diff`;
  `use_bulk` (batches of 1,000); one transaction rolled back on any error. A second figure
  (`DETAIL … peer=new-rows-only`) adds `force_init_instance`, which skips the lookup
  altogether: right for a file known to hold only new rows, as the benchmark's is, but such an
  import would add a duplicate where ours updates. Its admin previews with a dry run and
  imports again on confirmation; we time one non-dry import only, its cheapest case.
- export: our `form_rows_xlsx` against the resource's `export()` + tablib's xlsx, same rows.

Each figure is the median of `--runs` runs after a warm-up, ours and the peer's taking turns
(the machine's load then falls on both alike); the rows are deleted (untimed) before each
import run. Prints `BENCH <scenario> rows=<n> median_ms=<x> peer_ms=<y> ratio=<x/y>`,
and a `DETAIL` line of the same fields for the peer's new-rows-only import.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

SLUG = "pingdingshan-2022"
FORM = "consumption-activities"
UNIT = "ruzhou"
GOAL_RATIO = 0.5  # ours at least 2x faster
SQLITE_URL = "sqlite:///var/bench-records.sqlite3"
HEADERS = [
    "活动名称",
    "活动起止日期（开始）",
    "活动起止日期（结束）",
    "活动开展方式",
    "组织活动平台",
    "联合单位",
    "参与人次（人次）",
    "投入资金（元）",
    "拉动消费金额（元）",
]
MODES = ["线上", "线下", "线上线下结合"]


def bench_file(rows: int) -> bytes:
    """A filled template as Excel would hold it: dates as dates, numbers as numbers."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("填写")
    ws.append(["汝州市总工会 · 消费惠农专项活动统计表"])
    ws.append(HEADERS)
    start = dt.date(2022, 1, 3)
    for i in range(rows):
        day = start + dt.timedelta(days=i % 300)
        mode = MODES[i % 3]
        ws.append(
            [
                f"消费惠农展销活动{i:05d}",
                day,
                day + dt.timedelta(days=i % 5),
                mode,
                "" if mode == "线下" else "平顶山工会网消费扶贫平台",
                "市农业农村局" if i % 4 == 0 else "",
                100 + i % 900,
                round(1000 + (i % 97) * 12.5, 2),
                round(5000 + (i % 89) * 31.25, 2),
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def medians_ms(
    runs_of: dict[str, Callable[[], object]],
    runs: int,
    before: Callable[[], object] | None = None,
    after: Callable[[str], object] | None = None,
) -> dict[str, float]:
    """The median time of each of `runs_of`, run in turn (a, b, a, b, …) so that the load of
    a shared machine falls on each alike; the first round is the warm-up. `before` and
    `after` (given the name) run untimed around each run."""
    times: dict[str, list[float]] = {name: [] for name in runs_of}
    for i in range(runs + 1):
        for name, run in runs_of.items():
            if before:
                before()
            started = time.perf_counter()
            run()
            if i:
                times[name].append((time.perf_counter() - started) * 1000)
            if after:
                after(name)
    return {name: statistics.median(t) for name, t in times.items()}


def peer_resource(form, unit, user, *, new_rows_only: bool = False):
    """django-import-export's way: a ModelResource over Record with its own validation, and
    its documented fast options (`bulk_import.rst`, `ResourceOptions`)."""
    from import_export import fields, instance_loaders, resources, widgets

    from records.models import Record

    choices = set(form.schema.by_code["mode"].choices)
    date_widget = widgets.DateWidget(format="%Y-%m-%d")
    integer, decimal = widgets.IntegerWidget(), widgets.DecimalWidget()

    def money(value, label):
        try:
            amount = decimal.clean(value)
        except (InvalidOperation, ValueError) as exc:
            raise ValueError(f"{label}：不是数字") from exc
        if amount is None or amount < 0:
            raise ValueError(f"{label}：必填且不能为负数")
        return str(amount.quantize(Decimal("0.01")))

    def checked(row: dict) -> dict:
        """The record's fields from one row of the file; ValueError on the first problem."""
        name = (row.get("活动名称") or "").strip()
        if not name:
            raise ValueError("活动名称：必填")
        start = date_widget.clean(row.get("活动起止日期（开始）"))
        end = date_widget.clean(row.get("活动起止日期（结束）"))
        # Excel cells come back as datetimes at midnight.
        start, end = (d.date() if isinstance(d, dt.datetime) else d for d in (start, end))
        if start is None or end is None or end < start:
            raise ValueError("活动起止日期：须填写开始和结束，结束不早于开始")
        mode = row.get("活动开展方式")
        if mode not in choices:
            raise ValueError("活动开展方式：不是可选项")
        platform = (row.get("组织活动平台") or "").strip()
        if mode != "线下" and not platform:
            raise ValueError("线上或线上线下结合的活动须填写组织活动平台")
        participants = integer.clean(row.get("参与人次（人次）"))
        if participants is None or participants < 0:
            raise ValueError("参与人次：必填且不能为负数")
        data = {
            "name": name,
            "period": {"start": start.isoformat(), "end": end.isoformat()},
            "mode": mode,
            "platform": platform or None,
            "partners": (row.get("联合单位") or "").strip() or None,
            "participants": participants,
            "invested": money(row.get("投入资金（元）"), "投入资金"),
            "driven": money(row.get("拉动消费金额（元）"), "拉动消费金额"),
        }
        return {
            "row_key": form.schema.row_key(unit.pk, form.schema.load_values(data)),
            "data": data,
            "source": Record.Source.IMPORT,
        }

    columns = ("row_key", "data", "source")

    class RecordResource(resources.ModelResource):
        row_key = fields.Field(attribute="row_key", column_name="row_key")
        data = fields.Field(attribute="data", column_name="data")
        source = fields.Field(attribute="source")

        class Meta:
            model = Record
            fields = columns
            # Form and unit are the queryset's (below): one key, as the cached loader needs.
            import_id_fields = ("row_key",)
            instance_loader_class = instance_loaders.CachedInstanceLoader
            force_init_instance = new_rows_only
            use_bulk = True
            batch_size = 1000
            skip_diff = True

        def get_queryset(self):
            # The row's text in the result (`str(record)`) names its form: read with it.
            return Record.objects.filter(form=form, unit=unit).select_related("form")

        def init_instance(self, row=None):
            # Form, unit and user given as the objects already read, never looked up: the
            # result's text of each row (`str(record)`) would read its form otherwise.
            return Record(form=form, unit=unit, created_by=user)

        def before_import(self, dataset, **kwargs):
            # Every row checked and its fields filled in before the loader is made, so that
            # it reads the existing rows of all the file's keys at once; a row's problem is
            # kept for its turn (before_import_row), to be reported against it.
            self.problems = {}
            filled = []
            for number, values in enumerate(dataset, 1):
                try:
                    filled.append(checked(dict(zip(dataset.headers, values, strict=True))))
                except ValueError as exc:
                    self.problems[number] = exc
                    filled.append({})
            for header in columns:
                dataset.append_col([f.get(header) for f in filled], header=header)

        def before_import_row(self, row, row_number=None, **kwargs):
            if row_number in self.problems:
                raise self.problems[row_number]

    class ExportResource(resources.ModelResource):
        unit = fields.Field(attribute="unit__short_name", column_name="单位")

        class Meta:
            model = Record
            fields = ("unit",)

        def export_field(self, field, instance, **kwargs):
            return super().export_field(field, instance, **kwargs)

    for code, header in (
        ("name", "活动名称"),
        ("mode", "活动开展方式"),
        ("platform", "组织活动平台"),
        ("partners", "联合单位"),
        ("participants", "参与人次（人次）"),
        ("invested", "投入资金（元）"),
        ("driven", "拉动消费金额（元）"),
    ):
        ExportResource.fields[code] = fields.Field(
            column_name=header, dehydrate_method=lambda r, c=code: r.data.get(c)
        )
    for part, header in (("start", "活动起止日期（开始）"), ("end", "活动起止日期（结束）")):
        ExportResource.fields[part] = fields.Field(
            column_name=header,
            dehydrate_method=lambda r, p=part: dt.date.fromisoformat(r.data["period"][p]),
        )
    own = (("status", "状态"), ("is_compliant", "是否达标"), ("issues", "未达标原因"))
    for attr, header in own:
        ExportResource.fields[attr] = fields.Field(attribute=attr, column_name=header)
    return RecordResource(), ExportResource()


def run(args) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection

    settings.DEBUG = False
    call_command("migrate", verbosity=0, interactive=False)
    import tablib

    from conftest import PLAN_2022_FILE
    from orgs.models import Unit, User
    from plans.models import Plan
    from plans.planfile.spec import read_plan_file
    from plans.services import plan_load
    from records.exports import form_rows_xlsx, rows_of
    from records.models import FormDefinition, Record, RecordImport
    from records.services.imports import record_import_preview, record_import_save

    if not Plan.objects.filter(slug=SLUG).exists():
        plan_load(spec=read_plan_file(PLAN_2022_FILE))
    form = FormDefinition.objects.select_related("plan").get(plan__slug=SLUG, code=FORM)
    unit = Unit.objects.get(code=UNIT)
    user, _ = User.objects.get_or_create(
        username="bench-records", defaults={"role": User.Role.UNIT_REPORTER, "unit": unit}
    )
    data = bench_file(args.rows)
    rows = Record.objects.filter(form=form, unit=unit)

    def clear():
        rows.all().delete()
        RecordImport.objects.filter(form=form, unit=unit).delete()

    def ours():
        preview = record_import_preview(
            form=form, unit=unit, actor=user, uploaded=SimpleUploadedFile("bench.xlsx", data)
        )
        if preview.error_count or preview.new_count != args.rows:
            raise RuntimeError(preview.errors[:3])
        record_import_save(record_import=preview, actor=user)

    importer, exporter = peer_resource(form, unit, user)
    new_rows_importer, _ = peer_resource(form, unit, user, new_rows_only=True)

    def peer(resource=importer):
        # The template's title line is skipped, as our reader skips it.
        dataset = tablib.Dataset().load(io.BytesIO(data), format="xlsx", skip_lines=1)
        result = resource.import_data(dataset, dry_run=False, use_transactions=True)
        if result.has_errors() or result.has_validation_errors():
            first = (result.row_errors() or [(0, [])])[0]
            raise AssertionError(
                [(first[0], repr(e.error)) for e in first[1][:1]],
                [(r.number, r.error_dict) for r in result.invalid_rows[:1]],
                [repr(e.error) for e in result.base_errors[:1]],
            )

    vendor = connection.vendor
    print(f"# {vendor}: {FORM}, {args.rows} rows, median of {args.runs} after a warm-up")

    def saved_all(name: str) -> None:
        if (saved := rows.count()) != args.rows:
            raise RuntimeError(f"expected {args.rows} rows, {name} saved {saved}")

    imports = medians_ms(
        {"ours": ours, "peer": peer, "new rows only": lambda: peer(new_rows_importer)},
        args.runs,
        before=clear,
        after=saved_all,
    )
    import_ms, peer_import_ms, new_rows_ms = imports.values()
    unit_names = {unit.pk: unit.short_name}
    today = dt.date.today()  # noqa: DTZ011  (a label in the file only)

    def export_ours():
        form_rows_xlsx(form=form, rows=rows_of(rows), unit_names=unit_names, as_of=today)

    def export_peer():
        exporter.export(rows.select_related("unit")).export("xlsx")

    export_ms, peer_export_ms = medians_ms(
        {"ours": export_ours, "peer": export_peer}, args.runs
    ).values()
    missed = []
    for scenario, ours_ms, peer_ms in (
        ("records_import_xlsx", import_ms, peer_import_ms),
        ("records_export_xlsx", export_ms, peer_export_ms),
    ):
        ratio = ours_ms / peer_ms
        print(
            f"BENCH {scenario} db={vendor} rows={args.rows} median_ms={ours_ms:.1f} "
            f"peer_ms={peer_ms:.1f} ratio={ratio:.2f}",
            flush=True,
        )
        if ratio > GOAL_RATIO:
            missed.append(scenario)
        if scenario == "records_import_xlsx":
            print(
                f"DETAIL {scenario} db={vendor} rows={args.rows} median_ms={ours_ms:.1f} "
                f"peer_ms={new_rows_ms:.1f} ratio={ours_ms / new_rows_ms:.2f} "
                "peer=new-rows-only",
                flush=True,
            )
    if missed:
        print(f"# goal missed on {vendor} (at least 2x faster than the peer): {', '.join(missed)}")
    clear()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--run", action="store_true", help="on DATABASE_URL only")
    args = parser.parse_args(argv)
    if args.run:
        return run(args)
    os.makedirs("var", exist_ok=True)
    pg_url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/unionplan_bench")
    for url in (SQLITE_URL, pg_url):
        if url.startswith("postgres"):
            from bench import database
            from scripts.db_reachable import main as reachable

            if reachable(url) != 0:
                print(f"PostgreSQL not reachable at {url}: skipped.")
                continue
            database.main(url)
        print(f"== {url}", flush=True)
        command = [sys.executable, "-m", "bench.records", "--run"]
        command += ["--rows", str(args.rows), "--runs", str(args.runs)]
        env = {**os.environ, "DATABASE_URL": url}
        if subprocess.run(command, env=env, check=False).returncode:  # noqa: S603
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
