"""`python manage.py draftplan NOTICE > draft.json`: a draft plan from a notice (.docx or text).

The draft has `dumpplan`'s shape, each item with the text it came from, so drafts can be
compared with plans and with each other. `--federation CODE` resolves table rows against that
federation's units and departments; `--compare SLUG` prints, instead, how much of a loaded
plan the draft recovered.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from drafting.compare import compare
from drafting.notice import NoticeUnreadable, read_notice
from drafting.selectors import federation_context


class Command(BaseCommand):
    help = "从通知全文起草工作方案（JSON，与 dumpplan 同一结构，每项附原文）"

    def add_arguments(self, parser):
        parser.add_argument("notice", help="通知文件（.docx 或 .txt）")
        parser.add_argument("--federation", help="发文工会的单位代码，用于识别表格中的单位和部门")
        parser.add_argument("--year", type=int, help="方案年度（默认取自文号或落款日期）")
        parser.add_argument("--compare", metavar="SLUG", help="与已导入的方案比较，输出识别率")

    def handle(self, *args, **options):
        path = Path(options["notice"])
        try:
            notice = read_notice(path.name, path.read_bytes())
        except OSError as exc:
            raise CommandError(f"无法读取文件「{path}」：{exc.strerror}") from exc
        except NoticeUnreadable as exc:
            raise CommandError(str(exc)) from exc
        from drafting.draft import draft_plan

        try:
            units, departments = federation_context(options.get("federation"))
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        draft = draft_plan(notice, units=units, departments=departments, year=options["year"])
        if options.get("compare"):
            try:
                report = compare(draft, options["compare"])
            except LookupError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(json.dumps(draft, ensure_ascii=False, indent=2))
