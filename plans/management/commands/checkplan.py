from django.core.management.base import BaseCommand, CommandError

from plans.consistency import consistency_check
from plans.models import Plan


class Command(BaseCommand):
    help = "列出计划原文自相矛盾之处（合计、目标、每单位要求、单位写法等）。"

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug: str, **options):
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            raise CommandError(f"没有标识为「{slug}」的计划")
        findings = consistency_check(plan=plan)
        for f in findings:
            where = f"专案{f.programme}" if f.programme else "全文"
            table = f" {f.table}" if f.table else ""
            self.stdout.write(f"[{f.severity_label}] {where}{table} {f.kind}: {f.message}")
        counts = {
            s: sum(1 for f in findings if f.severity_label == s) for s in ("错误", "警告", "提示")
        }
        self.stdout.write("共 " + "，".join(f"{s} {n}" for s, n in counts.items()))
