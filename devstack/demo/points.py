"""The demo city's service points (基层延伸, docs/CONTRACT.md §11): township and street 便民服务中心 and
village and community 代办点 in 徐州 and its counties, taking applications for the demo departments of
their county (and, in the city's districts, for the city's 民政 and 人社). Locations are near the real
towns (WGS-84), addresses and phones are illustrative.

A share of the window cases of those departments is taken at one of their points (``intake``): chosen
from the case number, so the demo's history stays the same from run to run and its random sequence
is not disturbed.
"""
from __future__ import annotations

import hashlib
from typing import Any

HOURS = "周一至周五 上午8:30-12:00 下午14:00-17:30（法定节假日除外）"
AGENT_HOURS = "周一至周六 上午8:30-11:30（代办员可预约上门）"


def _p(code: str, name: str, region: str, county: str, township: str, lat: float, lon: float, depts: list[str],
       address: str, phone: str, village: str | None = None) -> dict[str, Any]:
    return {"code": code, "name": name, "kind": "agency" if village else "center", "region_code": region,
            "county": county, "township": township, "village": village, "address": address, "phone": phone,
            "hours": AGENT_HOURS if village else HOURS, "location": {"lat": lat, "lon": lon}, "dept_codes": depts}


SERVICE_POINTS: list[dict[str, Any]] = [
    # 丰县: 人社 (036) at every centre; 民政 (021, a city department delegating 低保/临时救助 intake) at the centres
    _p("FX-FC", "丰县凤城街道便民服务中心", "320321", "丰县", "凤城街道", 34.6950, 116.5960, ["036", "021"],
       "丰县凤城街道中阳大道88号", "0516-89211001"),
    _p("FX-HK", "丰县欢口镇便民服务中心", "320321", "丰县", "欢口镇", 34.9280, 116.6190, ["036", "021"],
       "丰县欢口镇人民政府一楼", "0516-89531001"),
    _p("FX-HK-WZ", "欢口镇王庄村代办点", "320321", "丰县", "欢口镇", 34.9450, 116.6380, ["036"],
       "欢口镇王庄村党群服务中心", "0516-89531018", village="王庄村"),
    _p("FX-SZ", "丰县师寨镇便民服务中心", "320321", "丰县", "师寨镇", 34.7960, 116.4900, ["036"],
       "丰县师寨镇人民政府一楼", "0516-89561001"),
    # 沛县: 生态环境 (032) and 民政
    _p("PX-PC", "沛县沛城街道便民服务中心", "320322", "沛县", "沛城街道", 34.7290, 116.9340, ["032", "021"],
       "沛县沛城街道汉城路66号", "0516-89621001"),
    _p("PX-LG", "沛县龙固镇便民服务中心", "320322", "沛县", "龙固镇", 34.9660, 116.8700, ["032", "021"],
       "沛县龙固镇人民政府一楼", "0516-89721001"),
    _p("PX-LG-AZ", "龙固镇安庄村代办点", "320322", "沛县", "龙固镇", 34.9820, 116.8550, ["021"],
       "龙固镇安庄村村委会", "0516-89721016", village="安庄村"),
    # 睢宁县: 民政 (034, the county's own)
    _p("SN-SC", "睢宁县睢城街道便民服务中心", "320324", "睢宁县", "睢城街道", 33.9120, 117.9420, ["034"],
       "睢宁县睢城街道八一西路2号", "0516-88221001"),
    _p("SN-SG", "睢宁县双沟镇便民服务中心", "320324", "睢宁县", "双沟镇", 33.8140, 117.7710, ["034"],
       "睢宁县双沟镇人民政府一楼", "0516-88371001"),
    _p("SN-SG-DJ", "双沟镇东街社区代办点", "320324", "睢宁县", "双沟镇", 33.8190, 117.7800, ["034"],
       "双沟镇东街社区服务站", "0516-88371022", village="东街社区"),
    # 邳州市: 卫生健康 (033); 新沂市: 住房和城乡建设 (035); 铜山区: 市场监管 (031)
    _p("PZ-DH", "邳州市东湖街道便民服务中心", "320382", "邳州市", "东湖街道", 34.3300, 117.9700, ["033"],
       "邳州市东湖街道青年东路18号", "0516-86221001"),
    _p("PZ-BY", "邳州市八义集镇便民服务中心", "320382", "邳州市", "八义集镇", 34.2250, 117.8150, ["033"],
       "邳州市八义集镇人民政府一楼", "0516-86571001"),
    _p("XY-XA", "新沂市新安街道便民服务中心", "320381", "新沂市", "新安街道", 34.3730, 118.3500, ["035"],
       "新沂市新安街道北京路9号", "0516-88921001"),
    _p("TS-TS", "铜山区铜山街道便民服务中心", "320312", "铜山区", "铜山街道", 34.1930, 117.1700, ["031"],
       "铜山区铜山街道北京南路3号", "0516-83011001"),
    # the city's districts: the city's 民政 (021) and 人社 (022) at the streets
    _p("GL-HC", "鼓楼区环城街道便民服务中心", "320302", "鼓楼区", "环城街道", 34.2850, 117.1950, ["021", "022"],
       "鼓楼区环城街道中山北路201号", "0516-85801001"),
    _p("QS-HB", "泉山区湖滨街道便民服务中心", "320311", "泉山区", "湖滨街道", 34.2420, 117.1830, ["021", "022"],
       "泉山区湖滨街道湖北路56号", "0516-83881001"),
    _p("QS-HB-HB", "湖滨街道湖北路社区代办点", "320311", "泉山区", "湖滨街道", 34.2460, 117.1760, ["021"],
       "湖北路社区党群服务中心", "0516-83881026", village="湖北路社区"),
]

#: Of a department's window cases, the share taken at one of its points.
POINT_SHARE = 40


def intake(case_no: str, dept_code: str) -> tuple[str, str] | None:
    """``(channel, point code)`` when this window case was taken at a service point, else None."""
    mine = [p for p in SERVICE_POINTS if dept_code in p["dept_codes"]]
    if not mine:
        return None
    digest = hashlib.sha256(case_no.encode("utf-8")).digest()
    if digest[0] % 100 >= POINT_SHARE:
        return None
    point = mine[digest[1] % len(mine)]
    return ("agency" if point["kind"] == "agency" else "service_center"), point["code"]
