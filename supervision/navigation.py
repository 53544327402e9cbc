"""The workspace header's links, by role: one list for every page (a context processor)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from supervision.access import ADMINS, ALL_ROLES, LEADERS

# (url name, args, label, roles)
LINKS = (
    ("supervision:dual_queue", ["to_claim"], _("双告知"), ALL_ROLES),
    ("supervision:dual_dashboard", [], _("双告知统计"), ALL_ROLES),
    ("supervision:linked_inbox", [], _("联动监管"), ALL_ROLES),
    ("supervision:key_list", [], _("重点监管"), ALL_ROLES),
    ("supervision:repair_list", [], _("信用修复"), ALL_ROLES),
    ("supervision:objection_list", [], _("异议申诉"), ALL_ROLES),
    ("supervision:prewarning_list", [], _("预警提醒"), ALL_ROLES),
    ("supervision:inspection_tasks", [], _("双随机"), ALL_ROLES),
    ("supervision:joint_check", [], _("联合惩戒"), ALL_ROLES),
    ("supervision:assessment_scorecard", [], _("部门考核"), ALL_ROLES),
    ("supervision:audit_search", [], _("监管留痕"), LEADERS),
    ("supervision:dual_catalogue", [], _("后置审批目录"), ADMINS),
)


def workspace_nav(request) -> dict:
    staff = getattr(request, "staff", None)
    if staff is None:
        return {}
    return {
        "workspace_nav": [
            {"url": reverse(name, args=args), "label": label}
            for name, args, label, roles in LINKS
            if staff.role in roles
        ]
    }
