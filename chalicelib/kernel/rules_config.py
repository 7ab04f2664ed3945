"""Rule configuration (规则参数): every number the supervision rules (R1–R14) and the legal
checks (L1–L12) use, each as a schedule of thresholds with effective dates.

Legal values drift (the 2021 行政处罚法 and newer Jiangsu hearing thresholds differ from the
2010 values), so a threshold is never a constant: it is a list of ``(effective_from, value)``
and an act is judged by the value in force on the act's date (docs/DOMAIN.md §11).
The defaults are docs/DOMAIN.md "Defaults the platform ships with"; they apply from ``date.min``.

An administrator's overrides arrive as a plain dict (a config file or an admin request)::

    {"hearing_threshold_person_non_business": [{"effective_from": "2021-07-15", "value": 5000}],
     "late_report_hours": 48}

A bare value replaces the default from the beginning; a list adds dated thresholds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, cast

from .errors import ValidationError, field_error

ParamValue = int | Decimal | float | str
ParamKind = Literal["int", "decimal", "ratio", "choice"]

#: The date the shipped defaults apply from: before any act the platform can see.
BEGINNING = date.min

R1_MODES = ("last_working_day", "ratio")


@dataclass(frozen=True)
class ParamSpec:
    """What one named parameter is: its kind, default, unit and meaning (in Chinese)."""

    name: str
    kind: ParamKind
    default: ParamValue
    unit: str
    description: str
    minimum: int = 0
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class Threshold:
    """One value of a parameter, in force from ``effective_from`` until the next one."""

    effective_from: date
    value: ParamValue


def _spec(
    name: str,
    kind: ParamKind,
    default: ParamValue,
    unit: str,
    description: str,
    minimum: int = 0,
    choices: tuple[str, ...] = (),
) -> ParamSpec:
    return ParamSpec(name, kind, default, unit, description, minimum, choices)


#: The parameters the platform knows, with the shipped defaults (docs/DOMAIN.md defaults table).
PARAMS: dict[str, ParamSpec] = {
    s.name: s
    for s in (
        _spec("late_report_hours", "int", 24, "hour", "事件发生后超过该小时数才报送，触发 R8 黄牌", 1),
        _spec(
            "supplement_first_notice_wd",
            "int",
            5,
            "working_day",
            "申办后应在该工作日数内一次性告知补正（R10）",
            1,
        ),
        _spec("delivery_wd", "int", 10, "working_day", "准予办结后应在该工作日数内送达证照（R12）", 1),
        _spec("extension_cap_wd", "int", 10, "working_day", "行政许可延期上限：法定时限 + 该工作日数（R11）"),
        _spec(
            "extension_cap_joint_wd",
            "int",
            15,
            "working_day",
            "联合办理的行政许可延期上限：法定时限 + 该工作日数（R11）",
        ),
        _spec(
            "preliminary_review_days", "int", 20, "working_day", "下级初审后应在该工作日数内报送上级（R5）", 1
        ),
        _spec(
            "penalty_near_days", "int", 5, "calendar_day", "处罚办案期限届满前该日数内发出黄牌（R14、L11）"
        ),
        _spec(
            "hearing_threshold_person_non_business",
            "decimal",
            Decimal(500),
            "yuan",
            "对公民非经营活动罚款达到该金额须告知听证权（L5）",
        ),
        _spec(
            "hearing_threshold_org_non_business",
            "decimal",
            Decimal(1000),
            "yuan",
            "对法人或其他组织非经营活动罚款达到该金额须告知听证权（L5）",
        ),
        _spec(
            "hearing_threshold_business",
            "decimal",
            Decimal(20000),
            "yuan",
            "对经营活动罚款达到该金额须告知听证权（L5）",
        ),
        _spec(
            "hearing_request_days", "int", 3, "calendar_day", "当事人自告知之日起该日数内可要求听证（L6）", 1
        ),
        _spec("hearing_notice_days", "int", 7, "calendar_day", "听证通知须在举行听证该日数前送达（L7）", 1),
        _spec(
            "hearing_filing_days",
            "int",
            15,
            "calendar_day",
            "经听证的处罚决定应在该日数内报法制办备案（L9）",
            1,
        ),
        _spec(
            "declare_days", "int", 20, "calendar_day", "法律法规变化后部门应在该日数内申报目录调整（L12）", 1
        ),
        _spec("legal_reply_days", "int", 10, "calendar_day", "部门申报后法制办应在该日数内答复（L12）", 1),
        # 行政强制法 (runtime/domain/coercion.py): art.25 sets 30 + 30 days; art.19 24 hours; the law does
        # not define 夜间 (art.43) nor how often a term may be extended: [inferred] defaults, dated.
        _spec("coercion_measure_days", "int", 30, "calendar_day", "查封、扣押的期限不得超过该日数（行政强制法第二十五条）", 1),
        _spec("coercion_extension_days", "int", 30, "calendar_day",
              "经批准延长查封、扣押期限累计不得超过该日数（第二十五条）", 0),
        _spec("coercion_extensions_max", "int", 1, "time", "查封、扣押期限可以延长的次数（第二十五条，实务为一次）", 0),
        _spec("coercion_emergency_report_hours", "int", 24, "hour",
              "情况紧急当场实施强制措施后应在该小时数内补办批准（第十九条）", 1),
        _spec("coercion_night_start_hour", "int", 22, "hour", "该时刻起为夜间，不得实施强制执行（第四十三条）", 0),
        _spec("coercion_night_end_hour", "int", 6, "hour", "夜间至该时刻止（第四十三条）", 0),
        _spec(
            "r1_mode",
            "choice",
            "last_working_day",
            "",
            "R1 临期提示方式：承诺期限前最后一个工作日，或已用时限比例",
            choices=R1_MODES,
        ),
        _spec("r1_ratio", "ratio", 0.9, "", "r1_mode 为 ratio 时，已用承诺工作日达到该比例即提示（R1）"),
        # 绩效评估等次 (docs/DOMAIN.md §6.3; supervision/domain/performance.py explains the defaults):
        # a quarter is graded by the thresholds in force on its last day.
        *(
            _spec(f"grade_{grade}_{what}", cast(ParamKind, kind), Decimal(str(default)) if kind == "decimal" else default,
                  unit,
                  f"评定为「{name}」须{text}")
            for grade, name, bar in (
                ("excellent", "优秀", (0.98, 0, 3, 0.95, 1, 1.0)),
                ("good", "良好", (0.95, 1, 8, 0.90, 3, 0.9)),
                ("passing", "合格", (0.90, 3, None, 0.80, 5, 0.8)),
            )
            for (what, kind, unit, text), default in zip(
                (
                    ("on_time_rate", "ratio", "", "按时办结率不低于该比例"),
                    ("red_per_100", "decimal", "per_100_cases", "每百件红牌不多于该数"),
                    ("yellow_per_100", "decimal", "per_100_cases", "每百件黄牌不多于该数"),
                    ("satisfaction_rate", "ratio", "", "满意率不低于该比例"),
                    ("complaints_per_100", "decimal", "per_100_cases", "每百件投诉不多于该数"),
                    ("disclosure_on_time_rate", "ratio", "", "依申请公开按期答复率不低于该比例"),
                ),
                bar,
                strict=True,
            )
            if default is not None
        ),
        _spec("grade_min_cases", "int", 1, "case", "期间内办件少于该数的部门不评定等次", 1),
        _spec("grade_min_evaluations", "int", 5, "rating", "评价少于该数时不以满意率评定等次", 1),
        _spec("grade_min_disclosure_answers", "int", 3, "request", "依申请公开答复少于该数时不以按期答复率评定等次", 1),
    )
}


def _coerce(spec: ParamSpec, raw: Any) -> ParamValue:
    """Turn a raw config value into the parameter's type, or raise ValueError (Chinese text)."""
    if isinstance(raw, bool):
        raise TypeError("取值不能是布尔值")
    if spec.kind == "int":
        if isinstance(raw, str) and raw.strip().isdigit():
            raw = int(raw.strip())
        if isinstance(raw, float | Decimal):
            try:
                if raw == int(raw):
                    raw = int(raw)
            except (OverflowError, ValueError) as exc:
                raise ValueError("应为整数") from exc
        if not isinstance(raw, int):
            raise ValueError("应为整数")
        if raw < spec.minimum:
            raise ValueError(f"不得小于 {spec.minimum}")
        return raw
    if spec.kind == "decimal":
        if not isinstance(raw, int | float | str | Decimal):
            raise ValueError("应为金额数字")
        try:
            amount = Decimal(str(raw).strip())
        except InvalidOperation as exc:
            raise ValueError("应为金额数字") from exc
        if not amount.is_finite() or amount < 0:
            raise ValueError("应为不小于 0 的金额")
        return amount
    if spec.kind == "ratio":
        if not isinstance(raw, int | float | Decimal) or not 0 < float(raw) <= 1:
            raise ValueError("应为大于 0 且不大于 1 的比例")
        return float(raw)
    if not isinstance(raw, str) or raw not in spec.choices:
        raise ValueError(f"应为 {', '.join(spec.choices)} 之一")
    return raw


def _parse_date(raw: Any) -> date:
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        raise TypeError("生效日期应为 YYYY-MM-DD")
    try:
        return date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise ValueError("生效日期应为 YYYY-MM-DD") from exc


class RuleConfig:
    """Named parameters, each a schedule of :class:`Threshold` ordered by ``effective_from``.

    Every schedule starts with an entry at :data:`BEGINNING` (the shipped default unless an
    override replaced it), so ``value(name, on)`` always has an answer.
    """

    def __init__(self, overrides: Mapping[str, Sequence[Threshold]] | None = None) -> None:
        schedules: dict[str, dict[date, ParamValue]] = {
            name: {BEGINNING: spec.default} for name, spec in PARAMS.items()
        }
        for name, entries in (overrides or {}).items():
            if name not in PARAMS:
                raise KeyError(f"unknown rule parameter {name!r}")
            for entry in entries:
                schedules[name][entry.effective_from] = _coerce(PARAMS[name], entry.value)
        self._schedules: dict[str, tuple[Threshold, ...]] = {
            name: tuple(Threshold(d, v) for d, v in sorted(by_date.items()))
            for name, by_date in schedules.items()
        }

    @classmethod
    def defaults(cls) -> RuleConfig:
        return cls()

    def schedule(self, name: str) -> tuple[Threshold, ...]:
        """The whole history of one parameter, oldest first."""
        return self._schedules[self._known(name)]

    def value(self, name: str, on: date) -> ParamValue:
        """The value in force on ``on``: the latest threshold with ``effective_from <= on``."""
        current = self._schedules[self._known(name)][0].value
        for entry in self._schedules[name]:
            if entry.effective_from > on:
                break
            current = entry.value
        return current

    def int_value(self, name: str, on: date) -> int:
        value = self.value(name, on)
        if not isinstance(value, int):
            raise TypeError(f"rule parameter {name!r} is not an integer")
        return value

    def decimal_value(self, name: str, on: date) -> Decimal:
        value = self.value(name, on)
        if isinstance(value, str):
            raise TypeError(f"rule parameter {name!r} is not a number")
        return value if isinstance(value, Decimal) else Decimal(str(value))

    def float_value(self, name: str, on: date) -> float:
        value = self.value(name, on)
        if isinstance(value, str):
            raise TypeError(f"rule parameter {name!r} is not a number")
        return float(value)

    def str_value(self, name: str, on: date) -> str:
        return str(self.value(name, on))

    def with_threshold(self, name: str, effective_from: date, value: ParamValue) -> RuleConfig:
        """A copy with one more dated threshold (replacing one on the same date)."""
        merged = self._as_overrides()
        merged[self._known(name)] = [*merged[name], Threshold(effective_from, value)]
        return RuleConfig(merged)

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        """JSON-safe form; ``from_dict(to_dict())`` gives an equal configuration."""
        out: dict[str, list[dict[str, Any]]] = {}
        for name, entries in self._schedules.items():
            out[name] = [
                {
                    "effective_from": None if e.effective_from == BEGINNING else e.effective_from.isoformat(),
                    "value": str(e.value) if isinstance(e.value, Decimal) else e.value,
                }
                for e in entries
            ]
        return out

    @classmethod
    def from_dict(cls, raw: Any, base: RuleConfig | None = None) -> RuleConfig:
        """Validate an override dict and merge it onto ``base`` (the shipped defaults if None).

        Raises :class:`ValidationError` naming every bad field (``late_report_hours.0.value``).
        """
        if not isinstance(raw, Mapping):
            raise ValidationError("规则参数配置应为对象", [field_error("rules", "应为 JSON 对象")])
        merged = (base or cls())._as_overrides()
        problems: list[dict[str, Any]] = []
        for name, body in raw.items():
            if not isinstance(name, str) or name not in PARAMS:
                problems.append(field_error(str(name), "未知的规则参数", "unknown"))
                continue
            entries, entry_problems = _parse_entries(PARAMS[name], body)
            problems.extend(entry_problems)
            merged[name] = [*merged[name], *entries]
        if problems:
            raise ValidationError("规则参数配置有误", problems)
        return cls(merged)

    def _as_overrides(self) -> dict[str, list[Threshold]]:
        return {name: list(entries) for name, entries in self._schedules.items()}

    @staticmethod
    def _known(name: str) -> str:
        if name not in PARAMS:
            raise KeyError(f"unknown rule parameter {name!r}")
        return name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RuleConfig) and self._schedules == other._schedules

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._schedules.items())))

    def __repr__(self) -> str:
        changed = {n: s for n, s in self._schedules.items() if len(s) > 1 or s[0].value != PARAMS[n].default}
        return f"RuleConfig({changed!r})"


def _parse_entries(spec: ParamSpec, body: Any) -> tuple[list[Threshold], list[dict[str, Any]]]:
    """One parameter's override: a bare value, one ``{effective_from, value}``, or a list of them."""
    name = spec.name
    if not isinstance(body, list | tuple | Mapping):
        try:
            return [Threshold(BEGINNING, _coerce(spec, body))], []
        except (TypeError, ValueError) as exc:
            return [], [field_error(name, str(exc))]
    items = [body] if isinstance(body, Mapping) else list(body)
    entries: list[Threshold] = []
    problems: list[dict[str, Any]] = []
    seen: set[date] = set()
    for i, item in enumerate(items):
        where = name if isinstance(body, Mapping) else f"{name}.{i}"
        if not isinstance(item, Mapping) or "value" not in item:
            problems.append(field_error(where, '应为 {"effective_from": "YYYY-MM-DD", "value": ...}'))
            continue
        extra = set(item) - {"effective_from", "value"}
        if extra:
            problems.append(field_error(f"{where}.{min(extra)}", "不允许的字段", "extra_forbidden"))
        try:
            when = BEGINNING if item.get("effective_from") is None else _parse_date(item["effective_from"])
        except (TypeError, ValueError) as exc:
            problems.append(field_error(f"{where}.effective_from", str(exc)))
            continue
        if when in seen:
            problems.append(field_error(f"{where}.effective_from", "同一生效日期重复设置"))
            continue
        seen.add(when)
        try:
            entries.append(Threshold(when, _coerce(spec, item["value"])))
        except (TypeError, ValueError) as exc:
            problems.append(field_error(f"{where}.value", str(exc)))
    return entries, problems
