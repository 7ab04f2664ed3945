"""Excel downloads for the staff console and the CLI: department statistics and the performance
evaluation as .xlsx (same data, same access rules as the JSON routes)."""
from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.kernel.errors import ValidationError

from .. import wiring
from .api_hall import STAFF_READERS, EvaluationQuery
from .api_public import StatsQuery
from .http import Ctx, route
from .spreadsheets import XLSX

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).

bp = Blueprint(__name__)


def _xlsx(data: bytes, filename: str) -> Response:
    from urllib.parse import quote

    from .spreadsheets import XLSX

    # CORS (public routes only) and Cache-Control are added at the edge (http.route)
    return Response(body=data, status_code=200, headers={
        "Content-Type": XLSX,
        "Content-Disposition": f"attachment; filename=\"{filename.encode('ascii', 'ignore').decode()}\"; "
                               f"filename*=UTF-8''{quote(filename)}"})


@route(bp, "/stats/departments.xlsx", auth="public", query=StatsQuery, tag="public", media=XLSX,
       summary="Per-department statistics of a period as an Excel workbook (.xlsx)")
def stats_xlsx(ctx: Ctx, query: StatsQuery) -> Any:
    from chalicelib.kernel.periods import valid_period
    from chalicelib.public import services as public

    from .spreadsheets import STATS_COLUMNS, workbook_bytes

    if not valid_period(query.period):
        raise ValidationError("统计期间格式有误", [{"field": "query.period", "type": "invalid",
                                                   "message": "期间格式应为 2012Q3、2012-07 或 2012"}])
    rows = public.department_stats(wiring.deps(), query.period, query.region_code)
    data = workbook_bytes(f"部门办件统计（{query.period}）", "受理、办结、按时办结率、红黄牌、投诉与满意率",
                          STATS_COLUMNS, rows, f"统计 {query.period}")
    return _xlsx(data, f"部门办件统计-{query.period}.xlsx")


@route(bp, "/supervision/evaluation.xlsx", roles=STAFF_READERS, query=EvaluationQuery, tag="supervision", media=XLSX,
       summary="Performance evaluation of a period as an Excel workbook (.xlsx)")
def evaluation_xlsx(ctx: Ctx, query: EvaluationQuery) -> Any:
    from chalicelib.supervision.services import evaluation

    from .spreadsheets import EVALUATION_COLUMNS, workbook_bytes

    result = evaluation.department_evaluation(wiring.deps(), ctx.principal, query.period, query.dept_code,
                                              region_code=query.region_code)
    data = workbook_bytes(f"行政权力运行绩效评估（{query.period}）", "等次：优秀/良好/合格/不合格",
                          EVALUATION_COLUMNS, result["items"], f"评估 {query.period}")
    return _xlsx(data, f"绩效评估-{query.period}.xlsx")
