from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from common.errors import ServiceError
from plans.models import Plan
from records.formchange import form_sheet_preview
from records.formsheet import form_sheet_xlsx, form_spec_of, indicator_names
from records.models import FormDefinition
from records.services.forms import form_definition_save, programme_of


class Command(BaseCommand):
    help = (
        "统计表定义与 Excel 互转。export：把方案中的一张统计表写成 Excel；"
        "import：读取 Excel，在指定专案下新增或替换统计表（--check 只检查并列出变化）。"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="导出统计表定义")
        export.add_argument("plan", help="方案标识，如 pingdingshan-2022")
        export.add_argument("form", help="统计表代码，如 childcare")
        export.add_argument("path", help="写入的 xlsx 文件")
        load = actions.add_parser("import", help="从 Excel 新增或替换统计表")
        load.add_argument("plan", help="方案标识，如 pingdingshan-2022")
        load.add_argument("programme", type=int, help="专案序号，如 11")
        load.add_argument("path", help="读取的 xlsx 文件")
        load.add_argument("--check", action="store_true", help="只检查并列出变化，不保存")

    def handle(self, *args, action: str, plan: str, path: str, **options):
        found = Plan.objects.filter(slug=plan).first()
        if found is None:
            raise CommandError(f"没有方案「{plan}」。")
        if action == "export":
            self.export(found, options["form"], Path(path))
        else:
            self.load(found, options["programme"], Path(path), check=options["check"])

    def export(self, plan: Plan, code: str, path: Path) -> None:
        form = FormDefinition.objects.filter(plan=plan, code=code).first()
        if form is None:
            codes = "、".join(
                FormDefinition.objects.filter(plan=plan).values_list("code", flat=True)
            )
            raise CommandError(f"方案「{plan.slug}」没有统计表「{code}」（现有：{codes}）。")
        data = form_sheet_xlsx(spec=form_spec_of(form), indicator_names=indicator_names(plan))
        path.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"已写入 {path}：{form.title}"))

    def load(self, plan: Plan, number: int, path: Path, *, check: bool) -> None:
        try:
            upload = SimpleUploadedFile(path.name, path.read_bytes())
        except FileNotFoundError as exc:
            raise CommandError(f"找不到文件：{path}") from exc
        try:
            programme = programme_of(plan=plan, number=number)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        preview = form_sheet_preview(plan=plan, programme=programme, uploaded=upload)
        if preview.problems:
            for problem in preview.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"{path}：有 {len(preview.problems)} 个问题，未导入。")
        sheet, change = preview.sheet, preview.change
        for line in change.changes:
            self.stdout.write(f"  {line}")
        for note in change.notes:
            self.stdout.write(self.style.WARNING(f"  提示：{note}"))
        if change.refusals:
            for refusal in change.refusals:
                self.stderr.write(f"  {refusal}")
            raise CommandError(f"{path}：不能导入。")
        if not change.changed:
            self.stdout.write(f"「{sheet.spec.title}」与方案中的相同，无变化。")
            return
        if check:
            self.stdout.write(f"{path}：检查通过，未保存（去掉 --check 即导入）。")
            return
        try:
            saved = form_definition_save(
                plan=plan,
                programme_number=number,
                entry=sheet.entry,
                actor=None,
                base=change.base,
                source=path.name,
            )
        except ServiceError as exc:
            raise CommandError(f"{path}：{exc.message}") from exc
        verb = "新增" if saved.created else "替换"
        self.stdout.write(
            self.style.SUCCESS(f"已{verb}专案{number}的统计表「{saved.form.title}」。")
        )
