from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower

from orgs.names import normalise_name


class Department(models.Model):
    """A department (部室) of a federation that owns programmes or steps. Two federations may
    each have a 劳动和经济工作部: a department is known by its name within its federation."""

    # The federation whose plan files name it; null only for a department made before
    # federations were kept that no plan names (migration orgs 0004).
    federation = models.ForeignKey(
        "Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        verbose_name="所属工会",
    )
    name = models.CharField("名称", max_length=100)
    aliases = models.JSONField("别名", default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "部门"
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "name"], name="department_name_unique_in_federation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    # From province to grassroots: 省总工会 → 设区市总工会 → 县（市、区）总工会 → 乡镇（街道）工会
    # → 基层工会. `federation` is the issuer of a city's plan, as the 2022 file has it.
    class Kind(models.TextChoices):
        PROVINCE = "province", "省总工会"
        CITY = "city", "设区市总工会"
        FEDERATION = "federation", "市总工会"
        COUNTY_CITY = "county_city", "县级市总工会"
        COUNTY = "county", "县总工会"
        DISTRICT = "district", "区总工会"
        ZONE = "zone", "功能区工会联合会"
        INDUSTRY_UNION = "industry_union", "产业工会"
        ORGAN_UNION = "organ_union", "市直工会"
        ENTERPRISE_UNION = "enterprise_union", "直属企业工会"
        TOWNSHIP = "township", "乡镇（街道）工会"
        GRASSROOTS = "grassroots", "基层工会"
        OTHER = "other", "其他"

    # Codes are in addresses (/plans/<plan>/units/<code>/), so they are unique everywhere;
    # names only within the federation that owns the unit.
    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("全称", max_length=100)
    short_name = models.CharField("简称", max_length=50)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # The federation whose plan files may change this unit (its name, aliases, parent): the
    # issuer of the plan that brought it in; a federation owns itself. Another federation's
    # plan may name the unit only as an existing one (`existing: true`) and changes nothing.
    federation = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_units",
        verbose_name="所属工会",
    )
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "单位"
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "name"], name="unit_name_unique_in_federation"
            )
        ]

    def __str__(self) -> str:
        return self.short_name


class UnitAlias(models.Model):
    """Another way a source writes a unit's name, exactly as printed.

    Several printed spellings may share a normalised `key` (郟 县 and 郟县); one key never
    belongs to two units, which the plan file reader checks before anything is saved.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField("别名", max_length=100)
    key = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        ordering = ["unit", "alias"]
        verbose_name = "单位别名"
        constraints = [models.UniqueConstraint(fields=["unit", "alias"], name="unit_alias_unique")]

    def __str__(self) -> str:
        return self.alias

    def save(self, *args, **kwargs):
        self.key = normalise_name(self.alias)
        super().save(*args, **kwargs)


class User(AbstractUser):
    class Role(models.TextChoices):
        SYSTEM_ADMIN = "system_admin", "系统管理员"
        SECURITY_ADMIN = "security_admin", "安全管理员"
        AUDIT_ADMIN = "audit_admin", "审计管理员"
        DEPARTMENT_STAFF = "department_staff", "部门工作人员"
        LEADER = "leader", "领导"
        UNIT_REPORTER = "unit_reporter", "单位填报员"
        UNIT_HEAD = "unit_head", "单位负责人"

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.LEADER)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    display_name = models.CharField("姓名", max_length=50, blank=True)
    # The federation whose plans the account works on and whose administrators manage it: a
    # department's staff, its leaders and administrators; a unit's users belong to the
    # federation that owns their unit. Null only for an account of a database with no
    # federation yet, which sees no plan (orgs.access.plan_scope).
    federation = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="所属工会",
    )
    # When the password was last set; null for accounts made before this was kept (their
    # `date_joined` counts instead). Older than UNIONPLAN_PASSWORD_MAX_AGE → a forced change.
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # Set for a password someone else knows (a new account, an administrator's reset).
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)

    class Meta:
        verbose_name = "用户"
        constraints = [
            # "RUZHOU" beside "ruzhou" would be two accounts that people take for one.
            models.UniqueConstraint(Lower("username"), name="username_unique_ignoring_case"),
            models.CheckConstraint(
                name="unit_roles_have_a_unit",
                condition=~models.Q(role__in=["unit_reporter", "unit_head"])
                | models.Q(unit__isnull=False),
            ),
            models.CheckConstraint(
                name="department_staff_have_a_department",
                condition=~models.Q(role="department_staff") | models.Q(department__isnull=False),
            ),
        ]

    @property
    def is_administrator(self) -> bool:
        """One of the three administrators (三权分立): system, security, audit."""
        return self.role in (
            self.Role.SYSTEM_ADMIN,
            self.Role.SECURITY_ADMIN,
            self.Role.AUDIT_ADMIN,
        )

    @property
    def is_unit_user(self) -> bool:
        return self.role in (self.Role.UNIT_REPORTER, self.Role.UNIT_HEAD)

    def __str__(self) -> str:
        return self.display_name or self.username


class PasswordHistory(models.Model):
    """A hash of a password a user has had, so that the last few are not used again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField("密码哈希", max_length=128)
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "历史密码"

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class GroupRobot(models.Model):
    """A 企业微信 or 钉钉 group robot (群机器人) of a unit or a department: the notifications its
    users get in the bell are also posted to the group, one text message per event and without
    personal data (orgs/robot_delivery.py). Configuration kept by the federation's system
    administrator; the webhook address and the signing secret are credentials, shown back only
    as the address's host and a masked secret."""

    class Kind(models.TextChoices):
        WECOM = "wecom", "企业微信"
        DINGTALK = "dingtalk", "钉钉"

    federation = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="group_robots", verbose_name="所属工会"
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="robots",
        verbose_name="单位",
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="robots",
        verbose_name="部门",
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=50, blank=True)
    webhook_url = models.CharField("Webhook 地址", max_length=500)
    # 钉钉's 加签 secret (SEC…); empty for a robot without signing and for 企业微信.
    secret = models.CharField("加签密钥", max_length=200, blank=True)
    enabled = models.BooleanField("启用", default=True)
    # Delivery, written by orgs/robot_delivery.py and shown on the administrator's page.
    last_success_at = models.DateTimeField("最近发送成功", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    last_error_at = models.DateTimeField("最近出错时间", null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "群机器人"
        constraints = [
            models.CheckConstraint(
                name="group_robot_for_a_unit_or_a_department",
                condition=models.Q(unit__isnull=False, department__isnull=True)
                | models.Q(unit__isnull=True, department__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}群机器人 {self.name}".strip()

    @property
    def host(self) -> str:
        """The webhook address's host: all of it the pages and the audit log show."""
        return urlsplit(self.webhook_url).hostname or ""

    @property
    def masked_secret(self) -> str:
        if not self.secret:
            return ""
        if len(self.secret) < 12:
            return "****"
        return f"{self.secret[:3]}****{self.secret[-4:]}"
