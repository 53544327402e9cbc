"""Forms of the enterprise's pages: activation, login, a repair application with its evidence."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from warning_system.accounts.selectors import enterprise_account
from warning_system.evidence.services import MAX_FILES


class ActivationForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    code = forms.CharField(
        label=_("激活码"), max_length=30, help_text=_("见双告知告知书，或向登记机关申领；一次有效")
    )
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("两次输入的密码不一致"))
        return cleaned


class EnterpriseLoginForm(AuthenticationForm):
    """The workspace's own accounts are refused here, with the same words as a wrong password."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if enterprise_account(user) is None:
            raise self.get_invalid_login_error()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("最多上传 %(n)s 个文件") % {"n": MAX_FILES})
        return [single(f, initial) for f in files]


class RepairApplyForm(forms.Form):
    reason = forms.CharField(
        label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        help_text=_("说明已纠正失信行为、履行法定义务的情况"),
    )  # fmt: skip
    evidence = EvidenceField(
        label=_("证明材料"), required=False, widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        help_text=_("PDF、JPEG 或 PNG，每个文件不超过 %(mb)s MB") % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)},
    )  # fmt: skip


class TokenForm(forms.Form):
    token = forms.CharField(label=_("动态验证码"), max_length=8)


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        help_text=_("说明记录哪里有误，以及正确的情况"),
    )  # fmt: skip
    evidence = EvidenceField(
        label=_("证明材料"), required=False, widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        help_text=_("PDF、JPEG 或 PNG，每个文件不超过 %(mb)s MB") % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)},
    )  # fmt: skip
