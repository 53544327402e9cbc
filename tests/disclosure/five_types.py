"""A city with one subject of every kind the platform covers, loaded through the real collectors
from the three registries (市场监管, 民政, 编办), and two individual businesses whose operators'
names, home addresses and capital must never be public in full."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from tests.disclosure.conftest import ingest
from tests.factories import make_uscc, penalty, registration
from warning_system.registry.services import reference_data_load

OPERATOR = "蔺晓彤"  # runs the shop; an enterprise's legal representative has the same name
MASKED_OPERATOR = "蔺＊＊"
OWN_NAME_OPERATOR = "蔺大伟"  # trades under his own name (no trade name)
MASKED_OWN_NAME = "蔺＊＊"
HOME = "江西省南昌市东湖区叠山路597号3栋201室"
HOME_DISTRICT = "江西省南昌市东湖区"
STREET = "叠山路"


@dataclass
class FiveTypes:
    enterprise: str
    shop: str  # an individual business with a trade name
    own_name_shop: str  # an individual business named after its operator
    cooperative: str
    association: str  # 社会团体 (51)
    private_school: str  # 民办非企业单位 (52)
    foundation: str  # 基金会 (53)
    hospital: str  # 事业单位 (12)
    agency: str  # 机关 (11)


def _day(days_ago: int) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


def load_five_types(tmp_path, django_capture_on_commit_callbacks) -> FiveTypes:
    """Call from a test module's fixture (with `db`): registers one subject of every kind."""
    reference_data_load()
    city = FiveTypes(
        enterprise=make_uscc(prefix="91"),
        shop=make_uscc(prefix="92"),
        own_name_shop=make_uscc(prefix="92"),
        cooperative=make_uscc(prefix="93"),
        association=make_uscc(prefix="51", district="360100"),
        private_school=make_uscc(prefix="52", district="360100"),
        foundation=make_uscc(prefix="53", district="360100"),
        hospital=make_uscc(prefix="12", district="360100"),
        agency=make_uscc(prefix="11"),
    )
    market = [
        registration(city.enterprise, name="南昌类型测试科技有限公司", legal_representative=OPERATOR,
                     enterprise_type="有限责任公司(自然人投资或控股)", registered_capital="500",
                     registration_authority="南昌市市场监督管理局"),
        registration(city.shop, name="南昌市东湖区晓彤便利店", subject_type="individual_business",
                     enterprise_type="个体工商户", legal_representative=OPERATOR, registered_capital="5",
                     address=HOME, business_scope="日用百货零售", registration_authority="东湖区市场监督管理局"),
        registration(city.own_name_shop, name=OWN_NAME_OPERATOR, subject_type="个体工商户",
                     legal_representative=OWN_NAME_OPERATOR, registered_capital="3", address=HOME),
        registration(city.cooperative, name="南昌县蒋巷镇稻香水稻种植专业合作社", subject_type="farmer_cooperative",
                     legal_representative="熊长根", registered_capital="100", district_code="360121"),
    ]  # fmt: skip
    civil = [
        registration(city.association, name="南昌市餐饮行业协会", subject_type="social_organization",
                     legal_representative="万国强", registered_capital="10", registration_authority="南昌市民政局"),
        registration(city.private_school, name="南昌启明职业培训学校", subject_type="社会组织",
                     legal_representative="邹文华", registered_capital="20"),
        registration(city.foundation, name="南昌市助学基金会", subject_type="social_organization",
                     legal_representative="涂静", registered_capital="400"),
    ]  # fmt: skip
    establishment = [
        registration(city.hospital, name="南昌市第三医院", subject_type="public_institution",
                     legal_representative="胡卫东", registered_capital="3000",
                     business_scope="医疗服务；医学教学；医学研究", registration_authority=""),
        registration(city.agency, name="南昌市东湖区商务局", subject_type="机关", legal_representative="黄建国",
                     registered_capital="", business_scope="依法履行行政管理职能"),
    ]  # fmt: skip
    penalties = [
        # The shop's operator named in the record and in its free text: yellow.
        penalty(city.shop, "P-SHOP", decided_on=_day(30), subject_name="南昌市东湖区晓彤便利店",
                legal_representative=OPERATOR, violation_facts=f"当事人{OPERATOR}在经营场所销售过期食品"),
        # Confiscation: orange, so the shop named after its operator is on a list and the home page.
        penalty(city.own_name_shop, "P-OWN", decided_on=_day(20), subject_name=OWN_NAME_OPERATOR,
                legal_representative=OWN_NAME_OPERATOR, penalty_categories="没收违法所得"),
    ]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        ingest(tmp_path, "SCJG", "registration", market)
        ingest(tmp_path, "MZJ", "registration", civil)
        ingest(tmp_path, "BB", "registration", establishment)
        ingest(tmp_path, "SCJG", "penalty", penalties)
    return city
