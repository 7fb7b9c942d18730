"""Who acts in a sentence and to whom it is delivered.

各县（市、区）总工会、城乡一体化示范区、高新区工会联合会，各产业工会 … → the unit kinds;
市总 or no subject → the federation itself; 报市总劳动和经济工作部 → that department.
"""

from __future__ import annotations

import re

# Phrases naming groups of units, longest first, and the kinds they cover.
UNIT_PHRASES = (
    ("县区各级工会", ("county_city", "county", "district")),
    ("各级工会", ("county_city", "county", "district", "zone", "industry_union", "organ_union",
                  "enterprise_union")),
    ("各县（市、区）", ("county_city", "county", "district")),
    ("县（市、区）", ("county_city", "county", "district")),
    ("各县(市、区)", ("county_city", "county", "district")),
    ("县(市、区)", ("county_city", "county", "district")),
    ("各县区", ("county_city", "county", "district")),
    ("各地", ("county_city", "county", "district")),
    ("各省辖市", ("city",)),
    ("各市总工会", ("city",)),
    ("各设区市", ("city",)),
    ("示范区", ("zone",)),
    ("高新区", ("zone",)),
    ("工会联合会", ("zone",)),
    ("产业工会", ("industry_union",)),
    ("市直工会", ("organ_union",)),
    ("直属企业工会", ("enterprise_union",)),
    ("乡镇（街道）", ("township",)),
    ("基层工会", ("grassroots",)),
)  # fmt: skip
KIND_ORDER = ("city", "county_city", "county", "district", "zone", "industry_union",
              "organ_union", "enterprise_union", "township", "grassroots")  # fmt: skip
DELIVER = re.compile(
    r"(?:报送?|上报|报至|发送至|汇报)(?:至|给)?(?P<to>市总(?:工会)?|省总(?:工会)?|县总(?:工会)?)"
    r"(?P<dept>[\u4e00-\u9fff]{2,10}?(?:部|中心|办公室))?"
)
DEPARTMENT = re.compile(
    r"(?:责任部门[:：]|[（(])(?:市总)?(?P<dept>[\u4e00-\u9fff]{2,12}?(?:部|中心|办公室))(?:负责)?"
)
FEDERATION_WORDS = ("市总", "省总", "县总")


def unit_scope(sentence: str) -> list[str]:
    """The unit kinds the sentence's subject names, in the tree's order; [] for none."""
    kinds: set[str] = set()
    rest = sentence
    for phrase, covered in UNIT_PHRASES:
        if phrase in rest:
            kinds.update(covered)
            rest = rest.replace(phrase, "")
    return [k for k in KIND_ORDER if k in kinds]


ALL_KINDS = ["county_city", "county", "district", "zone", "industry_union", "organ_union",
             "enterprise_union"]  # fmt: skip
# Before the units, these make them the object, not the subject (对各县…进行督导).
OBJECT_LEAD = re.compile(r"对|向|由|督促|指导|帮助|组织|动员|联合|会同|市总|省总")
SUBJECT_END = re.compile(r"[要应须将]|每季度|每月|结合|根据|按照|开展|组织|制定|拟定|于|在\d")


def actor(sentence: str) -> tuple[str, list[str]]:
    """("units", kinds) when units are the sentence's subject; ("federation", []) otherwise.
    A form's note (此表请于…发送) is for every unit that fills the form."""
    if "此表" in sentence:
        return "units", list(ALL_KINDS)
    starts = [sentence.find(phrase) for phrase, _k in UNIT_PHRASES if phrase in sentence]
    if not starts:
        return "federation", []
    first = min(starts)
    clause_start = max(sentence.rfind(mark, 0, first) for mark in "，,。；;") + 1
    if OBJECT_LEAD.search(sentence[clause_start:first]):
        return "federation", []
    subject = SUBJECT_END.split(sentence[first:], maxsplit=1)[0]
    kinds = unit_scope(subject)
    return ("units", kinds) if kinds else ("federation", [])


def delivery(sentence: str) -> tuple[str, str]:
    """(deliverable, department or "federation") of a sentence that sends something up."""
    match = DELIVER.search(sentence)
    if not match:
        return "", ""
    thing = ""
    for piece in reversed(re.split(r"[，,。；]", sentence[: match.start()])):
        piece = re.sub(r"于?\d+月\d+日前$|及时$|并$", "", piece)
        thing = re.sub(r"^.*?(?:将|把|制定|拟定|形成)", "", piece).strip("的并及时于")
        if thing:
            break
    return thing[:40], match["dept"] or "federation"


def departments_named(text: str) -> list[str]:
    """Departments a programme names as responsible (责任部门：…, （…负责）, 报市总…部)."""
    names: list[str] = []
    for pattern in (DEPARTMENT, DELIVER):
        for match in pattern.finditer(text):
            name = match["dept"]
            if name and name not in names:
                names.append(name)
    return names
