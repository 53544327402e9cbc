"""A subject's name, business scope, industry, enterprise type and registered capital.

Why: names and scopes are what people see of a subject in the demo, and the business scope
is what the post-licence catalogue reads to decide which licences a subject needs (so a
restaurant's scope calls for a food licence, and the city then has one). Names follow the
registry's naming rules for each subject type; word lists live in `data/names.json`.
"""

from __future__ import annotations

from datetime import date

from collectors.citygen.data import table
from collectors.citygen.industries import COOP_PRODUCTS, INDUSTRIES, ORG_INDUSTRIES, cooperative_industry
from collectors.citygen.people import trade_name
from collectors.citygen.places import CITY, PROVINCE
from collectors.citygen.spellings import cn_number

_NAMES = table("names")
# Individual businesses without a trade name, registered under their operator's own name
# (个体工商户名称登记管理办法 第八条 lets the operator's name serve as the trade name, and 民法典
# 第五十四条 makes a trade name optional).
OWN_NAME_SHARE = 0.03
BRANCH_TYPE = "有限责任公司分公司(自然人投资或控股)"  # a branch has no registered capital of its own


def name_and_scope(block, s, industry_idx: int | None) -> None:
    """Name the subject and give it its scope, industry, enterprise type and capital."""
    if s.type in ("enterprise", "individual_business"):
        _market_subject(block, s, industry_idx)
    elif s.type == "farmer_cooperative":
        _cooperative(block, s)
    elif s.type == "social_organization":
        _social_organization(block, s)
    elif s.type == "public_institution":
        _public_institution(block, s)
    else:
        _government_agency(block, s)


def _place(block, s) -> str:
    """How a name places a subject: a county by its own name, a city district under the city."""
    return s.district_name if block.districts.is_county[s.district] else f"{CITY}市{s.district_name}"


def _market_subject(block, s, industry_idx: int | None) -> None:
    r = block.r
    if industry_idx is not None:
        ind = INDUSTRIES[industry_idx]
    else:
        cdf = block.enterprise_industry_cdf if s.type == "enterprise" else block.individual_industry_cdf
        ind = INDUSTRIES[block.pick_cdf(cdf)]
    s.industry = ind
    licensed: tuple[str, ...] = ()
    if ind.licensed_scope:
        if s.showcase:
            licensed = ind.licensed_scope
        else:
            k = 1 + (r() < 0.4)
            picked = sorted({int(r() * len(ind.licensed_scope)) for _ in range(k)})
            licensed = tuple(ind.licensed_scope[j] for j in picked)
    general = sorted({int(r() * len(ind.general_scope)) for _ in range(1 + int(r() * 3))})
    general_items = tuple(ind.general_scope[j] for j in general)
    s.scope = scope_text(block, licensed, general_items, date.fromordinal(s.established).year)
    trade = trade_name(r)
    if s.type == "individual_business":
        _individual_business(block, s, ind, trade)
    else:
        _company(block, s, ind, trade)


def _individual_business(block, s, ind, trade: str) -> None:
    r = block.r
    shop = block.pick(ind.shop_endings) if ind.shop_endings else "经营部"
    if not s.showcase and r() < OWN_NAME_SHARE:
        s.name = s.representative  # no trade name: registered under the operator's own name
    elif block.districts.is_county[s.district]:
        s.name = f"{s.district_name}{block.pick(block.districts.towns[s.district])}{trade}{shop}"
    else:
        s.name = f"{CITY}市{s.district_name}{trade}{shop}"
    s.capital = block.pick(_NAMES["individual_capital"])
    s.enterprise_type = "个体工商户"


def _company(block, s, ind, trade: str) -> None:
    """A company, sole proprietorship, partnership or branch, named the way each is registered."""
    r = block.r
    pick = block.pick
    word = pick(ind.name_words)
    x = r()
    prefix = CITY if x < 0.5 else (PROVINCE if x < 0.72 else (f"{CITY}市" if x < 0.82 else _place(block, s)))
    y = r()
    if y < 0.75:
        s.name = f"{prefix}{trade}{word}有限公司"
        s.enterprise_type = pick(_NAMES["limited_company_types"])
    elif y < 0.8:
        s.name, s.enterprise_type = f"{prefix}{trade}{word}有限责任公司", "其他有限责任公司"
    elif y < 0.84:
        s.name = f"{prefix}{trade}{word}股份有限公司"
        s.enterprise_type = "股份有限公司(非上市、自然人投资或控股)"
    elif y < 0.92:
        ending = pick(_NAMES["sole_proprietorship_endings"])
        s.name, s.enterprise_type = f"{CITY}市{s.district_name}{trade}{word}{ending}", "个人独资企业"
    elif y < 0.96:
        s.name, s.enterprise_type = f"{CITY}{trade}{word}中心（有限合伙）", "有限合伙企业"
    else:
        s.name = f"{CITY}{trade}{word}有限公司{s.district_name.rstrip('区县')}分公司"
        s.enterprise_type = BRANCH_TYPE
    if s.enterprise_type != BRANCH_TYPE:
        s.capital = pick(_NAMES["company_capital"])


def _cooperative(block, s) -> None:
    r = block.r
    code, product, extra = block.pick(COOP_PRODUCTS)
    s.industry = cooperative_industry(code, product)
    town = block.pick(block.districts.towns[s.district])
    s.name = f"{_place(block, s)}{town}{trade_name(r)}{product}专业合作社"
    items = [
        f"组织收购、销售成员{product}产品",
        "引进新技术、新品种，开展技术培训、技术交流和咨询服务",
    ]
    if extra and (s.showcase or r() < 0.35):
        items.append(extra)
    s.scope = "；".join(items)
    s.capital = block.pick(_NAMES["cooperative_capital"])
    s.enterprise_type = "农民专业合作社"


def _social_organization(block, s) -> None:
    """A social group, private non-enterprise unit or foundation, as the USCC's type character says."""
    r = block.r
    kind = s.uscc[1]
    trade = trade_name(r)
    if kind == "1":
        topic = block.pick(_NAMES["association_topics"])
        form = block.pick(_NAMES["association_forms"])
        s.name = f"{CITY}市{topic}{form}" if r() < 0.5 else f"{CITY}市{s.district_name}{topic}{form}"
        s.scope = "行业自律；业务培训；交流合作；咨询服务；编辑会刊"
        s.industry = ORG_INDUSTRIES["S9622"]
        s.enterprise_type = "社会团体"
    elif kind == "2":
        x = r()
        unit = next(u for u in _NAMES["private_non_enterprise_units"] if x < u["below"])
        s.name = unit["name"].format(city=CITY, district=s.district_name, trade=trade)
        s.scope = unit["scope"]
        s.industry = ORG_INDUSTRIES[unit["industry"]]
        s.enterprise_type = "民办非企业单位"
    else:
        s.name = f"{CITY}市{trade}{block.pick(_NAMES['foundation_purposes'])}基金会"
        s.scope = "资助教育事业；扶贫济困；开展公益慈善活动"
        s.industry = ORG_INDUSTRIES["S9630"]
        s.enterprise_type = "基金会"
    s.capital = block.pick(_NAMES["social_organization_capital"])


def _public_institution(block, s) -> None:
    """A hospital, school, health centre, public service unit or city centre."""
    r = block.r
    x = r()
    n = 1 + int(r() * 30)
    town = block.pick(block.districts.towns[s.district])
    place = _place(block, s)
    if x < 0.2:
        s.name = f"{CITY}市第{cn_number(n)}医院" if r() < 0.5 else f"{place}人民医院"
        s.scope = "医疗服务；医学教学；医学研究；放射诊疗"
        s.industry = ORG_INDUSTRIES["Q8411"]
    elif x < 0.45:
        s.name = f"{CITY}市第{cn_number(n)}中学" if r() < 0.5 else f"{place}{town}中心小学"
        s.scope = "实施普通教育，促进基础教育发展"
        s.industry = ORG_INDUSTRIES["P8334"]
    elif x < 0.6:
        kind = "卫生院" if town.endswith(("镇", "乡")) else "社区卫生服务中心"
        s.name = f"{place}{town}{kind}"
        s.scope = "医疗服务；预防保健；健康教育"
        s.industry = ORG_INDUSTRIES["Q8423"]
    elif x < 0.75:
        s.name = f"{place}{block.pick(_NAMES['public_service_units'])}"
        s.scope = "为社会提供公共服务"
        s.industry = ORG_INDUSTRIES["Q8431"]
    else:
        s.name = f"{CITY}市{block.pick(_NAMES['city_centres'])}中心"
        s.scope = "承担相关公共服务和辅助管理工作"
        s.industry = ORG_INDUSTRIES["M7330"]
    s.capital = block.pick(_NAMES["public_institution_capital"])
    s.enterprise_type = "事业单位"


def _government_agency(block, s) -> None:
    place = _place(block, s)
    if block.r() < 0.45:  # a town government or a street office
        town = block.pick(block.districts.towns[s.district])
        s.name = f"{place}{town}{'办事处' if town.endswith('街道') else '人民政府'}"
    else:
        s.name = place + block.pick(_NAMES["agency_bureaus"])
    s.scope = "依法履行行政管理职能"
    s.industry = ORG_INDUSTRIES["S9324"]
    s.enterprise_type = "机关"


def scope_text(block, licensed: tuple[str, ...], general: tuple[str, ...], est_year: int) -> str:
    """The scope as registered: split into licensed and general items since the 2021 reform."""
    if est_year >= 2021 and block.r() < 0.8:
        text = ""
        if licensed:
            text += (
                "许可项目："
                + "；".join(licensed)
                + "（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）"
            )
        if general:
            text += (
                "一般项目："
                + "；".join(general)
                + "（除许可业务外，可自主依法经营法律法规非禁止或限制的项目）"
            )
        return text
    items = "；".join(licensed + general)
    if licensed and block.r() < 0.7:
        items += "。（依法须经批准的项目，经相关部门批准后方可开展经营活动）"
    return items
