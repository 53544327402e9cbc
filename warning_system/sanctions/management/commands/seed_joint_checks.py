"""Demo 联合惩戒 checks (`make run` calls this after the demo city and the demo staff): departments
and institutions check subjects of every colour for the uses they decide, over this year and the
last, through the same services the workspace and the API use, and report what they did about most
restricted answers. Every check it makes is marked as demo data (warning_system.demo). Once: a
database that has checks is left alone (--force adds more)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from warning_system.accounts.models import StaffProfile
from warning_system.classification.models import SubjectColour
from warning_system.demo.services import demo_mark
from warning_system.sanctions import measures
from warning_system.sanctions.models import Channel, JointCheck, ReportedAction, Use, actions_for
from warning_system.sanctions.services import Requester, outcome_report, subjects_check

# Which demo account asks about which uses (create_demo_staff's accounts).
ASKERS = {
    "scjg_staff": (Use.HONOUR, Use.SUBSIDY),
    "scjg_leader": (Use.HONOUR,),
    "wjw_staff": (Use.PROCUREMENT,),
    "yjjd_staff": (Use.PROCUREMENT, Use.SUBSIDY),
    "jtj_staff": (Use.BIDDING, Use.PROCUREMENT),
    "wglj_staff": (Use.SUBSIDY, Use.HONOUR),
}
# Institutions ask through the API; the demo has no API keys, so they stand without one (no id: no
# institution's API lists them), labelled as such.
INSTITUTIONS = {
    "江西银行南昌分行（演示）": (Use.FINANCING,),
    "南昌农村商业银行（演示）": (Use.FINANCING,),
    "江西省股权交易中心（演示）": (Use.LISTING,),
}
# Share of checks per colour: the askers look hardest at subjects with records.
COLOUR_MIX = {"red": 0.35, "orange": 0.3, "yellow": 0.15, "green": 0.2}
POOL_PER_COLOUR = 2_000
NOTES = {
    ReportedAction.BID_REJECTED: "评标阶段否决其投标",
    ReportedAction.SUBSIDY_DENIED: "不予拨付专项补贴资金",
    ReportedAction.HONOUR_WITHDRAWN: "取消本年度评选资格",
    ReportedAction.CREDIT_DENIED: "暂停新增授信",
    ReportedAction.LISTING_DEFERRED: "暂缓挂牌申请",
    ReportedAction.NONE: "项目已终止，未采取措施",
}


class Command(BaseCommand):
    help = "Run demo joint-punishment checks and outcomes through the services (once)."

    def add_arguments(self, parser):
        parser.add_argument("--checks", type=int, default=400, help="how many checks (default 400)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true", help="add more even if checks exist")

    def handle(self, *args, checks: int, seed: int, force: bool, **options):
        if JointCheck.objects.exists() and not force:
            self.stdout.write("joint checks: already seeded (--force adds more)")
            return
        profiles = StaffProfile.objects.select_related("user", "department").filter(user__username__in=ASKERS)
        if not profiles:
            raise CommandError("no demo staff: run create_demo_staff first")
        askers = {p.user.username: (Requester.of_staff(p), p, ASKERS[p.user.username]) for p in profiles}
        for label, uses in INSTITUTIONS.items():
            askers[label] = (
                Requester.of_institution(institution_id=None, label=label, api_key_id=None),
                None,
                uses,
            )
        pools = {
            colour: list(SubjectColour.objects.filter(colour=colour, subject__withdrawn=False)
                         .order_by("subject_id").values_list("subject_id", flat=True)[:POOL_PER_COLOUR])
            for colour in COLOUR_MIX
        }  # fmt: skip
        if not any(pools.values()):
            raise CommandError("no classified subjects: load the demo city and run classify --all first")
        rng = random.Random(seed)
        today = timezone.localdate()
        first_day = today.replace(year=today.year - 1, month=1, day=1)
        span = (today - first_day).days

        # One batch per asker and day, as an office checks a tender's bidders together.
        batches: dict[tuple[str, object], list[tuple[str, str]]] = {}
        colours = [c for c in COLOUR_MIX if pools[c]]
        weights = [COLOUR_MIX[c] for c in colours]
        for _ in range(checks):
            name = rng.choice(sorted(askers))
            day = first_day + timedelta(days=rng.randrange(span + 1))
            uscc = rng.choice(pools[rng.choices(colours, weights)[0]])
            batches.setdefault((name, day), []).append((uscc, rng.choice(askers[name][2])))

        stored, reported, made = 0, 0, []
        for (name, day), pairs in sorted(batches.items(), key=lambda item: (item[0][1], item[0][0])):
            requester, profile, _uses = askers[name]
            channel = Channel.API if profile is None else Channel.BATCH if len(pairs) > 1 else Channel.PAGE
            result = subjects_check(
                pairs=list(dict.fromkeys(pairs)), requester=requester, channel=channel, day=day
            )
            for answer in result.results:
                stored += 1
                made.append(answer.check.pk)
                reported += self._report(rng, requester, answer.check, today)
        demo_mark(model=JointCheck, ids=made, what="演示联合惩戒核查")
        self.stdout.write(
            f"joint checks: {stored} stored in {len(batches)} batches, {reported} outcomes reported"
        )

    def _report(self, rng: random.Random, requester: Requester, check: JointCheck, today) -> int:
        """Most restricted answers get the restriction reported, some “no measure”, some nothing yet."""
        draw = rng.random()
        if check.outcome != measures.RESTRICTED or draw > 0.9:
            return 0
        action = actions_for(check.use)[0] if draw < 0.8 else ReportedAction.NONE
        on = min(today, check.checked_on + timedelta(days=rng.randrange(0, 21)))
        outcome_report(check=check, action=action, on=on, note=NOTES.get(action, ""), requester=requester)
        return 1
