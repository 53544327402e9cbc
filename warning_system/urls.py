from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from warning_system import admin_site

admin_site.install()

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # Browsers ask for /favicon.ico whatever the pages declare: send them to the declared icon.
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "favicon.svg", permanent=True)),
    path("admin/", admin.site.urls),
    path("supervision/", include("supervision.urls")),
    path("", include("warning_system.monitoring.urls")),
    path("enterprise/", include("enterprises.urls")),
    # The portal (with /api/v1/ subjects, search, checks) before the collectors' catch-all of /api/.
    path("", include("disclosure.urls")),
    path("", include("collectors.urls")),
]
