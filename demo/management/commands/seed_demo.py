from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from common import clock
from demo.accounts import demo_accounts_create
from demo.evaluations import demo_evaluations_create
from demo.naming import demo_naming_create
from demo.nominations import demo_nominations_create
from demo.notices import demo_notices_create
from demo.records import demo_records_create
from demo.reports import demo_city_figures_create, demo_reports_create
from demo.steps import demo_steps_create
from plans.planfile.spec import PlanFileInvalid, read_plan_file
from plans.services import plan_load
from reporting.models import Obligation
from reporting.services import obligations_generate

DEMO_PLAN = Path(settings.BASE_DIR) / "plans" / "data" / "pingdingshan-2022.yaml"


class Command(BaseCommand):
    help = "导入 2022 年演示方案并创建演示账号（仅用于演示；DEBUG 关闭时需 --force）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="在 DEBUG 关闭的环境中也创建演示账号（不要用于生产）",
        )

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG 已关闭：生产环境不创建演示账号。确需演示请加 --force。")
        try:
            spec = read_plan_file(DEMO_PLAN)
        except PlanFileInvalid as exc:
            raise CommandError("演示方案文件有误：\n" + "\n".join(exc.problems)) from exc
        with transaction.atomic():
            result = plan_load(spec=spec)
            accounts = demo_accounts_create(plan=result.plan)
            obligations = obligations_generate(plan=result.plan)
            reports = demo_reports_create(plan=result.plan, today=clock.today())
            rows = demo_records_create(plan=result.plan, today=clock.today())
            city = demo_city_figures_create(plan=result.plan, today=clock.today())
            steps = demo_steps_create(plan=result.plan, today=clock.today())
            evaluations = demo_evaluations_create(plan=result.plan, today=clock.today())
            notices = demo_notices_create(plan=result.plan, today=clock.today())
            nominations = demo_nominations_create(plan=result.plan, today=clock.today())
            publicity = demo_naming_create(plan=result.plan, today=clock.today())
        self.stdout.write(
            f"演示方案：{result.plan.title}（{'已更新' if result.changed else '无变化'}）"
        )
        self.stdout.write(
            f"报送任务 {Obligation.objects.filter(plan=result.plan).count()} 项"
            f"（{'已更新' if obligations.counts.changed else '无变化'}）；"
            + (
                f"演示填报 {sum(reports.values())} 份（截至 {clock.today()}）"
                if reports
                else "演示填报已存在，未改动"
            )
        )
        self.stdout.write(
            f"演示统计表记录 {sum(rows.values())} 条" if rows else "演示统计表记录已存在，未改动"
        )
        self.stdout.write(f"演示市总统计数 {city} 条" if city else "演示市总统计数已存在，未改动")
        self.stdout.write(
            f"演示工作节点完成标记 {steps} 条" if steps else "演示工作节点完成标记已存在，未改动"
        )
        self.stdout.write(
            f"演示评分自评 {evaluations} 份" if evaluations else "演示评分自评已存在，未改动"
        )
        self.stdout.write(f"演示督办单 {notices} 份" if notices else "演示督办单已存在，未改动")
        self.stdout.write(f"演示评选推荐 {nominations} 个" if nominations else "演示评选推荐未创建")
        self.stdout.write(f"演示评选公示 {publicity} 个对象" if publicity else "演示评选公示未创建")
        self.stdout.write("演示账号（密码均为下列密码，仅供演示）：")
        for account in accounts:
            self.stdout.write(f"  {account.username:<24} {account.password}  {account.description}")
        secrets = {a.otp_secret for a in accounts if a.otp_secret}
        if secrets:
            self.stdout.write(
                "三类管理员登录时还须输入两步验证码：在手机身份验证器 App 中手动添加密钥"
                f" {', '.join(sorted(secrets))}（基于时间，6 位；仅供演示）"
            )
        else:
            self.stdout.write("三类管理员须启用两步验证：登录后按页面提示用手机扫描二维码。")
