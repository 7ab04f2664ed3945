"""政府信息公开 in the demo city: guides and directories with documents for several departments,
requests in every state (open, clarifying, consulting, extended, answered by several types, one
overdue that the timer turns red, one clarified late, one answered late, one carried over from last
year), and attachments (uploaded through presigned POSTs) on a request, an answer, a complaint and
an application.

Dates are set back from the anchor (today) in working days of the official calendar, so the states
hold whenever the demo is loaded. Everything goes through the public API, as a department would
enter it: requests made at the window are registered by the department's handler with the day
they were received.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

import requests

from chalicelib.kernel.calendar import Calendar

from .data import DEPARTMENTS

#: Departments that publish a guide and a directory, and those that receive requests.
DIRECTORY_DEPTS = ("011", "012", "015", "016", "023", "018")
REQUEST_DEPTS = ("015", "016", "011", "012")

CATEGORY_DOCS: dict[str, list[tuple[str, str, str]]] = {
    "org": [("{name}主要职责、内设机构和人员编制规定", "", "本机关职能配置、内设机构和人员编制。")],
    "policy": [("关于进一步优化营商环境的若干措施", "{prefix}发〔{year}〕{n}号", "围绕减环节、减材料、减时限提出 20 条措施。"),
               ("{name}行政处罚裁量基准（{year}年修订）", "{prefix}规〔{year}〕{n}号", "细化从轻、一般、从重三档裁量标准。")],
    "plan": [("{name}{year}年工作要点", "", "全年重点任务和责任分工。")],
    "licence_penalty": [("{year}年第{q}季度行政许可决定汇总", "", "按“双公示”要求公开本季度作出的行政许可决定。"),
                        ("{year}年第{q}季度行政处罚决定汇总", "", "按“双公示”要求公开本季度作出的行政处罚决定。")],
    "finance": [("{name}{prev}年度部门决算", "", "部门决算说明、收入支出决算总表及“三公”经费支出情况。"),
                ("{name}{year}年度部门预算", "", "部门预算说明及收支预算总表。")],
    "notice": [("关于调整政务服务中心窗口办公时间的通知", "", "自下月起午间不休，工作日 9:00—17:00 连续办公。")],
    "report": [("{name}{prev}年政府信息公开工作年度报告", "", "总体情况、主动公开、依申请公开、复议诉讼及存在的问题。")],
}

PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> "
       b"endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")

APPLICANTS = [
    {"type": "person", "name": "刘建国", "id_type": "居民身份证", "id_no": "11010519491231002X", "phone": "13805161234",
     "address": "徐州市云龙区和平路 88 号"},
    {"type": "org", "org_kind": "commercial", "name": "徐州润泽置业有限公司", "id_type": "统一社会信用代码",
     "id_no": "91320300MA1N7Q2X3B", "phone": "0516-85551234", "contact": "周敏"},
    {"type": "person", "name": "陈晓燕", "id_type": "居民身份证", "id_no": "11010519491231002X", "phone": "13952261357"},
    {"type": "org", "org_kind": "legal_service", "name": "江苏淮海律师事务所", "id_type": "统一社会信用代码",
     "id_no": "31320000MD0123456X", "phone": "0516-83881234", "contact": "王律师"},
    {"type": "org", "org_kind": "research", "name": "中国矿业大学环境与测绘学院", "id_type": "统一社会信用代码",
     "id_no": "12100000466007046Q", "phone": "0516-83591234", "contact": "李老师"},
    {"type": "person", "name": "赵立新", "phone": "15150001234"},
]


@dataclass
class Planned:
    """One request and what the department did with it, each act set back in working days."""

    dept: str
    applicant: dict[str, Any]
    description: str
    received_back: int | None  # working days before the anchor; None: submitted online today
    acts: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (working days back, action)
    received_on: date | None = None  # a fixed day (carried over from last year)
    attach: bool = False
    label: str = ""


def for_console(dept: str) -> list[Planned]:
    """Requests for the demo staff's own department (``demo-handler``), so the console has work:
    one from the hall today, one extended, one awaiting clarification, one overdue."""
    return [
        Planned(dept, APPLICANTS[5], "本单位 2025 年度行政许可和行政处罚“双公示”数据", None, label="console-open"),
        Planned(dept, APPLICANTS[1], "本市 2025 年度公路养护工程招标结果", 10,
                [(2, {"action": "extend", "working_days": 10, "approver": "政府信息公开办公室主任",
                      "reason": "需要会同下属单位调取资料"})], label="console-extended"),
        Planned(dept, APPLICANTS[2], "我家门前道路的改造计划", 3,
                [(1, {"action": "clarify", "text": "请写明道路名称和所在区域。"})], label="console-clarifying"),
        Planned(dept, APPLICANTS[4], "近三年本市交通事故多发路段清单", 24, [], label="console-overdue"),
    ]


def plan(anchor: date) -> list[Planned]:
    """The demo's requests (a fixed list: every state once or more)."""
    withheld = {"action": "answer", "type": "withheld", "text": "经审查，您申请的信息不予公开。",
                "reason": "该信息属于内部研究讨论的过程性信息，依据《条例》第十六条第二款不予公开。"}
    return [
        Planned("015", APPLICANTS[0], "2025 年度本市重点排污单位名录及其自行监测数据", None, attach=True, label="open-online"),
        Planned("016", APPLICANTS[5], "城东片区棚户区改造项目征收补偿方案", None, label="open-online-2"),
        Planned("015", APPLICANTS[1], "某建设项目环境影响报告书批复文件（项目名称见附件）", 12,
                [(3, {"action": "extend", "working_days": 15, "approver": "政府信息公开办公室主任 孙建华",
                      "reason": "所需信息涉及多个年度的档案，需调档核查"})], label="extended"),
        Planned("016", APPLICANTS[2], "我家所在小区的规划许可资料", 4,
                [(2, {"action": "clarify", "text": "请写明小区名称、地址或所需规划许可证的编号，以便检索。"})],
                label="clarifying"),
        Planned("015", APPLICANTS[3], "某化工企业排污许可证及附件", 9,
                [(5, {"action": "consult_start", "third_party": "徐州某化工有限公司"})], label="consulting"),
        Planned("011", APPLICANTS[4], "2025 年度食品安全抽检不合格产品信息", 18,
                [(10, {"action": "answer", "type": "disclosed",
                       "text": "已通过电子邮件提供 2025 年度抽检不合格产品信息汇总表。"})],
                label="disclosed"),
        Planned("011", APPLICANTS[0], "某餐饮企业的行政处罚决定书", 25,
                [(15, {"action": "answer", "type": "already_public",
                       "text": "该信息已在本平台“结果公开”栏目主动公开，请在该栏目按企业名称检索。"})],
                label="already_public"),
        Planned("016", APPLICANTS[3], "某楼盘预售许可审批材料（含申请人提交的全部材料）", 30,
                [(22, {"action": "answer", "type": "partly_disclosed", "text": "预售许可证及审批意见予以公开，已邮寄。",
                       "reason": "申请材料中的个人身份信息、银行账户属于个人隐私，依据《条例》第十五条不予公开。"})],
                label="partly_disclosed"),
        Planned("015", APPLICANTS[2], "市环保局党组会议研究某项目的会议纪要", 28, [(20, withheld)], label="withheld"),
        Planned("012", APPLICANTS[5], "某医院 2024 年医疗纠纷调解记录", 24,
                [(16, {"action": "answer", "type": "not_exist", "text": "经检索，本机关未制作或获取该信息。",
                       "reason": "本机关不掌握相关政府信息"})], label="not_exist"),
        Planned("012", APPLICANTS[1], "某小区房屋产权登记信息", 22,
                [(18, {"action": "answer", "type": "not_ours",
                       "text": "该信息由徐州市不动产登记中心负责公开，联系电话 0516-83886000。",
                       "reason": "不动产登记信息不属于本机关负责公开的政府信息"})], label="not_ours"),
        Planned("016", APPLICANTS[0], "城东片区棚户区改造项目征收补偿方案", 14,
                [(12, {"action": "answer", "type": "duplicate", "text": "您已于此前提出相同申请，本机关已作出答复。",
                       "reason": "重复申请，依据《条例》第三十六条第六项不予重复处理"})], label="duplicate"),
        Planned("015", APPLICANTS[4], "本市 2025 年各监测点位空气质量日报原始数据", 26, [], label="overdue"),
        Planned("011", APPLICANTS[2], "本区农贸市场的食品快检结果", 20,
                [(10, {"action": "clarify", "text": "请明确所需农贸市场的名称和时间段。"}),
                 (7, {"action": "clarified"}),
                 (2, {"action": "answer", "type": "disclosed", "text": "已提供所列农贸市场近三个月的快检结果。"})],
                label="clarified_late"),
        Planned("016", APPLICANTS[1], "本市 2025 年商品房预售资金监管银行名单", 35,
                [(3, {"action": "answer", "type": "disclosed", "text": "已通过电子邮件提供监管银行名单。"})],
                label="answered_late"),
        Planned("015", APPLICANTS[3], "某垃圾焚烧发电项目环境影响评价公众参与说明", None,
                [(-1, withheld)], received_on=date(anchor.year - 1, 12, 22), label="carried_over"),
    ]


def back(calendar: Calendar, anchor: date, working_days: int) -> date:
    """The working day ``working_days`` before ``anchor`` (0: the anchor, or the last working day before it)."""
    day = anchor
    while not calendar.is_workday(day):
        day -= timedelta(days=1)
    for _ in range(working_days):
        day = calendar.previous_workday(day)
    return day


def documents(anchor: date, depts: tuple[str, ...] = DIRECTORY_DEPTS) -> dict[str, list[dict[str, Any]]]:
    """Each directory department's documents, published over the last year (one late)."""
    calendar = Calendar()
    names = {d.code: d for d in DEPARTMENTS}
    out: dict[str, list[dict[str, Any]]] = {}
    prev, quarter = anchor.year - 1, (anchor.month - 1) // 3 or 1
    for i, code in enumerate(depts):
        dept = names[code]
        docs: list[dict[str, Any]] = []
        step = 0
        for category, templates in CATEGORY_DOCS.items():
            for title, doc_no, summary in templates:
                step += 1
                published = back(calendar, anchor, 7 * step + i)
                formed = back(calendar, published, 3 + step % 5)
                if code == "015" and category == "plan":
                    formed = back(calendar, published, 35)  # published 35 working days after forming: late
                fill = {"name": dept.name, "prefix": dept.prefix, "year": published.year, "prev": prev, "q": quarter,
                        "n": 10 + step}
                docs.append({"category": category, "title": title.format(**fill),
                             "doc_no": doc_no.format(**fill) or None, "issuer": dept.name,
                             "formed_on": formed.isoformat(), "published_on": published.isoformat(),
                             "summary": summary})
        out[code] = docs
    return out


@dataclass
class Loaded:
    requests: dict[str, str] = field(default_factory=dict)  # label → request_no
    documents: int = 0
    attachments: int = 0


class Api(Protocol):
    """What the demo loader's client offers: ``call`` for the API (JSON in and out, failing loudly)
    and its HTTP session (``http``), which also carries the browser-style uploads to the bucket."""

    http: requests.Session

    def call(self, method: str, path: str, body: Any = None, token: str | None = None,
             ok: tuple[int, ...] = (200, 201)) -> Any: ...


def _upload(api: Api, purpose: str, name: str, content: bytes, ctype: str, token: str | None) -> str:
    ticket = api.call("POST", "/attachments", {"purpose": purpose, "filename": name, "content_type": ctype,
                                               "size": len(content)}, token=token, ok=(201,))
    r = api.http.post(ticket["upload"]["url"], data=ticket["upload"]["fields"], files={"file": (name, content)},
                      timeout=30)
    if r.status_code not in (200, 201, 204):
        raise RuntimeError(f"demo upload refused: {r.status_code} {r.text[:200]}")
    return str(ticket["attachment_id"])


def load(api: Api, users: dict[str, str], anchor: date, log: Callable[[str], None] = print,
         focus: str | None = None) -> Loaded:
    """Push the demo's 政府信息公开 through the API; ``users`` maps ``handler{dept}`` / ``head{dept}``
    to tokens; ``focus``: the demo staff's department, which gets a directory and requests too."""
    call = api.call
    calendar = Calendar()
    names = {d.code: d for d in DEPARTMENTS}
    loaded = Loaded()
    depts = DIRECTORY_DEPTS + ((focus,) if focus and focus not in DIRECTORY_DEPTS else ())
    planned = plan(anchor) + (for_console(focus) if focus else [])
    for code, docs in documents(anchor, depts).items():
        dept = names[code]
        head = users[f"head{code}"]
        call("PUT", f"/disclosure/departments/{code}/guide", {"office": {
            "name": f"{dept.name}办公室（政府信息公开工作机构）", "address": dept.window, "hours": "工作日 9:00—17:00",
            "phone": dept.phone, "email": f"gk{code}@xz.gov.example"}}, token=head, ok=(200,))
        for doc in sorted(docs, key=lambda d: d["published_on"]):
            call("POST", f"/disclosure/departments/{code}/documents", {k: v for k, v in doc.items() if v is not None},
                 token=users[f"handler{code}"], ok=(201,))
            loaded.documents += 1
    for p in planned:
        handler = users[f"handler{p.dept}"]
        body: dict[str, Any] = {"dept_code": p.dept, "applicant": p.applicant, "description": p.description,
                                "format": "electronic", "delivery": "email"}
        if p.attach:
            body["attachments"] = [_upload(api, "disclosure", "身份证明.png", PNG, "image/png", None)]
            loaded.attachments += 1
        if p.received_back is None and p.received_on is None:
            got = call("POST", "/disclosure/requests", body, ok=(201,))
        else:
            received = p.received_on or back(calendar, anchor, int(p.received_back or 0))
            got = call("POST", "/disclosure/requests", {**body, "channel": "window", "received_on": received.isoformat()},
                       token=handler, ok=(201,))
        no = got["request_no"]
        loaded.requests[p.label] = no
        for days_back, action in p.acts:
            on = min(date(anchor.year, 1, 6), anchor) if days_back < 0 else back(calendar, anchor, days_back)
            act = {**action, "on": on.isoformat()}
            if action.get("action") == "answer" and p.label in ("partly_disclosed", "withheld"):
                act["attachments"] = [_upload(api, "action", "政府信息公开申请答复书.pdf", PDF, "application/pdf", handler)]
                loaded.attachments += 1
            call("POST", f"/disclosure/requests/{no}/actions", act, token=handler, ok=(200,))
    log(f"demo: 政府信息公开 — {loaded.documents} documents in {len(depts)} directories, "
        f"{len(loaded.requests)} requests, {loaded.attachments} attachments")
    return loaded


#: The item of the demo's online application with attachments (建设项目环境影响评价文件审批).
APPLICATION_ITEM = "320300015XK00400"


def apply_with_attachments(api: Api, item_code: str) -> str:
    """An online application with a scanned licence and an ID card attached; its case number."""
    files = [_upload(api, "application", "营业执照副本.pdf", PDF, "application/pdf", None),
             _upload(api, "application", "法定代表人身份证.png", PNG, "image/png", None)]
    org = APPLICANTS[1]
    applicant = {k: org[k] for k in ("type", "name", "id_type", "id_no", "phone")}
    got = api.call("POST", "/applications", {"item_code": item_code, "applicant": applicant,
                                         "materials": ["环境影响报告表", "营业执照副本"], "attachments": files}, ok=(201,))
    return str(got["case_no"])


def attach_to_complaint(api: Api, complaint: dict[str, Any]) -> dict[str, Any]:
    """A complaint with a photo as evidence (the supervision bureau sees it)."""
    return {**complaint, "attachments": [_upload(api, "complaint", "现场照片.png", PNG, "image/png", None)]}
