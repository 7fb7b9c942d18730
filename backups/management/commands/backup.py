from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.services import backup_create
from common.errors import ServiceError


class Command(BaseCommand):
    help = (
        "备份数据库（SQLite：VACUUM INTO；PostgreSQL：pg_dump -Fc）和上传文件，"
        "附带记录 SHA-256 的清单；应用运行时也可以备份。每次备份记入审计日志。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="备份目录（默认为设置 BACKUP_DIR：环境变量 UNIONPLAN_BACKUP_DIR，或 var/backups）",
        )
        parser.add_argument("--keep", type=int, help="备份后只保留最新的 N 份，删除更早的")

    def handle(self, *args, output: Path | None, keep: int | None, **options):
        try:
            result = backup_create(directory=output, keep=keep)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        manifest = result.manifest
        self.stdout.write(f"已备份到 {result.path.parent}：")
        for artefact in (manifest.database, manifest.uploads):
            self.stdout.write(f"  {artefact.file}（{artefact.bytes:,} 字节）")
        self.stdout.write(
            f"  {result.path.name}（清单：{len(manifest.rows)} 张表 {manifest.row_count:,} 行，"
            f"上传文件 {manifest.upload_file_count} 个）"
        )
        for name in result.pruned:
            self.stdout.write(f"已删除较早的备份 {name}")
