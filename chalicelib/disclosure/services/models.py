"""The typed bodies and answers of 政府信息公开's routes (docs/CONTRACT.md §9 and what the console builds on)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from chalicelib.kernel.inputs import FormIn

from ..domain.terms import APPLICANT_TYPE_ALIASES, AnswerType, OrgKind, WithdrawReason

PHONE_PATTERN = r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\+?\d{6,20})$"
ATTACHMENT_ID = r"^att-[a-z0-9]{20,40}$"
Channel = Literal["online", "window", "letter", "fax", "email"]
Format = Literal["electronic", "paper"]
FORMAT_ALIASES = {"electronic": "electronic", "paper": "paper", "电子": "electronic", "纸质": "paper",
                  "email": "electronic", "pdf": "electronic", "disc": "electronic", "print": "paper"}


_In = FormIn


class ApplicantIn(_In):
    """The applicant (申请人). ``type``: ``person`` 自然人 or ``org`` 法人或其他组织 (common spellings
    such as ``natural_person``, ``legal_person``, 自然人, 法人 are understood)."""

    model_config = ConfigDict(defer_build=True, extra="ignore", str_strip_whitespace=True)
    type: Literal["person", "org"] = "person"
    org_kind: OrgKind | None = Field(default=None, description="for organisations: the annual report's column")
    name: str = Field(min_length=1, max_length=100)
    id_type: str | None = Field(default=None, max_length=30, description="身份证, 统一社会信用代码, 护照 …")
    id_no: str | None = Field(default=None, max_length=40)
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN)
    email: str | None = Field(default=None, max_length=100, pattern=r"^[^@\s]+@[^@\s]+$")
    address: str | None = Field(default=None, max_length=200)
    postcode: str | None = Field(default=None, pattern=r"^\d{6}$")
    contact: str | None = Field(default=None, max_length=50, description="an organisation's contact person")

    @field_validator("type", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        if isinstance(value, str):
            return APPLICANT_TYPE_ALIASES.get(value.strip().lower(), APPLICANT_TYPE_ALIASES.get(value.strip(), value))
        return value


class DisclosureRequestIn(_In):
    """A request for disclosure (政府信息公开申请表). ``channel``/``received_on`` are for staff
    registering a request made in person, by letter, fax or e-mail; the hall's take today."""

    dept_code: str = Field(pattern=r"^\d{3}$", description="the body asked")
    applicant: ApplicantIn
    description: str = Field(min_length=2, max_length=5000, description="the information sought (所需信息的内容描述)")
    purpose: str | None = Field(default=None, max_length=1000, description="用途 (optional since 2019)")
    format: Format = Field(default="electronic", description="electronic 电子 or paper 纸质")
    delivery: Literal["email", "post", "collect", "online"] | None = Field(
        default=None, description="how to receive it: e-mail, post, collect in person, online")
    attachments: list[str] = Field(default_factory=list, max_length=10,
                                   description="ids of uploaded files (POST /attachments)")
    channel: Channel = "online"
    received_on: date | None = Field(default=None, description="staff only: when the request was received")

    @field_validator("format", mode="before")
    @classmethod
    def _format(cls, value: Any) -> Any:
        return FORMAT_ALIASES.get(value.strip().lower(), value) if isinstance(value, str) else value

    @field_validator("attachments")
    @classmethod
    def _ids(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class ActionIn(_In):
    """A staff action on a request (docs/CONTRACT.md §9). Which fields each action needs:

    * ``answer``: ``type``, ``text``; ``reason`` unless ``disclosed``/``already_public``; ``reason_code``
      (the reason's kind for the annual report) when the reason's words do not tell it;
    * ``extend``: ``working_days`` (1–20), ``approver``, ``reason`` — once;
    * ``clarify``: ``text`` (what to clarify) — once, within 7 working days of receipt;
    * ``clarified``: ``on`` (the day the clarification arrived; the count restarts);
    * ``consult_start`` / ``consult_end``: ``on`` (days between are not counted); ``third_party``;
    * ``withdraw``: ``reason_code`` ``not_clarified`` | ``fee_unpaid`` | ``other`` (视为放弃申请).

    ``on`` defaults to today and may not lie in the future or before the previous act.
    ``attachments``: ids of documents uploaded for this act (answer letters, notices).
    """

    action: Literal["answer", "extend", "clarify", "clarified", "consult_start", "consult_end", "withdraw"]
    on: date | None = None
    type: AnswerType | None = None
    text: str | None = Field(default=None, max_length=10000)
    reason: str | None = Field(default=None, max_length=5000)
    reason_code: str | None = Field(default=None, max_length=40)
    working_days: int | None = Field(default=None, ge=1, le=20)
    approver: str | None = Field(default=None, max_length=50)
    third_party: str | None = Field(default=None, max_length=200)
    attachments: list[str] = Field(default_factory=list, max_length=10)


#: The fields each action needs besides ``action`` (checked with every missing one named).
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "answer": ("type", "text"), "extend": ("working_days", "approver", "reason"), "clarify": ("text",),
    "clarified": (), "consult_start": (), "consult_end": (), "withdraw": (),
}
WITHDRAW_REASONS: tuple[WithdrawReason, ...] = ("not_clarified", "fee_unpaid", "other")


class RequestQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    password: str | None = Field(default=None, max_length=64, description="the query password from the receipt")


class RequestListQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    status: Literal["open", "extended", "clarifying", "consulting", "answered", "withdrawn", "pending"] | None = Field(
        default=None, description="pending: every request not yet answered or withdrawn")
    overdue: bool = Field(default=False, description="only requests overdue (or answered late) as of as_of")
    as_of: AwareDatetime | None = Field(default=None, description="overdue flags as of (default: now)")
    sort: Literal["received", "due"] = Field(
        default="received", description="received: newest first, paged by cursor; due: the earliest due date first "
                                        "(a stopped clock after, closed requests last), the first `limit` of them")
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=2000)


class ReportQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    year: int = Field(ge=2008, le=2100, description="the report year")
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$", description="without it: the whole platform")


# --- answers ---------------------------------------------------------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="allow")


class Receipt(_Out):
    """回执: the number and the password (shown once, never stored in the clear), the receipt day and
    the due date."""

    request_no: str
    query_password: str
    received_on: date
    due: date | None
    status: str
    dept_code: str


class Answer(_Out):
    type: AnswerType
    type_name: str
    text: str | None
    reason: str | None = None
    answered_on: date | None = Field(default=None, description="the day it was answered (the staff view's record says `on`)")


class PublicRequest(_Out):
    """The applicant's view (docs/CONTRACT.md §9)."""

    request_no: str
    dept_code: str
    status: str
    status_name: str
    received_on: date
    due: date | None
    due_derivation: list[str]
    answer: Answer | None


class FileRef(_Out):
    """A file a record names (ids and checksums, never a link) and the record that brought it."""

    record: str
    seq: int


class RequestAct(_Out):
    """One act on a request (受理, 补正, 延期, 答复 …): what, when, by whom."""

    seq: int
    type: str
    name: str
    on: date | None = None
    at: datetime | None = None
    by: dict[str, Any] | str | None = Field(default=None, description="who acted (the staff member's name and number)")


class StaffRequest(PublicRequest):
    """The department's view: applicant, clock, acts, files (ids and checksums, never links)."""

    applicant: dict[str, Any]
    description: str | None
    clock_state: str
    overdue: bool
    working_days_left: int | None
    attachments: list[FileRef]
    history: list[RequestAct]
    as_of: datetime
    may_act: bool = Field(default=False, description="the caller handles the request (its department's handler or "
                                                     "head): the applicant is shown in full and actions are open; "
                                                     "others see the applicant masked (`applicant.masked`)")


class RequestRow(_Out):
    request_no: str
    dept_code: str
    status: str
    status_name: str
    received_on: date
    due: date | None
    overdue: bool
    applicant_name: str | None
    clock_state: str | None = Field(default=None, description="running, clarifying, consulting or closed")
    working_days_left: int | None = Field(
        default=None, description="working days from as_of to the due date (negative: overdue by that many); "
                                  "null while the clock stands still or once closed")


class RequestList(_Out):
    items: list[RequestRow]
    next: str | None
    total: int | None = Field(default=None, description="sort=due: how many requests matched in all")


class ReportRow(_Out):
    """A row of the annual report's table: ``values`` by column, null for a heading row."""

    key: str
    name: str
    values: dict[str, int] | None
    level: int | None = None


class ReportColumn(_Out):
    key: str
    name: str


class AnnualReport(_Out):
    """The national annual report's table 3 for a department or the platform."""

    year: int
    dept_code: str | None
    scope: Literal["department", "platform"]
    received: dict[str, int]
    carried_over: int
    answered: dict[str, int]
    still_open: int
    rows: list[ReportRow]
    columns: list[ReportColumn]


class Document(_Out):
    """A published document (主动公开) as the hall shows it."""

    doc_id: str
    index_no: str
    category: str
    title: str
    doc_no: str | None = None
    formed_on: date
    published_on: date
    summary: str | None = None
    url: str | None = None


class StaffDocument(Document):
    """A document as its department keeps it: in force or withdrawn (撤销公开) with who, when and why."""

    status: Literal["published", "withdrawn"]
    publish_due: date | None = Field(default=None, description="20 working days after formed_on (条例 art. 26)")
    late: bool | None = None
    by: str | None = Field(default=None, description="who published it")
    withdrawn: dict[str, Any] | None = Field(default=None, description="`reason`, `on`, `by` once withdrawn")


class StaffDocumentList(_Out):
    items: list[StaffDocument]


class Category(_Out):
    """A category of published information (with its count of documents where listed)."""

    code: str
    name: str


class DirectoryOut(_Out):
    """A department's 政府信息公开指南, its categories (with counts) and published documents."""

    dept_code: str
    dept_name: str
    guide: dict[str, Any]
    categories: list[Category]
    documents: list[Document]


class DirectoryEntry(_Out):
    """A department in the index of 政府信息公开 directories, with its directory's size."""

    dept_code: str
    dept_name: str | None
    has_guide: bool
    documents: int
    latest: date | None


class DirectoryIndex(_Out):
    departments: list[DirectoryEntry]
