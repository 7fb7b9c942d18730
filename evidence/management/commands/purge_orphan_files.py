import time

from django.apps import apps
from django.core.management.base import BaseCommand


def _orphans() -> list:
    # Every app that stores files says which of them no row names (`orphan_files` on its
    # AppConfig), so this command needs no import of the apps above it.
    found = []
    for config in apps.get_app_configs():
        finder = getattr(config, "orphan_files", None)
        if finder is not None:
            found += finder()
    return found


class Command(BaseCommand):
    help = (
        "清理孤立文件：上传过程中进程中断留下、数据库里没有记录的证明材料文件。"
        "只删除早于 --older-than 分钟的文件，正在上传的文件不受影响。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, default=60, help="只处理多少分钟以前写入的文件（默认 60）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只列出，不删除")

    def handle(self, *args, older_than: int, dry_run: bool, **options):
        # A file is written before its row commits: a young file may belong to an upload that
        # is still in its transaction, so only files older than the cut-off are orphans.
        cutoff = time.time() - older_than * 60
        orphans = _orphans()
        old = [p for p in orphans if p.stat().st_mtime < cutoff]
        for path in old:
            self.stdout.write(f"{'将删除' if dry_run else '已删除'}：{path}")
            if not dry_run:
                path.unlink(missing_ok=True)
        kept = len(orphans) - len(old)
        verb = "将删除" if dry_run else "已删除"
        self.stdout.write(
            f"孤立文件 {len(orphans)} 个：{verb} {len(old)} 个；"
            f"{kept} 个写入不足 {older_than} 分钟，保留。"
        )
