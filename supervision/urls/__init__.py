"""The workspace under /supervision/: one URL module per area."""

from django.urls import include, path

from supervision.views import auth, home

app_name = "supervision"

urlpatterns = [
    path("", home.workspace_home, name="home"),
    path("login/", auth.WorkspaceLoginView.as_view(), name="login"),
    path("logout/", auth.WorkspaceLogoutView.as_view(), name="logout"),
    path("otp/setup/", auth.otp_setup, name="otp_setup"),
    path("otp/verify/", auth.otp_verify, name="otp_verify"),
    path("dual/", include("supervision.urls.dual")),
    path("linked/", include("supervision.urls.linked")),
    path("audit/", include("supervision.urls.audit")),
    path("repair/", include("supervision.urls.repair")),
    path("objections/", include("supervision.urls.objections")),
    path("inspections/", include("supervision.urls.inspections")),
    path("joint/", include("supervision.urls.joint")),
    path("assessment/", include("supervision.urls.assessment")),
]
