import json

from django.core.management.base import BaseCommand, CommandError

from plans.dump import plan_dump
from plans.models import Plan


class Command(BaseCommand):
    help = "以 JSON 输出整个计划（专案、指标、分解表、时间节点、一致性检查结果）。"

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug: str, **options):
        plan = Plan.objects.select_related("issuer").filter(slug=slug).first()
        if plan is None:
            raise CommandError(f"没有标识为「{slug}」的计划")
        self.stdout.write(json.dumps(plan_dump(plan=plan), ensure_ascii=False, indent=2))
