"""What the public sees of departments' free text (docs/DOMAIN.md §8.2): ``/results`` publishes
structured fields only, every natural person's name is masked whatever the department sent, and the
free text that is published (step names, procedure names, certificate names, answers) is scrubbed.

Department codes 860–864 belong to this module.
"""
from __future__ import annotations

from typing import Any

import pytest

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item, penalty_item

pytestmark = pytest.mark.integration

DEPT = "860"
XK = f"320300{DEPT}XK00100"
CF = f"320300{DEPT}CF02100"
SECRETS = ("13900001111", "解放南路123号", "32031119800101771X", "li.si@example.com", "李会", "王小明", "张三丰")


@pytest.fixture(scope="module")
def dept(api: Api) -> DeptCreds:
    creds = api.department(DEPT, "测试生态环境局860")
    legal = api.user("pub-legal", ["legal"])
    api.declare_and_confirm(license_item(DEPT, "001"), legal)
    item = penalty_item(DEPT, "021")
    item["penalty"] = {**item["penalty"], "violation": "建设项目未依法报批环境影响评价文件擅自开工建设"}
    api.declare_and_confirm(item, legal)
    return creds


def test_results_and_the_progress_query_publish_no_free_text_personal_data(api: Api, dept: DeptCreds,
                                                                         settle: Any) -> None:
    # Given a licence whose applicant's type was not sent and whose name contains an organisation word,
    # concluded with a free-text description full of personal data, and steps named with a phone
    licence = [
        event("PUB-1", XK, "submitted", "2012-06-01T10:00:00+08:00", {"applicant": {"name": "李会"}}),
        event("PUB-1", XK, "accepted", "2012-06-04T09:30:00+08:00", {"status": "accepted", "query_password": "pub-001"}),
        event("PUB-1", XK, "step", "2012-06-05T10:00:00+08:00",
              {"step_code": "1", "step_name": "承办（联系人13900001111）"}),
        event("PUB-1", XK, "special_started", "2012-06-05T11:00:00+08:00",
              {"seq": 1, "kind": "B", "name": "现场核查：解放南路123号",
               "limit": {"value": 1, "unit": "working_day"}}),
        event("PUB-1", XK, "special_ended", "2012-06-06T11:00:00+08:00", {"seq": 1, "result": "通过"}),
        event("PUB-1", XK, "concluded", "2012-06-07T15:00:00+08:00",
              {"result_code": 0, "result_desc": "准予许可，申请人李会（身份证32031119800101771X）",
               "cert_name": "环评批复（送达 li.si@example.com）", "cert_no": "PUB-CERT-1"}),
    ]
    # And a penalty against a person named only in free text, the cause written with an address
    penalty = [
        event("PUB-2", CF, "case_opened", "2012-06-01T10:00:00+08:00",
              {"party": {"name": "王小明"}, "cause": "张三丰举报：王小明在解放南路123号未批先建，电话13900001111",
               "officers": ["OF-1", "OF-2"]}),
        event("PUB-2", CF, "decided", "2012-06-20T10:00:00+08:00",
              {"decision_no": "徐环罚〔2012〕860号", "types": ["fine"], "amount": 2000, "tier": "light",
               "collective_discussion": False, "basis_ids": ["EIA-LAW-31"]}),
    ]
    r = api.post_events(dept, licence + penalty)
    assert {x["status"] for x in r.json()["results"]} == {"stored"}, r.text
    settle()
    # When the public reads the results and the case's progress
    results = api.get("/results", dept_code=DEPT)
    progress = api.get("/cases/PUB-1", password="pub-001")
    assert results.status_code == progress.status_code == 200
    # Then no personal data of the free text is there
    for secret in SECRETS:
        assert secret not in results.text, secret
        assert secret not in progress.text, secret
    by_case = {x["case_no"]: x for x in results.json()["items"]}
    # And the results carry structured fields: a masked party, the catalog's violation, a result by code
    assert by_case["PUB-1"]["party"] == "李*" and by_case["PUB-1"]["result"] == "准予许可"
    assert by_case["PUB-2"]["party"] == "王*"
    assert by_case["PUB-2"]["violation"] == "建设项目未依法报批环境影响评价文件擅自开工建设"
    # And the scrubbed free text still reads (the step, the procedure)
    names = [t["name"] for t in progress.json()["timeline"]]
    assert any("承办（联系人1**********）" in n for n in names)
    assert progress.json()["applicant"]["name"] == "李*"
    # While staff see everything as sent
    staff = api.get("/staff/cases/PUB-2", token=api.reader).json()
    assert "张三丰" in staff["penalty"]["cause"]


def test_answers_shown_with_a_query_code_are_scrubbed(api: Api, dept: DeptCreds) -> None:

    handler = api.user("pub-handler", ["handler"], DEPT)
    c = api.post("/consultations", {"dept_code": DEPT, "question": "环评报告表怎么办理？"}).json()
    r = api.post(f"/consultations/{c['consultation_no']}/answer",
                 {"answer": "请携带材料到窗口，或联系王科长 13900001111、0516-83700000"}, token=handler)
    assert r.status_code == 200, r.text
    public = api.get(f"/consultations/{c['consultation_no']}", code=c["query_code"])
    assert public.status_code == 200
    assert "请携带材料到窗口" in public.text
    assert "13900001111" not in public.text and "0516-83700000" not in public.text

