"""The enterprise's own pages under /enterprise/."""

from django.urls import path

from enterprises.views import auth, home, objections, repair

app_name = "enterprises"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.EnterpriseLoginView.as_view(), name="login"),
    path("logout/", auth.EnterpriseLogoutView.as_view(), name="logout"),
    path("activate/", auth.activate, name="activate"),
    path("otp/setup/", auth.otp_setup, name="otp_setup"),
    path("otp/verify/", auth.otp_verify, name="otp_verify"),
    path("notice/", home.notice, name="notice"),
    path("repair/<str:kind>/<int:record_pk>/", repair.apply, name="repair_apply"),
    path("applications/<int:pk>/", repair.application, name="application"),
    path("evidence/<int:pk>/", repair.evidence, name="evidence"),
    path("objection/<str:kind>/<int:record_pk>/", objections.file, name="objection_file"),
    path("objections/<int:pk>/", objections.detail, name="objection"),
]
