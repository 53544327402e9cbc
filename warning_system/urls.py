from django.contrib import admin
from django.urls import include, path

from warning_system import admin_site

admin_site.install()

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("supervision/", include("supervision.urls")),
    path("enterprise/", include("enterprises.urls")),
    # The portal (with /api/v1/ subjects, search, checks) before the collectors' catch-all of /api/.
    path("", include("disclosure.urls")),
    path("", include("collectors.urls")),
]
