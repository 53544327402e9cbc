"""Routes of the repair area (see supervision.urls): credit repair review and pre-warnings."""

from django.urls import path

from supervision.views import enterprise, repair

urlpatterns = [
    path("", repair.application_list, name="repair_list"),
    path("<int:pk>/", repair.application_detail, name="repair_detail"),
    path("<int:pk>/decide/", repair.application_decide, name="repair_decide"),
    path("evidence/<int:pk>/", enterprise.repair_evidence, name="repair_evidence"),
    path("prewarnings/", repair.pre_warning_list, name="prewarning_list"),
]
