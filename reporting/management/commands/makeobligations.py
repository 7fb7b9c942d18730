from django.core.management.base import BaseCommand, CommandError

from common.errors import ServiceError
from plans.models import Plan
from reporting.services import obligations_generate


class Command(BaseCommand):
    help = "按已导入的计划生成（或更新）各单位的报送任务，截止日期按工作日历顺延。"

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug: str, **options):
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            raise CommandError(f"没有标识为「{slug}」的计划")
        try:
            result = obligations_generate(plan=plan)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        changes = "，".join(f"{k} {n}" for k, n in sorted(result.counts.items())) or "无变化"
        self.stdout.write(f"报送任务：{changes}")
        for obligation in result.kept_with_reports:
            self.stdout.write(
                self.style.WARNING(f"  保留（已有填报，计划中已不再要求）：{obligation}")
            )
        if result.unknown_years:
            years = "、".join(map(str, result.unknown_years))
            self.stdout.write(
                self.style.WARNING(
                    f"  注意：工作日历中没有 {years} 年的节假日安排，截止日期只避开了周末。"
                    "国务院公布安排后请用 calendar_import 导入。"
                )
            )
