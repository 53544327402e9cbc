"""回避 privacy (rivest-sha256-v2): conflicts frozen with a private salt per task; a draw publishes the
salts of the conflicts it met (conflicts.csv) and no other."""

import pytest

from tests.inspections.world import VALUES, InspectorFactory, drawn, frozen, published
from warning_system.inspections import services as core
from warning_system.inspections import verify_draw
from warning_system.inspections.models import DrawFile, FrozenConflict, Inspector

pytestmark = pytest.mark.django_db


def stored(task, name: str) -> bytes:
    return bytes(DrawFile.objects.get(task=task, name=name).content)


def test_each_freeze_salts_a_conflict_afresh(city, scjg_leader):
    InspectorFactory(conflicts=[city[0].uscc])
    first = frozen(scjg_leader.user)
    first_tokens = set(stored(first, "inspectors.csv").decode().split(",")[-1].split(";"))
    core.task_cancel(task=first, user=scjg_leader.user, reason="重新冻结")
    second = frozen(scjg_leader.user)
    salts = set(FrozenConflict.objects.filter(uscc=city[0].uscc).values_list("salt", flat=True))
    assert len(salts) == 2
    assert first_tokens.isdisjoint(stored(second, "inspectors.csv").decode().split(",")[-1].split(";"))


def test_the_salts_stay_private_until_the_draw(city, scjg_leader):
    InspectorFactory(conflicts=[s.uscc for s in city])
    task = frozen(scjg_leader.user)
    salts = FrozenConflict.objects.filter(task=task).values_list("salt", flat=True)
    files = b"".join(bytes(f.content) for f in DrawFile.objects.filter(task=task))
    assert len(salts) == len(city) and not any(salt.encode() in files for salt in salts)


def test_the_draw_publishes_exactly_the_conflicts_it_met(city, scjg_leader):
    conflicted = InspectorFactory(conflicts=[s.uscc for s in city])
    task = drawn(scjg_leader.user)
    revealed = verify_draw.parse_conflicts(stored(task, "conflicts.csv"))
    refused = {(r["inspector_id"], r["uscc"]) for r in task.rejections if r["reason"] == "conflict"}
    assert {(c.inspector_id, c.uscc) for c in revealed} == refused
    salts = dict(FrozenConflict.objects.filter(task=task).values_list("uscc", "salt"))  # one inspector
    assert all(c.salt == salts[c.uscc] and c.inspector_id == conflicted.badge_number for c in revealed)


def test_a_conflict_the_draw_never_met_stays_opaque(city, scjg_leader):
    """An inspector of the department who lacks the task's qualification is never a candidate."""
    InspectorFactory(qualifications=["pricing"], conflicts=[city[0].uscc])
    task = drawn(scjg_leader.user, qualifications=["food"])
    assert verify_draw.parse_conflicts(stored(task, "conflicts.csv")) == []


def test_a_conflict_declared_after_freezing_does_not_enter_the_draw(city, scjg_leader):
    task = frozen(scjg_leader.user)
    Inspector.objects.filter(pk=Inspector.objects.first().pk).update(conflicts=[s.uscc for s in city])
    task = core.task_draw(task=core.task_seed(task=task, user=scjg_leader.user, values=VALUES),
                              user=scjg_leader.user)  # fmt: skip
    assert not [r for r in task.rejections if r["reason"] == "conflict"]


def test_the_published_bundle_verifies(city, scjg_leader):
    InspectorFactory(conflicts=[s.uscc for s in city])
    task = published(scjg_leader.user)
    files = {
        f.name: bytes(f.content) for f in DrawFile.objects.filter(task=task).exclude(name="published.zip")
    }
    report = verify_draw.verify_files(
        files, {name: verify_draw.sha256_hex(files[name]) for name in verify_draw.FILES}
    )
    assert report.match, report.summary()
    assert report.algorithm == verify_draw.ALGORITHM == "rivest-sha256-v2"
