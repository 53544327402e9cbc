from django.urls import include, path, re_path

from .api.docs import RedocDocsView, SwaggerDocsView
from .views import bank, inspections, lists, pages, reports

app_name = "disclosure"

urlpatterns = [
    path("", pages.home, name="home"),
    re_path(r"^search/?$", pages.search, name="search"),
    re_path(r"^subjects/(?P<uscc>[^/]+)/?$", pages.subject, name="subject"),
    path("subjects/<str:uscc>/report", reports.issue_report, name="issue-report"),
    path("reports/verify", reports.verify_report, name="verify-report"),
    path("reports/<str:number>.pdf", reports.report_pdf, name="report-pdf"),
    path("reports/<str:number>", reports.report, name="report"),
    path("lists/<str:colour>.csv", lists.colour_list_csv, name="colour-list-csv"),
    path("lists/<str:colour>", lists.colour_list, name="colour-list"),
    path("statistics", lists.statistics, name="statistics"),
    re_path(r"^colours/?$", pages.colours, name="colours"),
    path("check", bank.batch_check, name="batch-check"),
    path("check/download", bank.batch_download, name="batch-download"),
    path("check/results/<str:token>", bank.batch_result, name="batch-result"),
    path("inspections/", inspections.task_list, name="inspection-tasks"),
    path("inspections/verify_draw.py", inspections.verifier, name="inspection-verifier"),
    path("inspections/<str:number>/", inspections.task_page, name="inspection-task"),
    path("inspections/<str:number>/files.zip", inspections.task_zip, name="inspection-zip"),
    path("inspections/<str:number>/files/<str:name>", inspections.task_file, name="inspection-file"),
    path("api/docs/", SwaggerDocsView.as_view(), name="api-docs"),
    path("api/redoc/", RedocDocsView.as_view(), name="api-redoc"),
    path("api/v1/", include("disclosure.api.urls")),
]
