from django.core.management.base import BaseCommand, CommandError

from common.errors import ServiceError
from plans.lifecycle import plan_status_set
from plans.models import Plan


class Command(BaseCommand):
    help = (
        "设置方案状态：draft（草稿，单位看不到待办）、published（执行中）、"
        "closed（已结束：只读，不再催报，不再生成报送任务）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="方案标识，如 pingdingshan-2022")
        parser.add_argument("status", choices=[s.value for s in Plan.Status])
        parser.add_argument("--reason", default="", help="原因（重新开放已结束的方案时必填）")

    def handle(self, *args, slug: str, status: str, reason: str, **options):
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            raise CommandError(f"没有标识为「{slug}」的方案。")
        try:
            plan = plan_status_set(plan=plan, status=status, reason=reason)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"「{plan.title}」现为「{plan.get_status_display()}」。")
