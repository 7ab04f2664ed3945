"""Personal data in departments' free text never reaches a public response (DOMAIN §8.2)."""
from __future__ import annotations

from chalicelib.public.domain import mask_name, scrub


def test_id_numbers_and_mobiles_in_free_text_are_blanked() -> None:
    text = "当事人张三（身份证号 32030219850612123X，电话 13912345678）未批先建"
    cleaned = scrub(text)
    assert cleaned is not None
    assert "32030219850612123X" not in cleaned and "13912345678" not in cleaned
    assert cleaned.startswith("当事人张三") and cleaned.endswith("未批先建")


def test_ordinary_numbers_are_left_alone() -> None:
    assert scrub("罚款 20000 元，决定书 徐环罚〔2012〕7号，证号 XK-2012-000123") == \
        "罚款 20000 元，决定书 徐环罚〔2012〕7号，证号 XK-2012-000123"


def test_a_person_is_masked_and_an_organisation_is_named() -> None:
    assert mask_name("张三", "person") == "张*"
    assert mask_name("徐州某机械有限公司", "org") == "徐州某机械有限公司"
    assert mask_name("李四") == "李*"
