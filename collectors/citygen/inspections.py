"""Inspections: the market regulator's 双随机 checks and the industry departments' own.

Why: an inspection that finds a subject gone or hiding facts is an orange trigger, and one
that orders a correction a yellow one; benign inspections around them show the inspection
feeds as departments fill them. A showcase subject is inspected by each of its departments,
so that even a small city has every inspection feed.
"""

from __future__ import annotations

from datetime import date

from collectors.citygen.data import table
from collectors.citygen.spellings import cn_number

# department -> (task name pattern, inspection type)
INSPECTION_TASKS = table("departments")["inspection_tasks"]


def inspections(block, s) -> None:
    r = block.r
    today = block.today
    year_now = block.as_of.year
    depts = (["SCJG"] if s.is_market else []) + list(s.industry.inspected_by)
    for dept in depts:
        p = 0.25 if dept == "SCJG" else 0.3
        shown = not s.showcase  # a showcase subject is inspected by each of its departments
        for y in range(max(date.fromordinal(s.established).year, year_now - 5), year_now + 1):
            if r() >= p and (shown or y < year_now - 1):
                continue
            shown = True
            lo = max(date(y, 1, 1).toordinal(), s.established + 20)
            hi = min(date(y, 12, 31).toordinal(), today - 1)
            if lo > hi:
                continue
            day = lo + int(r() * (hi - lo + 1))
            x = r()
            if x < 0.88:
                result = "no_problem"
            elif x < 0.94 or today - day < 400:
                result = "no_activity" if dept == "SCJG" and r() < 0.5 else "no_problem"
            else:
                result = "corrected"
            inspection(block, s, dept, day, result, benign=True)


def inspection(block, s, dept: str, day: int, result: str, benign: bool) -> None:
    st = block.streams[dept]["inspection"]
    year = date.fromordinal(day).year
    rec = block.base(st, year, block.stamp_after(day, 10))
    block.identify(s, rec, True)
    rec["subject_name"] = s.name
    rec["inspected_on"] = day
    rec["authority"] = block.authority(dept, s.district)
    task, itype = INSPECTION_TASKS[dept]
    rec["inspection_type"] = itype
    rec["task_name"] = task.format(y=year, n=cn_number(1 + int(block.r() * 4)))
    rec["result"] = result
    block.emit(dept, "inspection", rec, benign)
