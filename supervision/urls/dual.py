"""Routes of the dual area (see supervision.urls): /supervision/dual/…"""

from django.urls import path

from supervision.views import dual as views
from supervision.views import enterprise

urlpatterns = [
    path("", views.dual_queue, {"queue": "to_claim"}, name="dual_home"),
    path("queue/<slug:queue>/", views.dual_queue, name="dual_queue"),
    path("<int:pk>/", views.dual_detail, name="dual_detail"),
    path("<int:pk>/claim/", views.dual_claim, name="dual_claim"),
    path("<int:pk>/return/", views.dual_return, name="dual_return"),
    path("<int:pk>/feedback/", views.dual_feedback, name="dual_feedback"),
    path("<int:pk>/close/", views.dual_close, name="dual_close"),
    path("<int:pk>/personal/", views.dual_personal, name="dual_personal"),
    path("<int:pk>/written-notice/", views.dual_written_notice, name="dual_written_notice"),
    path("subject/<str:uscc>/notice/", views.dual_notice, name="dual_notice"),
    path(
        "subject/<str:uscc>/activation-code/", enterprise.issue_activation_code, name="dual_activation_code"
    ),
    path("dashboard/", views.dual_dashboard, name="dual_dashboard"),
    path("catalogue/", views.dual_catalogue, name="dual_catalogue"),
    path("catalogue/new/", views.dual_catalogue_edit, name="dual_catalogue_new"),
    path("catalogue/<int:pk>/", views.dual_catalogue_edit, name="dual_catalogue_edit"),
    path("catalogue/<int:pk>/delete/", views.dual_catalogue_delete, name="dual_catalogue_delete"),
    path("catalogue/versions/<int:version>/", views.dual_catalogue_revision, name="dual_catalogue_revision"),
]
