"""Personal data in departments' free text never reaches a public response (docs/DOMAIN.md §8.2)."""
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


import pytest  # noqa: E402


@pytest.mark.parametrize(("text", "secret"), [
    ("身份证 32030219850612123X 已核验", "32030219850612123X"),
    ("身份证32030219850612123x。", "32030219850612123x"),
    ("老身份证 320302850612123 仍有效", "320302850612123"),            # 15 digits, birth date 850612
    ("联系电话 0516-83700000", "0516-83700000"),
    ("电话（0516）83700000", "（0516）83700000"),
    ("电话 (0516)8370-0000", "(0516)8370-0000"),
    ("电话 025 8370 0000", "025 8370 0000"),
    ("手机 +86 139 1234 5678 联系", "139 1234 5678"),
    ("手机+8613912345678", "13912345678"),
    ("手机 86-139-1234-5678", "139-1234-5678"),
    ("手机：139 1234 5678。", "139 1234 5678"),
    ("邮箱 zhang.san+gov@example.com.cn 收件", "zhang.san+gov@example.com.cn"),
    ("退款至 6222 0212 3456 7890 128", "6222 0212 3456 7890 128"),
    ("卡号6222021234567890128", "6222021234567890128"),
    ("卡号 6222-0212-3456-7894", "6222-0212-3456-7894"),
    ("住所：徐州市泉山区解放南路123号3栋2单元501室", "解放南路123号"),
    ("现住鼓楼区中山北路29号", "中山北路29号"),
    ("送达地址：铜山区新区街道汉源大道66号", "汉源大道66号"),
    ("家住和平小区12幢3单元402室", "12幢3单元402室"),
])
def test_the_scrubber_blanks_every_kind_of_personal_data(text: str, secret: str) -> None:
    cleaned = scrub(text)
    assert cleaned is not None and secret not in cleaned, cleaned
    assert len(cleaned) > 0


@pytest.mark.parametrize("text", [
    "罚款 20000 元，决定书 徐环罚〔2012〕7号，证号 XK-2012-000123",
    "2012-06-04 受理，2012年6月11日办结，用时 5 个工作日",
    "依据《中华人民共和国环境影响评价法》第二十二条",
    "金额 1,000,000.00 元",
    "事项编码 320300015XK00400",
    "案号 3203000152012000123",
    "河南的案号 4101000152012000123",
    "流水号 6222021234567890123",       # not a card number (fails the Luhn check)
])
def test_the_scrubber_leaves_ordinary_text_alone(text: str) -> None:
    assert scrub(text) == text


@pytest.mark.parametrize(("name", "party_type", "shown"), [
    ("张三", "person", "张*"),
    ("王", "person", "王*"),
    ("王", None, "王*"),
    ("欧阳娜娜", None, "欧*"),
    ("李会", None, "李*"),             # 会 is also an organisation word: a two-character name is a person
    ("张行", None, "张*"),
    ("王所长", None, "王*"),
    ("赵院", None, "赵*"),
    ("徐州某机械有限公司", None, "徐州某机械有限公司"),
    ("徐州市泉山区某某餐饮店", None, "徐州市泉山区某某餐饮店"),
    ("某某商会", "org", "某某商会"),
    ("张三", "org", "张三"),           # an organisation by the department's own word (e.g. a sole trader's name)
])
def test_every_natural_persons_name_is_masked(name: str, party_type: str | None, shown: str) -> None:
    assert mask_name(name, party_type) == shown
