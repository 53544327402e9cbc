"""`manage.py assess_departments [--month YYYY-MM]`: score every department's reporting of a month
(default: the month just ended) and store the scores with the records that cost points."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from supervision.selectors.assessment import parse_month
from supervision.services.assessment import month_assess, previous_month


class Command(BaseCommand):
    help = "部门考核：按月计算各部门数据报送的及时性、准确性、完整性与总分（默认上一个月）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--month", help="YYYY-MM (default: the month just ended; 'current' for this month so far)"
        )

    def handle(self, *args, month: str | None = None, **options) -> None:
        today = timezone.localdate()
        if month is None:
            first = previous_month(today)
        elif month == "current":
            first = today.replace(day=1)
        else:
            first = parse_month(month)
            if first is None:
                raise CommandError(f"--month must be YYYY-MM (or 'current'), not {month!r}")
        if first > today:
            raise CommandError(f"{first:%Y-%m} has not begun yet")
        result = month_assess(first.year, first.month)
        ranked = sorted((s for s in result.scores if s.total is not None), key=lambda s: -s.total)
        self.stdout.write(
            f"{first:%Y-%m}: {result.departments} departments scored with policy v{result.policy_version}"
            + (f"; best {ranked[0].department_id} {ranked[0].total}, lowest {ranked[-1].department_id} "
               f"{ranked[-1].total}" if ranked else "")
        )  # fmt: skip
