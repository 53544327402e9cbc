import pytest
from django.core.management import CommandError, call_command

from warning_system.accounts.models import StaffProfile


def test_demo_staff_are_created_once_per_department_and_role(reference_data, settings, capsys):
    settings.DEBUG = True
    call_command("create_demo_staff")
    call_command("create_demo_staff")
    admin = StaffProfile.objects.get(user__username="admin")
    assert admin.role == "admin" and admin.user.is_superuser
    assert StaffProfile.objects.filter(user__username="scjg_staff", department="SCJG", role="staff").exists()
    assert "demo staff: 0 created" in capsys.readouterr().out


def test_demo_staff_are_refused_on_a_production_setting(reference_data, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("create_demo_staff")
