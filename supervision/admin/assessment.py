"""Admin of 部门考核's policy: every save is a new version (starting from the current one's numbers);
a version is never edited or deleted, so each stored score keeps the numbers it was computed with."""

from django.contrib import admin
from django.db import transaction
from django.db.models import Max

from supervision.models import AssessmentPolicy


@admin.register(AssessmentPolicy)
class AssessmentPolicyAdmin(admin.ModelAdmin):
    list_display = ("version", "deadline_workdays", "weight_timeliness", "weight_accuracy",
                    "weight_completeness", "fields_share", "correction_deduction", "withdrawal_deduction",
                    "runs_per_kind", "created_at", "created_by")  # fmt: skip
    fields = ("deadline_workdays", "weight_timeliness", "weight_accuracy", "weight_completeness", "fields_share",
              "correction_deduction", "withdrawal_deduction", "runs_per_kind", "note")  # fmt: skip

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_changeform_initial_data(self, request) -> dict:
        current = AssessmentPolicy.objects.order_by("-version").first()
        return {name: getattr(current, name) for name in self.fields if name != "note"} if current else {}

    def save_model(self, request, obj, form, change) -> None:
        with transaction.atomic():
            AssessmentPolicy.objects.select_for_update().order_by("-version").first()
            obj.version = (AssessmentPolicy.objects.aggregate(last=Max("version"))["last"] or 0) + 1
            obj.created_by = request.user
            obj.save()
