from django.core.management.base import BaseCommand

from records.services.personal import personal_values_seal


class Command(BaseCommand):
    help = (
        "加密仍以明文保存的个人信息字段（记录、审核副本、待确认的导入）。"
        "--rotate：同时用当前密钥重新加密旧密钥加密的值（更换密钥后、删除旧密钥前运行）。可重复运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rotate", action="store_true", help="用当前（第一个）密钥重新加密旧密钥加密的值"
        )

    def handle(self, *args, rotate: bool, **options):
        changed = personal_values_seal(rotate=rotate)
        if changed:
            self.stdout.write(
                self.style.SUCCESS(f"已加密 {changed} 条（记录、审核副本、导入预览）。")
            )
        else:
            self.stdout.write("没有需要加密的个人信息。")
