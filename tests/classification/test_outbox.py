"""The evaluation outbox: every change of a subject's records marks it in the same transaction, and
a drain evaluates and clears the marks; nothing between the two can lose one."""

import psycopg
import pytest
from django.db import connection, transaction

from tests.factories import make_uscc, penalty, registration
from warning_system.classification import rules, selectors, services
from warning_system.classification.models import SubjectColour
from warning_system.locks import advisory_lock
from warning_system.registry.models import EvaluationMark, Penalty
from warning_system.registry.services import subjects_mark_for_evaluation

pytestmark = pytest.mark.django_db


def red_penalty(uscc: str, record_id: str) -> dict:
    return penalty(uscc, record_id, penalty_categories="吊销许可证件", procedure="普通程序")


def test_stored_records_leave_their_subjects_marked_until_a_drain(push_records):
    uscc = make_uscc()
    push_records("registration", [registration(uscc)])
    push_records("penalty", [red_penalty(uscc, "P1")])

    assert EvaluationMark.objects.filter(uscc=uscc).exists()
    assert not SubjectColour.objects.filter(subject_id=uscc).exists()

    result = services.evaluations_drain()

    assert SubjectColour.objects.get(subject_id=uscc).colour == rules.RED
    assert not EvaluationMark.objects.exists()
    assert (result.drained, result.evaluated) == (1, 1)


def test_a_mark_rolls_back_with_the_records_it_marks(push_records):
    uscc = make_uscc()
    push_records("registration", [registration(uscc)])
    EvaluationMark.objects.all().delete()

    with pytest.raises(RuntimeError), transaction.atomic():
        push_records("penalty", [red_penalty(uscc, "P1")])
        assert EvaluationMark.objects.filter(uscc=uscc).exists()
        raise RuntimeError("the batch fails after storing")

    assert not Penalty.objects.exists()
    assert not EvaluationMark.objects.exists()


def test_a_subject_marked_again_while_being_evaluated_keeps_its_mark(push_records):
    uscc = make_uscc()
    push_records("registration", [registration(uscc)])
    marks = selectors.evaluation_marks()  # what a drain reads before evaluating

    subjects_mark_for_evaluation(usccs=[uscc])  # a change commits meanwhile

    assert services.evaluation_marks_clear(marks=marks) == 0
    assert EvaluationMark.objects.filter(uscc=uscc).exists()


@pytest.mark.django_db(transaction=True)
def test_clearing_skips_a_mark_another_transaction_is_writing_instead_of_waiting(reference_data):
    uscc = make_uscc()
    subjects_mark_for_evaluation(usccs=[uscc])
    marks = selectors.evaluation_marks()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as writer:  # an ingest re-marking the subject, not yet committed
        writer.execute("SELECT 1 FROM registry_evaluationmark WHERE uscc = %s FOR UPDATE", [uscc])
        assert services.evaluation_marks_clear(marks=marks) == 0
        writer.rollback()
    assert services.evaluation_marks_clear(marks=marks) == 1


def test_a_second_drainer_returns_at_once_while_one_works(push_records):
    push_records("registration", [registration(make_uscc())])
    with advisory_lock(services.DRAIN_JOB) as held:
        assert held
        result = services.evaluations_drain()
    assert result.skipped and EvaluationMark.objects.exists()


def test_marks_of_subjects_not_registered_are_cleared_without_a_colour(push_records):
    unregistered = make_uscc()
    push_records("penalty", [red_penalty(unregistered, "P1")])
    services.evaluations_drain()
    assert not EvaluationMark.objects.exists()
    assert not SubjectColour.objects.filter(subject_id=unregistered).exists()


def test_the_registration_arriving_later_marks_its_subject_again(push_records):
    uscc = make_uscc()
    push_records("penalty", [red_penalty(uscc, "P1")])
    services.evaluations_drain()
    push_records("registration", [registration(uscc)])
    services.evaluations_drain()
    assert SubjectColour.objects.get(subject_id=uscc).colour == rules.RED


def test_a_withdrawal_marks_the_subject_and_the_drain_turns_it_green(push_records):
    uscc = make_uscc()
    push_records("registration", [registration(uscc)])
    push_records("penalty", [red_penalty(uscc, "P1")])
    services.evaluations_drain()
    push_records(
        "penalty", [{**red_penalty(uscc, "P1"), "op": "delete", "updated_at": "2026-11-30T10:00:00+08:00"}]
    )
    assert EvaluationMark.objects.filter(uscc=uscc).exists()
    services.evaluations_drain()
    assert SubjectColour.objects.get(subject_id=uscc).colour == rules.GREEN


def test_the_drain_takes_a_backlog_in_batches_oldest_first(push_records):
    usccs = [make_uscc() for _ in range(5)]
    push_records("registration", [registration(u) for u in usccs])
    result = services.evaluations_drain(batch_size=2)
    assert (result.batches, result.evaluated, result.drained) == (3, 5, 5)
    assert SubjectColour.objects.filter(subject_id__in=usccs).count() == 5
