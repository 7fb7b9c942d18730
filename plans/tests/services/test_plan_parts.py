"""Loading a plan file's parts (其中) and the measure its money is shown in."""

from plans.models import Indicator
from plans.planfile.spec import read_plan_file
from plans.services import plan_load
from plans.tests.planfile.test_parts import MONEY
from plans.tests.planfile.test_spec import write


def load(tmp_path, text):
    return plan_load(spec=read_plan_file(write(tmp_path, text)))


def test_a_part_is_loaded_under_its_whole_and_money_keeps_its_printed_measure(tmp_path, db):
    plan = load(tmp_path, MONEY).plan
    whole = Indicator.objects.get(plan=plan, code="F")
    assert sorted(whole.parts.values_list("code", flat=True)) == ["F1", "F2"]
    assert whole.part_of is None
    assert (whole.display_measure, whole.shown_measure) == ("万元", "万元")
    assert whole.shown(whole.target) == 1000
    visits = Indicator.objects.get(plan=plan, code="V")
    assert (visits.shown_measure, visits.shown(visits.target)) == ("人", 12000)


def test_loading_the_same_parts_again_changes_nothing(tmp_path, db):
    load(tmp_path, MONEY)
    result = load(tmp_path, MONEY)
    assert not result.changed, dict(result.counts)


def test_a_part_moved_to_another_whole_or_a_whole_dropped_is_relinked(tmp_path, db):
    plan = load(tmp_path, MONEY).plan
    moved = (
        MONEY.replace("target: 600万元, part_of: F,", "target: 600万元,")
        .replace(
            "      - {code: V, name: 走访困难职工, measure: 人, target: 1.2万人以上}\n",
            "      - {code: V, name: 走访困难职工, measure: 人, target: 1.2万人以上}\n"
            "      - {code: G, name: 发放帮扶资金, measure: 元, target: 500万元}\n",
        )
        .replace("shown_in: 万元, part_of: F,", "shown_in: 万元, part_of: G,")
    )
    assert moved.count("part_of") == 1
    load(tmp_path, moved)
    assert Indicator.objects.get(plan=plan, code="F1").part_of is None
    assert Indicator.objects.get(plan=plan, code="F2").part_of.code == "G"

    # The whole G dropped from the file: its part is loaded as no part.
    dropped = moved.replace(
        "      - {code: G, name: 发放帮扶资金, measure: 元, target: 500万元}\n", ""
    ).replace(" part_of: G,", "")
    load(tmp_path, dropped)
    assert not Indicator.objects.filter(plan=plan, code="G").exists()
    assert Indicator.objects.get(plan=plan, code="F2").part_of is None
