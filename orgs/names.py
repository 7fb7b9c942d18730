"""Normalising unit names so that the same unit written differently compares equal."""

import re
import unicodedata

# Variant characters seen in union documents (traditional or old forms) and their standard form.
# Extend when a source uses another; the resolver only ever compares normalised keys.
VARIANT_CHARACTERS = str.maketrans(
    {
        "郟": "郏",
        "縣": "县",
        "區": "区",
        "會": "会",
        "總": "总",
        "業": "业",
        "團": "团",
        "鋼": "钢",
        "電": "电",
        "機": "机",
        "關": "关",
        "華": "华",
        "東": "东",
        "寶": "宝",
        "魯": "鲁",
        "葉": "叶",
        "貿": "贸",
        "紡": "纺",
        "設": "设",
        "衛": "卫",
        "體": "体",
        "聯": "联",
        "龍": "龙",
    }
)

_SPACE = re.compile(r"\s+")

# Endings that name the kind of organisation rather than the organisation itself, longest
# first so that 总工会 is removed before 工会 could leave a stray 总.
ORGANISATION_SUFFIXES = (
    "工会联合会",
    "工会委员会",
    "总工会",
    "工会",
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "分公司",
    "公司",
    "集团",
    "市",
    "县",
    "区",
)


def normalise_name(name: str) -> str:
    """Full-width to half-width, no white space (print often breaks names), standard characters."""
    text = unicodedata.normalize("NFKC", name or "")
    text = text.replace("\u200b", "")
    return _SPACE.sub("", text).translate(VARIANT_CHARACTERS)


def core_name(name: str) -> str:
    """The name without organisation-kind endings (汝州市总工会 → 汝州); at least 2 characters."""
    text = normalise_name(name)
    stripped = True
    while stripped:
        stripped = False
        for suffix in ORGANISATION_SUFFIXES:
            if text.endswith(suffix) and len(text) - len(suffix) >= 2:
                text = text[: -len(suffix)]
                stripped = True
                break
    return text
