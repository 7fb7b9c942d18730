import json

import pytest
from django.core.management import CommandError, call_command


def test_dumpplan_prints_the_whole_plan_as_json(plan_2022, capsys):
    call_command("dumpplan", "pingdingshan-2022")
    data = json.loads(capsys.readouterr().out)
    assert data["plan"]["slug"] == "pingdingshan-2022"
    assert data["plan"]["doc_number"] == "平工文〔2022〕14号"
    assert data["plan"]["issued_on"] == "2022-03-28"
    assert len(data["programmes"]) == 14
    assert {"name", "short_name", "kind", "aliases"} <= set(data["units"][0])
    jiaxian = next(u for u in data["units"] if u["name"] == "郏县总工会")
    assert "郟 县" in jiaxian["aliases"]

    stations = next(
        i
        for p in data["programmes"]
        for i in p["indicators"]
        if i["table"] and "驿站" in next(t["title"] for t in p["tables"] if t["code"] == i["table"])
    )
    assert stations["target"] == 50 and stations["comparator"] == "eq"
    assert stations["declared_total"] == 50
    assert stations["allocations"]["汝州市总工会"] == 3
    assert stations["unassigned"] == {"其它": 20}
    assert sum(stations["allocations"].values()) + 20 == 50

    milestone = data["programmes"][1]["milestones"][0]
    assert {"title", "start", "end", "actor", "deliverable"} <= set(milestone)
    assert any(f["kind"] == "table_total" for f in data["consistency"])


def test_dumpplan_refuses_an_unknown_slug(db):
    with pytest.raises(CommandError, match="没有标识为「nope」的计划"):
        call_command("dumpplan", "nope")


def test_a_dump_says_the_groups_bulletin_parent_and_each_indicators_links(tmp_path, db, capsys):
    from plans.planfile.spec import read_plan_file
    from plans.services import plan_load
    from plans.tests.planfile.test_spec import write
    from plans.tests.test_consistency_parts import CITY, PROVINCE

    (tmp_path / "province").mkdir()
    plan_load(spec=read_plan_file(write(tmp_path / "province", PROVINCE)))
    city = CITY.replace(
        "programmes:",
        "groups: {help: 帮扶解困}\n"
        "bulletin: {title: 测试市总工会关于重点工作的通报, addressees: [各县总工会]}\n"
        "programmes:",
    ).replace("category: practical_matter", "category: help")
    plan_load(spec=read_plan_file(write(tmp_path, city)))

    call_command("dumpplan", "cs-2030")
    data = json.loads(capsys.readouterr().out)
    assert data["plan"]["parent"] == "hn-2030"
    assert data["groups"] == {"help": "帮扶解困"}
    assert data["bulletin"] == {
        "title": "测试市总工会关于重点工作的通报",
        "addressees": "各县总工会",
    }
    whole, part = data["programmes"][0]["indicators"]
    assert (whole["serves"], whole["part_of"], whole["display_measure"]) == ("H", None, "万元")
    assert (whole["target"], whole["target_from_parent"]) == (300000, True)
    assert (part["serves"], part["part_of"], part["display_measure"]) == ("H1", "C", "万元")
