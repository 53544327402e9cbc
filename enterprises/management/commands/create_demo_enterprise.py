"""Demo accounts of the enterprises' side: an account for a yellow subject with a record it may
apply to repair, and a fresh activation code for another such subject to try the activation."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from warning_system.accounts.models import EnterpriseAccount
from warning_system.accounts.services import activation_code_issue, enterprise_activate
from warning_system.classification.models import SubjectColour
from warning_system.classification.repairable import repair_options

USERNAME = "qiye_demo"
PASSWORD = "demo-2026"
LOOK_AT = 2000  # yellow subjects examined at most


def repairable_yellow_subjects(limit: int):
    """Yellow subjects without an account, in code order, with a record they may apply to repair now."""
    taken = EnterpriseAccount.objects.values("subject_id")
    usccs = (
        SubjectColour.objects.filter(colour="yellow", subject__withdrawn=False)
        .exclude(subject_id__in=taken)
        .order_by("subject_id")
        .values_list("subject_id", flat=True)[:LOOK_AT]
    )
    found = []
    for uscc in usccs:
        if any(option.may_apply for option in repair_options(uscc)):
            found.append(uscc)
            if len(found) == limit:
                break
    return found


class Command(BaseCommand):
    help = "创建演示企业账号（qiye_demo / demo-2026）并签发另一家企业的激活码"

    def handle(self, *args, **options):
        account = EnterpriseAccount.objects.select_related("subject").filter(user__username=USERNAME).first()
        candidates = repairable_yellow_subjects(1 if account else 2)
        if account is None:
            if get_user_model().objects.filter(username=USERNAME).exists():
                raise CommandError(f"用户名 {USERNAME} 已被非企业账号占用")
            if not candidates:
                raise CommandError("没有可申请信用修复的黄色主体：先载入演示数据（scripts/run.py）")
            uscc = candidates.pop(0)
            code = activation_code_issue(uscc=uscc)
            account = enterprise_activate(uscc=uscc, code=code, username=USERNAME, password=PASSWORD)
        self.stdout.write(
            f"企业账号 {USERNAME} / {PASSWORD}：{account.subject.name}（{account.subject_id}）→ /enterprise/login/"
        )
        if candidates:
            uscc = candidates[0]
            code = activation_code_issue(uscc=uscc)
            self.stdout.write(f"激活码 {code}：统一社会信用代码 {uscc} → /enterprise/activate/")
