"""Routes of the assessment area (see supervision.urls): /supervision/assessment/…"""

from django.urls import path

from supervision.views import assessment as views

urlpatterns = [
    path("", views.assessment_scorecard, name="assessment_scorecard"),
    path("export.csv", views.assessment_export, name="assessment_export"),
    path("<str:code>/", views.assessment_trend, name="assessment_trend"),
    path("<str:code>/<int:year>/<int:month>/", views.assessment_findings, name="assessment_findings"),
    path(
        "<str:code>/<int:year>/<int:month>/export.csv",
        views.assessment_findings_export,
        name="assessment_findings_export",
    ),
]
