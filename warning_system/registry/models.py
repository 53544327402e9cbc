"""The subject registry: one subject per USCC, and one table per record kind.

Each kind's typed columns are generated from the feed contract (`contract.py`), so the
contract stays the single description of a record. Personal fields (P in the contract)
and the record as received live in a private table beside each kind's (`PenaltyPrivate`
…), keyed by the record's row, that no public query touches.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.db.models.functions import Collate, Substr
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import contract
from .choices import Channel, QuarantineStatus, RegistrationStatus, RunStatus, SubjectType


def enum_choices(enum: str) -> list[tuple[str, str]]:
    """Choices of a contract enumeration: its code, labelled with its first Chinese spelling."""
    # Lazily translated: the labels are in the catalogue (contract_labels.py), shown in the reader's language.
    return [
        (code, _(spellings[0]) if spellings else code) for code, spellings in contract.ENUMS[enum].items()
    ]


class Department(models.Model):
    code = models.CharField(_("代码"), max_length=16, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    kinds = ArrayField(models.CharField(max_length=32), verbose_name=_("报送数据类型"), default=list)

    class Meta:
        ordering = ["code"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class District(models.Model):
    code = models.CharField(_("代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name


class PostLicenceCatalogEntry(models.Model):
    """后置审批事项目录: business-scope keywords that call for a licence from a department."""

    scope_keywords = ArrayField(models.CharField(max_length=50), verbose_name=_("经营范围关键词"))
    licence = models.CharField(_("许可事项"), max_length=100)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, verbose_name=_("审批部门"))
    legal_basis = models.TextField(_("设定依据"), blank=True)

    class Meta:
        ordering = ["department_id", "licence"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "department"], name="catalog_licence_department")
        ]
        verbose_name = _("后置审批事项")
        verbose_name_plural = _("后置审批事项目录")

    def __str__(self) -> str:
        return self.licence


class Bigrams(models.Func):
    """The distinct 2-character substrings of a text (SQL function of migration 0003)."""

    function = "registry_bigrams"
    output_field = ArrayField(models.TextField())


class Subject(models.Model):
    """A market subject, built from its newest registration record."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, primary_key=True)
    name = models.TextField(_("名称"))
    subject_type = models.CharField(_("主体类型"), max_length=32, choices=SubjectType.choices)
    enterprise_type = models.TextField(_("企业类型"), null=True, blank=True)
    legal_representative = models.TextField(_("法定代表人"), null=True, blank=True)
    registered_capital = models.DecimalField(_("注册资本(万元)"), max_digits=20, decimal_places=6, null=True)
    established_on = models.DateField(_("成立日期"), null=True)
    operating_from = models.DateField(_("营业期限自"), null=True)
    operating_to = models.DateField(_("营业期限至"), null=True)
    registration_authority = models.TextField(_("登记机关"), null=True, blank=True)
    approved_on = models.DateField(_("核准日期"), null=True)
    status = models.CharField(_("登记状态"), max_length=32, choices=RegistrationStatus.choices)
    address = models.TextField(_("住所"), null=True, blank=True)
    # Indexed in Meta: a plain index each, without Django's extra varchar_pattern_ops one (no prefix
    # query here), which every registration would maintain for nothing.
    district_code = models.CharField(_("行政区划代码"), max_length=6)
    industry_code = models.CharField(_("行业代码"), max_length=8, null=True, blank=True, db_index=True)
    business_scope = models.TextField(_("经营范围"), null=True, blank=True)
    registration_number = models.CharField(_("注册号"), max_length=15, null=True, blank=True)
    organization_code = models.GeneratedField(
        expression=Substr("uscc", 9, 9),
        output_field=models.CharField(max_length=9),
        db_persist=True,
        verbose_name=_("组织机构代码"),
    )
    # Written by the loader from the department whose folder the registration came from, so no
    # per-row FK trigger (it cost a fifth of building a subject); Django still PROTECTs on delete.
    registered_by = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("登记部门"),
        db_constraint=False,
        db_index=False,
    )
    # Chinese substring search (see migration 0003): the index answers 2-character queries too.
    name_bigrams = models.GeneratedField(
        expression=Bigrams("name"), output_field=ArrayField(models.TextField()), db_persist=True
    )
    source_updated_at = models.DateTimeField(_("登记记录版本"))
    withdrawn = models.BooleanField(_("登记已撤回"), default=False)
    created_at = models.DateTimeField(_("入库时间"), default=timezone.now)
    changed_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        ordering = ["uscc"]
        indexes = [
            models.Index(fields=["organization_code"], name="subject_org_code"),
            models.Index(fields=["district_code"], name="subject_district"),
            models.Index(fields=["registration_number"], name="subject_regno"),
            models.Index(fields=["registered_by"], name="subject_registered_by"),
            GinIndex(fields=["name_bigrams"], name="subject_name_bigrams"),
            # Byte order (C): serves prefix LIKE and ORDER BY name LIMIT n of the search's phases.
            models.Index(Collate("name", "C"), name="subject_name_c"),
            models.Index(fields=["legal_representative"], name="subject_legal_rep"),
        ]
        verbose_name = _("市场主体")
        verbose_name_plural = _("市场主体")

    def __str__(self) -> str:
        return f"{self.name} ({self.uscc})"


class SubjectSearchName(models.Model):
    """A subject's name in pinyin, for search by initials and by full pinyin (see pinyin.py).

    Kept beside the subject, filled after loads by `search_names_refresh` rather than by the loader:
    spelling a name costs ~0.2 ms of Python, which the ingest's rate would pay for every registration.
    `name` is the name it was spelled from, so a rename is found and spelled again.
    """

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, primary_key=True)
    name = models.TextField(_("名称"))
    initials = models.TextField(_("拼音首字母"))
    syllables = models.TextField(_("拼音（以空格分隔）"))
    pinyin = models.TextField(_("拼音"))

    class Meta:
        indexes = [
            models.Index(Collate("initials", "C"), name="search_name_initials"),
            models.Index(Collate("pinyin", "C"), name="search_name_pinyin"),
            GinIndex(fields=["initials"], name="search_name_initials_trgm", opclasses=["gin_trgm_ops"]),
        ]
        verbose_name = _("主体名称拼音")
        verbose_name_plural = _("主体名称拼音")

    def __str__(self) -> str:
        return f"{self.name} ({self.initials})"


class SubjectNameHistory(models.Model):
    """A name the subject carried before a newer registration renamed it."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="former_names")
    name = models.TextField(_("曾用名"))
    used_until = models.DateTimeField(_("使用至"))

    class Meta:
        ordering = ["subject_id", "-used_until"]
        verbose_name = _("曾用名")
        verbose_name_plural = _("曾用名")

    def __str__(self) -> str:
        return self.name


class EvaluationMark(models.Model):
    """The evaluation outbox: a subject whose records changed and whose colour is not yet re-evaluated.

    Written in the same transaction as the change (never a Python list or only a queued message),
    so a crash between storing records and colouring them loses nothing: the next drain finds
    the mark. `seq` grows with every (re-)mark; the drainer clears a mark only if `seq` is still
    the one it read before evaluating, so a change committed meanwhile keeps its mark.
    """

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, primary_key=True)
    # Drawn from the sequence registry_evaluationmark_seq (migration 0007) by every mark.
    seq = models.BigIntegerField(_("序号"))
    marked_at = models.DateTimeField(_("标记时间"), default=timezone.now)

    class Meta:
        # No index on seq: a re-mark then changes no indexed column and is a HOT update in place (the
        # table keeps room for it, fillfactor 50), half the cost of one that also rewrites an index
        # entry (bench/ingest). The drainer sorts the few marks waiting instead.
        verbose_name = _("待重新评价的主体")
        verbose_name_plural = _("待重新评价的主体")

    def __str__(self) -> str:
        return self.uscc


class IngestRun(models.Model):
    """One pass of a collector over one file, pull page series or push batch: provenance of records."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, related_name="runs")
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    kind = models.CharField(_("数据类型"), max_length=32, blank=True)
    source = models.TextField(_("来源"), blank=True)
    file_sha256 = models.CharField(_("文件 SHA-256"), max_length=64, blank=True, db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    received = models.PositiveIntegerField(default=0)
    inserted = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    stale = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    quarantined = models.PositiveIntegerField(default=0)
    unresolved = models.PositiveIntegerField(default=0)
    error = models.TextField(_("错误"), blank=True)
    ignored_columns = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    # The host that ran it (INGEST_HOST): with workers on several hosts, where to look for its logs.
    host = models.CharField(_("主机"), max_length=100, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("采集批次")
        verbose_name_plural = _("采集批次")

    def __str__(self) -> str:
        return f"#{self.pk} {self.department_id} {self.kind} {self.channel}"

    @property
    def duration(self):
        return (self.finished_at - self.started_at) if self.finished_at else None


class QuarantinedRecord(models.Model):
    """A record the collectors could not accept, kept whole with the reasons, until fixed."""

    run = models.ForeignKey(IngestRun, on_delete=models.PROTECT, related_name="quarantined_records")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("数据类型"), max_length=32)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    position = models.PositiveIntegerField(_("位置"), help_text=_("记录在文件或批次中的序号（从 1 开始）"))
    line = models.PositiveIntegerField(_("行号"), null=True, blank=True)
    record_id = models.CharField(_("记录编号"), max_length=200, blank=True)
    raw = models.JSONField(_("原始内容"))
    reasons = ArrayField(models.CharField(max_length=40), verbose_name=_("原因代码"))
    errors = models.JSONField(_("错误明细"), default=list)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=QuarantineStatus.choices,
        default=QuarantineStatus.OPEN,
        db_index=True,
    )
    created_at = models.DateTimeField(_("隔离时间"), default=timezone.now)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by_run = models.ForeignKey(
        IngestRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The same bad record delivered again (a resend, a retry after a crash) stays one open entry:
    # the digest of the record as received finds it, and `deliveries` counts how often it came.
    fingerprint = models.CharField(_("内容摘要"), max_length=32, blank=True)
    deliveries = models.PositiveIntegerField(_("接收次数"), default=1)
    last_delivered_at = models.DateTimeField(_("最近接收"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "position"]
        indexes = [models.Index(fields=["department", "kind", "status"], name="quarantine_dept_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "kind", "fingerprint"],
                condition=Q(status="open") & ~Q(fingerprint=""),
                name="quarantine_open_once",
            )
        ]
        verbose_name = _("隔离记录")
        verbose_name_plural = _("隔离区")

    def __str__(self) -> str:
        return f"{self.kind} #{self.position} ({', '.join(self.reasons)})"


class AsReceivedJSONField(models.JSONField):
    """PostgreSQL `json`, not `jsonb`: the record stays byte for byte as received (key order,
    duplicate keys, number spelling) and is far cheaper to write (bench/ingest: ~35 % of the
    whole ingest went into parsing `jsonb`)."""

    def db_type(self, connection) -> str:
        return "json"

    def from_db_value(self, value, expression, connection):
        # psycopg decodes `json` itself; Django's JSONField expects text only for `jsonb`.
        return value if not isinstance(value, str) else super().from_db_value(value, expression, connection)


class KindRecord(models.Model):
    """Provenance and identity shared by every kind's table."""

    # The loader names the department itself, so no per-row FK trigger; (department, record_id) is indexed.
    department = models.ForeignKey(
        Department,
        on_delete=models.DO_NOTHING,
        related_name="+",
        verbose_name=_("部门"),
        db_constraint=False,
        db_index=False,
    )
    record_id = models.CharField(_("记录编号"), max_length=64)
    updated_at = models.DateTimeField(_("记录版本"))
    withdrawn = models.BooleanField(_("已撤回"), default=False)
    # Linked by USCC without a constraint: a record may arrive before its subject's registration.
    subject = models.ForeignKey(
        Subject,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        db_column="subject_uscc",
        db_index=False,  # indexed in Meta, without Django's extra varchar_pattern_ops index
        related_name="%(class)s_records",
    )
    uscc = models.CharField(max_length=18, null=True)
    registration_number = models.CharField(max_length=15, null=True)
    organization_code = models.CharField(max_length=9, null=True)
    subject_name = models.TextField(_("主体名称"), null=True)
    received_via = models.CharField(_("接收渠道"), max_length=16, choices=Channel.choices)
    run = models.ForeignKey(
        IngestRun, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    content_hash = models.CharField(max_length=33)
    received_at = models.DateTimeField(_("首次接收"))
    changed_at = models.DateTimeField(_("最近变更"))

    class Meta:
        abstract = True


def _label(field: contract.Field) -> str:
    """The Chinese label among the field's spellings (not a 双公示 code like XK_XKJG)."""
    chinese = [a for a in field.aliases if not a.isascii()]
    return _(chinese[0]) if chinese else field.key  # lazily translated (contract_labels.py)


def _column(field: contract.Field) -> models.Field:
    label = _label(field)
    match field.type:
        case contract.DATE | contract.OPEN_DATE:
            return models.DateField(label, null=True)
        case contract.DATETIME:
            return models.DateTimeField(label, null=True)
        case contract.AMOUNT:
            return models.DecimalField(label, max_digits=20, decimal_places=6, null=True)
        case contract.INT:
            return models.IntegerField(label, null=True)
        case contract.BOOL:
            return models.BooleanField(label, null=True)
        case contract.ENUM:
            return models.CharField(label, max_length=32, null=True, choices=enum_choices(field.enum))
        case contract.MULTI_ENUM:
            return ArrayField(
                models.CharField(max_length=32, choices=enum_choices(field.enum)),
                verbose_name=label,
                null=True,
            )
        case contract.USCC:
            return models.CharField(label, max_length=18, null=True)
        case _:
            return models.TextField(label, null=True)


def _kind_model(kind: contract.Kind, class_name: str) -> type[KindRecord]:
    """One table per record kind: provenance from KindRecord, typed public columns from the contract."""
    table = f"registry_{kind.key}"
    attrs = {_f.key: _column(_f) for _f in kind.public_fields}
    clashes = set(attrs) & {f.name for f in KindRecord._meta.local_fields}
    if clashes:
        raise TypeError(f"contract fields of {kind.key} clash with provenance columns: {clashes}")
    attrs["__module__"] = __name__
    attrs["Meta"] = type(
        "Meta",
        (),
        {
            "db_table": table,
            "verbose_name": _(kind.label),
            "verbose_name_plural": _(kind.label),
            "constraints": [
                models.UniqueConstraint(fields=["department", "record_id"], name=f"{kind.key}_dept_record")
            ],
            "indexes": [
                models.Index(fields=["subject"], name=f"{kind.key}_subject"[:30]),
                models.Index(
                    fields=["organization_code"],
                    condition=Q(subject__isnull=True, organization_code__isnull=False),
                    name=f"{kind.key}_pending_org"[:30],
                ),
                models.Index(
                    fields=["registration_number"],
                    condition=Q(subject__isnull=True, registration_number__isnull=False),
                    name=f"{kind.key}_pending_regno"[:30],
                ),
            ],
        },
    )
    attrs["kind"] = kind
    model = type(class_name, (KindRecord,), attrs)
    return model


def _private_model(record_model: type[KindRecord]) -> type[models.Model]:
    """The record as received and its personal fields: for regulators only, never public.

    Keyed by the record's row id rather than (department, record_id): the loader writes one
    private row per stored record, and an ascending bigint key is the cheapest index there is.
    """
    kind = record_model.kind
    attrs = {
        "__module__": __name__,
        "row": models.OneToOneField(
            record_model,
            on_delete=models.DO_NOTHING,
            primary_key=True,
            db_constraint=False,  # written in the same statement as its row; records are never deleted
            related_name="private",
        ),
        "raw": AsReceivedJSONField(_("原始记录")),
        "personal": models.JSONField(_("个人信息"), default=dict),
        "Meta": type(
            "Meta",
            (),
            {
                "db_table": f"registry_{kind.key}_private",
                "verbose_name": format_lazy("{} · {}", _(kind.label), _("原始记录与个人信息")),
                "verbose_name_plural": format_lazy("{} · {}", _(kind.label), _("原始记录与个人信息")),
            },
        ),
        "__str__": lambda self: f"{self.row_id}",
    }
    return type(f"{record_model.__name__}Private", (models.Model,), attrs)


Registration = _kind_model(contract.REGISTRATION, "Registration")
License = _kind_model(contract.LICENSE, "License")
Penalty = _kind_model(contract.PENALTY, "Penalty")
AbnormalListing = _kind_model(contract.ABNORMAL_LISTING, "AbnormalListing")
SeriousViolation = _kind_model(contract.SERIOUS_VIOLATION, "SeriousViolation")
CourtJudgment = _kind_model(contract.COURT_JUDGMENT, "CourtJudgment")
DishonestDebtor = _kind_model(contract.DISHONEST_DEBTOR, "DishonestDebtor")
Arrears = _kind_model(contract.ARREARS, "Arrears")
PropertyRight = _kind_model(contract.PROPERTY_RIGHT, "PropertyRight")
Complaint = _kind_model(contract.COMPLAINT, "Complaint")
Inspection = _kind_model(contract.INSPECTION, "Inspection")
AnnualReport = _kind_model(contract.ANNUAL_REPORT, "AnnualReport")
Honor = _kind_model(contract.HONOR, "Honor")

RECORD_MODELS: dict[str, type[KindRecord]] = {
    m.kind.key: m
    for m in (
        Registration,
        License,
        Penalty,
        AbnormalListing,
        SeriousViolation,
        CourtJudgment,
        DishonestDebtor,
        Arrears,
        PropertyRight,
        Complaint,
        Inspection,
        AnnualReport,
        Honor,
    )
}

PRIVATE_MODELS: dict[str, type[models.Model]] = {key: _private_model(m) for key, m in RECORD_MODELS.items()}
