"""Login, logout and the TOTP second factor (required for system administrators)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from supervision.access import OTP_ENROLLED
from supervision.forms.auth import TokenForm
from supervision.services import otp as otp_services


class WorkspaceLoginView(auth_views.LoginView):
    template_name = "supervision/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[OTP_ENROLLED] = otp_services.confirmed_device(form.get_user()) is not None
        return response


class WorkspaceLogoutView(auth_views.LogoutView):
    next_page = "supervision:login"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "supervision:home"


@login_required
def otp_setup(request):
    """Enrol an authenticator: the secret as a QR code and as text, confirmed by a first code."""
    if otp_services.confirmed_device(request.user) is not None:
        return redirect("supervision:otp_verify")
    device = otp_services.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp_services.device_confirm(request=request, device=device, token=form.cleaned_data["token"]):
            messages.success(request, _("动态验证码已启用。"))
            return redirect(_next_url(request))
        form.add_error("token", _("验证码不正确，请核对手机时间后重试。"))
    return render(
        request,
        "supervision/otp_setup.html",
        {
            "form": form,
            "secret": otp_services.secret_text(device),
            "qr_svg": otp_services.qr_svg(device),
            "next": _next_url(request) if request.GET.get("next") else "",
        },
    )


@login_required
def otp_verify(request):
    if otp_services.confirmed_device(request.user) is None:
        return redirect("supervision:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp_services.verify(request=request, token=form.cleaned_data["token"]):
            return redirect(_next_url(request))
        form.add_error("token", _("验证码不正确或已使用。"))
    return render(request, "supervision/otp_verify.html", {"form": form, "next": request.GET.get("next", "")})
