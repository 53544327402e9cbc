"""Routes of the objections area (see supervision.urls): /supervision/objections/…"""

from django.urls import path

from supervision.views import objections as views

urlpatterns = [
    path("", views.objection_list, name="objection_list"),
    path("<int:pk>/", views.objection_detail, name="objection_detail"),
    path("<int:pk>/acknowledge/", views.objection_acknowledge_view, name="objection_acknowledge"),
    path("<int:pk>/uphold/", views.objection_uphold_view, name="objection_uphold"),
]
