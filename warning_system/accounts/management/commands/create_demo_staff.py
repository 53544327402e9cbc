"""Demo logins for a newcomer to walk through every workspace workflow (`make run` calls this)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from warning_system.accounts.models import Role, StaffProfile
from warning_system.accounts.services import staff_create
from warning_system.registry.models import Department

# (username, department, role, display name): the market regulator runs the system; the others
# are competent departments of the post-licence catalogue (双告知) and linked supervision.
DEMO_STAFF = (
    ("admin", "SCJG", Role.ADMIN, "系统管理员"),
    ("scjg_leader", "SCJG", Role.LEADER, "市场监管局负责人"),
    ("scjg_staff", "SCJG", Role.STAFF, "市场监管局工作人员"),
    ("yjjd_staff", "YJJD", Role.STAFF, "药监分局工作人员"),
    ("wglj_leader", "WGLJ", Role.LEADER, "文广旅局负责人"),
    ("wglj_staff", "WGLJ", Role.STAFF, "文广旅局工作人员"),
    ("jtj_staff", "JTJ", Role.STAFF, "交通运输局工作人员"),
    ("wjw_staff", "WJW", Role.STAFF, "卫健委工作人员"),
)


class Command(BaseCommand):
    help = "Create the demo regulator accounts (idempotent) and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo-2026", help="one password for every demo account")
        parser.add_argument(
            "--force", action="store_true", help="create them even with DEBUG off (never on a real system)"
        )

    def handle(self, *args, password: str, force: bool, **options):
        if not (settings.DEBUG or force):
            raise CommandError("demo accounts share a known password: only with DEBUG on, or with --force")
        created = 0
        for username, code, role, full_name in DEMO_STAFF:
            if StaffProfile.objects.filter(user__username=username).exists():
                continue
            staff_create(
                username=username,
                password=password,
                department=Department.objects.get(code=code),
                role=role,
                full_name=full_name,
            )
            created += 1
        self.stdout.write(f"demo staff: {created} created, {len(DEMO_STAFF) - created} already there")
        self.stdout.write(f"workspace: /supervision/login/ · password for every account: {password}")
        for username, code, role, full_name in DEMO_STAFF:
            self.stdout.write(f"  {username:<12} {code:<5} {role.label} ({full_name})")
        self.stdout.write(
            "  admin must enrol an authenticator app (TOTP) at the first login: the page shows a QR code "
            "and the secret (without a phone: oathtool --totp -b <secret>)."
        )
