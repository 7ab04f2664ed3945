"""The city-size data set (城市规模数据集, ``SUNLIT_DEMO_SCALE=city``): a Xuzhou-sized government.

The demo city (``generator.py``) has 16 departments and 111 items, enough to show every rule. A
real prefecture-level city publishes thousands of powers (Xuzhou's catalog: several thousand items,
most of them penalties) across dozens of departments at city and county level, and handles tens of
thousands of cases a month. ``generate_city`` builds that, deterministically from a seed:

* the demo city's 16 departments plus 24 more (40, at city and county level);
* the demo's 111 hand-written items plus generated ones, 76 per department (3,040 items), each a
  valid ``POST /catalog/items`` body with a plausible name, legal basis, limits, steps, risk
  points and, for penalties, a tiered fine range; the mix of categories follows a real catalog
  (about half penalties, then licences, coercive measures, filings, confirmations …);
* 50,000+ cases over the 120 days before the anchor with the demo's mix of on-time, overdue,
  supplemented, paused, extended, rejected, refused, stalled and penalty cases, and every named
  scenario of the demo (illegal fees, the out-of-range penalty, the expired officer …).

Names of people and companies are invented; law titles are real, article numbers plausible.
The catalog alone (``generate_city(cases=False)``) takes about a second; the whole city about a
minute on this project's 2-core machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import Any

from chalicelib.kernel.calendar import Calendar
from devstack.demo import data as ref
from devstack.demo.generator import DEFAULT_ANCHOR, DEFAULT_SEED, DemoCity, _Generator, _Item

#: Items per department, the demo's hand-written ones included (40 × 76 = 3,040).
ITEMS_PER_DEPARTMENT = 76
#: Application cases scale the demo's (≈ 450) by this; penalties stay 2–3 per penalty item.
APPLICATION_SCALE = 107
#: Generated items are less common than the demo's hand-picked ones (weight 1.0–4.0).
GENERATED_WEIGHT = 0.5

#: Category mix of the generated items (a city catalog is mostly penalties, 行政处罚).
CATEGORY_WEIGHTS: dict[str, int] = {
    "CF": 52, "XK": 11, "QZ": 7, "QT": 7, "QR": 5, "JL": 3, "GF": 3, "SP": 3, "FW": 4, "ZS": 2, "CJ": 2, "ZY": 1,
}

# Name patterns per category; ``{s}`` is the subject (管理对象) of the department's sector.
PATTERNS: dict[str, tuple[str, ...]] = {
    "CF": ("对未经许可擅自从事{s}活动的行政处罚", "对{s}违反管理规定行为的行政处罚", "对{s}不符合标准要求的行政处罚",
           "对伪造、涂改{s}相关证件的行政处罚", "对{s}未按规定建立台账的行政处罚", "对拒绝、阻碍{s}监督检查的行政处罚",
           "对{s}未按规定报告有关情况的行政处罚", "对{s}超出核准范围经营的行政处罚"),
    "XK": ("{s}许可", "{s}经营许可", "{s}资格许可", "{s}设立许可"),
    "QZ": ("对违法{s}相关物品的查封、扣押", "对{s}违法场所的查封", "对拒不履行{s}整改决定的代履行"),
    "QT": ("{s}备案", "{s}年度报告备案", "{s}信息变更备案"),
    "QR": ("{s}资格认定", "{s}等级评定", "{s}确认"),
    "JL": ("{s}先进单位和个人表彰奖励", "{s}举报奖励"),
    "GF": ("{s}补贴发放", "{s}专项资金给付"),
    "SP": ("{s}审批", "{s}核准"),
    "FW": ("{s}政策咨询服务", "{s}信息查询服务", "{s}证明开具"),
    "ZS": ("{s}费征收",),
    "CJ": ("{s}纠纷行政裁决",),
    "ZY": ("{s}应急征用",),
}
_KEYWORD = {"CF": "处罚", "XK": "许可", "QZ": "强制", "QT": "备案", "QR": "认定", "JL": "奖励", "GF": "补贴",
            "SP": "审批", "FW": "服务", "ZS": "收费", "CJ": "裁决", "ZY": "征用"}
_CATEGORY_FIELDS: dict[str, dict[str, str]] = {
    "ZS": {"levy_payer": "依法应当缴纳的单位和个人", "levy_standard": "按照省物价部门核定的标准征收"},
    "QZ": {"measure_type": "查封、扣押", "conditions_text": "有证据证明涉案物品违法，经负责人批准",
           "duration": "不超过三十日，情况复杂的经批准可延长三十日"},
    "GF": {"recipients": "符合条件的单位和个人", "standard": "按照年度资金管理办法核定", "cycle": "按年度"},
    "JL": {"conditions_text": "在本领域工作中成绩突出", "standard": "颁发证书并给予一次性奖励"},
    "QR": {"result_form": "认定文书"},
    "ZY": {"target": "应急所需的场地、设施和物资", "compensation": "按照市场价格给予补偿"},
    "CJ": {"scope": "本机关法定职责范围内的权属和赔偿纠纷"},
}
#: Fine ranges of generated penalty items: (min, max, cut points, types).
_FINES: tuple[tuple[int, int, tuple[int, int], tuple[str, ...]], ...] = (
    (500, 5000, (1500, 3000), ("warning", "fine")),
    (1000, 10000, (3000, 6000), ("warning", "fine")),
    (2000, 20000, (6000, 12000), ("warning", "fine", "confiscation")),
    (10000, 100000, (30000, 60000), ("fine", "confiscation", "suspension")),
)


@dataclass(frozen=True)
class Sector:
    """What a department governs: its law (title), short document prefix and the subjects of its items."""

    law: str
    subjects: tuple[str, ...]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SECTORS: dict[str, Sector] = {
    "market": Sector("《江苏省市场监督管理条例》", _words(
        "食品销售 餐饮服务 特种设备 计量器具 产品质量 广告发布 网络交易 价格行为 商标使用 企业登记 "
        "食品小作坊 电梯维护保养 工业产品生产 认证检测 农贸市场 直销经营")),
    "health": Sector("《中华人民共和国基本医疗卫生与健康促进法》", _words(
        "医疗机构执业 放射诊疗 母婴保健技术 公共场所卫生 生活饮用水供水 消毒产品生产 职业病诊断 "
        "医师执业 护士执业 献血采血 医疗美容 传染病防治 学校卫生 预防接种")),
    "environment": Sector("《中华人民共和国环境保护法》", _words(
        "排污许可 建设项目环境影响评价 危险废物经营 辐射安全 机动车排气检测 噪声排放 扬尘污染防治 "
        "固体废物贮存 饮用水水源保护 挥发性有机物排放 医疗废物处置 土壤污染防治 排污口设置")),
    "construction": Sector("《中华人民共和国建筑法》", _words(
        "建筑工程施工 建筑业企业资质 商品房预售 房地产开发 物业服务 建设工程质量检测 预拌混凝土生产 "
        "建筑起重机械 城市燃气经营 住房租赁 建设工程竣工验收 施工图审查 招标投标")),
    "planning": Sector("《中华人民共和国城乡规划法》", _words(
        "建设用地规划 建设工程规划 临时建设 乡村建设规划 土地使用权出让 土地复垦 矿产资源开采 "
        "测绘资质 不动产登记 地质灾害防治 耕地占用 城市雕塑")),
    "transport": Sector("《中华人民共和国道路运输条例》", _words(
        "道路货物运输 道路旅客运输 出租汽车经营 机动车维修 驾驶员培训 公路超限运输 公路路政 "
        "水路运输 港口经营 网络预约出租汽车 危险货物运输 客运站经营 船舶检验")),
    "police": Sector("《中华人民共和国治安管理处罚法》", _words(
        "旅馆业 典当业 公章刻制 保安服务 剧毒化学品购买 大型群众性活动 烟花爆竹运输 枪支管理 "
        "户口迁移 居住证 机动车登记 互联网上网服务安全 娱乐场所治安 废旧金属收购")),
    "civil": Sector("《社会团体登记管理条例》", _words(
        "社会团体登记 民办非企业单位 基金会 养老机构 殡葬服务 婚姻登记 地名命名 福利彩票销售 "
        "慈善组织 儿童福利 最低生活保障 特困人员供养 临时救助")),
    "hrss": Sector("《中华人民共和国劳动法》", _words(
        "劳务派遣 人力资源服务 职业技能培训 社会保险登记 工伤认定 劳动能力鉴定 失业保险金 "
        "就业困难人员 企业年金 特殊工时制度 技工学校 职称评审 农民工工资")),
    "culture": Sector("《娱乐场所管理条例》", _words(
        "娱乐场所 营业性演出 互联网上网服务营业场所 出版物发行 印刷经营 广播电视节目制作 "
        "卫星电视接收设施 文物保护 旅行社经营 导游执业 艺术品经营 电影放映")),
    "drug": Sector("《中华人民共和国药品管理法》", _words(
        "药品零售 药品批发 医疗器械经营 化妆品生产 保健食品 药品广告 麻醉药品 第二类精神药品 "
        "医疗机构制剂 药品网络销售 医疗器械网络销售 中药饮片")),
    "development": Sector("《企业投资项目核准和备案管理条例》", _words(
        "企业投资项目 固定资产投资项目节能审查 政府投资项目 价格认定 粮食收购 招标方案 "
        "重点项目 电力设施保护 石油天然气管道保护 社会信用信息")),
    "education": Sector("《中华人民共和国民办教育促进法》", _words(
        "民办学校 校外培训机构 幼儿园 教师资格 学生资助 中等职业学校 学历证明 校车使用 "
        "义务教育入学 教育收费 学校安全 特殊教育")),
    "science": Sector("《中华人民共和国科学技术进步法》", _words(
        "高新技术企业 科技型中小企业 技术合同登记 科技成果转化 科普基地 外国人来华工作 "
        "实验动物 科技计划项目 研发机构 众创空间")),
    "industry": Sector("《中华人民共和国节约能源法》", _words(
        "工业项目备案 无线电台站 民用爆炸物品 新型墙体材料 工业节能 电力需求侧管理 "
        "软件企业 工业互联网 监控化学品 散装水泥")),
    "justice": Sector("《中华人民共和国律师法》", _words(
        "律师事务所 律师执业 公证机构 司法鉴定 基层法律服务 法律援助 人民调解 社区矫正 "
        "仲裁委员会 法治宣传")),
    "finance": Sector("《中华人民共和国会计法》", _words(
        "政府采购 会计代理记账 财政票据 国有资产 政府采购代理 会计人员 彩票资金 财政补贴资金 "
        "行政事业性收费 非税收入")),
    "water": Sector("《中华人民共和国水法》", _words(
        "取水许可 河道采砂 水利工程 水土保持 城市排水 节约用水 防洪 河道管理范围内建设项目 "
        "城市供水 水文监测 农村饮水安全")),
    "agriculture": Sector("《中华人民共和国农业法》", _words(
        "农药经营 兽药经营 种子生产经营 饲料生产 动物防疫 生猪屠宰 渔业捕捞 农机驾驶 "
        "肥料登记 农产品质量安全 植物检疫 农村宅基地 水产苗种")),
    "commerce": Sector("《中华人民共和国对外贸易法》", _words(
        "对外贸易经营者 成品油零售 单用途商业预付卡 报废机动车回收 拍卖企业 二手车交易市场 "
        "酒类流通 商业特许经营 外商投资企业 洗染业")),
    "emergency": Sector("《中华人民共和国安全生产法》", _words(
        "危险化学品经营 烟花爆竹经营 非煤矿山 安全生产培训 特种作业人员 安全评价 应急预案 "
        "生产安全事故调查 冶金工贸企业 有限空间作业 粉尘防爆")),
    "medinsurance": Sector("《医疗保障基金使用监督管理条例》", _words(
        "医疗保障定点医药机构 医保基金使用 异地就医 医疗救助 长期护理保险 医保目录 "
        "医疗服务价格 药品集中采购 门诊慢特病 生育保险")),
    "citymgmt": Sector("《城市市容和环境卫生管理条例》", _words(
        "户外广告设施 城市道路占用 城市绿地 建筑垃圾处置 生活垃圾清运 市政设施 占道经营 "
        "城市照明 环境卫生 渣土运输 城市道路挖掘")),
    "sports": Sector("《中华人民共和国体育法》", _words(
        "高危险性体育项目 体育竞赛 健身场所 体育彩票 社会体育指导员 游泳场所 青少年体育 "
        "体育类校外培训 全民健身设施")),
    "veterans": Sector("《中华人民共和国退役军人保障法》", _words(
        "退役士兵安置 优抚对象 伤残抚恤 烈士褒扬 军休干部 退役军人创业 光荣牌悬挂 "
        "自主就业 优待证")),
    "airdefense": Sector("《中华人民共和国人民防空法》", _words(
        "人防工程建设 防空地下室 人防工程拆除 人防警报设施 人防工程使用 易地建设费 "
        "人防工程质量监督 人防通信")),
    "weather": Sector("《中华人民共和国气象法》", _words(
        "防雷装置设计 防雷装置竣工验收 升放无人驾驶自由气球 施放气球 雷电防护 气象信息服务 "
        "气象探测环境保护 人工影响天气")),
    "gardens": Sector("《城市绿化条例》", _words(
        "城市绿地占用 城市树木砍伐 古树名木 园林绿化工程 公园管理 城市绿线 绿化补偿费 "
        "行道树 风景名胜区")),
    "ethnic": Sector("《宗教事务条例》", _words(
        "宗教活动场所 宗教教职人员 宗教团体 清真食品 大型宗教活动 宗教院校 宗教出版物 民族团结")),
    "statistics": Sector("《中华人民共和国统计法》", _words(
        "统计调查 统计资料 统计登记 统计报表 统计数据质量 部门统计调查项目 统计从业人员 统计执法检查 "
        "经济普查 人口普查")),
}

#: The demo's departments by sector (their extra items come from it).
DEMO_SECTORS: dict[str, str] = {
    "011": "market", "012": "health", "015": "environment", "016": "construction", "018": "transport",
    "019": "police", "021": "civil", "022": "hrss", "023": "planning", "024": "culture", "031": "market",
    "032": "environment", "033": "health", "034": "civil", "035": "construction", "036": "hrss",
}

#: The 24 departments a city-size government adds: (code, name, region, sector, document prefix, trades).
CITY_DEPARTMENTS: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    ("041", "徐州市发展和改革委员会", "320300", "development", "徐发改", ("能源", "投资", "物流")),
    ("042", "徐州市教育局", "320300", "education", "徐教", ("教育科技", "文化传播")),
    ("043", "徐州市科学技术局", "320300", "science", "徐科", ("科技", "软件", "生物医药")),
    ("044", "徐州市工业和信息化局", "320300", "industry", "徐工信", ("机械", "电子", "新材料")),
    ("045", "徐州市司法局", "320300", "justice", "徐司", ("法律咨询", "商务服务")),
    ("046", "徐州市财政局", "320300", "finance", "徐财", ("会计服务", "招标代理")),
    ("047", "徐州市水务局", "320300", "water", "徐水", ("水利工程", "供水", "建材")),
    ("048", "徐州市农业农村局", "320300", "agriculture", "徐农", ("农业科技", "种业", "养殖")),
    ("049", "徐州市商务局", "320300", "commerce", "徐商", ("商贸", "进出口", "汽车销售")),
    ("050", "徐州市应急管理局", "320300", "emergency", "徐应急", ("化工", "矿业", "冶金")),
    ("051", "徐州市医疗保障局", "320300", "medinsurance", "徐医保", ("医院管理", "医药连锁")),
    ("052", "徐州市城市管理局", "320300", "citymgmt", "徐城管", ("广告", "环卫", "市政工程")),
    ("053", "徐州市体育局", "320300", "sports", "徐体", ("体育文化", "健身")),
    ("054", "徐州市退役军人事务局", "320300", "veterans", "徐退役", ("商贸", "物流")),
    ("055", "徐州市人民防空办公室", "320300", "airdefense", "徐人防", ("建筑工程", "置业")),
    ("056", "徐州市气象局", "320300", "weather", "徐气", ("防雷检测", "建筑工程")),
    ("057", "徐州市市政园林局", "320300", "gardens", "徐园林", ("园林绿化", "市政工程")),
    ("058", "徐州市民族宗教事务局", "320300", "ethnic", "徐民宗", ("餐饮管理", "文化传播")),
    ("059", "徐州市统计局", "320300", "statistics", "徐统", ("统计调查", "咨询")),
    ("061", "丰县交通运输局", "320321", "transport", "丰交", ("运输", "物流")),
    ("062", "沛县公安局", "320322", "police", "沛公", ("酒店管理", "保安服务")),
    ("063", "睢宁县农业农村局", "320324", "agriculture", "睢农", ("种业", "养殖")),
    ("064", "邳州市城市管理局", "320382", "citymgmt", "邳城管", ("环卫", "广告")),
    ("065", "新沂市市场监督管理局", "320381", "market", "新市监", ("餐饮管理", "商贸")),
)


def city_departments() -> tuple[ref.Department, ...]:
    """The demo's 16 departments and the 24 of the city-size data set (40)."""
    extra = []
    for code, name, region, _sector, prefix, trades in CITY_DEPARTMENTS:
        place = "徐州市政务服务中心" if region == ref.CITY_REGION else f"{ref.REGIONS[region]}政务服务中心"
        extra.append(ref.Department(
            code, name, region, "city" if region == ref.CITY_REGION else "county", prefix,
            f"{place}{name.removeprefix('徐州市')}窗口", f"0516-8373{code}1"[:13], f"0516-8379{code}1"[:13], trades))
    return ref.DEPARTMENTS + tuple(extra)


def _sector_of(dept: str) -> Sector:
    name = DEMO_SECTORS.get(dept) or next(s for c, _, _, s, _, _ in CITY_DEPARTMENTS if c == dept)
    return SECTORS[name]


class _CachedCalendar(Calendar):
    """The official calendar with each day's answer remembered (a generator asks the same days
    millions of times; the platform's own calendar answers each question afresh)."""

    def __init__(self) -> None:
        super().__init__()
        self._days: dict[date, bool] = {}

    def is_workday(self, day: date) -> bool:
        known = self._days.get(day)
        if known is None:
            known = self._days[day] = super().is_workday(day)
        return known


class _CityGenerator(_Generator):
    def __init__(self, seed: int, anchor: date, application_scale: float):
        super().__init__(seed, anchor, application_scale)
        self.penalty_scale = 1.0  # 2–3 cases per penalty item, as in the demo
        self.cal = _CachedCalendar()
        self.department_list = city_departments()
        self.depts = {d.code: d for d in self.department_list}
        self.templates: list[ref.ItemTemplate] = []
        self.city_bases: dict[str, tuple[str, str]] = {}  # basis id → (title, article)
        self._pools: dict[str, tuple[list[_Item], list[float]]] = {}

    def basis_ref(self, basis_id: str) -> dict[str, str]:
        if basis_id in self.city_bases:
            title, article = self.city_bases[basis_id]
            return {"id": basis_id, "title": title, "article": article}
        return super().basis_ref(basis_id)

    def build_officers(self) -> None:
        """The demo's officers, then four per further department that enforces (penalties, coercion)."""
        super().build_officers()
        have = {o["dept_code"] for o in self.officers}
        rng = self.rng("city-officers")
        enforcing = sorted({t.dept for t in self.templates if t.category in ("CF", "QZ")} - have)
        for code in enforcing:
            d = self.depts[code]
            for n in range(1, 5):
                self.officers.append({
                    "officer_id": f"ZF{code}{n:03d}", "name": self.person_name(rng), "dept_code": code,
                    "cert_no": f"苏{d.region_code}{code}{n:04d}",
                    "valid_from": (self.anchor - timedelta(days=rng.randint(500, 1400))).isoformat(),
                    "valid_to": (self.anchor + timedelta(days=rng.randint(200, 1000))).isoformat(),
                })

    def generate_templates(self) -> None:
        """Items until every department has ``ITEMS_PER_DEPARTMENT``, named after its sector's subjects."""
        per_dept: dict[str, int] = {}
        names: dict[str, set[str]] = {}
        for t in ref.ITEMS:
            per_dept[t.dept] = per_dept.get(t.dept, 0) + 1
            names.setdefault(t.dept, set()).add(t.name)
        categories = list(CATEGORY_WEIGHTS)
        cum = list(accumulate(CATEGORY_WEIGHTS.values()))
        for d in self.department_list:
            rng = self.rng(f"city-catalog:{d.code}")
            sector = _sector_of(d.code)
            taken = names.setdefault(d.code, set())
            for _ in range(ITEMS_PER_DEPARTMENT * 50):
                if per_dept.get(d.code, 0) >= ITEMS_PER_DEPARTMENT:
                    break
                category = rng.choices(categories, cum_weights=cum)[0]
                subject = rng.choice(sector.subjects)
                name = rng.choice(PATTERNS[category]).format(s=subject)
                if name in taken:
                    continue
                taken.add(name)
                per_dept[d.code] = per_dept.get(d.code, 0) + 1
                self.templates.append(self.template(rng, d, sector, category, subject, name))
            else:
                raise RuntimeError(f"department {d.code} ran out of distinct item names")

    def template(self, rng: random.Random, d: ref.Department, sector: Sector, category: str, subject: str,
                 name: str) -> ref.ItemTemplate:
        article = rng.randint(8, 96)
        basis_id = f"C{d.code}-{article}"
        self.city_bases.setdefault(basis_id, (sector.law, ref.article_text(article)))
        penalty = None
        if category == "CF":
            lo, hi, cuts, types = rng.choice(_FINES)
            penalty = ref.PenaltyTemplate(types, lo, hi, cuts, name.removeprefix("对").removesuffix("的行政处罚"))
        return ref.ItemTemplate(d.code, category, name, (basis_id,), (subject, _KEYWORD[category]),
                                fields=dict(_CATEGORY_FIELDS.get(category, {})), penalty=penalty,
                                party=rng.choice(("org", "org", "mixed")), weight=GENERATED_WEIGHT)

    def catalog(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        items, confirmations = super().catalog()  # the demo's items first, exactly as the demo has them
        rng = self.rng("city-catalog")
        year_ago = self.anchor - timedelta(days=365)
        used: dict[tuple[str, str], set[int]] = {}
        for code in self.items:
            used.setdefault((code[6:9], code[9:11]), set()).add(int(code[11:14]))
        for t in self.templates:
            taken = used.setdefault((t.dept, t.category), set())
            seq = next(n for n in range(1, 1000) if n not in taken)
            taken.add(seq)
            code = f"{self.depts[t.dept].region_code}{t.dept}{t.category}{seq:03d}00"
            decl = self.declaration(t, code)
            effective = year_ago - timedelta(days=rng.randint(0, 400))
            items.append(decl)
            confirmations.append({"code": code, "version": 1, "effective_from": effective.isoformat()})
            self.items[code] = _Item(code, t, self.depts[t.dept], [(effective, decl)])
        return items, confirmations

    def pick_item(self, rng: random.Random, scenario: str) -> _Item:
        """The demo's choice, with each scenario's candidates and weights computed once (3,000 items)."""
        if scenario not in self._pools:
            pool = self.candidates(scenario)
            self._pools[scenario] = (pool, list(accumulate(i.template.weight for i in pool)))
        pool, cum = self._pools[scenario]
        return rng.choices(pool, cum_weights=cum)[0]

    def case_items(self) -> list[_Item]:
        if "" not in self._pools:
            pool = super().case_items()
            self._pools[""] = (pool, [])
        return self._pools[""][0]

    def run_catalog(self) -> DemoCity:
        """Departments, officers and the catalog, without cases."""
        self.generate_templates()
        self.build_staff()
        self.build_officers()
        items, confirmations = self.catalog()
        return DemoCity(seed=self.seed, anchor=self.anchor, departments=self.departments(), bases=self.bases(),
                        officers=self.officers, items=items, confirmations=confirmations,
                        events_by_dept={d.code: [] for d in self.department_list}, complaints=[], evaluations=[])

    def run(self) -> DemoCity:
        self.generate_templates()
        return super().run()


@lru_cache(maxsize=4)
def _cached(seed: int, anchor: date, cases: bool, application_scale: float) -> DemoCity:
    gen = _CityGenerator(seed, anchor, application_scale)
    return gen.run() if cases else gen.run_catalog()


def generate_city(seed: int = DEFAULT_SEED, anchor: date | None = None, *, cases: bool = True,
                  application_scale: float = APPLICATION_SCALE) -> DemoCity:
    """The city-size data set for ``seed`` as of ``anchor`` (default: the demo's fixed anchor).

    ``cases=False`` gives departments, officers and the 3,040-item catalog only (what the hall's
    benchmark needs). ``application_scale`` scales the demo's ~450 application cases (107 → 50,000+
    cases with the penalties). The result is cached per arguments; treat it as read-only.
    """
    return _cached(seed, anchor or DEFAULT_ANCHOR, cases, application_scale)
