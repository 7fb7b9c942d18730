import pytest

from orgs.models import Unit
from orgs.resolver import UnitDirectory

# Every way the 2022 notice's seven tables write a unit, as printed, and the unit meant.
SEED_SPELLINGS = {
    "ruzhou": ["汝州市", "汝州市总工会"],
    "wugang": ["舞钢市", "舞钢市总工会"],
    "jiaxian": ["郟 县", "郟县", "郟县总工会", "郟 县总工会"],
    "baofeng": ["宝丰县", "宝丰县总工会"],
    "lushan": ["鲁山县", "鲁山县总工会"],
    "yexian": ["叶 县", "叶县", "叶县总工会", "叶 县总工会"],
    "xinhua": ["新华区", "新华区总工会"],
    "weidong": ["卫东区", "卫东区总工会"],
    "zhanhe": ["湛河区", "湛河区总工会"],
    "shilong": ["石龙区", "石龙区总工会"],
    "chengxiang": [
        "新城区",
        "城乡一体化示范区工会",
        "城乡一体化示范区工会联合会",
        "城乡一体化",
        "城乡一体化 示范区工会",
    ],
    "gaoxin": ["高新区", "高新区工会", "高新区工会联合会"],
    "gongjiao": ["工交工会", "市工交工会"],
    "qingfang": ["轻纺工会", "市轻纺工会"],
    "jianshe": ["建设工会", "市建设工会"],
    "caimao": ["财贸工会", "市财贸工会"],
    "kejiao": ["文教卫工会", "科教文卫体工会", "市教科文教体工会"],
    "shizhi": ["市直工会"],
    "pingmei": ["平煤神马集团", "平煤集团", "中国平煤神马集团工会"],
    "pinggao": ["平高集团", "平高集团有限公司", "平高集团工会"],
    "wugangsteel": ["舞钢公司", "舞阳钢铁有限责任公司", "舞钢公司工会"],
    "yaomeng": ["姚电公司", "平顶山姚孟发电有限责任公司", "姚孟发电公司工会"],
    "redian": ["平顶山热电", "国家电投集团平顶山热电有限公司", "平东热电公司工会"],
    "jianghe": ["江河机械", "河南江河机械有限责任公司", "河南江河机械公司工会"],
    "wuyang": ["舞阳铁矿", "河南安钢集团舞阳矿业有限责任公司", "舞阳矿业公司工会"],
    "gongdian": ["供电公司", "国网河南省电力公司平顶山供电公司", "平顶山供电公司工会"],
    "reli": ["热力集团", "平顶山热力集团", "平顶山热力集团 公司工会"],
    "fadian": ["平顶山发电", "国家电投集团平顶山发电分公司", "中电投平顶山发电 分公司工会"],
    "pds": ["平顶山市", "市总工会"],
}


@pytest.fixture
def directory(plan_2022):
    return UnitDirectory.from_units(Unit.objects.prefetch_related("aliases"))


@pytest.mark.parametrize(
    ("spelling", "code"),
    [(s, code) for code, spellings in SEED_SPELLINGS.items() for s in spellings],
)
def test_every_spelling_in_the_seed_resolves_to_its_unit(directory, spelling, code):
    result = directory.resolve(spelling)
    assert result.ok, result.message
    assert result.unit.code == code
    assert result.via == "name"


def test_a_new_spelling_resolves_by_its_core_name(directory):
    result = directory.resolve("郟县工会")
    assert result.unit.code == "jiaxian"
    assert result.via == "core"


def test_a_name_two_units_share_is_ambiguous_and_lists_both(directory):
    result = directory.resolve("舞钢")
    assert not result.ok
    assert result.ambiguous
    assert {u.code for u in result.candidates} == {"wugang", "wugangsteel"}
    assert result.message == "单位「舞钢」有歧义，可能是：舞钢市、舞钢公司"


def test_an_unknown_name_is_reported_not_guessed(directory):
    result = directory.resolve("洛阳市总工会")
    assert not result.ok and not result.ambiguous
    assert result.message.startswith("无法识别单位「洛阳市总工会」")


def test_rows_that_are_not_units_do_not_resolve(directory):
    for label in ("其它", "合计", "帮扶中心", "机关事业单位"):
        assert not directory.resolve(label).ok, label


def test_an_empty_name_is_unknown(directory):
    assert directory.resolve("  ").message == "无法识别单位「」"
