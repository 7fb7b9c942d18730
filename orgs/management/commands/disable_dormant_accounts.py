from django.conf import settings
from django.core.management.base import BaseCommand

from orgs.services import dormant_accounts_disable


class Command(BaseCommand):
    help = (
        "停用长期未登录的账号（默认 90 天；从未登录的账号自创建之日起算），每个停用均记入审计日志。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将被停用的账号，不停用")

    def handle(self, *args, dry_run: bool, **options):
        users = dormant_accounts_disable(dry_run=dry_run)
        days = settings.UNIONPLAN_DORMANT_ACCOUNT_AGE.days
        for user in users:
            last = f"{user.last_login:%Y-%m-%d}" if user.last_login else "从未登录"
            self.stdout.write(
                f"  {user.username:<24} {user.get_role_display():<8} 最近登录：{last}"
            )
        verb = "将停用" if dry_run else "已停用"
        self.stdout.write(f"{verb} {len(users)} 个超过 {days} 天未登录的账号。")
