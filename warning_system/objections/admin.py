"""Admin of the objections: the deadlines' policy (every save a new version through the service, so it
is audited; a version is never edited or deleted) and a read-only list of the objections."""

from django.contrib import admin
from django.core.exceptions import ValidationError

from warning_system.objections.models import Objection, ObjectionPolicy
from warning_system.objections.selectors import current_policy
from warning_system.objections.services import ObjectionError, objection_policy_save


@admin.register(ObjectionPolicy)
class ObjectionPolicyAdmin(admin.ModelAdmin):
    list_display = ("version", "acknowledge_workdays", "conclude_workdays", "created_at", "author", "note")
    fields = ("acknowledge_workdays", "conclude_workdays", "note")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_changeform_initial_data(self, request) -> dict:
        current = current_policy()
        return {
            "acknowledge_workdays": current.acknowledge_workdays,
            "conclude_workdays": current.conclude_workdays,
        }

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class Checked(form):
            def clean(self):
                cleaned = super().clean()
                ack, done = cleaned.get("acknowledge_workdays"), cleaned.get("conclude_workdays")
                if ack is not None and done is not None and done < ack:
                    raise ValidationError("办结期限不得短于受理期限")
                return cleaned

        return Checked

    def save_model(self, request, obj, form, change) -> None:
        try:
            saved = objection_policy_save(
                acknowledge_workdays=obj.acknowledge_workdays, conclude_workdays=obj.conclude_workdays,
                note=obj.note, author=request.user,
            )  # fmt: skip
        except ObjectionError as exc:  # the form checked it already; a race is the only way here
            raise ValidationError(str(exc)) from exc
        obj.pk, obj.version = saved.pk, saved.version


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    """Read only: objections are answered in the workspace, where each step is audited."""

    list_display = ("subject", "kind", "record_id", "department", "status", "submitted_at", "conclude_due")
    list_filter = ("status", "department")
    search_fields = ("subject__uscc", "record_id")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
