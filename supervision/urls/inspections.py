"""Routes of 双随机、一公开 (see supervision.urls)."""

from django.urls import path

from supervision.views import inspections

urlpatterns = [
    path("", inspections.tasks, name="inspection_tasks"),
    path("new/", inspections.task_create, name="inspection_task_create"),
    path("<int:pk>/", inspections.task_detail, name="inspection_task"),
    path("<int:pk>/edit/", inspections.task_edit, name="inspection_task_edit"),
    path("<int:pk>/freeze/", inspections.task_freeze, name="inspection_freeze"),
    path("<int:pk>/seed/", inspections.task_seed, name="inspection_seed"),
    path("<int:pk>/draw/", inspections.task_draw, name="inspection_draw"),
    path("<int:pk>/publish/", inspections.task_publish, name="inspection_publish"),
    path("<int:pk>/close/", inspections.task_close, name="inspection_close"),
    path("<int:pk>/cancel/", inspections.task_cancel, name="inspection_cancel"),
    path("results/", inspections.results, name="inspection_results"),
    path("results/<int:pk>/", inspections.result_entry, name="inspection_result"),
    path("results/<int:pk>/correct/", inspections.result_correct, name="inspection_result_correct"),
    path("<int:pk>/assign/<int:assignment_pk>/", inspections.manual_assign, name="inspection_assign"),
    path("attachments/<int:pk>/", inspections.attachment_download, name="inspection_attachment"),
    path("inspectors/", inspections.inspectors, name="inspection_inspectors"),
    path("inspectors/new/", inspections.inspector_create, name="inspection_inspector_create"),
    path("inspectors/<int:pk>/", inspections.inspector_edit, name="inspection_inspector_edit"),
    path("subjects/", inspections.subjects, name="inspection_subjects"),
    path("policy/", inspections.policy, name="inspection_policy"),
]
