from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "统计表与登记表"

    def ready(self) -> None:
        # Plans import nothing of records: the plan file's reader, plan loading and the
        # programme page learn of `forms:` here.
        from plans import extensions
        from records.describe import programme_forms
        from records.formfile import FormReader
        from records.loader import sync_forms

        extensions.register_programme_section("forms", FormReader)
        extensions.after_plan_load(sync_forms)
        extensions.programme_forms_describer(programme_forms)
        # The plans' table and unit imports read uploads with records' reader, which refuses
        # crafted spreadsheets (zip bombs, macros, a million rows).
        from records.imports.files import FileRefused, read_upload

        extensions.sheet_reader(read_upload, refused=FileRefused)
        # Editing a running plan (plans/editing/) does not delete an indicator a form computes.
        from records.plan_uses import indicator_uses

        extensions.indicator_uses_finder(indicator_uses)
