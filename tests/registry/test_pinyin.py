"""Names spelled one letter (initials) and one syllable per character, so a match is a span of the name."""

import pytest

from warning_system.registry.pinyin import PLACEHOLDER, initials_span, pinyin_prefix_span, spell


def test_each_character_has_one_initial():
    name = "南昌ABC科技（江西）"
    spelling = spell(name)
    assert len(spelling.initials) == len(spelling.syllables) == len(name)
    assert spelling.initials == f"ncabckj{PLACEHOLDER}jx{PLACEHOLDER}"


def test_full_width_letters_are_folded():
    assert spell("Ｋ歌之王").initials == "kgzw"


@pytest.mark.parametrize(
    ("name", "initials"), [("重庆银行", "cqyh"), ("长沙银行", "csyh"), ("南昌海森", "nchs")]
)
def test_phrases_give_their_usual_reading(name, initials):
    assert spell(name).initials == initials


def test_a_pinyin_prefix_covers_the_characters_it_spells():
    assert pinyin_prefix_span(spell("南昌海森").syllables, "nanchangh") == (0, 3)


def test_initials_span_is_where_they_occur():
    assert initials_span(spell("南昌海森建材").initials, "jc") == (4, 6)
