"""Files are ingested in parallel; versions, not file order, decide what is stored."""

import pytest

from collectors.services import collect_inbox
from tests.collectors.conftest import write_jsonl
from tests.factories import make_uscc, penalty
from warning_system.registry.models import Penalty
from warning_system.registry.services import reference_data_load

FILLER = 3000


@pytest.mark.django_db(transaction=True)
def test_the_newest_version_wins_whichever_parallel_file_commits_first(tmp_path):
    reference_data_load()
    inbox = tmp_path / "inbox"
    uscc = make_uscc()
    newer = [
        penalty(uscc, f"SHARED-{i}", updated_at="2026-11-05 10:00:00", fine_amount="9") for i in range(50)
    ]
    older = [
        penalty(uscc, f"SHARED-{i}", updated_at="2026-11-04 10:00:00", fine_amount="1") for i in range(50)
    ]
    # The older file is the larger one, so that it is started first.
    write_jsonl(
        inbox / "SCJG" / "penalty_20261105100000.jsonl",
        newer + [penalty(uscc, f"A{i}") for i in range(FILLER)],
    )
    write_jsonl(
        inbox / "SCJG" / "penalty_20261104100000.jsonl",
        older + [penalty(uscc, f"B{i}") for i in range(FILLER * 2)],
    )

    report = collect_inbox(inbox, workers=2)

    assert report["totals"]["received"] == 100 + FILLER * 3
    assert set(
        Penalty.objects.filter(record_id__startswith="SHARED-").values_list("fine_amount", flat=True)
    ) == {9}
    shared = Penalty.objects.filter(record_id__startswith="SHARED-").select_related("private")
    assert {p.private.raw["fine_amount"] for p in shared} == {"9"}
    assert Penalty.objects.count() == 50 + FILLER * 3


@pytest.mark.django_db(transaction=True)
def test_after_a_parallel_run_only_records_whose_subject_is_still_unregistered_count_as_unresolved(tmp_path):
    from tests.collectors.conftest import write_csv
    from tests.factories import registration

    reference_data_load()
    inbox = tmp_path / "inbox"
    usccs = [make_uscc() for _ in range(200)]
    write_csv(inbox / "SCJG" / "registration_20261101080000.csv", [registration(u) for u in usccs])
    # Large enough to be started first, before the registrations commit.
    write_jsonl(
        inbox / "STHJ" / "penalty_20261102090000.jsonl",
        [penalty(None, f"P{i}", organization_code=u[8:17]) for i, u in enumerate(usccs * 20)][:4000],
    )
    never_registered = make_uscc()
    write_jsonl(
        inbox / "SCJG" / "penalty_20261103090000.jsonl",
        [penalty(never_registered, f"N{i}") for i in range(5)],
    )
    report = collect_inbox(inbox, workers=2)
    assert report["totals"]["unresolved"] == 5
    assert not Penalty.objects.filter(subject__isnull=True).exists()
