"""Regulator accounts: every workspace user belongs to one department and has one role.

The profile lives in the core because the core's own actions (ruleset changes, repair
decisions) are audited with the actor's department, and the workspace builds on it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warning_system.registry.models import Department


class Role(models.TextChoices):
    STAFF = "staff", _("工作人员")
    LEADER = "leader", _("部门负责人")
    ADMIN = "admin", _("系统管理员")


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="staff"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="staff", verbose_name=_("部门")
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return f"{self.user} · {self.department_id} · {self.get_role_display()}"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_leader_or_admin(self) -> bool:
        return self.role in (Role.LEADER, Role.ADMIN)


class EnterpriseAccount(models.Model):
    """An enterprise's own login, bound to one USCC for good: everything it sees and does is its
    subject's. Created only by activating a code the registration authority issued (identity.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="enterprise"
    )
    subject = models.ForeignKey(
        "registry.Subject", on_delete=models.PROTECT, related_name="accounts", verbose_name=_("市场主体"),
        db_constraint=False,
    )  # fmt: skip
    activated_at = models.DateTimeField(_("激活时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("企业账号")
        verbose_name_plural = _("企业账号")

    def __str__(self) -> str:
        return f"{self.user} · {self.subject_id}"


class ActivationCode(models.Model):
    """A one-time code that proves a person speaks for the enterprise: printed on the 双告知 告知书 or
    handed over by registration staff. Only its hash is kept; it expires and works once."""

    subject = models.ForeignKey(
        "registry.Subject", on_delete=models.PROTECT, related_name="+", verbose_name=_("市场主体"),
        db_constraint=False,
    )  # fmt: skip
    code_hash = models.CharField(_("激活码摘要"), max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("签发人"),
    )  # fmt: skip
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("签发部门")
    )
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("激活账号"),
    )  # fmt: skip

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("企业激活码")
        verbose_name_plural = _("企业激活码")

    def __str__(self) -> str:
        return f"{self.subject_id} {self.issued_at:%Y-%m-%d}"
