"""Fictional rows for the demo: every form of the plan has rows in every state of the flow,
dated over the months before the demo date, some short of a standard and some late, so the
forms pages and the indicators counted from them are lively at once. Deterministic (seeded).

Rows are entered through the same service as web entry and moved through the workflow's
services in date order, each step on its own past day (`demo.days.on_day`), so the as-of
figures are as they would have been; the audit log keeps the real time of seeding.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from demo.days import on_day
from orgs.models import Unit, User
from plans.models import Allocation, Plan
from records.models import FormDefinition, Record
from records.services.flow import (
    records_approve,
    records_confirm,
    records_return,
    records_submit,
)
from records.services.nil_returns import nil_return_declare
from records.services.rows import RowRefused, record_create
from reporting.models import Obligation
from reporting.services.notifications import deliveries_held

Status = Record.Status
FIVE = ["送文艺", "送电影", "送书画", "送培训", "送讲座"]
TRADES = ["焊工", "电工", "钳工", "叉车", "电子商务"]
ROADS = ["建设路", "中兴路", "矿工路", "开源路"]
SIX = "有固定场所、有统一标识、有基本设施、有管理制度、有专人管理、有服务内容"
FACILITIES = (
    "①导向标识和铭牌标识、②明亮私密、防滑地面和垃圾桶、③桌子或储物橱柜、④电源插座、空调、冰箱或冰柜、消毒柜、"
    "⑤卫生间和洗手池、⑥可容纳2人以上的椅子或沙发、⑦母婴知识、“五期”保护等宣传品"
)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _rows(code: str, unit: Unit, share: int, rng: random.Random, today: dt.date, year: int):
    """(raw row) for one unit and form: about as many as its share, up to the demo date."""
    jan = dt.date(year, 1, 1)
    elapsed = (today - jan).days / 365
    n = max(round(share * elapsed * rng.uniform(0.6, 1.3)), 0)
    name = unit.short_name
    if code == "culture":
        for i in range(n):
            yield {
                "name": f"{name}{FIVE[i % 5]}进基层（第{i + 1}场）",
                "kind": FIVE[i % 5],
                "held_on": _day(rng, dt.date(year, 3, 1), today - dt.timedelta(days=1)),
                "place": rng.choice(["职工文化宫", "产业园区", "重点工程工地", "社区服务中心"]),
                "venue_kind": rng.choice(["厂矿企业", "基层社区", "重大建设项目工地"]),
                "audience": rng.randint(60, 600),
                "showcase": "是" if i % 7 == 0 else "否",
            }
    elif code == "stations":
        for i in range(max(n, 1 if share else 0)):
            yield {
                "name": f"{name}户外劳动者爱心驿站{i + 1}号",
                "address": f"{name}{rng.choice(ROADS)}{rng.randint(1, 300)}号",
                "location": f"{33.7 + rng.uniform(-0.3, 0.3):.4f},"
                f"{113.2 + rng.uniform(-0.4, 0.4):.4f}",
                "opened_on": _day(rng, dt.date(year, 3, 1), today - dt.timedelta(days=3)),
                "host": rng.choice(["中国银行网点", "加油站", "社区服务中心", "连锁超市"]),
                "six": SIX if rng.random() < 0.8 else "有固定场所、有统一标识、有基本设施",
            }
    elif code == "nursing-rooms":
        for i in range(max(n, 1 if share else 0)):
            public = rng.random() < 0.4
            short = rng.random() < 0.2  # one room in five misses a standard
            yield {
                "name": f"{name}爱心母婴室{i + 1}",
                "host": rng.choice(["人民医院", "政务服务中心", "工业园区管委会", "商务楼宇"]),
                "address": f"{name}",
                "kind": "公共场所" if public else "单位内部",
                "opened_on": _day(rng, dt.date(year, 3, 1), today - dt.timedelta(days=3)),
                "area": "9" if short else rng.choice(["12", "15.5", "20"]),
                "seats": rng.choice([2, 3, 4]),
                "facilities": FACILITIES
                + ("、⑧带安全扣的婴儿尿布台、婴儿床" if public and i % 3 else ""),
                "has_staff": "是",
                "has_rules": "是",
            }
    elif code == "childcare" and today >= dt.date(year, 7, 15):
        for i in range(share):
            start = dt.date(year, 7, 11)
            children = rng.choice([18, 24, 30, 45])
            yield {
                "name": f"{name}职工子女暑期爱心托管班{i + 1}",
                "host": f"{name}某企业工会",
                "place": "职工之家活动室",
                "period": (start, dt.date(year, 8, 12)),
                "children": children,
                "attendance": int(children * 25 * rng.uniform(0.7, 0.95)),
                "has_agreement": "是",
                "has_insurance": "是" if i % 3 else "否",
            }
    elif code == "products" and today >= dt.date(year, 4, 1):
        for i, product in enumerate(
            rng.sample(["香菇", "红薯粉条", "小米", "花生油", "芝麻叶"], 3)
        ):
            if i == 2 and rng.random() < 0.5:
                break
            yield {
                "product": f"{name}{product}",
                "recommender": rng.choice(["王磊", "李娜", "张伟", "刘洋"]),
                "phone": f"0375-{rng.randint(2000000, 8999999)}",
            }
    elif code == "employment-events" and unit.kind in ("county_city", "county", "district"):
        for i in range(max(n, 1)):
            kind = (
                "现场招聘会"
                if i == 0
                else rng.choice(["网络招聘会", "技能培训班", "就业创业报告会"])
            )
            yield {
                "name": f"{name}{kind}（{i + 1}）",
                "kind": kind,
                "held_on": _day(rng, dt.date(year, 2, 15), today - dt.timedelta(days=2)),
                "union_hosted": "是",
                "employers": rng.randint(10, 80),
                "jobs": rng.randint(100, 2000),
                "participants": rng.randint(200, 3000),
            }
    elif code == "competitions" and unit.kind in ("federation", "county_city", "industry_union"):
        for i in range(rng.randint(2, 5)):
            stage = "推进" if i % 2 else "申报"
            yield {
                "name": f"{name}{rng.choice(TRADES)}技能竞赛{i + 1}",
                "level": "市级"
                if unit.kind == "federation"
                else rng.choice(["县级", "行业（企业）"]),
                "category": rng.choice(["职工技能竞赛", "安全发展竞赛", "班组创新竞赛"]),
                "organiser": unit.name,
                "stage": stage,
                "period": (dt.date(year, 4, 1), dt.date(year, 11, 30)),
                "covered": rng.randint(500, 20000),
            }
    elif code == "legal-teams" and unit.kind in ("county_city", "county"):
        yield {
            "name": f"{name}“尊法守法·携手筑梦”服务分队",
            "formed_on": dt.date(year, 4, rng.randint(1, 28)),
            "lawyers": rng.randint(2, 6),
            "cadre": rng.choice(["赵敏", "孙强", "周丽"]),
        }
    elif code == "legal-activities" and unit.kind in ("county_city", "county"):
        for i in range(rng.randint(1, 4)):
            yield {
                "team": f"{name}“尊法守法·携手筑梦”服务分队",
                "held_on": _day(rng, dt.date(year, 4, 10), today - dt.timedelta(days=2)),
                "place_kind": rng.choice(["乡镇", "社区", "工地"]),
                "place": f"{name}第{i + 1}站",
                "services": "法治宣传、法律咨询",
                "served": rng.randint(30, 300),
            }
    elif code == "rest-batches" and unit.kind == "federation":
        for i, (start, kind, people) in enumerate(
            [
                (dt.date(year, 5, 23), "劳模疗休养", 40),
                (dt.date(year, 6, 20), "一线职工疗休养", 120),
            ]
        ):
            yield {
                "name": f"2022年第{i + 1}批{kind}",
                "kind": kind,
                "period": (start, start + dt.timedelta(days=4)),
                "destination": "劳模休养基地",
                "participants": people,
                "contract_signed": "是",
                "surveyed": people,
                "satisfied": people - rng.randint(0, 5),
            }
    elif code == "consumption" and unit.kind != "federation":
        for i, method in enumerate(["年度节日慰问品", "活动奖品纪念品"]):
            members = rng.randint(50, 400)
            yield {
                "unit_name": unit.name,
                "product": rng.choice(["郏县红牛肉", "鲁山揽锅菜礼盒", "宝丰酒", "叶县岩盐"]),
                "origin": "我市脱贫摘帽地区",
                "method": method,
                "purchased_on": _day(rng, dt.date(year, 1, 20), dt.date(year, 6, 10)),
                "amount": members * rng.choice([300, 500, 800])
                if i == 0
                else rng.randint(2000, 9000),
                "members": members if i == 0 else None,
            }


def _shares(plan: Plan) -> dict[tuple[str, int], int]:
    by_indicator = {
        "P13-five-deliveries": "culture",
        "P09-stations": "stations",
        "P11-nursing-rooms": "nursing-rooms",
        "P11-units": "childcare",
    }
    shares: dict[tuple[str, int], int] = {}
    for a in Allocation.objects.filter(
        indicator__plan=plan, indicator__code__in=by_indicator, unit__isnull=False
    ).select_related("indicator"):
        shares[(by_indicator[a.indicator.code], a.unit_id)] = int(a.value or 0)
    return shares


@deliveries_held()  # a made-up history mails no one
@transaction.atomic
def demo_records_create(*, plan: Plan, today: dt.date, seed: int = 2022) -> dict[str, int]:
    """Rows are entered through `record_create` and moved through the workflow's services in
    date order (each step on its own past day), so approvals make the figures as of each day
    what they would have been."""
    if Record.objects.filter(form__plan=plan).exists():
        return {}  # already seeded: never overwrite what someone has entered
    rng = random.Random(seed)  # noqa: S311 - demo rows, not secrets # nosec B311
    reporters = {u.unit_id: u for u in User.objects.filter(role=User.Role.UNIT_REPORTER)}
    heads = {u.unit_id: u for u in User.objects.filter(role=User.Role.UNIT_HEAD)}
    reviewers: dict[int, User] = {}
    for u in User.objects.filter(role=User.Role.DEPARTMENT_STAFF):
        reviewers.setdefault(u.department_id, u)
    shares = _shares(plan)
    units = list(plan.units.order_by("order"))
    counts: dict[str, int] = defaultdict(int)
    # (day, step order, action, actor) → rows taking that step together that day.
    steps: dict[tuple[dt.date, int, str, User], list[Record]] = defaultdict(list)
    for form in FormDefinition.objects.filter(plan=plan).select_related("programme", "plan"):
        department = form.programme.departments.first()
        reviewer = reviewers.get(department.pk) if department else None
        for unit in units:
            reporter, head = reporters.get(unit.pk), heads.get(unit.pk)
            if reporter is None or head is None:
                continue
            share = shares.get((form.code, unit.pk), 2 if unit.kind != "federation" else 0)
            for raw in _rows(form.code, unit, share, rng, today, plan.year):
                try:
                    record = record_create(form=form, unit=unit, actor=reporter, raw=raw)
                except RowRefused:
                    continue  # a generated row that breaks a rule (or repeats one): left out
                entered = min((record.reference_date or today) + dt.timedelta(days=1), today)
                due = record.due_date or entered + dt.timedelta(days=10)
                status = _status(rng, due, today, reviewer)
                late = status in (Status.CONFIRMED, Status.APPROVED) and rng.random() < 0.1
                confirmed = min(
                    due + dt.timedelta(days=rng.randint(1, 6)) if late else entered, today
                )
                reviewed = min(confirmed + dt.timedelta(days=2), today)
                if not late and record.due_date:
                    confirmed = min(confirmed, record.due_date)  # on time, as drawn
                Record.objects.filter(pk=record.pk).update(created_at=_at(entered, 8))
                if status != Status.DRAFT:
                    steps[(confirmed, 0, "submit", reporter)].append(record)
                if status in (Status.CONFIRMED, Status.APPROVED, Status.RETURNED):
                    steps[(confirmed, 1, "confirm", head)].append(record)
                if status in (Status.APPROVED, Status.RETURNED):
                    steps[(reviewed, 2, status, reviewer)].append(record)
                counts[status] += 1
    for day, order, action, actor in sorted(steps, key=lambda k: k[:3]):
        items = [(r, None) for r in steps[(day, order, action, actor)]]
        with on_day(day):
            if action == "submit":
                records_submit(items=items, actor=actor)
            elif action == "confirm":
                records_confirm(items=items, actor=actor)
            elif action == Status.APPROVED:
                records_approve(items=items, reviewer=actor)
            else:
                records_return(items=items, reviewer=actor, reason="请补充活动照片等佐证材料。")
    _demo_nil_return(plan, today, reporters)
    return dict(counts)


def _demo_nil_return(plan: Plan, today: dt.date, reporters: dict[int, User]) -> None:
    """One unit says 本期无 for a month it held no 就业创业 event, the day before it is due, so
    the demo shows a declaration on the form's page and a period met without rows."""
    obligation = (
        Obligation.objects.filter(
            plan=plan,
            kind=Obligation.Kind.FORM,
            form_code="employment-events",
            met_at__isnull=True,
            due_date__lt=today,
            unit_id__in=list(reporters),
        )
        .order_by("unit__order", "due_date")
        .first()
    )
    if obligation is not None:
        with on_day(obligation.due_date - dt.timedelta(days=1)):
            nil_return_declare(
                obligation=obligation,
                actor=reporters[obligation.unit_id],
                reason="本月未组织就业创业服务活动",
            )


def _status(rng: random.Random, due: dt.date, today: dt.date, reviewer) -> str:
    roll = rng.random()
    if due > today:
        return [Status.DRAFT, Status.SUBMITTED, Status.CONFIRMED][min(int(roll * 3), 2)]
    if reviewer is None:
        return Status.CONFIRMED
    if roll < 0.08:
        return Status.RETURNED
    if roll < 0.18:
        return Status.CONFIRMED
    return Status.APPROVED
