"""监管留痕: the append-only, hash-chained log of every workspace action.

PostgreSQL itself refuses UPDATE, DELETE and TRUNCATE on both tables (migration 0002's
triggers); `verify_audit` walks the chain and the anchors of its head to find what a superuser
changed behind the triggers' back.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    DENIED = "denied", _("越权访问被拒绝")
    VIEW_PERSONAL = "view_personal", _("查看个人信息")
    EXPORT = "export", _("导出")
    # 双告知
    PUSH = "push", _("推送")
    CLAIM = "claim", _("认领")
    RETURN = "return", _("退回")
    POOL = "pool", _("转入共享池")
    NOTICE = "notice", _("告知书")
    LICENSED = "licensed", _("已办证")
    OVERDUE = "overdue", _("逾期预警")
    WRITTEN_NOTICE = "written_notice", _("书面通告")
    FEEDBACK = "feedback", _("反馈")
    CLOSE = "close", _("办结")
    CATALOG_CHANGE = "catalog_change", _("修改后置审批目录")
    # linked and key supervision
    INBOX_READ = "inbox_read", _("阅知")
    INBOX_ACK = "inbox_ack", _("确认处理")
    SUBSCRIPTION_CHANGE = "subscription_change", _("修改订阅规则")
    KEY_SUPERVISION_START = "key_supervision_start", _("列入重点监管")
    KEY_SUPERVISION_END = "key_supervision_end", _("解除重点监管")
    ALERT_ACK = "alert_ack", _("处理重点监管提醒")
    # credit repair and rules
    REPAIR_APPLY = "repair_apply", _("信用修复申请")
    REPAIR_DECIDE = "repair_decide", _("信用修复审核")
    RULESET_CHANGE = "ruleset_change", _("修改分类规则")
    # 双随机
    DRAW = "draw", _("随机抽取")
    RESULT = "result", _("检查结果")
    INSPECTOR_CHANGE = "inspector_change", _("修改执法检查人员名录")
    TASK_SAVE = "task_save", _("保存抽查任务")
    FREEZE = "freeze", _("冻结抽查名录")
    SEED = "seed", _("确定随机种子")
    PUBLISH = "publish", _("公示抽查结果")
    CANCEL = "cancel", _("撤销抽查任务")
    RESULT_CORRECT = "result_correct", _("更正检查结果")
    ASSIGN = "assign", _("指派检查人员")
    POLICY_CHANGE = "policy_change", _("修改抽查政策")
    # joint punishment and department assessment
    JOINT_CHECK = "joint_check", _("联合惩戒核查")
    JOINT_OUTCOME = "joint_outcome", _("反馈惩戒结果")
    MEASURES_CHANGE = "measures_change", _("修改联合惩戒措施清单")
    ASSESSMENT_VIEW = "assessment_view", _("查看部门考核")
    # the enterprises' own side
    ENTERPRISE_CODE = "enterprise_code", _("签发企业激活码")
    ENTERPRISE_ACTIVATE = "enterprise_activate", _("企业账号激活")
    EVIDENCE_UPLOAD = "evidence_upload", _("上传证明材料")
    EVIDENCE_READ = "evidence_read", _("查阅证明材料")
    OBJECTION_FILE = "objection_file", _("提出异议")
    OBJECTION_ACK = "objection_ack", _("受理异议")
    OBJECTION_CLOSE = "objection_close", _("异议办结")
    OBJECTION_ESCALATE = "objection_escalate", _("异议逾期上报")
    OBJECTION_POLICY = "objection_policy", _("修改异议处理期限")


class AuditEntry(models.Model):
    """One action. `seq` is gapless and `hash` = HMAC-SHA256(AUDIT_CHAIN_KEY, prev_hash + canonical content)."""

    seq = models.BigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the log outlives accounts
        null=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    department_id = models.CharField(_("部门"), max_length=16, blank=True, db_index=True)
    action = models.CharField(_("操作"), max_length=32, choices=Action.choices, db_index=True)
    subject_uscc = models.CharField(_("主体"), max_length=18, blank=True, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    before = models.JSONField(_("变更前"), null=True)
    after = models.JSONField(_("变更后"), null=True)
    client_address = models.CharField(_("客户端地址"), max_length=64, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["-at"], name="audit_at")]
        verbose_name = _("留痕记录")
        verbose_name_plural = _("监管留痕")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.actor_name}"


class AuditAnchor(models.Model):
    """The chain's head at a moment, recorded every few minutes and kept apart as well (the anchor
    file): a tail cut off after it no longer reaches it."""

    at = models.DateTimeField(_("锚定时间"), db_index=True)
    seq = models.BigIntegerField(_("末条序号"))
    hash = models.CharField(_("末条哈希"), max_length=64)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("链头锚点")
        verbose_name_plural = _("链头锚点")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} #{self.seq}"
