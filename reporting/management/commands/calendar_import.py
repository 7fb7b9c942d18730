import csv
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reporting.models import CalendarDay, CalendarYear


class Command(BaseCommand):
    help = (
        "导入一年的节假日安排（国务院公布后）。CSV 每行：日期,休/班,名称，"
        "如 2027-10-01,休,国庆节 或 2027-09-26,班,国庆节调休上班。"
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("csv_path")

    def handle(self, *args, year: int, csv_path: str, **options):
        rows, problems = [], []
        try:
            with open(csv_path, encoding="utf-8-sig", newline="") as handle:
                for number, row in enumerate(csv.reader(handle), start=1):
                    if not row or row[0].startswith("#"):
                        continue
                    if number == 1 and row[0].strip().lstrip("\ufeff") == "日期":
                        continue  # the header the README shows: 日期,休/班,名称
                    try:
                        day = dt.date.fromisoformat(row[0].strip())
                        kind = row[1].strip()
                    except (ValueError, IndexError):
                        problems.append(f"第 {number} 行：应为 日期,休/班,名称")
                        continue
                    if day.year != year or kind not in ("休", "班"):
                        problems.append(f"第 {number} 行：日期不在 {year} 年，或类型不是 休/班")
                        continue
                    rows.append((day, kind == "班", (row[2] if len(row) > 2 else "").strip()))
        except FileNotFoundError as exc:
            raise CommandError(f"找不到文件：{csv_path}") from exc
        if problems:
            raise CommandError("未导入：\n" + "\n".join(problems))
        with transaction.atomic():
            CalendarDay.objects.filter(date__year=year).delete()
            CalendarDay.objects.bulk_create(
                [CalendarDay(date=d, is_workday=w, name=n) for d, w, n in rows]
            )
            CalendarYear.objects.update_or_create(year=year, defaults={"source": "管理员导入"})
        self.stdout.write(f"已导入 {year} 年：{len(rows)} 个调整日。")
