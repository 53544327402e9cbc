"""The name search index after a load: its GIN pending list (scanned by every name search) is merged."""

import pytest
from django.db import connection
from django.utils import timezone

from collectors.services import collect_inbox
from tests.collectors.conftest import write_csv
from tests.factories import make_uscc, registration
from warning_system.registry.models import Subject
from warning_system.registry.services import reference_data_load

pytestmark = pytest.mark.django_db


def pending_tuples() -> int:
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
        cursor.execute("SELECT pending_tuples FROM pgstatginindex('subject_name_bigrams')")
        return cursor.fetchone()[0]


def test_a_load_of_registrations_leaves_no_names_pending_in_the_search_index(tmp_path):
    reference_data_load()
    write_csv(
        tmp_path / "in" / "SCJG" / "registration_20261101080000.csv",
        [registration(make_uscc(), name=f"南昌洪都{i}号餐饮有限公司") for i in range(200)],
    )

    collect_inbox(tmp_path / "in")

    assert pending_tuples() == 0


def test_names_inserted_without_a_load_wait_in_the_pending_list(tmp_path):
    """The counterpart: what the merge after a load is for (fast update is on for the index)."""
    reference_data_load()
    Subject.objects.create(
        uscc=make_uscc(),
        name="南昌洪都餐饮有限公司",
        subject_type="enterprise",
        status="existing",
        district_code="360102",
        registered_by_id="SCJG",
        source_updated_at=timezone.now(),
    )

    assert pending_tuples() > 0
