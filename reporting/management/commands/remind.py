from django.core.management.base import BaseCommand

from common import clock
from reporting.services import reminder_send, reminders_due


class Command(BaseCommand):
    help = "催报：对即将到期和已逾期的报送任务发送邮件和站内通知；同一任务同一天只发一次。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="提前几天提醒（默认 3）")
        parser.add_argument("--dry-run", action="store_true", help="只列出将发送的提醒")

    def handle(self, *args, days: int, dry_run: bool, **options):
        today = clock.today()
        reminders = reminders_due(today=today, days=days)
        sent = 0
        for reminder in reminders:
            if dry_run:
                self.stdout.write(reminder.line())
            elif reminder_send(reminder=reminder, today=today):
                sent += 1
        verb = "将发送" if dry_run else "已发送"
        self.stdout.write(f"{today}：{verb} {len(reminders) if dry_run else sent} 条提醒。")
