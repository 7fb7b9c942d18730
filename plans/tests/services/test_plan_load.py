from decimal import Decimal

from conftest import PLAN_2022_FILE
from plans.models import Allocation, Indicator, Plan
from plans.planfile.spec import read_plan_file
from plans.services import plan_load


def test_loading_the_same_file_again_changes_nothing(plan_2022, plan_2022_spec):
    before = list(Allocation.objects.order_by("pk").values_list("pk", "value"))
    result = plan_load(spec=plan_2022_spec)
    assert not result.changed, dict(result.counts)
    assert list(Allocation.objects.order_by("pk").values_list("pk", "value")) == before


def test_a_changed_file_updates_the_plan_in_place(plan_2022, tmp_path):
    text = PLAN_2022_FILE.read_text(encoding="utf-8")
    changed = text.replace(
        "title: 建功新时代主力军行动专案", "title: 建功新时代主力军行动专案（修订）"
    )
    assert changed != text
    path = tmp_path / "plan.yaml"
    path.write_text(changed, encoding="utf-8")
    indicator_ids = set(Indicator.objects.values_list("pk", flat=True))

    result = plan_load(spec=read_plan_file(path))

    assert dict(result.counts) == {"programme.updated": 1, "plan.updated": 1}
    assert plan_2022.programmes.get(number=1).title == "建功新时代主力军行动专案（修订）"
    assert set(Indicator.objects.values_list("pk", flat=True)) == indicator_ids


def test_a_changed_cell_updates_only_that_allocation(plan_2022, plan_2022_spec):
    table = next(t for p in plan_2022_spec.programmes for t in p.tables if "驿站" in t.title)
    row = next(r for r in table.rows if r.label == "汝州市总工会")
    original = row.values[0]
    row.values[0] = Decimal(4)
    try:
        result = plan_load(spec=plan_2022_spec)
    finally:
        row.values[0] = original
    assert dict(result.counts) == {"allocation.updated": 1}
    cell = Allocation.objects.get(row__table__title=table.title, unit__code="ruzhou")
    assert cell.value == 4


def test_a_plan_file_for_another_year_loads_beside_the_demo(plan_2022, tmp_path):
    text = PLAN_2022_FILE.read_text(encoding="utf-8")
    text = text.replace("slug: pingdingshan-2022", "slug: pingdingshan-2023").replace(
        "year: 2022", "year: 2023"
    )
    path = tmp_path / "plan-2023.yaml"
    path.write_text(text, encoding="utf-8")
    plan_load(spec=read_plan_file(path))
    assert set(Plan.objects.values_list("slug", flat=True)) == {
        "pingdingshan-2022",
        "pingdingshan-2023",
    }
    assert Plan.objects.get(slug="pingdingshan-2023").indicators.count() == (
        plan_2022.indicators.count()
    )
