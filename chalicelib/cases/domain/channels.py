"""Where and how an application was taken (申办渠道 and 申办具体网点, docs/DOMAIN.md §5.2 TJFS/SBJTWD, §11 基层延伸).

A department system says how a case came in (``channel``) in its own words: ``window``, ``窗口``,
``网上申办``, ``代办点``, ``APP``… The platform knows a few channels by code and maps the usual words
onto them; anything else is kept as the department wrote it (shown to staff, counted as it is),
never a reason to reject an event (docs/CONTRACT.md §5 v2: be lenient where the law does not need
strictness). ``service_point`` names the registered place (便民服务中心, 代办点) that took the case
by its code (``servicepoints``); an unknown code is kept too, and shown to staff as unregistered.
"""
from __future__ import annotations

import re

#: The channels the platform knows, with their Chinese names (the console and statistics show these).
CHANNELS: dict[str, str] = {
    "online": "网上申办",
    "mobile": "移动端",
    "window": "窗口",
    "service_center": "便民服务中心",
    "agency": "代办点",
    "system": "部门业务系统",
    "post": "邮寄",
}

#: The words department systems use for them (compared without spaces, case-insensitive).
_SYNONYMS: dict[str, str] = {
    "网上": "online", "网上申办": "online", "网上申请": "online", "网办": "online", "互联网": "online", "web": "online",
    "internet": "online", "网上大厅": "online", "政务服务网": "online",
    "移动端": "mobile", "手机": "mobile", "app": "mobile", "掌上办": "mobile", "小程序": "mobile", "微信": "mobile",
    "窗口": "window", "大厅窗口": "window", "现场": "window", "窗口受理": "window", "counter": "window",
    "便民服务中心": "service_center", "为民服务中心": "service_center", "便民中心": "service_center",
    "servicecenter": "service_center", "service-center": "service_center", "center": "service_center",
    "代办点": "agency", "代办": "agency", "村代办点": "agency", "社区代办点": "agency", "代办员": "agency",
    "agent": "agency", "agency_point": "agency",
    "系统": "system", "业务系统": "system", "部门系统": "system",
    "邮寄": "post", "信函": "post", "mail": "post",
}

#: A service point's code (网点编码): letters, digits and ``-``, 2–32 characters.
POINT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,31}$")


def normalize_channel(value: str | None) -> str | None:
    """The channel's code when the platform knows the word, else the text as sent (trimmed); None when blank."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    key = re.sub(r"\s+", "", text).lower()
    if key in CHANNELS:
        return key
    return _SYNONYMS.get(key, text)


def channel_name(code: str | None) -> str | None:
    """The Chinese name of a known channel, else the text itself."""
    if code is None:
        return None
    return CHANNELS.get(code, code)


def point_code(value: str | None) -> str | None:
    """A service point's code as a department sent it: trimmed, upper-cased when it is code-shaped
    (``xz-320321104`` and ``XZ-320321104`` are one point); other text is kept as it came (None when blank)."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    return text.upper() if POINT_CODE.match(text) else text


def is_point_code(value: str | None) -> bool:
    return value is not None and bool(POINT_CODE.match(value))
