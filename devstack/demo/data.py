"""Reference data of the demo city (演示城市): departments, laws, item templates and name pools.

Everything here is plain constants; ``generator.py`` turns it into catalog declarations and case
histories with a seeded random generator. Names of people and companies are invented. Law titles
are real; article numbers are plausible, not legal advice.
"""
from __future__ import annotations

from dataclasses import dataclass, field

CITY_REGION = "320300"


@dataclass(frozen=True)
class Department:
    """A department (部门) of the city or of one of its counties."""

    code: str
    name: str
    region_code: str
    level: str  # "city" | "county"
    prefix: str  # short prefix of document numbers, e.g. 徐环 in 徐环罚决字〔2012〕第3号
    window: str  # 办理地点
    phone: str  # 联系电话
    supervision_phone: str  # 监督电话
    industries: tuple[str, ...] = ()  # typical applicant trades, used for company names


DEPARTMENTS: tuple[Department, ...] = (
    Department("011", "徐州市市场监督管理局", CITY_REGION, "city", "徐市监",
               "徐州市政务服务中心二楼市场监管窗口（B21-B26）", "0516-83735011", "0516-83735911",
               ("餐饮管理", "食品", "商贸", "超市")),
    Department("012", "徐州市卫生局", CITY_REGION, "city", "徐卫",
               "徐州市政务服务中心三楼卫生窗口（C05-C08）", "0516-83735012", "0516-83735912",
               ("医院管理", "健康咨询", "酒店管理", "美容美发")),
    Department("015", "徐州市环境保护局", CITY_REGION, "city", "徐环",
               "徐州市政务服务中心三楼环保窗口（C11-C13）", "0516-83735015", "0516-83735915",
               ("机械", "化工", "建材", "热电", "环保科技")),
    Department("016", "徐州市住房和城乡建设局", CITY_REGION, "city", "徐建",
               "徐州市政务服务中心二楼建设窗口（B01-B08）", "0516-83735016", "0516-83735916",
               ("房地产开发", "建筑工程", "建设集团", "置业")),
    Department("017", "徐州市规划局", CITY_REGION, "city", "徐规",
               "徐州市政务服务中心二楼规划窗口（B09-B12）", "0516-83735017", "0516-83735917",
               ("房地产开发", "置业", "建设集团")),
    Department("018", "徐州市交通运输局", CITY_REGION, "city", "徐交",
               "徐州市政务服务中心一楼交通窗口（A15-A18）", "0516-83735018", "0516-83735918",
               ("运输", "物流", "汽车客运", "驾驶员培训")),
    Department("019", "徐州市公安局", CITY_REGION, "city", "徐公",
               "徐州市政务服务中心一楼公安窗口（A01-A08）", "0516-83735019", "0516-83735919",
               ("文化传媒", "商业管理", "化工", "酒店管理")),
    Department("021", "徐州市民政局", CITY_REGION, "city", "徐民",
               "徐州市政务服务中心一楼民政窗口（A21-A24）", "0516-83735021", "0516-83735921",
               ("养老服务", "社会工作服务")),
    Department("022", "徐州市人力资源和社会保障局", CITY_REGION, "city", "徐人社",
               "徐州市政务服务中心四楼人社窗口（D01-D10）", "0516-83735022", "0516-83735922",
               ("机械", "纺织", "人力资源", "电子")),
    Department("023", "徐州市国土资源局", CITY_REGION, "city", "徐国土",
               "徐州市政务服务中心二楼国土窗口（B15-B18）", "0516-83735023", "0516-83735923",
               ("房地产开发", "矿业", "置业")),
    Department("024", "徐州市文化广电新闻出版局", CITY_REGION, "city", "徐文",
               "徐州市政务服务中心三楼文化窗口（C15-C16）", "0516-83735024", "0516-83735924",
               ("娱乐", "网络科技", "文化传媒", "图书")),
    Department("025", "徐州市食品药品监督管理局", CITY_REGION, "city", "徐食药",
               "徐州市政务服务中心三楼食药窗口（C01-C04）", "0516-83735025", "0516-83735925",
               ("医药", "大药房", "医疗器械")),
    Department("031", "铜山区市场监督管理局", "320312", "county", "铜市监",
               "铜山区政务服务中心二楼市场监管窗口", "0516-83012031", "0516-83012931",
               ("餐饮", "食品", "商贸")),
    Department("032", "沛县环境保护局", "320322", "county", "沛环",
               "沛县政务服务中心三楼环保窗口", "0516-89622032", "0516-89622932",
               ("煤电", "化工", "建材")),
    Department("033", "邳州市卫生局", "320382", "county", "邳卫",
               "邳州市政务服务中心二楼卫生窗口", "0516-86228033", "0516-86228933",
               ("医院管理", "酒店管理", "美容美发")),
    Department("034", "睢宁县民政局", "320324", "county", "睢民",
               "睢宁县政务服务中心一楼民政窗口", "0516-88222034", "0516-88222934",
               ("养老服务",)),
    Department("035", "新沂市住房和城乡建设局", "320381", "county", "新建",
               "新沂市政务服务中心二楼建设窗口", "0516-88921035", "0516-88921935",
               ("房地产开发", "建筑工程")),
    Department("036", "丰县人力资源和社会保障局", "320321", "county", "丰人社",
               "丰县政务服务中心二楼人社窗口", "0516-89212036", "0516-89212936",
               ("机械", "纺织")),
)

#: County region codes (区县) with their Chinese names, for ID numbers and addresses.
REGIONS: dict[str, str] = {
    "320300": "徐州市",
    "320302": "鼓楼区",
    "320303": "云龙区",
    "320311": "泉山区",
    "320312": "铜山区",
    "320321": "丰县",
    "320322": "沛县",
    "320324": "睢宁县",
    "320381": "新沂市",
    "320382": "邳州市",
}

#: Laws and regulations (法律法规) by short key.
LAWS: dict[str, str] = {
    "LIC": "《中华人民共和国行政许可法》",
    "PEN": "《中华人民共和国行政处罚法》",
    "FORCE": "《中华人民共和国行政强制法》",
    "EIA": "《中华人民共和国环境影响评价法》",
    "ENV": "《中华人民共和国环境保护法》",
    "AIR": "《中华人民共和国大气污染防治法》",
    "WATER": "《中华人民共和国水污染防治法》",
    "SOLID": "《中华人民共和国固体废物污染环境防治法》",
    "POLFEE": "《排污费征收使用管理条例》",
    "EPCHECK": "《建设项目环境保护管理条例》",
    "ENVINFO": "《环境信息公开办法（试行）》",
    "FOOD": "《中华人民共和国食品安全法》",
    "JSFOOD": "《江苏省食品小作坊和食品摊贩管理条例》",
    "DRUG": "《中华人民共和国药品管理法》",
    "DEVICE": "《医疗器械监督管理条例》",
    "MEDINST": "《医疗机构管理条例》",
    "DOCTOR": "《中华人民共和国执业医师法》",
    "PUBHYG": "《公共场所卫生管理条例》",
    "MATERNAL": "《中华人民共和国母婴保健法》",
    "BUILD": "《中华人民共和国建筑法》",
    "QUALITY": "《建设工程质量管理条例》",
    "REALTY": "《中华人民共和国城市房地产管理法》",
    "WASTE": "《城市建筑垃圾管理规定》",
    "TENDER": "《中华人民共和国招标投标法实施条例》",
    "JSFEE": "《江苏省城市市政公用基础设施配套费征收和使用管理办法》",
    "PLAN": "《中华人民共和国城乡规划法》",
    "ROAD": "《中华人民共和国道路运输条例》",
    "EMERG": "《中华人民共和国突发事件应对法》",
    "FIRE": "《中华人民共和国消防法》",
    "EVENT": "《大型群众性活动安全管理条例》",
    "HAZCHEM": "《危险化学品安全管理条例》",
    "PUBSEC": "《中华人民共和国治安管理处罚法》",
    "HUKOU": "《中华人民共和国户口登记条例》",
    "TRAFFIC": "《中华人民共和国道路交通安全法》",
    "MARRIAGE": "《婚姻登记条例》",
    "SOCORG": "《社会团体登记管理条例》",
    "NONPROFIT": "《民办非企业单位登记管理暂行条例》",
    "DIBAO": "《城市居民最低生活保障条例》",
    "RURALDIBAO": "《江苏省农村居民最低生活保障办法》",
    "WUBAO": "《农村五保供养工作条例》",
    "PENSION": "《军人抚恤优待条例》",
    "BURIAL": "《殡葬管理条例》",
    "HERO": "《江苏省奖励和保护见义勇为人员条例》",
    "SOCINS": "《中华人民共和国社会保险法》",
    "UNEMP": "《失业保险条例》",
    "INJURY": "《工伤保险条例》",
    "LABOR": "《中华人民共和国劳动法》",
    "DISPUTE": "《中华人民共和国劳动争议调解仲裁法》",
    "LAND": "《中华人民共和国土地管理法》",
    "LANDREG": "《土地登记办法》",
    "ENT": "《娱乐场所管理条例》",
    "NETBAR": "《互联网上网服务营业场所管理条例》",
    "PUBLISH": "《出版管理条例》",
}

#: Legal bases (依据): one law article each, referenced by items as ``legal_basis[].id``.
#: (basis id, law key, article number)
BASES: tuple[tuple[str, str, int], ...] = (
    ("LIC-LAW-42", "LIC", 42),
    ("LIC-LAW-45", "LIC", 45),
    ("PEN-LAW-23", "PEN", 23),
    ("FORCE-LAW-22", "FORCE", 22),
    ("FORCE-LAW-44", "FORCE", 44),
    ("EIA-LAW-22", "EIA", 22),
    ("EIA-LAW-23", "EIA", 23),
    ("ENV-LAW-8", "ENV", 8),
    ("ENV-LAW-25", "ENV", 25),
    ("AIR-LAW-15", "AIR", 15),
    ("AIR-LAW-46", "AIR", 46),
    ("AIR-LAW-48", "AIR", 48),
    ("WATER-LAW-20", "WATER", 20),
    ("WATER-LAW-72", "WATER", 72),
    ("WATER-LAW-74", "WATER", 74),
    ("SOLID-LAW-57", "SOLID", 57),
    ("POLFEE-REG-2", "POLFEE", 2),
    ("POLFEE-REG-12", "POLFEE", 12),
    ("EPCHECK-REG-20", "EPCHECK", 20),
    ("ENVINFO-REG-18", "ENVINFO", 18),
    ("FOOD-LAW-29", "FOOD", 29),
    ("FOOD-LAW-35", "FOOD", 35),
    ("FOOD-LAW-77", "FOOD", 77),
    ("FOOD-LAW-84", "FOOD", 84),
    ("FOOD-LAW-80", "FOOD", 80),
    ("JSFOOD-REG-20", "JSFOOD", 20),
    ("JSFOOD-REG-26", "JSFOOD", 26),
    ("JSFOOD-REG-47", "JSFOOD", 47),
    ("DRUG-LAW-14", "DRUG", 14),
    ("DRUG-LAW-60", "DRUG", 60),
    ("DRUG-LAW-65", "DRUG", 65),
    ("DRUG-LAW-74", "DRUG", 74),
    ("DEVICE-REG-23", "DEVICE", 23),
    ("MEDINST-REG-15", "MEDINST", 15),
    ("MEDINST-REG-44", "MEDINST", 44),
    ("MEDINST-REG-48", "MEDINST", 48),
    ("DOCTOR-LAW-13", "DOCTOR", 13),
    ("PUBHYG-REG-8", "PUBHYG", 8),
    ("MATERNAL-LAW-23", "MATERNAL", 23),
    ("BUILD-LAW-7", "BUILD", 7),
    ("BUILD-LAW-8", "BUILD", 8),
    ("BUILD-LAW-64", "BUILD", 64),
    ("QUALITY-REG-49", "QUALITY", 49),
    ("REALTY-LAW-45", "REALTY", 45),
    ("WASTE-REG-7", "WASTE", 7),
    ("TENDER-REG-7", "TENDER", 7),
    ("JSFEE-REG-3", "JSFEE", 3),
    ("PLAN-LAW-37", "PLAN", 37),
    ("PLAN-LAW-38", "PLAN", 38),
    ("PLAN-LAW-40", "PLAN", 40),
    ("PLAN-LAW-41", "PLAN", 41),
    ("PLAN-LAW-45", "PLAN", 45),
    ("PLAN-LAW-68", "PLAN", 68),
    ("ROAD-REG-10", "ROAD", 10),
    ("ROAD-REG-24", "ROAD", 24),
    ("ROAD-REG-40", "ROAD", 40),
    ("ROAD-REG-64", "ROAD", 64),
    ("ROAD-REG-70", "ROAD", 70),
    ("EMERG-LAW-12", "EMERG", 12),
    ("EMERG-LAW-52", "EMERG", 52),
    ("FIRE-LAW-15", "FIRE", 15),
    ("FIRE-LAW-7", "FIRE", 7),
    ("FIRE-LAW-58", "FIRE", 58),
    ("EVENT-REG-13", "EVENT", 13),
    ("HAZCHEM-REG-39", "HAZCHEM", 39),
    ("PUBSEC-LAW-23", "PUBSEC", 23),
    ("HUKOU-REG-7", "HUKOU", 7),
    ("TRAFFIC-LAW-95", "TRAFFIC", 95),
    ("MARRIAGE-REG-7", "MARRIAGE", 7),
    ("SOCORG-REG-12", "SOCORG", 12),
    ("NONPROFIT-REG-11", "NONPROFIT", 11),
    ("DIBAO-REG-7", "DIBAO", 7),
    ("RURALDIBAO-REG-5", "RURALDIBAO", 5),
    ("WUBAO-REG-10", "WUBAO", 10),
    ("PENSION-REG-32", "PENSION", 32),
    ("BURIAL-REG-8", "BURIAL", 8),
    ("HERO-REG-10", "HERO", 10),
    ("SOCINS-LAW-58", "SOCINS", 58),
    ("SOCINS-LAW-63", "SOCINS", 63),
    ("SOCINS-LAW-84", "SOCINS", 84),
    ("UNEMP-REG-14", "UNEMP", 14),
    ("INJURY-REG-17", "INJURY", 17),
    ("INJURY-REG-20", "INJURY", 20),
    ("INJURY-REG-30", "INJURY", 30),
    ("LABOR-LAW-39", "LABOR", 39),
    ("DISPUTE-LAW-29", "DISPUTE", 29),
    ("DISPUTE-LAW-43", "DISPUTE", 43),
    ("LAND-LAW-16", "LAND", 16),
    ("LAND-LAW-52", "LAND", 52),
    ("LAND-LAW-54", "LAND", 54),
    ("LAND-LAW-55", "LAND", 55),
    ("LAND-LAW-57", "LAND", 57),
    ("LAND-LAW-76", "LAND", 76),
    ("LANDREG-REG-27", "LANDREG", 27),
    ("ENT-REG-9", "ENT", 9),
    ("ENT-REG-43", "ENT", 43),
    ("NETBAR-REG-11", "NETBAR", 11),
    ("NETBAR-REG-31", "NETBAR", 31),
    ("PUBLISH-REG-37", "PUBLISH", 37),
)

#: Bases repealed (or amended away) shortly before the anchor: (basis id, days before the anchor).
#: Items still cite them, so penalty decisions after that date are a legal-oversight finding (L4).
REPEALED_BASES: tuple[tuple[str, int], ...] = (
    ("ROAD-REG-70", 60),
    ("ENT-REG-43", 40),
)

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..999 in Chinese numerals as used in article numbers: 22 → 二十二, 105 → 一百零五."""
    if not 0 < n < 1000:
        raise ValueError("article number out of range")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    text = ""
    if hundreds:
        text += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            text += "零"
    if tens:
        text += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        text += _DIGITS[ones]
    return text


def article_text(n: int) -> str:
    """第二十二条."""
    return f"第{chinese_number(n)}条"


@dataclass(frozen=True)
class PenaltyTemplate:
    """Statutory fine range and the two cut points between the light/medium/heavy tiers."""

    types: tuple[str, ...]
    fine_min: int
    fine_max: int
    cuts: tuple[int, int]
    violation: str
    party: str = "org"  # org | person
    in_business: bool = True


@dataclass(frozen=True)
class ItemTemplate:
    """One catalog item of the demo city; unset fields take the category defaults."""

    dept: str
    category: str
    name: str
    bases: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    seq: int | None = None
    statutory: int | None = None
    promised: int | None = None
    unit: str | None = None
    materials: tuple[str, ...] = ()
    conditions: str = ""
    result_name: str | None = None
    fee: tuple[float, str] | None = None
    special: tuple[str, ...] = ()
    co_departments: tuple[str, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)
    penalty: PenaltyTemplate | None = None
    party: str = "org"  # who applies: org | person | mixed
    weight: float = 1.0  # relative number of cases


def _p(types: tuple[str, ...], lo: int, hi: int, cuts: tuple[int, int], violation: str,
       party: str = "org", in_business: bool = True) -> PenaltyTemplate:
    return PenaltyTemplate(types, lo, hi, cuts, violation, party, in_business)


# Fees (收费): most items are free; these are the charged ones with their basis.
_LAND_FEE = (100.0, "《国家土地管理局、国家测绘局、国家物价局、财政部关于土地登记收费及其管理办法》"
             "（〔1990〕国测（籍）字第93号），按宗收取土地登记费")
_MARRIAGE_FEE = (9.0, "《国家发展改革委、财政部关于降低住房转让手续费受理商标注册费等收费标准的通知》"
                 "（发改价格〔2008〕2295号），结婚证工本费每本9元")
_CARD_FEE = (20.0, "《江苏省物价局 江苏省财政厅关于社会保障卡补换卡收费标准的通知》，每卡20元")

ITEMS: tuple[ItemTemplate, ...] = (
    # 011 徐州市市场监督管理局
    ItemTemplate("011", "XK", "小餐饮经营许可证核发", ("JSFOOD-REG-20", "FOOD-LAW-29"),
                 ("小餐饮", "餐饮", "食品经营", "饭店"), statutory=20, promised=7,
                 materials=("小餐饮经营许可申请书", "营业执照或者名称预先核准通知书", "从业人员健康证明",
                            "经营场所平面布局图", "食品安全管理制度文本"),
                 conditions="经营场所面积在五十平方米以下，具有与经营品种相适应的加工、贮存场所和设施，"
                            "从业人员持有有效健康证明，远离污染源。",
                 result_name="小餐饮经营许可证", party="mixed", weight=4.0),
    ItemTemplate("011", "XK", "食品经营许可证核发", ("FOOD-LAW-29", "LIC-LAW-42"),
                 ("食品经营", "食品销售", "许可证"), statutory=20, promised=10,
                 materials=("食品经营许可申请书", "营业执照复印件", "与食品经营相适应的主要设备设施布局图",
                            "食品安全管理人员证明", "食品安全自查和管理制度"),
                 result_name="食品经营许可证", weight=3.0),
    ItemTemplate("011", "XK", "食品生产许可证核发", ("FOOD-LAW-29", "FOOD-LAW-35"),
                 ("食品生产", "SC", "许可证"), statutory=30, promised=20,
                 materials=("食品生产许可申请书", "生产场所平面图", "工艺流程图", "主要设备设施清单",
                            "食品安全管理制度"),
                 special=("现场核查",), result_name="食品生产许可证", weight=1.5),
    ItemTemplate("011", "CF", "对未取得食品经营许可从事食品经营活动的处罚", ("FOOD-LAW-84",),
                 ("无证经营", "食品经营"),
                 penalty=_p(("fine", "confiscation"), 2000, 50000, (10000, 30000),
                            "未取得食品经营许可从事食品经营活动")),
    ItemTemplate("011", "CF", "对食品摊贩未取得登记卡从事经营的处罚", ("JSFOOD-REG-47",),
                 ("食品摊贩", "登记卡"),
                 penalty=_p(("warning", "fine"), 200, 2000, (800, 1400),
                            "食品摊贩未取得登记卡从事食品经营", party="person")),
    ItemTemplate("011", "QZ", "查封、扣押不符合食品安全标准的食品", ("FOOD-LAW-77", "FORCE-LAW-22"),
                 ("查封", "扣押", "食品安全"),
                 fields={"measure_type": "查封、扣押", "conditions_text": "有证据证明不符合食品安全标准或者"
                         "有证据证明存在安全隐患以及用于违法生产经营的食品、工具、设备",
                         "duration": "不得超过30日，情况复杂的经批准可以延长30日"}),
    ItemTemplate("011", "JL", "食品安全违法行为举报奖励", ("FOOD-LAW-80",), ("举报", "奖励", "食品安全"),
                 fields={"conditions_text": "举报事项经查证属实，且举报人为首位实名举报人",
                         "standard": "按罚没款金额的一定比例给予奖励，单案最高不超过10万元"}, party="person",
                 weight=0.4),
    ItemTemplate("011", "FW", "企业名称登记信息查询", ("LIC-LAW-42",), ("名称查询", "企业信息"),
                 party="mixed", weight=0.0),
    # 012 徐州市卫生局
    ItemTemplate("012", "XK", "医疗机构执业登记", ("MEDINST-REG-15", "LIC-LAW-42"),
                 ("医疗机构", "执业许可证", "诊所"), statutory=45, promised=20,
                 materials=("医疗机构执业登记申请书", "设置医疗机构批准书", "医疗机构用房产权证明或者使用证明",
                            "医疗机构建筑设计平面图", "卫生技术人员名录及资格证书"),
                 special=("现场核查",), result_name="医疗机构执业许可证", weight=1.5),
    ItemTemplate("012", "XK", "医师执业注册", ("DOCTOR-LAW-13",), ("医师", "执业注册"),
                 statutory=30, promised=15,
                 materials=("医师执业注册申请审核表", "医师资格证书", "近6个月内的健康体检证明",
                            "拟执业机构的聘用证明"),
                 result_name="医师执业证书", party="person", weight=2.0),
    ItemTemplate("012", "XK", "公共场所卫生许可证核发", ("PUBHYG-REG-8",), ("公共场所", "卫生许可", "宾馆"),
                 statutory=20, promised=10,
                 materials=("公共场所卫生许可证申请表", "营业执照复印件", "卫生检测报告",
                            "从业人员健康合格证明"),
                 result_name="公共场所卫生许可证", weight=2.0),
    ItemTemplate("012", "CF", "对未取得《医疗机构执业许可证》擅自执业的处罚", ("MEDINST-REG-44",),
                 ("非法行医", "擅自执业"),
                 penalty=_p(("fine", "confiscation"), 1000, 10000, (3000, 6000),
                            "未取得《医疗机构执业许可证》擅自执业", party="person")),
    ItemTemplate("012", "QR", "出生医学证明首次签发", ("MATERNAL-LAW-23",), ("出生医学证明", "新生儿"),
                 statutory=5, promised=3, materials=("出生医学证明首次签发登记表", "父母双方身份证"),
                 fields={"result_form": "《出生医学证明》"}, party="person", weight=2.0),
    ItemTemplate("012", "FW", "预防接种证补办", ("MATERNAL-LAW-23",), ("预防接种", "补办"),
                 party="person", weight=0.0),
    # 015 徐州市环境保护局
    ItemTemplate("015", "XK", "建设项目环境影响评价文件审批", ("EIA-LAW-22", "LIC-LAW-42"),
                 ("环评", "环境影响报告表", "环境影响报告书", "建设项目"), seq=4, statutory=20, promised=5,
                 materials=("环境影响报告表", "建设项目环境影响评价文件审批申请表", "项目立项批准文件",
                            "公众参与说明"),
                 conditions="建设项目符合国家产业政策和城市总体规划，环境影响评价文件由具备相应资质的机构编制，"
                            "污染物排放符合总量控制要求。",
                 special=("专家评审", "听证"), result_name="建设项目环境影响评价文件批复", weight=3.0),
    ItemTemplate("015", "XK", "排放污染物许可证核发", ("WATER-LAW-20", "AIR-LAW-15"),
                 ("排污许可", "排污许可证"), seq=5, statutory=20, promised=10,
                 materials=("排放污染物许可证申请表", "排污申报登记表", "环境影响评价批复文件",
                            "污染治理设施运行情况说明"),
                 special=("现场核查",), result_name="排放污染物许可证", weight=2.0),
    ItemTemplate("015", "XK", "危险废物经营许可证核发", ("SOLID-LAW-57",), ("危险废物", "危废"),
                 seq=6, statutory=20, promised=15,
                 materials=("危险废物经营许可证申请书", "专业技术人员职称证明", "贮存设施和处置设施说明",
                            "事故应急救援措施"),
                 special=("专家评审",), result_name="危险废物经营许可证", weight=0.6),
    ItemTemplate("015", "CF", "对拒报或者谎报排污申报登记事项的处罚", ("AIR-LAW-46", "WATER-LAW-72"),
                 ("排污申报", "谎报"), seq=21,
                 penalty=_p(("warning", "fine"), 1000, 10000, (3000, 6000),
                            "拒报或者谎报国务院环境保护行政主管部门规定的有关污染物排放申报事项")),
    ItemTemplate("015", "CF", "对超标排放大气污染物的处罚", ("AIR-LAW-48",), ("超标排放", "大气污染"),
                 seq=15,
                 penalty=_p(("fine",), 10000, 100000, (30000, 60000), "向大气排放污染物超过国家和地方规定排放标准")),
    ItemTemplate("015", "ZS", "排污费征收", ("POLFEE-REG-2", "POLFEE-REG-12"), ("排污费", "征收"),
                 fields={"levy_payer": "直接向环境排放污染物的单位和个体工商户",
                         "levy_standard": "按《排污费征收标准管理办法》规定的污染物种类、数量核定征收"},
                 weight=0.8),
    ItemTemplate("015", "QZ", "查封、扣押造成污染物排放的设施、设备", ("ENV-LAW-25", "FORCE-LAW-22"),
                 ("查封", "扣押", "污染设施"),
                 fields={"measure_type": "查封、扣押", "conditions_text": "违法排放污染物，造成或者可能造成严重污染",
                         "duration": "不得超过30日；情况复杂的，经批准可以延长，但延长期限不得超过30日"}),
    ItemTemplate("015", "JL", "环境保护先进单位和个人奖励", ("ENV-LAW-8",), ("环保奖励", "先进"),
                 fields={"conditions_text": "在保护和改善环境、防治污染等方面成绩显著",
                         "standard": "授予荣誉称号并给予一次性奖金"}, weight=0.3),
    ItemTemplate("015", "QT", "建设项目竣工环境保护验收", ("EPCHECK-REG-20",), ("竣工验收", "环保验收"),
                 statutory=30, promised=20,
                 materials=("建设项目竣工环境保护验收申请报告", "验收监测报告", "环境影响评价批复文件"),
                 special=("现场核查",), result_name="建设项目竣工环境保护验收意见", weight=1.5),
    ItemTemplate("015", "FW", "环境信息依申请公开", ("ENVINFO-REG-18",), ("信息公开", "环境信息"),
                 party="mixed", weight=0.0),
    # 016 徐州市住房和城乡建设局
    ItemTemplate("016", "XK", "建筑工程施工许可证核发", ("BUILD-LAW-7", "BUILD-LAW-8"),
                 ("施工许可", "建筑工程"), statutory=15, promised=5,
                 materials=("建筑工程施工许可证申请表", "建设工程规划许可证", "中标通知书及施工合同",
                            "施工图设计文件审查合格书", "质量安全监督手续"),
                 co_departments=("017",), result_name="建筑工程施工许可证", weight=3.0),
    ItemTemplate("016", "XK", "商品房预售许可", ("REALTY-LAW-45",), ("预售许可", "商品房", "预售证"),
                 statutory=10, promised=7,
                 materials=("商品房预售许可申请表", "土地使用权证书", "建设工程规划许可证和施工许可证",
                            "工程施工进度证明", "商品房预售方案"),
                 special=("现场核查",), result_name="商品房预售许可证", weight=1.5),
    ItemTemplate("016", "XK", "城市建筑垃圾处置核准", ("WASTE-REG-7",), ("建筑垃圾", "渣土"),
                 statutory=20, promised=5,
                 materials=("城市建筑垃圾处置核准申请表", "建筑垃圾处置方案", "运输车辆清单"),
                 result_name="城市建筑垃圾处置核准证", weight=1.0),
    ItemTemplate("016", "CF", "对未取得施工许可证擅自施工的处罚", ("BUILD-LAW-64",), ("无证施工",),
                 penalty=_p(("fine",), 10000, 50000, (20000, 35000), "未取得施工许可证或者开工报告未经批准擅自施工")),
    ItemTemplate("016", "ZS", "城市基础设施配套费征收", ("JSFEE-REG-3",), ("配套费", "征收"),
                 fields={"levy_payer": "在城市规划区内新建、扩建、改建工程项目的建设单位",
                         "levy_standard": "按建设工程建筑面积计征，标准由市人民政府核定"},
                 weight=1.0),
    ItemTemplate("016", "QT", "建设工程竣工验收备案", ("QUALITY-REG-49",), ("竣工验收备案",),
                 statutory=15, promised=5,
                 materials=("工程竣工验收备案表", "工程竣工验收报告", "规划、消防、环保等部门出具的认可文件"),
                 result_name="建设工程竣工验收备案证明书", weight=1.5),
    ItemTemplate("016", "SP", "建设工程项目招标方式核准", ("TENDER-REG-7",), ("招标方式", "邀请招标"),
                 statutory=10, promised=5, materials=("招标方式核准申请表", "项目批准文件"),
                 result_name="招标方式核准意见", weight=0.8),
    # 017 徐州市规划局
    ItemTemplate("017", "XK", "建设用地规划许可证核发", ("PLAN-LAW-37", "PLAN-LAW-38"),
                 ("用地规划", "规划许可"), statutory=20, promised=10,
                 materials=("建设用地规划许可申请表", "建设项目批准、核准或者备案文件", "国有土地使用权出让合同",
                            "地形图"),
                 result_name="建设用地规划许可证", weight=1.5),
    ItemTemplate("017", "XK", "建设工程规划许可证核发", ("PLAN-LAW-40",), ("工程规划", "规划许可"),
                 statutory=20, promised=10,
                 materials=("建设工程规划许可申请表", "使用土地的有关证明文件", "建设工程设计方案",
                            "总平面图"),
                 special=("专家评审", "批前公示"), co_departments=("016", "019"),
                 result_name="建设工程规划许可证", weight=2.0),
    ItemTemplate("017", "XK", "乡村建设规划许可证核发", ("PLAN-LAW-41",), ("乡村建设", "农房"),
                 statutory=20, promised=10, materials=("乡村建设规划许可申请表", "宅基地使用证明", "建房设计图"),
                 result_name="乡村建设规划许可证", party="person", weight=1.0),
    ItemTemplate("017", "QZ", "限期拆除违法建设", ("PLAN-LAW-68", "FORCE-LAW-44"), ("违法建设", "拆除"),
                 fields={"measure_type": "强制拆除", "conditions_text": "违法建设经责令限期拆除，当事人逾期不拆除",
                         "duration": "公告限期不少于10日"}),
    ItemTemplate("017", "QR", "建设工程规划条件核实", ("PLAN-LAW-45",), ("规划核实", "规划验收"),
                 statutory=15, promised=7, materials=("规划条件核实申请表", "竣工测量报告"),
                 fields={"result_form": "《建设工程规划核实合格证》"}, special=("现场核查",), weight=1.5),
    ItemTemplate("017", "FW", "城市规划信息查询", ("PLAN-LAW-40",), ("规划查询",), party="mixed", weight=0.0),
    # 018 徐州市交通运输局
    ItemTemplate("018", "XK", "道路旅客运输经营许可", ("ROAD-REG-10",), ("客运", "道路运输"),
                 statutory=20, promised=10,
                 materials=("道路旅客运输经营申请表", "企业章程", "车辆技术等级评定证明", "驾驶人员从业资格证",
                            "安全生产管理制度文本"),
                 result_name="道路运输经营许可证", weight=1.0),
    ItemTemplate("018", "XK", "道路货物运输经营许可", ("ROAD-REG-24",), ("货运", "道路运输", "物流"),
                 statutory=20, promised=7,
                 materials=("道路货物运输经营申请表", "车辆行驶证", "驾驶人员从业资格证", "安全生产管理制度文本"),
                 result_name="道路运输经营许可证", party="mixed", weight=3.0),
    ItemTemplate("018", "XK", "机动车驾驶员培训经营许可", ("ROAD-REG-40",), ("驾校", "驾驶员培训"),
                 statutory=15, promised=10,
                 materials=("机动车驾驶员培训经营申请表", "教练场地使用权证明", "教练员资格证明", "教学车辆清单"),
                 special=("现场核查",), result_name="道路运输经营许可证", weight=0.5),
    ItemTemplate("018", "CF", "对未取得道路运输经营许可擅自从事道路运输经营的处罚", ("ROAD-REG-64",),
                 ("非法营运", "黑车"),
                 penalty=_p(("fine", "confiscation"), 30000, 100000, (50000, 75000),
                            "未取得道路运输经营许可，擅自从事道路运输经营", party="person")),
    ItemTemplate("018", "CF", "对客运经营者不按批准的客运站点停靠或者不按规定的线路行驶的处罚",
                 ("ROAD-REG-70",), ("客运", "站外揽客"),
                 penalty=_p(("fine",), 1000, 3000, (1500, 2200), "客运经营者不按批准的客运站点停靠或者不按规定的线路、"
                            "班次行驶")),
    ItemTemplate("018", "ZY", "紧急情况下征用运输工具", ("EMERG-LAW-12", "EMERG-LAW-52"), ("征用", "应急运输"),
                 fields={"target": "单位和个人的客货运输车辆、船舶等运输工具",
                         "compensation": "使用完毕后及时返还；造成毁损、灭失的，按征用时当地市场价格给予补偿"}),
    ItemTemplate("018", "FW", "道路运输政策咨询", ("ROAD-REG-10",), ("咨询",), party="mixed", weight=0.0),
    # 019 徐州市公安局
    ItemTemplate("019", "XK", "公众聚集场所投入使用、营业前消防安全检查", ("FIRE-LAW-15",),
                 ("消防安全检查", "公众聚集场所", "消防"), statutory=10, promised=5,
                 materials=("公众聚集场所投入使用、营业前消防安全检查申报表", "营业执照复印件",
                            "消防安全制度、灭火和应急疏散预案", "员工消防安全培训记录"),
                 special=("现场核查",), result_name="公众聚集场所投入使用、营业前消防安全检查合格证",
                 weight=2.5),
    ItemTemplate("019", "XK", "大型群众性活动安全许可", ("EVENT-REG-13",), ("大型活动", "安全许可"),
                 statutory=7, promised=5,
                 materials=("大型群众性活动安全许可申请表", "活动安全工作方案", "场所管理者同意使用的证明"),
                 result_name="大型群众性活动安全许可决定书", weight=0.8),
    ItemTemplate("019", "XK", "剧毒化学品购买许可证核发", ("HAZCHEM-REG-39",), ("剧毒化学品", "购买许可"),
                 statutory=3, promised=3,
                 materials=("剧毒化学品购买许可申请表", "营业执照或者登记证书", "购买用途说明", "经办人身份证明"),
                 result_name="剧毒化学品购买许可证", weight=1.0),
    ItemTemplate("019", "CF", "对公众聚集场所未经消防安全检查擅自投入使用、营业的处罚", ("FIRE-LAW-58",),
                 ("消防", "擅自营业"),
                 penalty=_p(("fine", "suspension"), 30000, 300000, (100000, 200000),
                            "公众聚集场所未经消防安全检查或者经检查不符合消防安全要求，擅自投入使用、营业")),
    ItemTemplate("019", "CF", "对扰乱单位秩序的处罚", ("PUBSEC-LAW-23",), ("治安", "扰乱秩序"),
                 penalty=_p(("warning", "fine", "detention"), 0, 500, (200, 350),
                            "扰乱机关、团体、企业、事业单位秩序，致使工作不能正常进行", party="person",
                            in_business=False)),
    ItemTemplate("019", "QR", "出生登记", ("HUKOU-REG-7",), ("户口", "出生登记", "落户"),
                 statutory=5, promised=1, materials=("出生医学证明", "父母双方居民户口簿", "父母双方居民身份证"),
                 fields={"result_form": "居民户口簿登记页"}, party="person", weight=3.0),
    ItemTemplate("019", "QZ", "扣留机动车", ("TRAFFIC-LAW-95",), ("扣留", "机动车"),
                 fields={"measure_type": "扣留", "conditions_text": "未放置检验合格标志、保险标志，或者未随车携带行驶证、"
                         "驾驶证的", "duration": "当事人提供相应牌证、标志或者补办相应手续后及时退还"}),
    ItemTemplate("019", "FW", "无犯罪记录证明开具", ("HUKOU-REG-7",), ("无犯罪记录", "证明"),
                 party="person", weight=0.0),
    # 021 徐州市民政局
    ItemTemplate("021", "QR", "内地居民婚姻登记", ("MARRIAGE-REG-7",), ("结婚登记", "婚姻登记", "结婚证"),
                 statutory=1, promised=1, materials=("本人的户口簿", "本人的身份证", "本人无配偶以及与对方当事人没有"
                                                     "直系血亲和三代以内旁系血亲关系的签字声明"),
                 fee=_MARRIAGE_FEE, fields={"result_form": "《结婚证》"}, party="person", weight=4.0),
    ItemTemplate("021", "XK", "社会团体成立登记", ("SOCORG-REG-12",), ("社会团体", "社团登记"),
                 statutory=60, promised=20,
                 materials=("社会团体成立登记申请书", "业务主管单位批准文件", "验资报告", "章程草案",
                            "负责人身份证明"),
                 result_name="社会团体法人登记证书", weight=0.5),
    ItemTemplate("021", "XK", "民办非企业单位成立登记", ("NONPROFIT-REG-11",), ("民办非企业", "民非登记"),
                 statutory=60, promised=20,
                 materials=("民办非企业单位成立登记申请书", "业务主管单位批准文件", "场所使用权证明",
                            "验资报告", "章程草案"),
                 result_name="民办非企业单位登记证书", weight=0.5),
    ItemTemplate("021", "GF", "城市居民最低生活保障金给付", ("DIBAO-REG-7",), ("低保", "最低生活保障"),
                 statutory=30, promised=20,
                 materials=("最低生活保障申请书", "家庭成员身份证和户口簿", "家庭收入证明"),
                 special=("入户调查", "民主评议公示"),
                 fields={"recipients": "持有非农业户口，共同生活的家庭成员人均收入低于当地城市居民最低生活保障标准的"
                         "城市居民", "standard": "按家庭人均收入低于当地最低生活保障标准的差额发放",
                         "cycle": "按月发放"}, party="person", weight=2.0),
    ItemTemplate("021", "GF", "重点优抚对象抚恤补助金给付", ("PENSION-REG-32",), ("优抚", "抚恤"),
                 statutory=30, promised=15, materials=("优抚对象身份证明", "户口簿", "银行账户信息"),
                 fields={"recipients": "在乡残疾军人、复员军人、带病回乡退伍军人和烈士遗属等重点优抚对象",
                         "standard": "按国家和省规定的定期抚恤补助标准发放", "cycle": "按月发放"},
                 party="person", weight=0.8),
    ItemTemplate("021", "SP", "殡葬设施建设审批", ("BURIAL-REG-8",), ("殡葬设施", "公墓"),
                 statutory=30, promised=20, materials=("殡葬设施建设申请书", "选址意见", "建设规划方案"),
                 result_name="殡葬设施建设批复", weight=0.3),
    ItemTemplate("021", "JL", "见义勇为人员奖励", ("HERO-REG-10",), ("见义勇为", "奖励"),
                 fields={"conditions_text": "不负有法定职责、法定义务，为保护国家利益、集体利益或者他人人身、"
                         "财产安全挺身而出", "standard": "授予荣誉称号并颁发奖金，标准按省条例执行"},
                 party="person", weight=0.4),
    ItemTemplate("021", "ZY", "救灾应急物资、场地征用", ("EMERG-LAW-12",), ("征用", "救灾"),
                 fields={"target": "救灾所需的物资、场地和设施",
                         "compensation": "使用完毕后及时返还；无法返还或者造成损失的，依法给予补偿"}),
    # 022 徐州市人力资源和社会保障局
    ItemTemplate("022", "QR", "工伤认定", ("INJURY-REG-17", "INJURY-REG-20"), ("工伤", "工伤认定"),
                 statutory=60, promised=30, unit="calendar_day",
                 materials=("工伤认定申请表", "劳动关系证明材料", "医疗诊断证明书"),
                 special=("调查核实",), fields={"result_form": "《认定工伤决定书》或者《不予认定工伤决定书》"},
                 party="mixed", weight=2.5),
    ItemTemplate("022", "GF", "失业保险金给付", ("UNEMP-REG-14", "SOCINS-LAW-63"), ("失业保险金", "失业金"),
                 statutory=10, promised=5, materials=("失业保险金申领登记表", "解除劳动关系证明", "身份证"),
                 fields={"recipients": "缴费满一年、非因本人意愿中断就业并已办理失业登记的失业人员",
                         "standard": "按当地最低工资标准的70%至80%确定", "cycle": "按月发放"},
                 party="person", weight=3.0),
    ItemTemplate("022", "GF", "工伤保险待遇给付", ("INJURY-REG-30",), ("工伤保险", "待遇"),
                 statutory=15, promised=10, materials=("工伤保险待遇申请表", "认定工伤决定书", "医疗费用票据"),
                 fields={"recipients": "经认定为工伤的参保职工或者其近亲属",
                         "standard": "按《工伤保险条例》规定的项目和标准支付", "cycle": "一次性或者按月支付"},
                 party="person", weight=1.5),
    ItemTemplate("022", "CJ", "劳动人事争议仲裁", ("DISPUTE-LAW-29", "DISPUTE-LAW-43"), ("劳动仲裁", "劳动争议"),
                 statutory=45, promised=40, unit="calendar_day",
                 materials=("仲裁申请书", "申请人身份证明", "劳动关系证明材料", "证据材料"),
                 special=("开庭审理",),
                 fields={"scope": "因确认劳动关系、劳动报酬、工伤医疗费、经济补偿或者赔偿金等发生的劳动争议"},
                 party="person", weight=1.5),
    ItemTemplate("022", "CF", "对用人单位不办理社会保险登记的处罚", ("SOCINS-LAW-84",), ("社会保险登记",),
                 penalty=_p(("fine",), 1000, 30000, (8000, 18000), "用人单位不办理社会保险登记，经责令限期改正逾期不改正")),
    ItemTemplate("022", "SP", "企业实行不定时工作制和综合计算工时工作制审批", ("LABOR-LAW-39",),
                 ("不定时工作制", "综合工时"), statutory=20, promised=10,
                 materials=("特殊工时制度审批申请表", "实行特殊工时岗位及人员名单", "职工代表大会意见"),
                 result_name="特殊工时工作制审批决定书", weight=1.0),
    ItemTemplate("022", "ZS", "社会保险费征收", ("SOCINS-LAW-58", "SOCINS-LAW-63"), ("社保费", "征收"),
                 fields={"levy_payer": "依法参加社会保险的用人单位和职工",
                         "levy_standard": "按职工工资总额和国家规定的费率核定"}, weight=0.8),
    ItemTemplate("022", "FW", "社会保障卡补换", ("SOCINS-LAW-58",), ("社保卡", "补卡"), fee=_CARD_FEE,
                 party="person", weight=0.0),
    # 023 徐州市国土资源局
    ItemTemplate("023", "XK", "建设项目用地预审", ("LAND-LAW-52",), ("用地预审",), statutory=20, promised=10,
                 materials=("建设项目用地预审申请表", "项目建议书或者可行性研究报告", "标注项目用地范围的土地利用总体规划图"),
                 result_name="建设项目用地预审意见", weight=1.2),
    ItemTemplate("023", "SP", "国有建设用地使用权划拨批准", ("LAND-LAW-54",), ("划拨", "建设用地"),
                 statutory=20, promised=15, materials=("划拨用地申请书", "建设项目批准文件", "规划许可文件"),
                 result_name="国有建设用地划拨决定书", weight=0.6),
    ItemTemplate("023", "QR", "国有建设用地使用权初始登记", ("LANDREG-REG-27",), ("土地登记", "土地证"),
                 statutory=20, promised=10,
                 materials=("土地登记申请书", "申请人身份证明", "土地出让合同及价款缴纳凭证", "地籍调查表"),
                 fee=_LAND_FEE, fields={"result_form": "《国有土地使用证》"}, weight=2.0),
    ItemTemplate("023", "CJ", "土地权属争议调查处理", ("LAND-LAW-16",), ("土地权属", "争议"),
                 statutory=60, promised=45, unit="calendar_day",
                 materials=("土地权属争议调查处理申请书", "权属来源证明", "争议地块位置图"),
                 special=("现场勘察",), fields={"scope": "土地所有权和使用权争议"}, party="mixed", weight=0.4),
    ItemTemplate("023", "ZS", "新增建设用地土地有偿使用费征收", ("LAND-LAW-55",), ("有偿使用费",),
                 fields={"levy_payer": "以出让等有偿使用方式取得新增建设用地的土地使用者",
                         "levy_standard": "按国务院规定的等别和标准征收"}, weight=0.4),
    ItemTemplate("023", "CF", "对非法占用土地的处罚", ("LAND-LAW-76",), ("非法占地",),
                 penalty=_p(("fine", "confiscation"), 10000, 300000, (60000, 150000), "未经批准或者采取欺骗手段骗取批准，"
                            "非法占用土地")),
    ItemTemplate("023", "ZY", "抢险救灾临时使用土地", ("LAND-LAW-57",), ("临时用地", "抢险"),
                 fields={"target": "抢险救灾急需使用的土地",
                         "compensation": "灾后恢复原状并交还原土地使用者，按规定给予补偿"}),
    # 024 徐州市文化广电新闻出版局
    ItemTemplate("024", "XK", "娱乐场所经营许可证核发", ("ENT-REG-9",), ("娱乐场所", "KTV", "歌舞厅"),
                 statutory=20, promised=15,
                 materials=("娱乐场所经营申请书", "营业执照复印件", "投资人、法定代表人身份证明",
                            "消防安全检查合格证明", "场所平面示意图"),
                 special=("现场核查",), result_name="娱乐经营许可证", weight=1.0),
    ItemTemplate("024", "XK", "互联网上网服务营业场所经营单位设立审批", ("NETBAR-REG-11",), ("网吧", "上网服务"),
                 statutory=20, promised=15,
                 materials=("设立申请书", "营业场所产权证明或者租赁合同", "法定代表人身份证明", "计算机清单"),
                 result_name="网络文化经营许可证", weight=0.8),
    ItemTemplate("024", "XK", "出版物零售单位设立审批", ("PUBLISH-REG-37",), ("书店", "出版物零售"),
                 statutory=20, promised=10, materials=("出版物零售单位设立申请书", "营业场所证明", "负责人身份证明"),
                 result_name="出版物经营许可证", party="mixed", weight=1.0),
    ItemTemplate("024", "CF", "对娱乐场所违反经营规定的处罚", ("ENT-REG-43",), ("娱乐场所", "违规经营"),
                 penalty=_p(("fine", "suspension"), 10000, 30000, (16000, 23000), "娱乐场所从业人员违反规定，"
                            "在营业期间从事违反规定的活动")),
    ItemTemplate("024", "CF", "对互联网上网服务营业场所接纳未成年人的处罚", ("NETBAR-REG-31",),
                 ("网吧", "未成年人"),
                 penalty=_p(("warning", "fine", "suspension"), 0, 15000, (5000, 10000),
                            "互联网上网服务营业场所经营单位接纳未成年人进入营业场所")),
    # 025 徐州市食品药品监督管理局
    ItemTemplate("025", "XK", "药品经营许可证（零售）核发", ("DRUG-LAW-14",), ("药店", "药品零售"),
                 statutory=30, promised=20,
                 materials=("药品经营许可证申请表", "执业药师资格证书", "营业场所和仓库平面布置图", "质量管理文件"),
                 special=("现场核查",), result_name="药品经营许可证", weight=1.5),
    ItemTemplate("025", "XK", "医疗器械经营企业许可证核发", ("DEVICE-REG-23",), ("医疗器械", "经营许可"),
                 statutory=30, promised=20,
                 materials=("医疗器械经营企业许可证申请表", "质量管理人员资格证明", "经营场所证明"),
                 result_name="医疗器械经营企业许可证", weight=1.0),
    ItemTemplate("025", "CF", "对生产、销售假药的处罚", ("DRUG-LAW-74",), ("假药",),
                 penalty=_p(("fine", "confiscation", "revocation"), 20000, 200000, (60000, 120000),
                            "生产、销售假药")),
    ItemTemplate("025", "QZ", "查封、扣押可能危害人体健康的药品", ("DRUG-LAW-65", "FORCE-LAW-22"),
                 ("查封", "扣押", "药品"),
                 fields={"measure_type": "查封、扣押", "conditions_text": "有证据证明可能危害人体健康的药品及其有关材料",
                         "duration": "自采取措施之日起7日内作出行政处理决定；需要检验的，15日内作出"}),
    ItemTemplate("025", "QT", "药品广告审查", ("DRUG-LAW-60",), ("药品广告",), statutory=10, promised=7,
                 materials=("药品广告审查表", "药品批准证明文件", "广告样稿"),
                 result_name="药品广告批准文号", weight=0.8),
    # 031 铜山区市场监督管理局 (320312)
    ItemTemplate("031", "XK", "小餐饮经营许可证核发", ("JSFOOD-REG-20", "FOOD-LAW-29"),
                 ("小餐饮", "餐饮", "食品经营"), statutory=20, promised=7,
                 materials=("小餐饮经营许可申请书", "营业执照或者名称预先核准通知书", "从业人员健康证明",
                            "经营场所平面布局图"),
                 result_name="小餐饮经营许可证", party="mixed", weight=3.0),
    ItemTemplate("031", "QR", "食品摊贩登记卡办理", ("JSFOOD-REG-26",), ("食品摊贩", "登记卡"),
                 statutory=10, promised=5, materials=("食品摊贩登记申请表", "身份证", "健康证明"),
                 fields={"result_form": "《食品摊贩登记卡》"}, party="person", weight=2.0),
    ItemTemplate("031", "CF", "对食品摊贩未取得登记卡从事经营的处罚", ("JSFOOD-REG-47",), ("食品摊贩",),
                 penalty=_p(("warning", "fine"), 200, 2000, (800, 1400), "食品摊贩未取得登记卡从事食品经营",
                            party="person")),
    ItemTemplate("031", "FW", "个体工商户登记咨询", ("JSFOOD-REG-26",), ("个体户", "咨询"), party="person",
                 weight=0.0),
    # 032 沛县环境保护局 (320322)
    ItemTemplate("032", "XK", "建设项目环境影响评价文件审批", ("EIA-LAW-22", "EIA-LAW-23"),
                 ("环评", "建设项目"), statutory=20, promised=10,
                 materials=("环境影响报告表", "建设项目环境影响评价文件审批申请表", "项目立项批准文件"),
                 special=("专家评审",), result_name="建设项目环境影响评价文件批复", weight=1.5),
    ItemTemplate("032", "CF", "对超标排放水污染物的处罚", ("WATER-LAW-74",), ("超标排放", "水污染"),
                 penalty=_p(("fine",), 20000, 100000, (45000, 70000), "排放水污染物超过国家或者地方规定的水污染物排放标准")),
    ItemTemplate("032", "ZS", "排污费征收", ("POLFEE-REG-2", "POLFEE-REG-12"), ("排污费",),
                 fields={"levy_payer": "直接向环境排放污染物的单位和个体工商户",
                         "levy_standard": "按《排污费征收标准管理办法》规定核定征收"}, weight=0.6),
    ItemTemplate("032", "QT", "建设项目竣工环境保护验收", ("EPCHECK-REG-20",), ("环保验收",),
                 statutory=30, promised=20, materials=("竣工环境保护验收申请报告", "验收监测报告"),
                 result_name="建设项目竣工环境保护验收意见", weight=0.8),
    # 033 邳州市卫生局 (320382)
    ItemTemplate("033", "XK", "公共场所卫生许可证核发", ("PUBHYG-REG-8",), ("公共场所", "卫生许可"),
                 statutory=20, promised=10,
                 materials=("公共场所卫生许可证申请表", "营业执照复印件", "卫生检测报告", "从业人员健康合格证明"),
                 result_name="公共场所卫生许可证", weight=2.0),
    ItemTemplate("033", "XK", "医疗机构执业登记", ("MEDINST-REG-15",), ("诊所", "医疗机构"),
                 statutory=45, promised=20,
                 materials=("医疗机构执业登记申请书", "设置医疗机构批准书", "卫生技术人员名录及资格证书"),
                 special=("现场核查",), result_name="医疗机构执业许可证", weight=0.8),
    ItemTemplate("033", "CF", "对医疗机构使用非卫生技术人员从事医疗卫生技术工作的处罚", ("MEDINST-REG-48",),
                 ("非卫生技术人员",),
                 penalty=_p(("fine", "revocation"), 1000, 5000, (2000, 3500), "医疗机构使用非卫生技术人员从事医疗卫生技术工作")),
    ItemTemplate("033", "QR", "出生医学证明首次签发", ("MATERNAL-LAW-23",), ("出生医学证明",),
                 statutory=5, promised=3, materials=("出生医学证明首次签发登记表", "父母双方身份证"),
                 fields={"result_form": "《出生医学证明》"}, party="person", weight=2.0),
    # 034 睢宁县民政局 (320324)
    ItemTemplate("034", "QR", "内地居民婚姻登记", ("MARRIAGE-REG-7",), ("结婚登记", "婚姻登记"),
                 statutory=1, promised=1, materials=("本人的户口簿", "本人的身份证", "签字声明"),
                 fee=_MARRIAGE_FEE, fields={"result_form": "《结婚证》"}, party="person", weight=2.5),
    ItemTemplate("034", "GF", "农村居民最低生活保障金给付", ("RURALDIBAO-REG-5",), ("农村低保",),
                 statutory=30, promised=20, materials=("最低生活保障申请书", "家庭成员身份证和户口簿", "家庭收入证明"),
                 special=("入户调查", "民主评议公示"),
                 fields={"recipients": "家庭年人均纯收入低于当地农村居民最低生活保障标准的农村居民",
                         "standard": "按差额补助", "cycle": "按月或者按季发放"}, party="person", weight=2.0),
    ItemTemplate("034", "GF", "农村五保供养金给付", ("WUBAO-REG-10",), ("五保", "供养"),
                 statutory=30, promised=20, materials=("五保供养申请书", "户口簿", "村民委员会评议意见"),
                 fields={"recipients": "无劳动能力、无生活来源又无法定赡养、抚养、扶养义务人的老年、残疾或者未成年村民",
                         "standard": "不低于当地村民的平均生活水平", "cycle": "按月发放"}, party="person", weight=0.8),
    ItemTemplate("034", "FW", "婚姻登记档案查询", ("MARRIAGE-REG-7",), ("婚姻档案", "查询"), party="person",
                 weight=0.0),
    # 035 新沂市住房和城乡建设局 (320381)
    ItemTemplate("035", "XK", "建筑工程施工许可证核发", ("BUILD-LAW-7", "BUILD-LAW-8"), ("施工许可",),
                 statutory=15, promised=5,
                 materials=("建筑工程施工许可证申请表", "建设工程规划许可证", "中标通知书及施工合同",
                            "施工图设计文件审查合格书"),
                 result_name="建筑工程施工许可证", weight=1.5),
    ItemTemplate("035", "ZS", "城市基础设施配套费征收", ("JSFEE-REG-3",), ("配套费",),
                 fields={"levy_payer": "在城市规划区内新建、扩建、改建工程项目的建设单位",
                         "levy_standard": "按建设工程建筑面积计征"}, weight=0.6),
    ItemTemplate("035", "QT", "建设工程竣工验收备案", ("QUALITY-REG-49",), ("竣工验收备案",),
                 statutory=15, promised=5, materials=("工程竣工验收备案表", "工程竣工验收报告"),
                 result_name="建设工程竣工验收备案证明书", weight=1.0),
    ItemTemplate("035", "CF", "对未取得施工许可证擅自施工的处罚", ("BUILD-LAW-64",), ("无证施工",),
                 penalty=_p(("fine",), 10000, 50000, (20000, 35000), "未取得施工许可证擅自施工")),
    # 036 丰县人力资源和社会保障局 (320321)
    ItemTemplate("036", "QR", "工伤认定", ("INJURY-REG-17", "INJURY-REG-20"), ("工伤",),
                 statutory=60, promised=30, unit="calendar_day",
                 materials=("工伤认定申请表", "劳动关系证明材料", "医疗诊断证明书"),
                 fields={"result_form": "《认定工伤决定书》"}, party="mixed", weight=1.5),
    ItemTemplate("036", "GF", "失业保险金给付", ("UNEMP-REG-14",), ("失业金",), statutory=10, promised=5,
                 materials=("失业保险金申领登记表", "解除劳动关系证明", "身份证"),
                 fields={"recipients": "缴费满一年、非因本人意愿中断就业并已办理失业登记的失业人员",
                         "standard": "按当地最低工资标准的70%至80%确定", "cycle": "按月发放"},
                 party="person", weight=2.0),
    ItemTemplate("036", "CJ", "劳动人事争议仲裁", ("DISPUTE-LAW-29", "DISPUTE-LAW-43"), ("劳动仲裁",),
                 statutory=45, promised=40, unit="calendar_day",
                 materials=("仲裁申请书", "申请人身份证明", "证据材料"),
                 fields={"scope": "本县行政区域内发生的劳动人事争议"}, party="person", weight=1.0),
    ItemTemplate("036", "FW", "社会保险参保缴费证明打印", ("SOCINS-LAW-58",), ("参保证明",), party="mixed",
                 weight=0.0),
)

#: New items declared but not yet confirmed by the legal office (待确认).
PENDING_ITEMS: tuple[ItemTemplate, ...] = (
    ItemTemplate("015", "XK", "辐射安全许可证核发", ("ENV-LAW-25", "LIC-LAW-42"), ("辐射", "射线装置"),
                 statutory=20, promised=15, materials=("辐射安全许可证申请表", "辐射安全管理制度", "辐射工作人员培训证明"),
                 result_name="辐射安全许可证"),
    ItemTemplate("024", "FW", "文化市场经营政策咨询", ("ENT-REG-9",), ("咨询", "文化市场"), party="mixed"),
)

#: Items that have two confirmed versions: v1 a year before the anchor, v2 a few months before.
#: v1 had a longer promised limit; v2 shortened it (承诺时限压缩).
TWO_VERSION_CODES: tuple[str, ...] = (
    "320300015XK00400",
    "320300011XK00100",
    "320300016XK00100",
    "320300019XK00100",
    "320312031XK00100",
    "320300022GF00100",
)

#: Items with a third version declared but not yet confirmed (a pending change).
PENDING_VERSION_CODES: tuple[str, ...] = ("320300018XK00200",)

# Category defaults -----------------------------------------------------------------------------------

#: (statutory, promised, unit) per category when the template does not say.
DEFAULT_LIMITS: dict[str, tuple[int, int, str]] = {
    "XK": (20, 10, "working_day"),
    "SP": (20, 10, "working_day"),
    "QR": (20, 10, "working_day"),
    "GF": (30, 15, "working_day"),
    "JL": (30, 20, "working_day"),
    "ZS": (15, 10, "working_day"),
    "QT": (15, 10, "working_day"),
    "FW": (5, 3, "working_day"),
    "CJ": (60, 45, "calendar_day"),
    "ZY": (5, 3, "working_day"),
    "QZ": (30, 30, "calendar_day"),
    "CF": (90, 60, "calendar_day"),
}

#: Internal flow (内部流程): (code, name, post, duty) per category family.
APPLICATION_STEPS: tuple[tuple[str, str, str, str], ...] = (
    ("1", "承办", "窗口受理岗", "审查申请材料是否齐全、符合法定形式，提出承办意见"),
    ("2", "审核", "业务科室负责人", "对申请材料的实质内容进行审核，必要时组织现场核查"),
    ("3", "批准", "分管局领导", "作出准予或者不予的决定，签发相关文书"),
)
SERVICE_STEPS: tuple[tuple[str, str, str, str], ...] = (
    ("1", "受理", "窗口服务岗", "接收申请，当场告知办理要求"),
    ("2", "办理", "业务经办岗", "按规定办理并出具结果"),
    ("3", "办结", "窗口服务岗", "交付办理结果"),
)
PENALTY_STEPS: tuple[tuple[str, str, str, str, int], ...] = (
    ("1", "立案", "执法机构负责人", "对案件线索进行审查，决定是否立案", 7),
    ("2", "调查取证", "执法人员（不少于两人）", "全面、客观、公正地调查收集证据", 30),
    ("3", "审查", "法制机构", "对案件事实、证据、依据、裁量进行法制审核", 7),
    ("4", "告知", "执法人员", "送达行政处罚事先告知书，告知陈述申辩和听证权利", 5),
    ("5", "决定", "行政机关负责人", "作出行政处罚决定，重大案件集体讨论", 7),
    ("6", "送达执行", "执法人员", "送达处罚决定书并督促履行", 15),
)
COERCION_STEPS: tuple[tuple[str, str, str, str, int], ...] = (
    ("1", "审批", "行政机关负责人", "审批实施强制措施", 1),
    ("2", "实施", "执法人员（不少于两人）", "出示执法证件，制作现场笔录，实施强制措施", 1),
    ("3", "告知送达", "执法人员", "当场告知当事人理由、依据和救济途径，送达决定书", 1),
)

#: Risk points (廉政风险点) per step code for application items: (description, level, controls).
APPLICATION_RISKS: dict[str, tuple[str, int, tuple[str, ...]]] = {
    "1": ("对符合条件的申请不予受理，或者故意刁难、拖延受理", 3,
          ("一次性告知需补正的全部材料", "受理情况网上实时公开", "电子监察时限预警")),
    "2": ("擅自增设或者减少审查条件，审查把关不严，与申请人不当接触", 2,
          ("审查标准网上公开", "现场核查两人以上共同进行", "审查意见全程留痕")),
    "3": ("违规审批、以权谋私、利益输送", 1,
          ("重大事项集体研究决定", "审批结果网上公示", "纪检监察部门全程监督")),
}
PENALTY_RISKS: dict[str, tuple[str, int, tuple[str, ...]]] = {
    "1": ("有案不立、选择性执法", 2, ("案件线索统一登记", "立案审批网上运行")),
    "2": ("调查取证不全面，违规收受当事人财物", 1, ("执法人员不少于两人并出示执法证件", "执法全过程记录")),
    "5": ("滥用自由裁量权，处罚畸轻畸重", 1, ("严格执行裁量基准", "重大案件集体讨论", "法制机构审核")),
}
COERCION_RISKS: dict[str, tuple[str, int, tuple[str, ...]]] = {
    "2": ("超范围、超期限实施强制措施，违规处置查封扣押财物", 1, ("两名以上执法人员实施", "制作现场笔录和清单")),
}

DEFAULT_MATERIALS: dict[str, tuple[str, ...]] = {
    "XK": ("申请书", "申请人身份证明"),
    "SP": ("申请书", "申请人身份证明"),
    "QR": ("申请表", "身份证明"),
    "GF": ("申请书", "身份证明", "银行账户信息"),
    "JL": ("推荐表", "事迹材料"),
    "ZS": ("缴费申报表",),
    "QT": ("备案表", "相关证明材料"),
    "FW": ("申请表", "身份证明"),
    "CJ": ("申请书", "证据材料"),
    "ZY": (),
    "QZ": (),
    "CF": (),
}

DEFAULT_CONDITIONS: dict[str, str] = {
    "XK": "申请人具备法律、法规规定的条件，申请材料齐全、符合法定形式。",
    "SP": "符合法律、法规、规章规定的条件，申请材料齐全、符合法定形式。",
    "QR": "申请事项属于本机关确认范围，提交的证明材料真实、齐全。",
    "GF": "申请人符合给付对象条件，如实申报家庭收入和财产状况。",
    "JL": "符合奖励条件，经推荐、评审并公示无异议。",
    "ZS": "属于法定征收范围的单位和个人。",
    "QT": "符合法律、法规规定的备案或者其他条件，材料齐全。",
    "FW": "本人或者委托代理人持有效身份证明申请。",
    "CJ": "争议属于本机关受理范围，有明确的被申请人和具体请求。",
    "ZY": "发生突发事件或者抢险救灾等紧急情况，确需征用。",
    "QZ": "符合法律、法规规定的实施条件，经行政机关负责人批准。",
    "CF": "违法事实清楚、证据确凿，依法应当给予行政处罚。",
}

DEFAULT_RESULT_NAMES: dict[str, str] = {
    "XK": "准予行政许可决定书",
    "SP": "审批决定书",
    "QR": "确认文书",
    "GF": "给付决定书",
    "JL": "奖励决定书",
    "ZS": "缴款通知书",
    "QT": "备案通知书",
    "FW": "办理结果",
    "CJ": "裁决书",
    "ZY": "征用决定书",
}

# Name pools --------------------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红梅海波宁鹏飞晓东雪俊辉"
COMPANY_WORDS = ("鑫源", "宏达", "恒泰", "金鼎", "瑞丰", "博远", "天润", "中顺", "佳和", "汇通", "汉华", "彭城",
                 "淮海", "云龙", "泉山", "龙腾", "盛世", "永信", "德润", "华宇", "苏北", "东方", "九里", "圣鼎")
PERSON_SHOPS = ("面馆", "小吃店", "快餐店", "烧烤店", "饺子馆", "羊肉汤馆")
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                   "153", "155", "156", "158", "159", "180", "181", "182", "183", "186", "187", "188", "189")
