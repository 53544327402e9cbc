"""Forms of 双随机: inspectors, tasks (draft), freezing (seed sources), seeding, results."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc as stdnum_uscc

from supervision.filters.inspections import ScopeForm
from supervision.filters.linked import department_choices
from warning_system.accounts.models import StaffProfile
from warning_system.classification.models import Colour
from warning_system.inspections.models import (
    SEED_KINDS,
    InspectionPolicy,
    InspectionTask,
    Inspector,
    Qualification,
)
from warning_system.inspections.services import (
    ATTACHMENT_MAGIC_BYTES,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_MAX_COUNT,
    SEED_FORMAT_MAX,
    SEED_FORMATS,
    attachment_type,
)
from warning_system.registry.codes import compact_code
from warning_system.registry.models import enum_choices


def _percent(ratio) -> Decimal:
    """0.2 → 20 (not 2E+1, which normalize() alone gives and a number input shows as is)."""
    value = (Decimal(str(ratio)) * 100).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace("\r", "").split("\n") if line.strip()]


class InspectorForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    badge_number = forms.CharField(label=_("执法证号"), max_length=32)
    qualifications = forms.MultipleChoiceField(
        label=_("执法领域"), choices=Qualification.choices, widget=forms.CheckboxSelectMultiple
    )
    active = forms.BooleanField(label=_("在岗"), required=False, initial=True)
    staff = forms.ModelChoiceField(
        label=_("工作台账号"), queryset=StaffProfile.objects.none(), required=False
    )
    conflicts = forms.CharField(
        label=_("回避主体（统一社会信用代码，每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("仅内部使用；公示文件中只出现不可逆的回避标记。"),
    )  # fmt: skip

    def __init__(self, *args, department_id: str, badge_locked: bool = False, **kwargs):
        """`badge_locked`: the badge number is in a frozen file, so it is shown but cannot change."""
        super().__init__(*args, **kwargs)
        if badge_locked:
            self.fields["badge_number"].disabled = True
            self.fields["badge_number"].help_text = _("已出现在冻结的检查人员名录文件中，不能修改。")
        self.fields["staff"].queryset = StaffProfile.objects.filter(
            department_id=department_id
        ).select_related("user")

    def clean_conflicts(self) -> list[str]:
        codes = [compact_code(c) for c in _lines(self.cleaned_data["conflicts"])]
        bad = [c for c in codes if not stdnum_uscc.is_valid(c)]
        if bad:
            raise forms.ValidationError(_("无效的统一社会信用代码：%(codes)s") % {"codes": "、".join(bad)})
        return sorted(set(codes))

    @classmethod
    def initial_for(cls, inspector: Inspector) -> dict:
        return {"name": inspector.name, "badge_number": inspector.badge_number,
                "qualifications": inspector.qualifications, "active": inspector.active,
                "staff": inspector.staff_id, "conflicts": "\n".join(inspector.conflicts)}  # fmt: skip


class TaskForm(ScopeForm):
    name = forms.CharField(label=_("任务名称"), max_length=200)
    departments = forms.MultipleChoiceField(
        label=_("参与部门（联合抽查可选多个）"), widget=forms.CheckboxSelectMultiple, required=False
    )
    items = forms.CharField(label=_("检查事项（每行一项）"), widget=forms.Textarea(attrs={"rows": 4}))
    qualifications = forms.MultipleChoiceField(
        label=_("检查人员应具备的执法领域"), choices=Qualification.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    inspectors_per_subject = forms.IntegerField(
        label=_("每户检查人员数"), min_value=2, max_value=10, initial=2
    )
    ratio_green = forms.DecimalField(
        label=_("绿色抽查比例（%）"), min_value=0, max_value=100, decimal_places=2
    )
    ratio_yellow = forms.DecimalField(
        label=_("黄色抽查比例（%）"), min_value=0, max_value=100, decimal_places=2
    )
    ratio_orange = forms.DecimalField(
        label=_("橙色抽查比例（%）"), min_value=0, max_value=100, decimal_places=2
    )
    ratio_red = forms.DecimalField(label=_("红色抽查比例（%）"), min_value=0, max_value=100, decimal_places=2)

    field_order = ["name", "departments", "items", "qualifications", "inspectors_per_subject",
                   "ratio_green", "ratio_yellow", "ratio_orange", "ratio_red"]  # fmt: skip

    def __init__(self, *args, policy: InspectionPolicy | None = None, **kwargs):
        """`policy`: the current InspectionPolicy version, whose numbers a new draft starts from."""
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = department_choices()
        if policy is not None:
            self.fields["inspectors_per_subject"].initial = policy.inspectors_per_subject
            for colour in Colour.values:
                self.fields[f"ratio_{colour}"].initial = _percent(policy.ratios[colour])

    def task_data(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "departments": data["departments"],
            "scope": self.scope(),
            "items": _lines(data["items"]),
            "qualifications": sorted(data["qualifications"]),
            "inspectors_per_subject": data["inspectors_per_subject"],
            "ratios": {c: float(data[f"ratio_{c}"] / Decimal(100)) for c in Colour.values},
        }

    @classmethod
    def initial_for(cls, task: InspectionTask) -> dict:
        initial = {"name": task.name, "departments": task.departments, "items": "\n".join(task.items),
                   "qualifications": task.qualifications, "inspectors_per_subject": task.inspectors_per_subject,
                   **ScopeForm.initial_for(task.scope)}  # fmt: skip
        for colour in Colour.values:
            initial[f"ratio_{colour}"] = Decimal(str(task.ratios[colour])) * 100
        return initial


SEED_SOURCE_ROWS = 3
CUSTOM_FORMAT = "custom"


class FreezeForm(forms.Form):
    """Up to three seed sources, announced at freezing: each a description, a kind, an exact format
    (a preset or a regex) and, for an outside value, the day it becomes known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [("", "—"), *SEED_KINDS.items()]
        formats = [(pattern, f"{label}  {pattern}") for pattern, label in SEED_FORMATS.items()]
        for i in range(SEED_SOURCE_ROWS):
            number = i + 1
            self.fields[f"label_{i}"] = forms.CharField(
                label=_("随机种子来源 %(n)d") % {"n": number}, max_length=200, required=False,
                help_text=_("例如：公开抽签会现场见证人输入的六位数字；冻结后某日的彩票开奖号码") if i == 0 else "",
            )  # fmt: skip
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=_("来源 %(n)d 类型") % {"n": number}, choices=kinds, required=False
            )
            self.fields[f"format_{i}"] = forms.ChoiceField(
                label=_("来源 %(n)d 格式") % {"n": number}, required=False,
                choices=[*formats, (CUSTOM_FORMAT, _("自定义（填写下一项）"))],
            )  # fmt: skip
            self.fields[f"pattern_{i}"] = forms.CharField(
                label=_("来源 %(n)d 自定义格式（正则表达式，以 ^ 开头、以 $ 结尾）") % {"n": number},
                max_length=SEED_FORMAT_MAX, required=False,
            )  # fmt: skip
            self.fields[f"known_on_{i}"] = forms.DateField(
                label=_("来源 %(n)d 产生日期（外部数值必填，须晚于今天）") % {"n": number}, required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )  # fmt: skip

    def seed_sources(self) -> list[dict]:
        data, sources = self.cleaned_data, []
        for i in range(SEED_SOURCE_ROWS):
            label = (data.get(f"label_{i}") or "").strip()
            if not label:
                continue
            pattern = data.get(f"format_{i}") or ""
            if pattern == CUSTOM_FORMAT:
                pattern = (data.get(f"pattern_{i}") or "").strip()
            sources.append({"label": label, "kind": data.get(f"kind_{i}") or "", "format": pattern,
                            "known_on": data.get(f"known_on_{i}")})  # fmt: skip
        return sources


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销理由（将公示）"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SeedForm(forms.Form):
    """One field per source announced at freezing."""

    def __init__(self, *args, sources: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for index, source in enumerate(sources):
            self.fields[f"value_{index}"] = forms.CharField(
                label=source["label"], max_length=200, required=False,
                help_text=_("格式：%(format)s") % {"format": source.get("format", "")},
            )  # fmt: skip

    def values(self) -> list[str]:
        return [self.cleaned_data.get(f"value_{i}", "") for i in range(len(self.fields))]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > ATTACHMENT_MAX_COUNT:
            raise forms.ValidationError(_("附件最多 %(count)d 个。") % {"count": ATTACHMENT_MAX_COUNT})
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for upload in cleaned:
            # The size first: a file over the limit is never read.
            if upload.size > ATTACHMENT_MAX_BYTES:
                raise forms.ValidationError(_("附件 %(name)s 超过 10 MB。") % {"name": upload.name})
            upload.seek(0)
            head = upload.read(ATTACHMENT_MAGIC_BYTES)
            upload.seek(0)
            upload.sniffed_type = attachment_type(head)
            if upload.sniffed_type is None:
                raise forms.ValidationError(
                    _("附件 %(name)s 不是 JPEG、PNG 图片或 PDF 文件。") % {"name": upload.name}
                )
        return cleaned


class ResultForm(forms.Form):
    inspected_on = forms.DateField(label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    result = forms.ChoiceField(label=_("检查结果"), choices=enum_choices("inspection_result"))
    note = forms.CharField(label=_("检查情况说明"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    attachments = MultipleFileField(label=_("附件（JPEG、PNG 或 PDF，每个不超过 10 MB）"), required=False)

    def __init__(self, *args, proxy_choices: list[Inspector] = (), **kwargs):
        """`proxy_choices`: a leader entering for a drawn inspector of their department names them."""
        super().__init__(*args, **kwargs)
        self.fields["inspected_on"].initial = timezone.localdate()
        self.proxy_inspectors = {str(i.pk): i for i in proxy_choices}
        if self.proxy_inspectors:
            self.fields["proxy_for"] = forms.ChoiceField(
                label=_("代为录入：检查人员"), help_text=_("您不是本主体的抽中检查人员，须注明代哪位检查人员录入。"),
                choices=[("", "—"), *((pk, str(i)) for pk, i in self.proxy_inspectors.items())],
            )  # fmt: skip

    def proxy_inspector(self) -> Inspector | None:
        return self.proxy_inspectors.get(self.cleaned_data.get("proxy_for") or "")


class CorrectionForm(forms.Form):
    """Correct an entered result: the new result and why (the previous one is kept)."""

    inspected_on = forms.DateField(label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    result = forms.ChoiceField(label=_("更正后的检查结果"), choices=enum_choices("inspection_result"))
    note = forms.CharField(label=_("检查情况说明"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    reason = forms.CharField(label=_("更正理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, proxy_choices: list[Inspector] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.proxy_inspectors = {str(i.pk): i for i in proxy_choices}
        if self.proxy_inspectors:
            self.fields["proxy_for"] = forms.ChoiceField(
                label=_("代为更正：检查人员"), help_text=_("您不是本主体的检查人员，须注明代哪位检查人员更正。"),
                choices=[("", "—"), *((pk, str(i)) for pk, i in self.proxy_inspectors.items())],
            )  # fmt: skip

    @classmethod
    def initial_for(cls, assignment) -> dict:
        return {"inspected_on": assignment.inspected_on, "result": assignment.result, "note": assignment.note}

    def proxy_inspector(self) -> Inspector | None:
        return self.proxy_inspectors.get(self.cleaned_data.get("proxy_for") or "")


class ManualAssignForm(forms.Form):
    """Assign by hand one inspector to a subject the draw left short, with a reason."""

    inspector = forms.ModelChoiceField(label=_("检查人员"), queryset=Inspector.objects.none())
    reason = forms.CharField(label=_("指派理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, inspectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors
        self.fields["inspector"].label_from_instance = lambda i: f"{i}（{i.department.name}）"


class PolicyForm(forms.Form):
    """A new version of the 双随机 policy: a new draft's default ratios and inspectors per subject,
    and the working days allowed for results."""

    ratio_green = forms.DecimalField(
        label=_("绿色抽查比例（%）"), min_value=0, max_value=100, decimal_places=2
    )
    ratio_yellow = forms.DecimalField(
        label=_("黄色抽查比例（%）"), min_value=0, max_value=100, decimal_places=2
    )
    ratio_orange = forms.DecimalField(
        label=_("橙色抽查比例（%）"), min_value=0, max_value=100, decimal_places=2
    )
    ratio_red = forms.DecimalField(label=_("红色抽查比例（%）"), min_value=0, max_value=100, decimal_places=2)
    inspectors_per_subject = forms.IntegerField(label=_("每户检查人员数"), min_value=2, max_value=10)
    result_workdays = forms.IntegerField(label=_("结果录入期限（工作日）"), min_value=1, max_value=200)
    note = forms.CharField(label=_("修改说明"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def initial_for(cls, policy: InspectionPolicy) -> dict:
        return {"inspectors_per_subject": policy.inspectors_per_subject, "result_workdays": policy.result_workdays,
                **{f"ratio_{c}": _percent(policy.ratios[c]) for c in Colour.values}}  # fmt: skip

    def policy_data(self) -> dict:
        data = self.cleaned_data
        return {"ratios": {c: float(data[f"ratio_{c}"] / Decimal(100)) for c in Colour.values},
                "inspectors_per_subject": data["inspectors_per_subject"],
                "result_workdays": data["result_workdays"], "note": data["note"]}  # fmt: skip
