"""Forms of 联合惩戒: a check, a batch, the outcome reported back, and a catalogue version."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from supervision.services import joint as services
from warning_system.classification.models import Colour
from warning_system.sanctions import measures
from warning_system.sanctions.models import JointCheck, ReportedAction, actions_for
from warning_system.sanctions.selectors import rule_choices, use_label, uses_in_effect
from warning_system.sanctions.services import SanctionError

# ISO, as <input type="date"> requires whatever the language formats dates as.
DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class JointCheckForm(forms.Form):
    subject = forms.CharField(
        label=_("统一社会信用代码或名称"), max_length=200,
        help_text=_("18 位统一社会信用代码（也可填注册号、组织机构代码）或准确的主体名称。"),
    )  # fmt: skip
    # The uses of the catalogue in force, read each time the form is built.
    use = forms.ChoiceField(label=_("核查事项"), choices=uses_in_effect)

    def use_labels(self) -> str:
        """The uses offered, for the page's introduction (they change with the catalogue)."""
        return gettext("、").join(str(label) for _use, label in self.fields["use"].choices)


class JointBatchForm(forms.Form):
    use = forms.ChoiceField(
        label=_("默认核查事项"), choices=uses_in_effect, help_text=_("未在文件中写明事项的行按此事项核查。")
    )
    entries = forms.CharField(
        label=_("统一社会信用代码"), required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("每行一个；可在代码后加逗号和事项，如“统一社会信用代码,招标投标”。"),
    )  # fmt: skip
    upload = forms.FileField(
        label=_("或上传文件"), required=False,
        widget=forms.FileInput(attrs={"accept": ",".join(f".{e}" for e in services.UPLOAD_EXTENSIONS)}),
        help_text=_("CSV 或 XLSX：一列“统一社会信用代码”，可加一列“事项”。"),
    )  # fmt: skip

    def clean(self) -> dict:
        cleaned = super().clean()
        if "use" not in cleaned:
            return cleaned
        upload = cleaned.get("upload")
        try:
            lines = services.lines_from_text(cleaned.get("entries") or "")
            if upload is not None:
                lines += services.lines_from_upload(upload.name, upload.read())
            cleaned["pairs"] = services.pairs_of(lines, cleaned["use"])
        except SanctionError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        return cleaned


class JointOutcomeForm(forms.Form):
    action = forms.ChoiceField(label=_("采取的措施"))
    on = forms.DateField(label=_("措施日期"), widget=DATE_INPUT, initial=timezone.localdate)
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如：项目名称、文书编号。"),
    )  # fmt: skip

    def __init__(self, *args, check: JointCheck, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ReportedAction.choices)
        allowed = list(actions_for(check.use)) if check.outcome == measures.RESTRICTED else []
        self.fields["action"].choices = [(a, labels[a]) for a in [*allowed, ReportedAction.NONE]]


class CatalogueForm(forms.Form):
    """Every use's colours, lists, measure and legal basis; saving publishes a new version. The uses
    are those of the version shown (a use is added or dropped in the admin site); each keeps its
    label and order."""

    effective_from = forms.DateField(label=_("生效日期"), widget=DATE_INPUT, initial=timezone.localdate)
    note = forms.CharField(label=_("修改说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, current: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        colours = [(c, label) for c, label in Colour.choices if c != measures.GREEN]
        self.current = current
        for use in measures.uses_of(current):
            entry = current[use]
            self.fields[f"{use}_colours"] = forms.MultipleChoiceField(
                label=_("限制的颜色"), choices=colours, required=False, widget=forms.CheckboxSelectMultiple,
                initial=entry.get("colours", []),
            )  # fmt: skip
            self.fields[f"{use}_lists"] = forms.MultipleChoiceField(
                label=_("不论颜色均限制的名单"), choices=rule_choices(), required=False,
                widget=forms.CheckboxSelectMultiple, initial=entry.get("lists", []),
            )  # fmt: skip
            self.fields[f"{use}_measure"] = forms.CharField(
                label=_("惩戒措施"), max_length=500, initial=entry.get("measure", "")
            )
            self.fields[f"{use}_legal_basis"] = forms.CharField(
                label=_("法律依据"), max_length=4000, initial=entry.get("legal_basis", ""),
                widget=forms.Textarea(attrs={"rows": 3}),
            )  # fmt: skip

    def uses(self) -> list[dict]:
        """The fields grouped per use, for the template."""
        return [
            {"use": use, "label": use_label(use, self.current),
             "fields": [self[f"{use}_{part}"] for part in ("colours", "lists", "measure", "legal_basis")]}
            for use in measures.uses_of(self.current)
        ]  # fmt: skip

    def measures_data(self) -> dict:
        data = self.cleaned_data
        return {
            use: {**self.current[use], "label": self.current[use].get("label")
                  or measures.DEFAULT_MEASURES.get(use, {}).get("label", use),
                  "colours": list(data[f"{use}_colours"]), "lists": list(data[f"{use}_lists"]),
                  "measure": data[f"{use}_measure"].strip(), "legal_basis": data[f"{use}_legal_basis"].strip()}
            for use in measures.uses_of(self.current)
        }  # fmt: skip
