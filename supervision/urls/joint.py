"""Routes of 联合惩戒 (see supervision.urls): /supervision/joint/…"""

from django.urls import path

from supervision.views import joint as views

urlpatterns = [
    path("", views.joint_check, name="joint_check"),
    path("batch/", views.joint_batch, name="joint_batch"),
    path("checks/", views.joint_checks, name="joint_checks"),
    path("checks/<int:pk>/", views.joint_check_detail, name="joint_check_detail"),
    path("checks/<int:pk>/outcome/", views.joint_outcome, name="joint_outcome"),
    path("statistics/", views.joint_statistics, name="joint_statistics"),
    path("catalogue/", views.joint_catalogue, name="joint_catalogue"),
    path("catalogue/edit/", views.joint_catalogue_edit, name="joint_catalogue_edit"),
    path("catalogue/<int:version>/", views.joint_catalogue, name="joint_catalogue_version"),
]
