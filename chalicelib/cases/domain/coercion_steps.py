"""The stages of a 行政强制 (QZ) case as the exchange records them (docs/CONTRACT.md §10 v2): each stage is
a ``step`` event with one of these codes, written by the operation platform (``runtime/domain/coercion.py``)
or by a department's own system; the legal checks (``legal/domain/coercion_checks.py``) read them.

Route 强制措施 (measure) ``QZ-M*``, route 强制执行 (enforcement) ``QZ-E*``; ``0`` is the case's 立案.
"""

from __future__ import annotations

MEASURE_OPENED, MEASURE_APPROVED, MEASURE_TAKEN, MEASURE_SERVED = "QZ-M0", "QZ-M1", "QZ-M2", "QZ-M3"
ENFORCEMENT_OPENED, DEMANDED, STATEMENT_HEARD, ENFORCEMENT_DECIDED = "QZ-E0", "QZ-E1", "QZ-E2", "QZ-E3"

STAGE_NAMES: dict[str, str] = {
    MEASURE_OPENED: "立案（行政强制措施）",
    MEASURE_APPROVED: "报告批准",
    MEASURE_TAKEN: "实施（当场告知、现场笔录）",
    MEASURE_SERVED: "决定书送达",
    ENFORCEMENT_OPENED: "立案（行政强制执行）",
    DEMANDED: "催告",
    STATEMENT_HEARD: "陈述申辩",
    ENFORCEMENT_DECIDED: "强制执行决定",
}
#: What a 查封/扣押 extension (type-A special procedure) and a 中止执行 (type B) are called.
EXTENSION_NAME = "延长查封、扣押期限"
SUSPENSION_NAME = "中止执行"
