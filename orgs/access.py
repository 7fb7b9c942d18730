"""Who may see what: the one place that decides.

Unit users (reporters and heads) see their own unit only; another unit's page answers 404 so
that ids cannot be probed. Federation roles see every unit. Pages that only federation roles
use answer 403 to unit users.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from orgs.models import Unit, User

FEDERATION_ROLES = frozenset(
    {
        User.Role.SYSTEM_ADMIN,
        User.Role.SECURITY_ADMIN,
        User.Role.AUDIT_ADMIN,
        User.Role.DEPARTMENT_STAFF,
        User.Role.LEADER,
    }
)
# Everyone but the three administrators.
BUSINESS_ROLES = frozenset(
    {
        User.Role.UNIT_REPORTER,
        User.Role.UNIT_HEAD,
        User.Role.DEPARTMENT_STAFF,
        User.Role.LEADER,
    }
)


def is_federation_user(user: User) -> bool:
    return user.is_authenticated and user.role in FEDERATION_ROLES


def require_business_user(user: User) -> None:
    """Plans, figures and their exports are business data: the three administrators manage
    accounts, roles and the audit log, never the work itself (三权分立)."""
    if not (user.is_authenticated and user.role in BUSINESS_ROLES):
        raise PermissionDenied("管理员账号不处理业务数据")


def require_federation_reader(user: User) -> None:
    """Pages across all units (unit lists, the plan's consistency check): department staff and
    leaders."""
    require_business_user(user)
    if user.is_unit_user:
        raise PermissionDenied("只有市总工会的工作人员可以查看此页面")


def is_plan_author(user: User) -> bool:
    """Whether `user` passes `require_plan_author` (the programme page offers edit links)."""
    return (
        user.is_authenticated
        and user.role == User.Role.DEPARTMENT_STAFF
        and user.federation_id is not None
    )


def require_plan_author(user: User) -> None:
    """Drafting, importing and editing a plan's content: the issuing federation's department
    staff (the office that writes the notice). Leaders read; administrators never touch the
    work; which plans is `plan_scope`'s answer (another federation's plan is a 404)."""
    require_role(user, User.Role.DEPARTMENT_STAFF)
    if user.federation_id is None:
        raise PermissionDenied("您的账号未归属任何工会，不能编制方案")


NOTHING = Q(pk__in=[])


# How far down a federation's leaders read: province → city → county → township plans.
DESCENDANT_LEVELS = 3
DRAFT = "draft"  # plans.Plan.Status.DRAFT (orgs sits below plans)


def plan_scope(user: User, prefix: str = "") -> Q:
    """Filter for the plans `user` works on: a unit's users the published plans their unit is
    in (a draft owes nothing yet); staff and administrators the plans their own federation
    issued; leaders also every plan derived from those, down the chain (read-only, as all
    their pages are). Another federation's plan answers 404 (plans.selectors.plan_get)."""
    if not user.is_authenticated:
        return NOTHING
    if user.is_unit_user:
        return Q(**{f"{prefix}units": user.unit_id}) & ~Q(**{f"{prefix}status": DRAFT})
    if user.federation_id is None:
        return NOTHING
    scope = Q(**{f"{prefix}issuer_id": user.federation_id})
    if user.role == User.Role.LEADER:
        for level in range(1, DESCENDANT_LEVELS + 1):
            scope |= Q(**{f"{prefix}{'parent__' * level}issuer_id": user.federation_id})
    return scope


def unit_visible_to(user: User, unit: Unit) -> bool:
    if not (user.is_authenticated and user.role in BUSINESS_ROLES):
        return False
    if user.is_unit_user:
        return user.unit_id == unit.pk
    return True


def require_unit_visible(user: User, unit: Unit | None) -> Unit:
    if unit is None or not unit_visible_to(user, unit):
        raise Http404("没有找到该单位")
    return unit


# -- reporting ---------------------------------------------------------------------------------
# Unit users see their own unit's obligations; department staff those of programmes their
# department is responsible for; leaders all of them, read-only. The three administrators do
# not handle business data (三权分立).

REPORTING_ROLES = BUSINESS_ROLES


def obligation_scope(user: User, prefix: str = "") -> Q:
    """Filter for the obligations `user` may see; raises 403 for roles outside reporting."""
    if not user.is_authenticated or user.role not in REPORTING_ROLES:
        raise PermissionDenied("您的角色不处理填报数据")
    if user.is_unit_user:
        return Q(**{f"{prefix}unit_id": user.unit_id}) & ~Q(**{f"{prefix}plan__status": DRAFT})
    if user.role == User.Role.DEPARTMENT_STAFF:
        return Q(**{f"{prefix}programme__departments": user.department_id})
    return plan_scope(user, prefix=f"{prefix}plan__")


def can_edit_report(user: User, unit_id: int) -> bool:
    return user.is_unit_user and user.unit_id == unit_id


def can_confirm_report(user: User, unit_id: int) -> bool:
    return user.role == User.Role.UNIT_HEAD and user.unit_id == unit_id


def can_review_programme(user: User, department_ids: set[int]) -> bool:
    return user.role == User.Role.DEPARTMENT_STAFF and user.department_id in department_ids


# 补报申请 (reporting.LateSubmissionRequest): seen within `obligation_scope` (another unit's or
# department's → 404); asked for by the obligation's unit (`can_edit_report`), decided by the
# departments reviewing its programme (`can_review_programme`); leaders read; the three
# administrators never (403, from `obligation_scope`).


def require_late_request_party(user: User, *, allowed: bool) -> None:
    """403 unless `user` is the party of the request's step (`allowed`: a predicate above)."""
    if not allowed:
        raise PermissionDenied("您不能对该补报申请进行此操作")


ADMIN_ROLES = frozenset({User.Role.SYSTEM_ADMIN, User.Role.SECURITY_ADMIN, User.Role.AUDIT_ADMIN})


def require_role(user: User, *roles: str) -> None:
    """403 unless `user` holds one of `roles` (anonymous users never reach a view: the login
    middleware sends them to the login page first)."""
    if not (user.is_authenticated and user.role in roles):
        raise PermissionDenied("您没有权限访问此页面")


def require_system_admin(user: User) -> None:
    """Accounts and their details: the system administrator's work only."""
    require_role(user, User.Role.SYSTEM_ADMIN)


def require_security_admin(user: User) -> None:
    """Roles, unlocking and the security policy: the security administrator's work only."""
    require_role(user, User.Role.SECURITY_ADMIN)


def require_audit_admin(user: User) -> None:
    """Reading and exporting the audit log: the audit administrator's work only."""
    require_role(user, User.Role.AUDIT_ADMIN)


def require_account_manageable(actor: User, target: User) -> None:
    """The system administrator manages ordinary accounts, never an administrator's (their
    own included): resetting another administrator's password would let one do the others'
    work. Administrator accounts are kept with the `create_administrator` command."""
    require_system_admin(actor)
    if target.pk == actor.pk or target.role in ADMIN_ROLES:
        raise PermissionDenied("管理员账号不能在此页面管理")


def require_role_changeable(actor: User, target: User) -> None:
    """The security administrator changes the roles of ordinary accounts only."""
    require_security_admin(actor)
    if target.pk == actor.pk or target.role in ADMIN_ROLES:
        raise PermissionDenied("管理员账号的角色不能在此页面修改")


def require_otp_resettable(actor: User, target: User) -> None:
    """The security administrator resets anyone's second factor but their own: resetting it
    would let whoever holds their password set up a new one."""
    require_security_admin(actor)
    if target.pk == actor.pk:
        raise PermissionDenied("不能重置自己的两步验证")


# -- records (rows of forms) -------------------------------------------------------------------
# The same people as reporting: a unit's users see and enter their unit's rows; department staff
# see rows of forms of their department's programmes and review them; leaders read everything.
# Personal values in rows (a recommender's phone) are shown masked to all of them; whoever may
# see a row may also ask to see one of its personal values in full, stating a reason that goes
# into the audit log. The three administrators see no rows, so no personal data either.


def record_scope(user: User, prefix: str = "") -> Q:
    """Filter for the records `user` may see; raises 403 for roles outside reporting."""
    if not user.is_authenticated or user.role not in REPORTING_ROLES:
        raise PermissionDenied("您的角色不处理填报数据")
    if user.is_unit_user:
        return Q(**{f"{prefix}unit_id": user.unit_id}) & ~Q(
            **{f"{prefix}form__plan__status": DRAFT}
        )
    if user.role == User.Role.DEPARTMENT_STAFF:
        return Q(**{f"{prefix}form__programme__departments": user.department_id})
    return plan_scope(user, prefix=f"{prefix}form__plan__")


def form_scope(user: User) -> Q:
    """Filter for the forms `user` may open: every form for a unit's users (any unit may owe
    rows), their department's forms for department staff, all for leaders."""
    if not user.is_authenticated or user.role not in REPORTING_ROLES:
        raise PermissionDenied("您的角色不处理填报数据")
    if user.role == User.Role.DEPARTMENT_STAFF:
        return Q(programme__departments=user.department_id)
    return plan_scope(user, prefix="plan__")


def can_edit_record(user: User, unit_id: int) -> bool:
    return user.is_unit_user and user.unit_id == unit_id


def can_confirm_record(user: User, unit_id: int) -> bool:
    return user.role == User.Role.UNIT_HEAD and user.unit_id == unit_id


def require_record_import(user: User) -> int:
    """Templates and imports are a unit's own work: its reporters and head, for their own unit
    (the unit comes from the account, never from the URL). Returns the unit's id."""
    require_role(user, User.Role.UNIT_REPORTER, User.Role.UNIT_HEAD)
    if user.unit_id is None:
        raise PermissionDenied("您的账号没有所属单位")
    return user.unit_id


# -- supervision (the federation's own steps) -------------------------------------------------
# A step the plan gives the federation itself (actor federation) is marked done, undone or dated
# by the staff of its responsible departments: the step's own, else its programme's. Other
# departments' staff and leaders read; unit users and the three administrators get 403; another
# federation's step is a 404 (the plan is outside `plan_scope`).


def require_step_reader(user: User) -> None:
    """本部门工作节点 and each step's page: the federation's department staff and leaders."""
    if not (user.is_authenticated and user.role in (User.Role.DEPARTMENT_STAFF, User.Role.LEADER)):
        raise PermissionDenied("只有市总工会的部门工作人员和领导可以查看工作节点")


def can_act_on_step(user: User, department_ids: set[int]) -> bool:
    """Whether `user` may mark the step done, undo it or give it a date."""
    return (
        user.is_authenticated
        and user.role == User.Role.DEPARTMENT_STAFF
        and user.department_id in department_ids
    )


# -- supervision notices (督办单) ---------------------------------------------------------------
# A department's staff issue notices to the units of their own federation's plans; the staff of
# the issuing department close or return them (workflow Party.REVIEWER); the unit's head signs and
# its reporter or head replies (workflow). Department staff and leaders of the plan's federation
# read every notice of it; a unit user reads their own unit's (another unit's → 404); another
# federation's notice → 404; the three administrators → 403.


def notice_scope(user: User, prefix: str = "") -> Q:
    """Filter for the notices `user` may read; raises 403 for the three administrators."""
    require_business_user(user)
    if user.is_unit_user:
        return Q(**{f"{prefix}unit_id": user.unit_id}) & ~Q(**{f"{prefix}plan__status": DRAFT})
    return plan_scope(user, prefix=f"{prefix}plan__")


def require_notice_overseer(user: User) -> None:
    """督办 lists across units (a plan's notices, a unit's history): department staff and
    leaders."""
    require_step_reader(user)


def can_issue_notice(user: User, federation_id: int | None) -> bool:
    """Whether `user` may issue a notice in a plan of `federation_id`."""
    return (
        user.is_authenticated
        and user.role == User.Role.DEPARTMENT_STAFF
        and user.department_id is not None
        and user.federation_id is not None
        and user.federation_id == federation_id
    )


def require_notice_issuer(user: User) -> None:
    """The issue form: department staff (which plans: `plan_scope`, else 404)."""
    if not (user.is_authenticated and user.role == User.Role.DEPARTMENT_STAFF):
        raise PermissionDenied("只有市总工会的部门工作人员可以下发督办单")


# -- jobs (long work off the request) ----------------------------------------------------------
# A job (a bulletin being generated, a reminder run) is followed by whoever started it; a plan's
# job also by the department staff and leaders of the plan's federation, who read the same
# dashboards. Anyone else's job answers 404.


def job_scope(user: User) -> Q:
    """Filter for the jobs `user` may see and download from."""
    if not user.is_authenticated:
        return NOTHING
    own = Q(started_by=user.pk)
    if user.role in (User.Role.DEPARTMENT_STAFF, User.Role.LEADER) and user.federation_id:
        return own | Q(plan__isnull=False, federation_id=user.federation_id)
    return own


# -- group robots (群机器人) -------------------------------------------------------------------
# The 企业微信 / 钉钉 robots notifications are posted to are configuration, kept by the system
# administrator of the federation that owns the unit or department; another federation's robot
# answers 404.


def require_robot_manager(user: User) -> None:
    """群机器人 pages: the system administrator's work only."""
    require_system_admin(user)


def robot_scope(user: User) -> Q:
    """Filter for the robots `user` manages: those of their own federation."""
    if not user.is_authenticated or user.federation_id is None:
        return NOTHING
    return Q(federation_id=user.federation_id)


# -- year-end assessment (年终考核) --------------------------------------------------------------
# The results of every unit, their ranking and exports: department staff and leaders of the
# plan's federation (another federation's plan → 404 through `plan_scope`). A unit's users read
# their own unit's result with its breakdown; another unit's → 404. The three administrators →
# 403 (三权分立).


def require_assessment_reader(user: User) -> None:
    """考核结果 of all units and its exports."""
    if not (user.is_authenticated and user.role in (User.Role.DEPARTMENT_STAFF, User.Role.LEADER)):
        raise PermissionDenied("只有市总工会的部门工作人员和领导可以查看全部单位的考核结果")


def require_assessment_unit_reader(user: User, unit: Unit | None) -> Unit:
    """One unit's 考核结果: the federation's staff and leaders, and the unit's own users."""
    require_business_user(user)
    return require_unit_visible(user, unit)


# -- evaluations (评分: a unit scored against a rubric) -----------------------------------------
# A unit's reporter and head fill and confirm their own unit's self-assessment (another unit's →
# 404); the staff of the rubric's programme's departments score, approve or return it (workflow
# Party.REVIEWER); every department's staff and leaders of the plan's federation read every
# evaluation, list and result; the three administrators → 403.


def evaluation_scope(user: User, prefix: str = "") -> Q:
    """Filter for the evaluations `user` may read; raises 403 for the three administrators."""
    require_business_user(user)
    if user.is_unit_user:
        return Q(**{f"{prefix}unit_id": user.unit_id}) & ~Q(
            **{f"{prefix}rubric__programme__plan__status": DRAFT}
        )
    return plan_scope(user, prefix=f"{prefix}rubric__programme__plan__")


def require_self_assessor(user: User) -> None:
    """评分自评: a unit's reporter or head (their own unit's, by construction)."""
    require_business_user(user)
    if not user.is_unit_user:
        raise PermissionDenied("评分自评由各单位填报")


def require_evaluation_overseer(user: User) -> None:
    """The lists and results across units: department staff and leaders."""
    if not (user.is_authenticated and user.role in (User.Role.DEPARTMENT_STAFF, User.Role.LEADER)):
        raise PermissionDenied("只有市总工会的部门工作人员和领导可以查看评分情况")


# -- campaigns: proposal, 公示, objections, naming (评选命名) -----------------------------------
# Campaigns are read within `campaign_scope` (below). The campaign's programme's departments
# (`require_campaign_runner`, below) propose, open the 公示, answer
# objections, name and withdraw; other staff and leaders of the plan's federation read all of
# it; a unit's users read only their own unit's designations (another unit's → 404); the three
# administrators → 403. The 公示 page itself needs no login (campaigns.views.publicity) and is
# found only while the publicity runs.


def designation_scope(user: User, prefix: str = "") -> Q:
    """Filter for the designations `user` may read: a unit's users their own unit's."""
    require_business_user(user)
    if user.is_unit_user:
        return Q(**{f"{prefix}unit_id": user.unit_id}) & plan_scope(
            user, prefix=f"{prefix}campaign__plan__"
        )
    return plan_scope(user, prefix=f"{prefix}campaign__plan__")


# -- campaigns (评选: nominations, eligibility, scoring) ----------------------------------------
# Every business role opens a plan's campaigns (`plan_scope`). A unit's reporter drafts its
# nominations and its head recommends them (推荐); a unit user reads and acts on their own unit's
# only (another unit's → 404). The staff of the programme's departments run the campaign
# (eligibility, scorers, closing scoring: workflow Party.REVIEWER); other staff and leaders read.
# A scorer (CampaignScorer: any business user the department assigns) scores admitted nominees
# but never one of their own unit: their unit is their `unit_id`, else their federation (the
# department staff's and leaders', which nominates nothing of its own). Before scoring closes a
# scorer sees only their own scores; totals are for the running department and leaders.


# campaigns.Nomination's states once recommended (orgs sits below campaigns).
RECOMMENDED = ("confirmed", "approved", "refused")


def campaign_scope(user: User, prefix: str = "") -> Q:
    """Filter for the campaigns `user` may open; raises 403 for the three administrators."""
    require_business_user(user)
    return plan_scope(user, prefix=f"{prefix}plan__")


def nomination_scope(user: User, prefix: str = "") -> Q:
    """Filter for the nominations `user` may open: a unit user their own unit's, federation
    staff and leaders the recommended ones of their federation's campaigns."""
    require_business_user(user)
    if user.is_unit_user:
        return Q(**{f"{prefix}unit_id": user.unit_id}) & campaign_scope(
            user, prefix=f"{prefix}campaign__"
        )
    # The federation sees a nomination once the unit's head has recommended it (推荐), also
    # after the department returned it.
    recommended = Q(**{f"{prefix}confirmed_at__isnull": False}) | Q(
        **{f"{prefix}status__in": RECOMMENDED}
    )
    return recommended & campaign_scope(user, prefix=f"{prefix}campaign__")


def can_run_campaign(user: User, department_ids: set[int]) -> bool:
    """Eligibility checks, scorers, closing scoring: the programme's departments' staff."""
    return can_review_programme(user, department_ids)


def require_campaign_runner(user: User, department_ids: set[int]) -> None:
    if not can_run_campaign(user, department_ids):
        raise PermissionDenied("只有评选所属专案的责任部门可以执行此操作")


def can_see_all_scores(user: User, department_ids: set[int]) -> bool:
    """Every scorer's points and the totals before scoring closes."""
    return user.role == User.Role.LEADER or can_run_campaign(user, department_ids)


def scorer_unit_id(user: User) -> int | None:
    """The unit a scorer belongs to for conflicts of interest."""
    return user.unit_id or user.federation_id


def scorer_conflicts(user: User, unit_id: int) -> bool:
    """A scorer never scores a nominee of their own unit."""
    return scorer_unit_id(user) == unit_id
