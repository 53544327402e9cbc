"""Forms of the public portal."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

from .selectors.batch import (
    UPLOAD_EXTENSIONS,
    UPLOAD_MAX_BYTES,
    BatchInputError,
    check_count,
    entries_from_text,
    entries_from_upload,
)
from .selectors.batch_pages import ALL, SHOW_LABELS


class BatchCheckForm(forms.Form):
    """Codes or names typed or pasted, and/or a .csv/.xlsx file: cleaned into `entries`."""

    codes = forms.CharField(
        label=gettext_lazy("统一社会信用代码或名称"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
        help_text=gettext_lazy("每行一个，也可用逗号、分号或制表符分隔；支持注册号和组织机构代码。"),
    )
    upload = forms.FileField(
        label=gettext_lazy("或上传文件"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ",".join(f".{e}" for e in UPLOAD_EXTENSIONS)}),
        help_text=gettext_lazy(
            "CSV 或 Excel（.xlsx）文件，读取“统一社会信用代码”或“名称”列，没有则读取第一列。"
        ),
    )

    @property
    def max_codes(self) -> int:
        return settings.BATCH_CHECK_MAX_CODES

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("codes") or ""
        upload = cleaned.get("upload")
        if not text.strip() and not upload:
            if not self.errors:
                raise forms.ValidationError(gettext("请输入代码或名称，或上传文件。"))
            return cleaned
        entries: list[str] = []
        try:
            if text.strip():
                entries += entries_from_text(text)
        except BatchInputError as exc:
            self.add_error("codes", exc.message)
        try:
            if upload:
                entries += entries_from_upload(upload.name, upload.read(UPLOAD_MAX_BYTES + 1))
        except BatchInputError as exc:
            self.add_error("upload", exc.message)
        if self.errors:
            return cleaned
        try:
            cleaned["entries"] = check_count(list(dict.fromkeys(entries)))
        except BatchInputError as exc:
            raise forms.ValidationError(exc.message) from None
        return cleaned


class BatchDownloadForm(BatchCheckForm):
    """The checked entries sent back (in `codes`) with the file format wanted."""

    format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "Excel")])


class BatchResultForm(forms.Form):
    """Which rows of a kept result to show (?show=) and which page of them (?page=)."""

    show = forms.ChoiceField(required=False, choices=[(show, label) for show, label in SHOW_LABELS.items()])
    page = forms.IntegerField(required=False, min_value=1)

    def clean_show(self) -> str:
        return self.cleaned_data.get("show") or ALL
