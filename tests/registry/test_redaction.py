"""Personal numbers in every spelling are found and taken out of text; what is not one stays.

Property-based: hypothesis writes resident ID numbers (18 and 15 digits), mobiles, landlines and
bank card numbers the ways people write them — full-width, with separators between groups, glued to
letters, with a stray character after — inside random text, and none may survive."""

import re
import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric

from warning_system.registry.redaction import MASK, personal_spans, redact_name, redact_text

REGIONS = ["360102", "360111", "110101", "440305", "310104", "510107"]


@st.composite
def resident_ids(draw) -> str:
    born = draw(st.dates(min_value=date(1930, 1, 1), max_value=date(2008, 12, 31)))
    body = f"{draw(st.sampled_from(REGIONS))}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check character


@st.composite
def old_resident_ids(draw) -> str:
    born = draw(st.dates(min_value=date(1930, 1, 1), max_value=date(1999, 12, 31)))
    return f"{draw(st.sampled_from(REGIONS))}{born:%y%m%d}{draw(st.integers(0, 999)):03d}"


mobiles = st.builds(
    lambda second, rest: f"1{second}{rest:09d}", st.sampled_from("3456789"), st.integers(0, 10**9 - 1)
)
landlines = st.builds(
    lambda area, number: f"{area}{number}",
    st.sampled_from(["0791", "010", "021", "0755", "0798"]),
    st.integers(10**7, 10**8 - 1).map(str),
)


@st.composite
def bank_cards(draw) -> str:
    length = draw(st.integers(16, 19))
    body = draw(st.sampled_from(["62", "45", "52", "35"])) + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=length - 3, max_size=length - 3))
    )
    return body + luhn.calc_check_digit(body)


TYPED_NUMBERS = st.one_of(
    resident_ids().map(lambda n: ("id", n)),
    old_resident_ids().map(lambda n: ("old-id", n)),
    mobiles.map(lambda n: ("mobile", n)),
    landlines.map(lambda n: ("landline", n)),
    bank_cards().map(lambda n: ("card", n)),
)
NUMBERS = TYPED_NUMBERS.map(lambda typed: typed[1])
SEPARATORS = [" ", "-", ".", "·", "/", " - ", "－", "．", "\u3000"]


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) - ord("0") + 0xFF10) if c.isdigit() else c for c in text)


def groups_of(draw, number: str) -> list[str]:
    """The groups people write each kind of number in."""
    if len(number) in (11, 13) and not number.startswith("0"):
        return [number[:-8], number[-8:-4], number[-4:]]  # mobiles: 138 0000 1111
    if number.startswith("0"):
        area = 3 if number[:3] in ("010", "021") else 4
        return [number[:area], number[area:]]  # landlines: 0791-86123456
    if len(number) >= 16:
        return [number[i : i + 4] for i in range(0, len(number), 4)]  # cards: in fours
    cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), min_size=1, max_size=3)))
    return [number[a:b] for a, b in zip([0, *cuts], [*cuts, len(number)], strict=True)]  # ID numbers


@st.composite
def spelled(draw, number: str, kind: str) -> str:
    """The number as someone might write it: in groups, full-width, glued, with a stray character."""
    text = number
    if draw(st.booleans()):
        text = draw(st.sampled_from(SEPARATORS)).join(groups_of(draw, number))
    if draw(st.booleans()):
        text = fullwidth(text)
    if kind == "id" and draw(st.booleans()):
        text += draw(st.sampled_from(["1", "a", "号"]))  # a stray character after an ID number
    return draw(st.sampled_from(["", "ID", "No.", "电话", "身份证号"])) + text


FILLER = st.text(
    alphabet=st.sampled_from(list("当事人张三李四王五公司于在经营过程中存在违法行为，。：；（）、 ")),
    max_size=30,
)


def digits_of(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", unicodedata.normalize("NFKC", text))


@st.composite
def texts_with_a_number(draw) -> tuple[str, str]:
    kind, number = draw(TYPED_NUMBERS)
    return number, draw(FILLER) + draw(spelled(number, kind)) + draw(FILLER)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(texts_with_a_number())
@example(("360102199608191062", "当事人（360102 19960819 1062）"))
@example(("360102199608191062", "ID３６０１０２１９９６０８１９１０６２"))
@example(("13800001111", "联系电话138.0000.1111"))
def test_no_personal_number_survives_in_free_text(case):
    number, text = case
    redacted = redact_text(text)
    assert number not in digits_of(redacted)
    assert MASK in redacted


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["李探四", "王小明", "南昌某某有限公司"]),
    NUMBERS,
    st.sampled_from([" ", "", "，身份证号：", "（"]),
)
def test_a_name_keeps_the_name_and_drops_the_number(name, number, joint):
    redacted = redact_name(f"{name}{joint}{number}")
    assert redacted.startswith(name)
    assert number not in digits_of(redacted) and MASK not in redacted


@pytest.mark.parametrize(
    "text",
    [
        "洪市监处罚〔2026〕123号",
        "2026年10月1日至2026年12月31日",
        "罚款人民币 50000 元，没收违法所得 12345.67 元",
        "统一社会信用代码 91360102MA3AY4CL6J",
        "许可证编号 JY13601020012345",
        "20261102090000",
        "注册号 360102000012345",
        "第 3 次，共 12 家门店",
    ],
)
def test_what_is_not_a_personal_number_is_left_as_written(text):
    assert redact_text(text) == text


def test_a_date_before_a_mobile_is_kept_and_the_mobile_masked():
    assert redact_text("2026.10.01 13800001111") == "2026.10.01 " + MASK * 11


def test_a_landline_with_its_area_code_in_brackets_is_masked():
    assert "86123456" not in redact_text("座机（0791）86123456")


def test_text_without_seven_digits_never_reaches_the_slow_path():
    assert personal_spans("张三于2026年罚款500元") == []


def test_every_generated_id_number_is_valid():
    day = date(1990, 1, 1)
    for offset in range(0, 3650, 97):
        body = f"360102{day + timedelta(days=offset):%Y%m%d}123"
        assert ric.is_valid(body + ric.calc_check_digit(body + "0"))
