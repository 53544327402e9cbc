"""Contract §2 formats: CSV in every encoding and header style, JSON Lines, XML. No database."""

import io

import pytest

from collectors.parsers import HeaderMap, UnreadableFile, parse_file_name, read_items
from tests.collectors.conftest import SAMPLES


def items(data: bytes, fmt: str, kind: str = "penalty"):
    header_map = HeaderMap(kind)
    return list(read_items(io.BytesIO(data), fmt, kind, header_map)), header_map


CSV_TEXT = '记录编号,更新时间,CF_XDR_MC,统一社会信用代码,违法事实,Unknown Column\r\nA1,2026-11-01,南昌某公司,91360102MA3AY4CL6J,"第一行\r\n第二行",x\r\n'


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding_reads_the_same(encoding):
    (item,), _ = items(CSV_TEXT.encode(encoding), "csv")
    assert item.fields["subject_name"] == "南昌某公司"
    assert item.fields["violation_facts"] == "第一行\r\n第二行"
    assert item.fields["uscc"] == "91360102MA3AY4CL6J"


def test_csv_headers_may_be_key_code_or_label_and_unknown_columns_are_reported():
    (item,), header_map = items(CSV_TEXT.encode(), "csv")
    assert set(item.fields) >= {"record_id", "updated_at", "subject_name", "uscc", "violation_facts"}
    assert header_map.ignored == ["Unknown Column"]


def test_a_csv_row_with_more_cells_than_the_header_is_malformed_not_fatal():
    data = b"record_id,updated_at\r\nA1,2026-11-01,extra\r\nA2,2026-11-01\r\n"
    (bad, good), _ = items(data, "csv")
    assert bad.fields is None and "列" in bad.error
    assert good.fields["record_id"] == "A2"


def test_a_csv_without_one_known_header_is_unreadable():
    with pytest.raises(UnreadableFile):
        items(b"foo,bar\r\n1,2\r\n", "csv")


def test_the_gb18030_sample_decodes():
    (first, _second), _ = items((SAMPLES / "STHJ" / "penalty_20261103100000.csv").read_bytes(), "csv")
    assert first.fields["subject_name"] == "江西洪都精密机械制造有限公司"


def test_json_lines_with_a_broken_line_keeps_the_others():
    data = '{"record_id": "A1", "CF_XDR_MC": "甲"}\n{broken\n\n{"record_id": "A3"}\n'.encode()
    (a, broken, c), _ = items(data, "jsonl")
    assert a.fields["subject_name"] == "甲"
    assert broken.fields is None and broken.raw == {"text": "{broken"}
    assert (a.position, broken.position, c.position) == (1, 2, 3)


def test_xml_records_are_read_with_canonical_keys():
    (item,), _ = items(
        (SAMPLES / "ZY" / "dishonest_debtor_20261104163000.xml").read_bytes(), "xml", "dishonest_debtor"
    )
    assert item.fields["case_number"] == "(2026)赣01执123号"
    assert item.fields["performance"] == "全部未履行"


def test_xml_declared_gb18030_is_transcoded():
    data = '<?xml version="1.0" encoding="GB18030"?><records kind="penalty"><record><CF_XDR_MC>南昌某公司</CF_XDR_MC></record></records>'
    (item,), _ = items(data.encode("gb18030"), "xml")
    assert item.fields["subject_name"] == "南昌某公司"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<records kind="penalty"><record><subject_name>&lol3;</subject_name></record></records>"""


def test_xml_with_a_dtd_or_entities_is_refused_whole():
    with pytest.raises(UnreadableFile, match="DTD"):
        items(BILLION_LAUGHS, "xml")


@pytest.mark.parametrize(
    "document",
    [
        b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "file:///etc/passwd"><records kind="penalty"/>',
        b'<?xml version="1.0"?>\n<!-- a <records> look-alike -->\n<!DOCTYPE r [<!ENTITY e "x">]><records kind="penalty"/>',
        b'\xef\xbb\xbf<?xml version="1.0"?><?pi x?>  <!DOCTYPE r [<!ENTITY e "x">]><records kind="penalty"/>',
    ],
)
def test_every_dtd_form_is_refused_even_behind_comments_and_instructions(document):
    with pytest.raises(UnreadableFile, match="DTD"):
        items(document, "xml")


def test_an_entity_declared_outside_a_dtd_is_not_even_xml():
    with pytest.raises(UnreadableFile, match="XML 格式错误"):
        items(b'<?xml version="1.0"?><?pi x?>  <!ENTITY e "x"><records kind="penalty"/>', "xml")


def test_a_gb18030_xml_with_a_dtd_is_refused_too():
    document = (
        '<?xml version="1.0" encoding="GB18030"?><!DOCTYPE r [<!ENTITY e "南昌">]><records kind="penalty"/>'
    )
    with pytest.raises(UnreadableFile, match="DTD"):
        items(document.encode("gb18030"), "xml")


def test_a_doctype_after_the_root_element_is_a_syntax_error():
    with pytest.raises(UnreadableFile):
        items(b'<records kind="penalty"><!DOCTYPE r [<!ENTITY e "x">]><record/></records>', "xml")


def test_xml_of_another_kind_than_its_file_name_is_refused():
    with pytest.raises(UnreadableFile, match="不符"):
        items(b'<records kind="license"><record/></records>', "xml")


def test_truncated_xml_is_refused():
    with pytest.raises(UnreadableFile):
        items(b'<records kind="penalty"><record><record_id>1</record_id>', "xml")


@pytest.mark.parametrize(
    ("name", "parsed"),
    [
        ("penalty_20261102090000.jsonl", ("penalty", "jsonl", False)),
        ("registration_20261101080000_part2.csv.gz", ("registration", "csv", True)),
        ("dishonest_debtor_20261104163000.xml", ("dishonest_debtor", "xml", False)),
    ],
)
def test_file_names_of_the_contract(name, parsed):
    result = parse_file_name(name)
    assert (result.kind, result.format, result.gzipped) == parsed


@pytest.mark.parametrize(
    "name", ["penalty.csv", "penalty_2026.csv", "penalty_20261102090000.txt", "report.xlsx"]
)
def test_other_file_names_are_not_feed_files(name):
    assert parse_file_name(name) is None


def test_two_spellings_of_one_field_keep_the_first_non_empty_value():
    header_map = HeaderMap("penalty")
    assert header_map.map({"subject_name": "", "CF_XDR_MC": "甲公司"})["subject_name"] == "甲公司"
    assert header_map.map({"subject_name": "乙公司", "CF_XDR_MC": "甲公司"})["subject_name"] == "乙公司"


def test_records_with_different_layouts_in_one_file_map_each_by_its_own_keys():
    header_map = HeaderMap("penalty")
    assert header_map.map({"record_id": "1", "CF_WSH": "文号"}) == {
        "record_id": "1",
        "document_number": "文号",
    }
    assert header_map.map({"CF_WSH": "文号2", "x": "y"}) == {"document_number": "文号2"}
    assert header_map.ignored == ["x"]
