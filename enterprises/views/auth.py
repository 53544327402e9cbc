"""Activation, login (the workspace's lockout: django-axes counts every attempt), logout, and the
optional TOTP second factor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from enterprises.access import OTP_ENROLLED, enterprise_view
from enterprises.forms import ActivationForm, EnterpriseLoginForm, TokenForm
from warning_system.accounts import otp
from warning_system.accounts.services import ActivationError, enterprise_activate


class EnterpriseLoginView(auth_views.LoginView):
    template_name = "enterprises/login.html"
    authentication_form = EnterpriseLoginForm
    redirect_authenticated_user = False

    def get_default_redirect_url(self):
        return "/enterprise/"

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[OTP_ENROLLED] = otp.confirmed_device(form.get_user()) is not None
        return response


class EnterpriseLogoutView(auth_views.LogoutView):
    next_page = "enterprises:login"


def activate(request: HttpRequest) -> HttpResponse:
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enterprise_activate(
                uscc=data["uscc"], code=data["code"], username=data["username"], password=data["password"]
            )
        except ActivationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("账号已开通，请登录。"))
            return redirect("enterprises:login")
    return render(request, "enterprises/activate.html", {"form": form}, status=400 if form.errors else 200)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "enterprises:home"


@enterprise_view
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator (optional for enterprises): from then on every login asks for a code."""
    if otp.confirmed_device(request.user) is not None:
        return redirect("enterprises:home")
    device = otp.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.device_confirm(request=request, device=device, token=form.cleaned_data["token"]):
            request.session[OTP_ENROLLED] = True
            messages.success(request, _("动态验证码已启用。"))
            return redirect("enterprises:home")
        form.add_error("token", _("验证码不正确，请核对手机时间后重试。"))
    context = {"form": form, "secret": otp.secret_text(device), "qr_svg": otp.qr_svg(device)}
    return render(request, "enterprises/otp_setup.html", context)


@login_required(login_url="enterprises:login")
def otp_verify(request: HttpRequest) -> HttpResponse:
    if otp.confirmed_device(request.user) is None:
        return redirect("enterprises:home")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.verify(request=request, token=form.cleaned_data["token"]):
            return redirect(_next_url(request))
        form.add_error("token", _("验证码不正确或已使用。"))
    return render(request, "enterprises/otp_verify.html", {"form": form, "next": request.GET.get("next", "")})
