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
