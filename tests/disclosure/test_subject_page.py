"""The public subject page (/subjects/<uscc>): colour and reasons, consumer warning, publication
windows, no personal data, and its per-subject cache (disclosure.page_cache)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from disclosure import page_cache
from disclosure.selectors import public
from tests.disclosure.conftest import ID_NUMBER, PERSONAL, PHONE, ingest
from tests.factories import make_uscc, penalty, registration
from warning_system.registry.models import Subject


def page(client, uscc: str, **headers) -> str:
    response = client.get(f"/subjects/{uscc}", **headers)
    assert response.status_code == 200
    return response.content.decode()


def rename(uscc: str, name: str) -> None:
    """Change the data behind a page without going through the collectors (so nothing drops it)."""
    Subject.objects.filter(uscc=uscc).update(name=name)


# --------------------------------------------------------------------------- what it shows


def test_the_red_subject_shows_red_and_the_rules_that_make_it(client, portal_city):
    body = page(client, portal_city.red)

    assert 'data-colour="red">红色<' in body
    assert "列入严重违法失信名单" in body
    assert "失信被执行人" in body


def test_the_red_subject_shows_how_each_reason_can_be_repaired(client, portal_city):
    body = page(client, portal_city.red)

    assert "移出严重违法失信名单后解除" in body
    assert "履行生效法律文书确定的义务，由法院撤销或屏蔽失信信息后解除" in body


def test_the_red_subject_shows_its_joint_punishment_measures(client, portal_city):
    body = page(client, portal_city.red)

    for measure in ("限制参加政府采购活动", "融资授信中从严审核，限制授信", "限制高消费（失信被执行人）"):
        assert measure in body


def test_the_yellow_subject_carries_a_consumer_warning(client, portal_city):
    # 6 complaints in the last month, 4 of them failed mediation: success rate 33 %.
    body = page(client, portal_city.yellow)

    assert "消费警示" in body
    assert "近12个月收到投诉 6 件" in body


def test_the_green_subject_has_no_consumer_warning(client, portal_city):
    assert "消费警示" not in page(client, portal_city.green)


def test_a_warning_only_penalty_is_not_on_the_page(client, portal_city):
    assert "洪市监警告〔2026〕1号" not in page(client, portal_city.green)


def test_a_penalty_decided_five_years_ago_is_not_on_the_page(client, portal_city):
    assert "洪市监处罚〔2021〕9号" not in page(client, portal_city.green)


def annual_report(uscc: str, assets_public: str) -> dict:
    return {
        "record_id": f"AR-2025-{uscc}",
        "updated_at": "2026-11-02",
        "uscc": uscc,
        "subject_name": "南昌赣江绿色餐饮有限公司",
        "year": "2025",
        "submitted_on": "2026-05-20",
        "employees": "12",
        "phone": "13811112222",
        "total_assets": "1234.5",
        "revenue": "678.9",
        "assets_public": assets_public,
    }


def test_an_annual_report_not_disclosing_assets_hides_the_amounts(client, portal_city, tmp_path):
    ingest(tmp_path, "SCJG", "annual_report", [annual_report(portal_city.green, "否")])

    body = page(client, portal_city.green)

    assert body.count("企业选择不公示") == 2
    assert "1,234.5" not in body and "678.9" not in body


def test_an_annual_report_disclosing_assets_shows_the_amounts(client, portal_city, tmp_path):
    ingest(tmp_path, "SCJG", "annual_report", [annual_report(portal_city.green, "是")])

    body = page(client, portal_city.green)

    assert "1,234.5" in body and "678.9" in body
    assert "企业选择不公示" not in body


def test_an_annual_reports_phone_is_not_on_the_page(client, portal_city, tmp_path):
    ingest(tmp_path, "SCJG", "annual_report", [annual_report(portal_city.green, "是")])

    assert "13811112222" not in page(client, portal_city.green)


def test_the_complaint_total_counts_every_complaint(client, portal_city, tmp_path):
    received = (timezone.localdate() - timedelta(days=30)).isoformat()
    complaints = [
        {"record_id": f"CG-{i}", "updated_at": "2026-11-02", "uscc": portal_city.green, "subject_name": "x",
         "received_on": received, "category": "价格", "handling_status": "办结", "mediation_result": "调解成功"}
        for i in range(205)
    ]  # fmt: skip
    ingest(tmp_path, "SCJG", "complaint", complaints)

    assert "投诉举报共 205 件，近12个月 205 件" in page(client, portal_city.green)


# --------------------------------------------------------------------------- personal data


@pytest.mark.parametrize("colour", ["green", "yellow", "orange", "red"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_personal_data_anywhere_on_the_page(client, portal_city, colour, language):
    body = page(client, getattr(portal_city, colour), HTTP_ACCEPT_LANGUAGE=language)

    assert [p for p in PERSONAL if p in body] == []


def test_the_violation_facts_are_shown_with_id_number_and_phone_masked(client, portal_city):
    body = page(client, portal_city.yellow)

    assert f"当事人法定代表人（身份证号 {'＊' * 18}，电话 {'＊' * 11}）销售过期食品" in body
    assert ID_NUMBER not in body and PHONE not in body


def test_the_complaint_summary_text_is_not_shown_but_the_counts_are(client, portal_city):
    body = page(client, portal_city.yellow)

    assert "反映食品变质" not in body
    assert "投诉举报共 6 件" in body


# --------------------------------------------------------------------------- routes, queries


def test_an_unknown_uscc_is_404(client, portal_city):
    assert client.get(f"/subjects/{make_uscc()}").status_code == 404


def test_a_uscc_with_records_but_no_registration_is_404(client, portal_city):
    assert client.get(f"/subjects/{portal_city.unregistered}").status_code == 404


def withdraw_registration(tmp_path, uscc: str) -> None:
    ingest(
        tmp_path,
        "SCJG",
        "registration",
        [{"record_id": f"REG-{uscc}", "op": "delete", "updated_at": "2026-11-20"}],
    )


def test_a_withdrawn_subject_is_404(client, portal_city, tmp_path):
    withdraw_registration(tmp_path, portal_city.red)

    assert client.get(f"/subjects/{portal_city.red}").status_code == 404


@pytest.mark.parametrize("spell", ["{}", "{}/", "{lower}"], ids=["bare", "trailing-slash", "lower-case"])
def test_the_subject_page_answers_however_the_path_spells_the_uscc(client, portal_city, spell):
    uscc = portal_city.red
    response = client.get("/subjects/" + spell.format(uscc, lower=uscc.lower()))

    assert response.status_code == 200
    assert "南昌洪都红色食品有限公司" in response.content.decode()


def test_a_cold_subject_page_runs_a_bounded_number_of_queries(
    client, portal_city, django_assert_max_num_queries
):
    with django_assert_max_num_queries(25):
        page(client, portal_city.yellow)


def test_a_cached_subject_page_runs_no_query(client, portal_city, django_assert_num_queries):
    page(client, portal_city.yellow)

    with django_assert_num_queries(0):
        second = page(client, portal_city.yellow)

    assert "南昌赣江黄色贸易有限公司" in second and "消费警示" in second


# --------------------------------------------------------------------------- the page cache


def test_a_cached_page_is_served_until_it_is_dropped(client, portal_city):
    page(client, portal_city.green)
    rename(portal_city.green, "南昌赣江更名餐饮有限公司")

    assert "南昌赣江绿色餐饮有限公司" in page(client, portal_city.green)


def test_dropping_a_subjects_page_makes_the_next_request_render_it_again(client, portal_city):
    page(client, portal_city.green)
    rename(portal_city.green, "南昌赣江更名餐饮有限公司")

    page_cache.drop([portal_city.green])

    assert "南昌赣江更名餐饮有限公司" in page(client, portal_city.green)


def test_dropping_a_subjects_page_drops_every_language(client, portal_city):
    page(client, portal_city.green, HTTP_ACCEPT_LANGUAGE="en")
    rename(portal_city.green, "南昌赣江更名餐饮有限公司")

    page_cache.drop([portal_city.green])

    assert "南昌赣江更名餐饮有限公司" in page(client, portal_city.green, HTTP_ACCEPT_LANGUAGE="en")


def test_dropping_one_subjects_page_keeps_the_others_cached(client, portal_city):
    page(client, portal_city.green)
    rename(portal_city.green, "南昌赣江更名餐饮有限公司")

    page_cache.drop([portal_city.yellow])

    assert "南昌赣江绿色餐饮有限公司" in page(client, portal_city.green)


def test_dropping_every_page_makes_each_render_again(client, portal_city):
    for uscc in (portal_city.green, portal_city.red):
        page(client, uscc)
        rename(uscc, f"南昌更名{uscc[-4:]}有限公司")

    page_cache.drop(None)

    for uscc in (portal_city.green, portal_city.red):
        assert f"南昌更名{uscc[-4:]}有限公司" in page(client, uscc)


@pytest.mark.parametrize("dropped", ["subject", "city"])
def test_a_page_dropped_while_it_was_rendering_is_not_cached_stale(client, portal_city, monkeypatch, dropped):
    render = public.subject_page

    def render_while_an_ingest_commits(uscc, day=None):
        rendered = render(uscc, day)
        # Meanwhile an ingest commits new data and the colour engine drops the page.
        rename(uscc, "南昌赣江更名餐饮有限公司")
        page_cache.drop([uscc] if dropped == "subject" else None)
        return rendered

    monkeypatch.setattr(public, "subject_page", render_while_an_ingest_commits)
    page(client, portal_city.green)
    monkeypatch.setattr(public, "subject_page", render)

    assert "南昌赣江更名餐饮有限公司" in page(client, portal_city.green)


def test_the_cached_chinese_page_is_not_served_in_english(client, portal_city):
    page(client, portal_city.yellow)

    english = page(client, portal_city.yellow, HTTP_ACCEPT_LANGUAGE="en")

    assert "Administrative penalties" in english and "行政处罚决定书文号" not in english


def test_a_new_penalty_shows_on_the_cached_subject_page_after_ingest(
    client, portal_city, tmp_path, django_capture_on_commit_callbacks
):
    assert "洪市监处罚〔2026〕PG-NEW号" not in page(client, portal_city.green)
    decided = (timezone.localdate() - timedelta(days=3)).isoformat()

    # The colour engine runs when the ingest commits and announces the subjects it stored.
    with django_capture_on_commit_callbacks(execute=True):
        ingest(tmp_path, "SCJG", "penalty", [penalty(portal_city.green, "PG-NEW", decided_on=decided)])

    assert "洪市监处罚〔2026〕PG-NEW号" in page(client, portal_city.green)


@pytest.mark.parametrize("field", ["address", "business_scope"])
def test_a_phone_number_written_into_the_registration_is_not_on_the_page(
    client, portal_city, tmp_path, field
):
    text = {
        "address": "南昌市东湖区八一大道1号（联系电话13912340000）",
        "business_scope": "餐饮服务；订餐电话13912340000",
    }
    record = registration(
        portal_city.green, name="南昌赣江绿色餐饮有限公司", updated_at="2026-11-10 08:00:00"
    )
    ingest(tmp_path, "SCJG", "registration", [{**record, field: text[field]}])

    body = page(client, portal_city.green)

    assert text[field].split("13912340000")[0] in body
    assert "13912340000" not in body


# --------------------------------------------------------------------------- pre-warnings (预警提醒)


def test_a_licence_expiring_within_30_days_shows_as_a_pre_warning_not_a_colour(client, portal_city, tmp_path):
    from tests.supervision.feeds import licence

    expires = timezone.localdate() + timedelta(days=20)
    ingest(tmp_path, "WJW", "license", [licence(portal_city.green, valid_to=expires.isoformat())])

    body = page(client, portal_city.green)

    section = body[body.index('id="pre-warnings"') :]
    assert "行政许可将在 30 日内到期" in section and expires.isoformat() in section
    assert public.subject_page(portal_city.green).colour.colour == "green"


def test_a_missing_annual_report_is_a_pre_warning_until_it_is_filed(
    client, portal_city, tmp_path, django_capture_on_commit_callbacks
):
    assert "上一年度报告未在 6 月 30 日前报送" in page(client, portal_city.green)  # no report for 2025 yet

    with django_capture_on_commit_callbacks(execute=True):  # the re-evaluation drops the cached page
        ingest(tmp_path, "SCJG", "annual_report", [annual_report(portal_city.green, "是")])

    assert 'id="pre-warnings"' not in page(client, portal_city.green)


def _csrf_in(body: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


def test_a_cached_page_carries_each_visitors_own_csrf_token(portal_city):
    first, second = Client(), Client()
    page(first, portal_city.green)

    body = page(second, portal_city.green)

    assert page_cache.CSRF_SLOT not in body
    assert _csrf_in(body) != _csrf_in(page(first, portal_city.green))


def test_the_report_form_of_a_cached_page_passes_the_csrf_check(portal_city):
    page(Client(), portal_city.green)
    visitor = Client(enforce_csrf_checks=True)
    body = page(visitor, portal_city.green)

    response = visitor.post(f"/subjects/{portal_city.green}/report", {"csrfmiddlewaretoken": _csrf_in(body)})

    assert response.status_code in (200, 302)


def test_the_language_switch_of_a_cached_page_returns_to_the_canonical_page(client, portal_city):
    body = page(client, portal_city.green.lower())

    assert f'name="next" type="hidden" value="/subjects/{portal_city.green}"' in body
