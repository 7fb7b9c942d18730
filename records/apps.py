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
        # Rules per unit (`unit_rules:`), read after the forms they name; the unit's page
        # (一单位一清单) shows each judged for the unit.
        from records.loader import sync_unit_rules
        from records.rulefile import UnitRuleReader
        from records.selectors.rules import unit_rule_lines

        extensions.register_programme_section("unit_rules", UnitRuleReader)
        extensions.after_plan_load(sync_unit_rules)
        extensions.unit_rules_source(unit_rule_lines)
        # The plans' table and unit imports read uploads with records' reader, which refuses
        # crafted spreadsheets (zip bombs, macros, a million rows).
        from records.imports.files import FileRefused, read_upload

        extensions.sheet_reader(read_upload, refused=FileRefused)
        # Editing a running plan (plans/editing/) does not delete an indicator a form computes.
        from records.plan_uses import indicator_uses

        extensions.indicator_uses_finder(indicator_uses)
        # Reporting imports nothing of records: a form due on dates or every period is owed as
        # obligations (统计表报送), made with the plan's others and met by rows or 本期无.
        from records.services import obligations as form_obligations
        from records.services.late_rows import form_late_rows_recount
        from reporting.extensions import ObligationSource, obligation_source
        from reporting.models import Obligation

        obligation_source(
            ObligationSource(
                kind=Obligation.Kind.FORM,
                rows=form_obligations.form_obligation_rows,
                acted_on=form_obligations.form_obligations_acted_on,
                url=form_obligations.form_obligation_url,
                recount=form_late_rows_recount,
            )
        )
