from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from backups.manifest import Manifest, manifest_path_of
from backups.services import backup_restore, backup_verify
from common.errors import ServiceError

CONFIRM = (
    "恢复会用备份覆盖当前数据库和全部上传文件。请先停止应用和定时任务，确认后加 --yes 再运行"
    "（只校验备份请用 --check）。"
)


class Command(BaseCommand):
    help = (
        "从备份恢复数据库和上传文件：先按清单校验每个文件的 SHA-256，默认先备份当前数据，"
        "再替换数据库和上传目录，备份的数据库结构较旧时运行迁移。恢复前请停止应用。"
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="备份清单（.json）或该备份的任一文件")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据库和上传文件")
        parser.add_argument("--check", action="store_true", help="只校验备份，不恢复")
        parser.add_argument(
            "--no-safety-backup",
            action="store_true",
            help="恢复前不备份当前数据（例如当前数据库已损坏、无法读取时）",
        )

    def handle(self, *args, backup: Path, yes: bool, check: bool, **options):
        path = manifest_path_of(backup)
        try:
            if check:
                self._describe(backup_verify(path=path))
                return
            if not yes:
                raise CommandError(CONFIRM)
            result = backup_restore(path=path, safety_backup=not options["no_safety_backup"])
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self._describe(result.manifest)
        if result.safety_backup:
            self.stdout.write(f"恢复前的数据已备份为 {result.safety_backup}")
        if result.other_sessions:
            self.stdout.write(
                f"注意：恢复时还有 {result.other_sessions} 个其他数据库连接，请确认应用已停止。"
            )
        self.stdout.write(f"已恢复数据库和上传文件（{result.upload_files} 个）。")
        if result.migrations_applied:
            self.stdout.write(
                f"备份的数据库结构较旧，已运行 {len(result.migrations_applied)} 个迁移："
                + "、".join(result.migrations_applied)
            )

    def _describe(self, manifest: Manifest) -> None:
        taken = timezone.localtime(manifest.created_at)
        self.stdout.write(
            f"备份 {manifest.name} 校验通过：{taken:%Y-%m-%d %H:%M:%S} 备份，{manifest.vendor}，"
            f"{len(manifest.rows)} 张表 {manifest.row_count:,} 行，"
            f"上传文件 {manifest.upload_file_count} 个。"
        )
        if manifest.note:
            self.stdout.write(f"  说明：{manifest.note}")
