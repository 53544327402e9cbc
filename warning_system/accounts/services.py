"""Creating regulator accounts."""

from django.contrib.auth import get_user_model
from django.db import transaction

from warning_system.accounts.models import Role, StaffProfile
from warning_system.registry.models import Department


@transaction.atomic
def staff_create(
    *, username: str, password: str, department: Department, role: str = Role.STAFF, full_name: str = ""
) -> StaffProfile:
    """A login for one department. System administrators are also Django superusers (admin site)."""
    user_model = get_user_model()
    user = user_model.objects.create_user(
        username=username,
        password=password,
        first_name=full_name,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    return StaffProfile.objects.create(user=user, department=department, role=role)
