from django.core.management.base import BaseCommand, CommandError

from common.errors import ServiceError
from plans.cascade import load_problems
from plans.planfile.spec import PlanFileInvalid, read_plan_file
from plans.services import plan_load


class Command(BaseCommand):
    help = "检查并导入计划文件（YAML）。先检查全文件，有任何问题则不导入。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="计划文件路径，如 plans/data/pingdingshan-2022.yaml")
        parser.add_argument("--check", action="store_true", help="只检查，不导入")

    def handle(self, *args, path: str, check: bool, **options):
        try:
            spec = read_plan_file(path)
        except FileNotFoundError as exc:
            raise CommandError(f"找不到文件：{path}") from exc
        except PlanFileInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"{path}：{exc}，未导入。") from exc
        # What the file would change of another federation, and what its parent plan says of it,
        # needs the database to see.
        problems = load_problems(spec)
        if problems:
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"{path}：有 {len(problems)} 个问题，未导入。")
        for warning in spec.warnings:
            self.stdout.write(self.style.WARNING(f"  提示：{warning}"))
        if check:
            self.stdout.write(f"{path}：检查通过（{len(spec.programmes)} 个专案）。")
            return
        try:
            result = plan_load(spec=spec)
        except ServiceError as exc:
            raise CommandError(f"{path}：{exc.message}未导入。") from exc
        if not result.changed:
            self.stdout.write(f"「{result.plan.slug}」无变化。")
            return
        summary = "，".join(f"{key} {n}" for key, n in sorted(result.counts.items()))
        self.stdout.write(self.style.SUCCESS(f"已导入「{result.plan.slug}」：{summary}"))
