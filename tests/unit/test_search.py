"""Chinese keyword search (中文检索): what a resident types finds the item, best match first."""

from __future__ import annotations

import re

import pytest

from chalicelib.catalog.domain.search import SearchDoc, rank, search_text, tokens

SMALL_CATERING = SearchDoc("320300021XK00100", "小餐饮经营许可证核发", ("餐饮", "小餐饮", "食品"))
FOOD = SearchDoc("320300021XK00200", "食品经营许可证核发", ("餐饮",))
EIA = SearchDoc("320300015XK00400", "建设项目环境影响评价文件审批", ("环评", "环境影响评价"))
EIA_PENALTY = SearchDoc("320300015CF02100", "对未批先建建设项目的行政处罚", ("环评",))
CATALOG = [EIA_PENALTY, EIA, FOOD, SMALL_CATERING]


def hall_finds(query: str, doc: SearchDoc) -> bool:
    """What the hall does client-side: the lowercase query is a substring of the published text."""
    return query.lower() in search_text(doc.name, doc.code, doc.keywords)


@pytest.mark.parametrize(
    "query", ["小餐饮", "xcy", "XCY", "xiaocanyin", "320300-021-XK-001-00", "320300021XK00100"]
)
def test_the_small_catering_licence_is_found_first_by_name_initials_and_code(query: str) -> None:
    # Given the catalog, when a resident types one of the ways to name the item
    result = rank(query, CATALOG)
    # Then the small-catering licence comes first
    assert result[0] == "320300021XK00100"


@pytest.mark.parametrize(
    "query", ["小餐饮", "xcy", "xiaocanyin", "320300-021-xk-001-00", "320300021xk00100", "经营许可"]
)
def test_the_published_search_text_lets_the_hall_find_the_same_item(query: str) -> None:
    assert hall_finds(query, SMALL_CATERING)
    assert not hall_finds("环评", SMALL_CATERING)


@pytest.mark.parametrize(
    "query", ["320300-015-XK-004-00", "320300015XK00400", "320300015xk00400", "３２０３００015XK00400"]
)
def test_an_exact_code_in_either_form_finds_exactly_that_item_first(query: str) -> None:
    result = rank(query, CATALOG)
    assert result[0] == "320300015XK00400"
    assert "320300021XK00100" not in result


def test_a_code_fragment_lists_the_items_of_a_department() -> None:
    assert sorted(rank("320300-015", CATALOG)) == ["320300015CF02100", "320300015XK00400"]


def test_a_name_match_ranks_above_a_keyword_only_match() -> None:
    # "餐饮" is in the small-catering name but only a keyword of the food licence
    assert rank("餐饮", CATALOG) == ["320300021XK00100", "320300021XK00200"]


def test_within_name_matches_the_earlier_and_shorter_name_comes_first() -> None:
    assert rank("经营许可", CATALOG) == ["320300021XK00200", "320300021XK00100"]


def test_a_query_with_a_missing_bigram_and_no_substring_finds_nothing() -> None:
    # "建设环评" is no substring, and its bigram 设环 occurs nowhere: no match
    assert rank("建设环评", CATALOG) == []
    # "项目审批": the bigram 目审 occurs nowhere, so the query does not match either
    assert rank("项目审批", CATALOG) == []
    # "评价文件" and "环境影响评价" are plain substrings of the licence name only
    assert rank("评价文件", CATALOG) == ["320300015XK00400"]
    assert rank("环境影响评价", CATALOG) == ["320300015XK00400"]


def test_bigram_match_ranks_below_substring_matches() -> None:
    # Given a doc whose keywords hold every bigram of the query but not the query itself
    scattered = SearchDoc("320300099QT00100", "其他事项", ("餐饮许", "饮许可", "可证"))
    # "饮许可证" bigrams 饮许, 许可, 可证 all occur in scattered's keywords; as a substring it occurs nowhere
    assert rank("饮许可证", [scattered, SMALL_CATERING]) == ["320300099QT00100"]
    # "许可证" is a substring of the licence names: those rank first, the bigram-only doc after them
    assert rank("许可证", [scattered, FOOD, SMALL_CATERING]) == [
        "320300021XK00200",
        "320300021XK00100",
        "320300099QT00100",
    ]


def test_several_terms_must_all_match() -> None:
    assert rank("餐饮 小", CATALOG) == ["320300021XK00100"]
    assert rank("餐饮 环评", CATALOG) == []


def test_pinyin_initials_of_keywords_also_match() -> None:
    assert set(rank("hp", CATALOG)) == {"320300015XK00400", "320300015CF02100"}


def test_an_empty_query_lists_everything_in_code_order() -> None:
    assert rank("  ", CATALOG) == sorted(d.code for d in CATALOG)


def test_nothing_matches_an_unrelated_query() -> None:
    assert rank("婚姻登记", CATALOG) == []
    assert rank("zzz", CATALOG) == []


def test_tokens_hold_ngrams_words_and_pinyin() -> None:
    toks = tokens("小餐饮 A3 许可")
    assert {"小", "小餐", "小餐饮", "餐饮", "许可"} <= toks
    assert {"a3", "a", "3"} <= toks
    assert {"xcy", "xc", "cy", "xk", "xiaocanyin", "xuke", "can"} <= toks
    assert "小餐饮许" not in toks


def test_search_text_is_lowercase_and_holds_every_form() -> None:
    text = search_text("小餐饮经营许可证核发", "320300-021-XK-001-00", ["餐饮"])
    assert text == text.lower()
    for part in (
        "小餐饮经营许可证核发",
        "餐饮",
        "320300021xk00100",
        "320300-021-xk-001-00",
        "xcyjyxkzhf",
        "xiaocanyinjingyingxukezhenghefa",
        "cy",
        "canyin",
    ):
        assert part in text.split(" ")
    assert not re.search(r"\s{2,}", text)
