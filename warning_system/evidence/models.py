"""Evidence an enterprise uploads with a credit repair application or an objection.

The bytes live under EVIDENCE_ROOT, outside the web root and the static files, named by their
SHA-256: no URL reaches them except the two views that check who asks (the enterprise itself and
the department deciding), and each reading is audited.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warning_system.classification.models import RepairApplication
from warning_system.objections.models import Objection


class EvidenceFile(models.Model):
    subject = models.ForeignKey(
        "registry.Subject", on_delete=models.PROTECT, related_name="+", db_constraint=False,
        verbose_name=_("市场主体"),
    )  # fmt: skip
    repair = models.ForeignKey(
        RepairApplication, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence",
        verbose_name=_("信用修复申请"),
    )  # fmt: skip
    objection = models.ForeignKey(
        Objection, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence",
        verbose_name=_("异议申诉"),
    )  # fmt: skip
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("上传人"),
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")

    def __str__(self) -> str:
        return f"{self.subject_id} {self.name}"

    @property
    def department_id(self) -> str | None:
        """The department that decides on what the file supports (and so may read it)."""
        if self.repair_id:
            return self.repair.department_id
        return self.objection.department_id if self.objection_id else None
