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
