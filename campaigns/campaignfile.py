"""Reading a programme's `campaigns:` in the plan file (docs/plan-file.md, *Campaigns*).

A campaign (评选) says what is named and how many, who may nominate and how many each (a
number, or a table of units), the windows (推荐 by, 评选 by, 公示 days, 命名 by), what makes a
nominee eligible (an approved row of a form of the plan, meeting its standards), the materials
asked for and the rubric its scorers use. Registered in campaigns/apps.py as the plan file's
`campaigns` section; it is read after `forms` and `unit_rules`, so a campaign may name any
programme's form, and any programme's rubric by its title.

The rubric is one the plan file already declares under a programme's `rubrics:` (named by its
title): a rubric is printed in the notice as an attachment, shown on the programme page and
loaded by plans; a campaign does not declare a second kind of rubric of its own.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from pypinyin import lazy_pinyin

from common.specfile import SpecReader

CAMPAIGN_KEYS = {
    "code",
    "title",
    "named_as",
    "quota",
    "indicator",
    "nominators",
    "per_unit",
    "quotas",
    "nominate_by",
    "score_by",
    "name_by",
    "publicity_days",
    "form",
    "compliant_only",
    "materials",
    "rubric",
    "combine",
    "source_text",
}
# A campaign's code is part of the 公示 page's address (/campaigns/publicity/<plan>/<code>/).
CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")
MATERIAL_CODE = re.compile(r"[a-z][a-z0-9_-]{0,39}")
COMBINES = ("mean", "trimmed_mean")
PUBLICITY_DAYS = (1, 30)
DEFAULT_PUBLICITY_DAYS = 5


@dataclass
class CampaignSpec:
    code: str
    order: int
    title: str
    named_as: str
    quota: int | None  # None: 一批 (no number)
    indicator: str  # an indicator code of the plan, or ""
    nominators: list[str]  # unit kinds and unit names; []: every unit of the plan
    per_unit: int | None
    quotas: dict[str, int]  # unit name → its own number of nominations
    nominate_by: dt.date | None
    score_by: dt.date | None
    name_by: dt.date | None
    publicity_days: int
    form: str  # a form code of the plan, or ""
    compliant_only: bool
    materials: list[dict[str, Any]] = field(default_factory=list)  # [{code, label, required}]
    # The rubric as (programme number, order), the plan's `Rubric` rows' key; None: no rubric.
    rubric: tuple[int, int] | None = None
    combine: str = "mean"
    source_text: str = ""


def material_code(label: str, taken: set[str]) -> str:
    """A code for a material given by its label only: the label in pinyin (推荐表 →
    tuijianbiao), with -2, -3… after one taken. The same list always gives the same codes."""
    letters = re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(label)).lower())[:36]
    letters = letters if letters[:1].isalpha() else f"m{letters}"[:36]
    code, n = letters, 1
    while code in taken:
        n += 1
        code = f"{letters}-{n}"
    return code


class CampaignReader(SpecReader):
    """Reads each programme's `campaigns:` list into the plan file's list of problems."""

    def __init__(self, problems: list[str], indicator_codes: set[str]):
        super().__init__(problems)
        self.indicator_codes = indicator_codes
        self.codes: set[str] = set()  # unique across the plan
        self.forms: set[str] = set()
        self.rubrics: dict[str, tuple[int, int]] = {}
        self.plan_reader: Any = None

    def bind(self, *, programmes: list[Any], reader: Any) -> None:
        """What the plan file's reader knows once the other sections are read: every
        programme's forms and rubrics, and the unit directory (plans.planfile.spec)."""
        self.forms = {f.code for p in programmes for f in p.forms}
        self.rubrics = {}
        for p in programmes:
            for r in p.rubrics:
                self.rubrics.setdefault(r.title, (p.number, r.order))
        self.plan_reader = reader

    def read(self, value: Any, loc: str) -> list[CampaignSpec]:
        result = []
        for i, item in enumerate(self._list(value, loc)):
            campaign = self.campaign(item, f"{loc}[{i}]", i)
            if campaign is not None:
                result.append(campaign)
        return result

    # -- pieces ------------------------------------------------------------------------------

    def _count(self, value: Any, loc: str, *, low: int = 1, high: int | None = None) -> int | None:
        if value is None:
            return None
        bad = isinstance(value, bool) or not isinstance(value, int)
        if bad or value < low or (high is not None and value > high):
            self.fail(loc, f"应为 {low}–{high} 之间的整数" if high else f"应为不小于 {low} 的整数")
            return None
        return value

    def _date(self, value: Any, loc: str) -> dt.date | None:
        """A plan-file date: a day, a month (its last day), a part of a month or a year."""
        if value is None or self.plan_reader is None:
            return None
        return self.plan_reader._date(value, loc)

    def _nominators(self, value: Any, loc: str) -> list[str]:
        if value is None or self.plan_reader is None:
            return []
        return self.plan_reader._scope(value, loc)

    def _quotas(self, value: Any, loc: str) -> dict[str, int]:
        if value is None:
            return {}
        if not isinstance(value, dict) or not value:
            self.fail(loc, "应为「单位名称: 推荐名额」的映射，如 汝州市: 3")
            return {}
        quotas: dict[str, int] = {}
        for name, count in value.items():
            at = f"{loc}.{name}"
            number = self._count(count, at, low=0)
            if self.plan_reader is None:
                continue
            found = self.plan_reader._directory.resolve(str(name))
            if not found.ok:
                self.fail(at, found.message)
            elif found.unit in quotas:
                self.fail(at, f"单位「{found.unit}」重复")
            elif number is not None:
                quotas[found.unit] = number
        return quotas

    def _materials(self, value: Any, loc: str) -> list[dict[str, Any]]:
        materials: list[dict[str, Any]] = []
        codes: set[str] = set()
        labels: set[str] = set()
        for i, item in enumerate(self._list(value, loc)):
            at = f"{loc}[{i}]"
            if isinstance(item, dict):
                d = self._mapping(item, at, {"code", "label", "required"}, {"code", "label"})
                code = self._text(d.get("code"), f"{at}.code")
                if code and not MATERIAL_CODE.fullmatch(code):
                    self.fail(
                        f"{at}.code",
                        f"代码「{code}」只能用小写英文字母、数字、下划线和连字符，以字母开头",
                    )
                label = self._text(d.get("label"), f"{at}.label")
                required = self._yes_no(d.get("required"), f"{at}.required", default=True)
            else:
                label = self._text(item, at)
                code, required = material_code(label, codes), True
            if code in codes:
                self.fail(at, f"材料代码「{code}」重复")
            if label in labels:
                self.fail(at, f"材料「{label}」重复")
            if code and label:
                codes.add(code)
                labels.add(label)
                materials.append({"code": code, "label": label, "required": required})
        return materials

    # -- a campaign --------------------------------------------------------------------------

    def campaign(self, value: Any, loc: str, order: int) -> CampaignSpec | None:
        d = self._mapping_or_none(
            value, loc, CAMPAIGN_KEYS, {"code", "title", "named_as", "nominate_by"}
        )
        if d is None:
            return None
        code = self._text(d.get("code"), f"{loc}.code")
        if code and not CODE.fullmatch(code):
            self.fail(
                f"{loc}.code",
                f"代码「{code}」只能用小写英文字母、数字、下划线和连字符，最多 60 个字符",
            )
        elif code in self.codes:
            self.fail(f"{loc}.code", f"评选代码「{code}」重复")
        self.codes.add(code)

        indicator = self._text(d.get("indicator"), f"{loc}.indicator", required=False)
        if indicator and indicator not in self.indicator_codes:
            self.fail(f"{loc}.indicator", f"没有指标「{indicator}」")

        per_unit = self._count(d.get("per_unit"), f"{loc}.per_unit")
        quotas = self._quotas(d.get("quotas"), f"{loc}.quotas")
        nominators = self._nominators(d.get("nominators"), f"{loc}.nominators")

        dates = {
            key: self._date(d.get(key), f"{loc}.{key}")
            for key in ("nominate_by", "score_by", "name_by")
        }
        self._in_order(dates, loc)

        form = self._text(d.get("form"), f"{loc}.form", required=False)
        if form and form not in self.forms:
            self.fail(f"{loc}.form", f"没有代码为「{form}」的统计表")
        if "compliant_only" in d and not form:
            self.fail(f"{loc}.compliant_only", "compliant_only 只用于写了 form 的评选")
        title = self._text(d.get("rubric"), f"{loc}.rubric", required=False)
        if title and title not in self.rubrics:
            known = "、".join(self.rubrics) or "本方案没有评分标准"
            self.fail(f"{loc}.rubric", f"没有标题为「{title}」的评分标准（可用：{known}）")
        rubric = self.rubrics.get(title) if title else None
        publicity = self._count(
            d.get("publicity_days"),
            f"{loc}.publicity_days",
            low=PUBLICITY_DAYS[0],
            high=PUBLICITY_DAYS[1],
        )
        return CampaignSpec(
            code=code,
            order=order,
            title=self._text(d.get("title"), f"{loc}.title"),
            named_as=self._text(d.get("named_as"), f"{loc}.named_as"),
            quota=self._count(d.get("quota"), f"{loc}.quota"),
            indicator=indicator,
            nominators=nominators,
            per_unit=per_unit,
            quotas=quotas,
            nominate_by=dates["nominate_by"],
            score_by=dates["score_by"],
            name_by=dates["name_by"],
            publicity_days=publicity if publicity is not None else DEFAULT_PUBLICITY_DAYS,
            form=form,
            compliant_only=self._yes_no(
                d.get("compliant_only"), f"{loc}.compliant_only", default=True
            ),
            materials=self._materials(d.get("materials"), f"{loc}.materials"),
            rubric=rubric,
            combine=self._choice(d.get("combine"), f"{loc}.combine", COMBINES, "mean"),
            source_text=self._text(d.get("source_text"), f"{loc}.source_text", required=False),
        )

    def _in_order(self, dates: dict[str, dt.date | None], loc: str) -> None:
        """推荐 ≤ 评选 ≤ 命名, for those given."""
        words = {"nominate_by": "推荐截止", "score_by": "评选截止", "name_by": "命名截止"}
        given = [(key, day) for key, day in dates.items() if day is not None]
        for (early_key, early), (late_key, late) in zip(given, given[1:], strict=False):
            if late < early:
                self.fail(
                    f"{loc}.{late_key}",
                    f"{words[late_key]}（{late:%Y-%m-%d}）早于"
                    f"{words[early_key]}（{early:%Y-%m-%d}）",
                )
