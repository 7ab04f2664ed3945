"""``sunlit``: the command line for department systems and administrators.

    sunlit --api URL --key-id K --secret S events post FILE      # signed, batched, retried
    sunlit --api URL --token T admin departments create --code 015 --name 徐州市生态环境局 …
    sunlit --api URL catalog export catalog.xlsx                  # 附件2 layout, one sheet per category
    sunlit --api URL --token T catalog import catalog.xlsx        # declares each row, errors per cell

Options also come from the environment: ``SUNLIT_API``, ``SUNLIT_KEY_ID``, ``SUNLIT_SECRET``,
``SUNLIT_TOKEN``. Results are printed as JSON (one line per event for ``events post``); errors go
to standard error in Chinese. Exit status: 0 success, 1 something was rejected or failed, 2 usage.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click

from .client import MAX_BATCH, ApiError, ExchangeClient, StaffClient

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Settings:
    def __init__(self, api: str | None, key_id: str | None, secret: str | None, token: str | None,
                 progress: bool | None):
        self.api = api
        self.key_id = key_id
        self.secret = secret
        self.token = token
        self.progress = progress

    def need_api(self) -> str:
        if not self.api:
            raise click.UsageError("缺少 --api（或环境变量 SUNLIT_API），例如 --api http://127.0.0.1:8000")
        return self.api.rstrip("/")

    def exchange(self) -> ExchangeClient:
        api = self.need_api()
        if not self.key_id or not self.secret:
            raise click.UsageError("部门系统请求需要 --key-id 和 --secret（或 SUNLIT_KEY_ID、SUNLIT_SECRET）")
        return ExchangeClient(api, self.key_id, self.secret)

    def staff(self, *, required: bool = True) -> StaffClient:
        api = self.need_api()
        if required and not self.token:
            raise click.UsageError("该命令需要登录令牌：--token（或 SUNLIT_TOKEN），可用 `sunlit login` 获取")
        return StaffClient(api, self.token)

    def show_progress(self) -> bool:
        return sys.stderr.isatty() if self.progress is None else self.progress


def _emit(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


@contextmanager
def _api_errors() -> Iterator[None]:
    """An ``ApiError`` becomes a Chinese message on standard error and exit status 1."""
    try:
        yield
    except ApiError as exc:
        click.echo(f"错误：HTTP {exc.status} {exc.code}：{exc.message}", err=True)
        for d in exc.details:
            click.echo(f"  {d.get('field', '')}: {d.get('message', '')}", err=True)
        sys.exit(1)
    except OSError as exc:  # connection refused, DNS, a file that cannot be written
        click.echo(f"错误：{exc}", err=True)
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option("--api", envvar="SUNLIT_API", metavar="URL", help="API base URL (SUNLIT_API)")
@click.option("--key-id", envvar="SUNLIT_KEY_ID", help="department system key id (SUNLIT_KEY_ID)")
@click.option("--secret", envvar="SUNLIT_SECRET", help="department system secret (SUNLIT_SECRET)")
@click.option("--token", envvar="SUNLIT_TOKEN", help="staff bearer token (SUNLIT_TOKEN)")
@click.option("--progress/--no-progress", default=None, help="progress bars (default: when stderr is a terminal)")
@click.version_option(package_name="sunlit-client")
@click.pass_context
def main(ctx: click.Context, api: str | None, key_id: str | None, secret: str | None, token: str | None,
         progress: bool | None) -> None:
    """Sunlit 阳光政务 command line: post department events, administer the platform, Excel and Word."""
    ctx.obj = Settings(api, key_id, secret, token, progress)


# --- events (department systems) -----------------------------------------------------------------


@main.group()
def events() -> None:
    """Exchange events (数据交换) from a department system, signed with its key."""


@events.command("post")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
@click.option("--batch-size", default=MAX_BATCH, show_default=True, type=click.IntRange(1, MAX_BATCH),
              help="events per request")
@click.pass_obj
def events_post(settings: Settings, file: Any, batch_size: int) -> None:
    """Post the events of FILE (``{"events": [...]}`` JSON or JSON Lines; ``-`` for stdin).

    Prints one JSON line per event: {"event_id", "status", "errors"} in file order. Exit 0 when
    nothing was rejected or failed, 1 otherwise. Re-running the same file is safe: stored events
    come back "duplicate".
    """
    from .events import EventFileError, read_events

    client = settings.exchange()
    try:
        items = read_events(file)
    except EventFileError as exc:
        raise click.UsageError(str(exc)) from None
    if not items:
        click.echo("文件中没有事件", err=True)
        sys.exit(1)
    bad = 0

    def show(batch: list[Any], results: list[dict[str, Any]]) -> None:
        nonlocal bad
        for result in results:
            click.echo(json.dumps(result, ensure_ascii=False))
            if result.get("status") in ("rejected", "failed"):
                bad += 1
        if bar is not None:
            bar.update(len(batch))

    with _api_errors():
        if settings.show_progress():
            with click.progressbar(length=len(items), label="上传事件", file=sys.stderr) as bar:
                client.post_events(items, batch_size=batch_size, on_batch=show)
        else:
            bar = None
            client.post_events(items, batch_size=batch_size, on_batch=show)
    click.echo(f"共 {len(items)} 个事件，{bad} 个被拒绝或失败", err=True)
    sys.exit(1 if bad else 0)


@events.command("validate")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
def events_validate(file: Any) -> None:
    """Check FILE against the contract's event schemas without sending anything."""
    from .events import EventFileError, read_events, validate

    try:
        items = read_events(file)
    except EventFileError as exc:
        raise click.UsageError(str(exc)) from None
    bad = 0
    for i, event in enumerate(items):
        problems = validate(event) if isinstance(event, dict) else [{"field": "", "message": "事件应为 JSON 对象"}]
        if problems:
            bad += 1
            event_id = event.get("event_id") if isinstance(event, dict) else None
            click.echo(json.dumps({"index": i, "event_id": event_id, "errors": problems}, ensure_ascii=False))
    click.echo(f"共 {len(items)} 个事件，{bad} 个不符合接口规范", err=True)
    sys.exit(1 if bad else 0)


# --- staff sign-in ---------------------------------------------------------------------------------


@main.command()
@click.option("--username", required=True)
@click.option("--password", prompt=True, hide_input=True)
@click.option("--otp", default=None, help="TOTP code (supervisor, legal and admin once enrolled)")
@click.pass_obj
def login(settings: Settings, username: str, password: str, otp: str | None) -> None:
    """Sign in (POST /auth/login, docs/CONTRACT.md §8) and print the token pair; export the access token
    as SUNLIT_TOKEN for the admin commands."""
    body: dict[str, Any] = {"username": username, "password": password}
    if otp:
        body["otp"] = otp
    with _api_errors():
        _emit(settings.staff(required=False).post("/auth/login", body))


# --- administration (bearer token) ----------------------------------------------------------------


@main.group()
def admin() -> None:
    """Administration with a bearer token: departments, users, keys, calendar, rules, the DLQ.

    A deployed stack's first administrators are made with AWS credentials, not a token:
    ``sunlit admin bootstrap`` (README, "Bootstrapping a city").
    """


@admin.command("bootstrap", add_help_option=False, context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def admin_bootstrap(args: tuple[str, ...]) -> None:
    """Create a deployed stack's first three administrators (三员分立), once, with your AWS credentials.

    The options are the bootstrap's own (``--stack``, ``--region``, ``--system-admin``,
    ``--security-admin``, ``--audit-admin``; ``--help`` lists them): it writes the stack's identity
    table with the platform's own code, so run it from a checkout of the Sunlit repository.
    """
    import importlib
    import os

    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # the checkout it is run from (a console script's path omits it)
    try:
        bootstrap = importlib.import_module("chalicelib.handlers.bootstrap").main
    except ImportError:
        raise click.ClickException("请在 Sunlit 代码仓库（及其虚拟环境）中运行：初始化直接写入身份表，需使用平台自身的代码。"
                                   " Run it from a checkout of the Sunlit repository.") from None
    raise SystemExit(bootstrap(list(args)))


@admin.group()
def departments() -> None:
    """Departments and their systems' signing credentials."""


@departments.command("create")
@click.option("--code", required=True, help="3-digit department code")
@click.option("--name", required=True)
@click.option("--region-code", required=True, help="6-digit region code, e.g. 320300")
@click.option("--level", type=click.Choice(["city", "county"]), default="city", show_default=True)
@click.pass_obj
def departments_create(settings: Settings, code: str, name: str, region_code: str, level: str) -> None:
    """Register a department; prints its system's key_id and secret (shown once: store them safely)."""
    with _api_errors():
        _emit(settings.staff().post("/admin/departments", {"code": code, "name": name,
                                                          "region_code": region_code, "level": level}))


@departments.command("list")
@click.pass_obj
def departments_list(settings: Settings) -> None:
    """The public department directory."""
    with _api_errors():
        _emit(list(settings.staff(required=False).paginate("/departments")))


@admin.group()
def users() -> None:
    """Staff users."""


@users.command("create")
@click.option("--username", required=True)
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(["handler", "dept_head", "dept_supervision", "supervisor", "legal", "admin", "system_admin",
                                 "security_admin", "audit_admin"]))
@click.option("--dept-code", default=None)
@click.option("--region-code", default=None, help="supervisor/legal of a county or the city")
@click.option("--password", default=None, help="initial password (changed at first sign-in)")
@click.pass_obj
def users_create(settings: Settings, username: str, roles: tuple[str, ...], dept_code: str | None,
                 region_code: str | None, password: str | None) -> None:
    """Create a staff user with roles."""
    body: dict[str, Any] = {"username": username, "roles": list(roles)}
    for key, value in (("dept_code", dept_code), ("region_code", region_code), ("password", password)):
        if value:
            body[key] = value
    with _api_errors():
        _emit(settings.staff().post("/admin/users", body))


@users.command("deactivate")
@click.argument("username")
@click.pass_obj
def users_deactivate(settings: Settings, username: str) -> None:
    """End every session of a user (POST /admin/users/{username}/deactivate, docs/CONTRACT.md §8)."""
    with _api_errors():
        _emit(settings.staff().post(f"/admin/users/{username}/deactivate", {}))


@admin.group()
def keys() -> None:
    """Department systems' keys and the token signing key (security administrator)."""


@keys.command("list")
@click.argument("code")
@click.pass_obj
def keys_list(settings: Settings, code: str) -> None:
    """A department's keys with their state (active, expiring, expired, disabled); never a secret."""
    with _api_errors():
        _emit(settings.staff().get(f"/admin/departments/{code}/keys"))


@keys.command("rotate")
@click.argument("code")
@click.option("--overlap-minutes", type=click.IntRange(0), default=None,
              help="how long the previous key stays valid (0: it ends now; default: the platform's)")
@click.pass_obj
def keys_rotate(settings: Settings, code: str, overlap_minutes: int | None) -> None:
    """A new key for department CODE's system; prints key_id and secret (shown once: store them safely)."""
    body = {} if overlap_minutes is None else {"overlap_minutes": overlap_minutes}
    with _api_errors():
        _emit(settings.staff().post(f"/admin/departments/{code}/keys/rotate", body))


@keys.command("disable")
@click.argument("code")
@click.argument("key_id")
@click.pass_obj
def keys_disable(settings: Settings, code: str, key_id: str) -> None:
    """Disable one key at once (a leaked secret): requests signed with it are refused."""
    with _api_errors():
        _emit(settings.staff().post(f"/admin/departments/{code}/keys/{key_id}/disable", {}))


@keys.command("signing")
@click.option("--rotate", "reason", default=None, metavar="REASON",
              help="rotate the token signing key, for this reason (kept in the audit trail)")
@click.pass_obj
def keys_signing(settings: Settings, reason: str | None) -> None:
    """The token signing key in use; with --rotate, a new one (tokens of the old one expire by themselves)."""
    with _api_errors():
        if reason is None:
            _emit(settings.staff().get("/admin/keys/signing"))
        else:
            _emit(settings.staff().post("/admin/keys/signing/rotate", {"reason": reason}))


@admin.group()
def calendar() -> None:
    """The official working-day calendar."""


@calendar.command("put")
@click.argument("year", type=click.IntRange(1990, 2100))
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
@click.pass_obj
def calendar_put(settings: Settings, year: int, file: Any) -> None:
    """Replace YEAR's schedule from FILE: {"holidays": [...], "workdays": [...]}."""
    with _api_errors():
        _emit(settings.staff().put(f"/admin/calendar/{year}", json.load(file)))


@calendar.command("deadline")
@click.option("--from", "start", required=True, help="YYYY-MM-DD")
@click.option("--working-days", required=True, type=int)
@click.pass_obj
def calendar_deadline(settings: Settings, start: str, working_days: int) -> None:
    """The due date N working days after a date, with the days counted."""
    with _api_errors():
        _emit(settings.staff(required=False).get("/calendar/deadline", **{"from": start,
                                                                          "working_days": working_days}))


@admin.group()
def rules() -> None:
    """Supervision rule parameters (R1–R15) with effective dates."""


@rules.command("get")
@click.pass_obj
def rules_get(settings: Settings) -> None:
    with _api_errors():
        _emit(settings.staff().get("/admin/rules"))


@rules.command("put")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
@click.pass_obj
def rules_put(settings: Settings, file: Any) -> None:
    """Replace the rule overrides from FILE: {name: value | {effective_from, value} | [...]}."""
    with _api_errors():
        _emit(settings.staff().put("/admin/rules", json.load(file)))


@admin.group()
def dlq() -> None:
    """The stream dead-letter queue: batches whose retries ran out."""


@dlq.command("list")
@click.option("--limit", default=50, type=click.IntRange(1, 500))
@click.pass_obj
def dlq_list(settings: Settings, limit: int) -> None:
    with _api_errors():
        _emit(settings.staff().get("/admin/dlq", limit=limit))


@dlq.command("replay")
@click.option("--max-messages", default=50, type=click.IntRange(1, 500))
@click.pass_obj
def dlq_replay(settings: Settings, max_messages: int) -> None:
    """Re-deliver parked batches to their consumer (a batch leaves the queue only once it succeeds)."""
    with _api_errors():
        _emit(settings.staff().post("/admin/dlq/replay", {"max_messages": max_messages}))


# --- catalog (Excel) -------------------------------------------------------------------------------


@main.group()
def catalog() -> None:
    """The power catalog (行政权力库) as Excel in the layout of the guide's 附件2 item form."""


@catalog.command("export")
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--dept-code", default=None)
@click.option("--category", default=None)
@click.option("--at", default=None, help="the catalog in force on YYYY-MM-DD (default: today)")
@click.pass_obj
def catalog_export(settings: Settings, out: Path, dept_code: str | None, category: str | None,
                   at: str | None) -> None:
    """Write the confirmed items in force to OUT (.xlsx): one sheet per category, one row per item."""
    from .catalog_xlsx import export_workbook

    client = settings.staff(required=False)
    with _api_errors():
        items = list(client.paginate("/catalog/items", dept_code=dept_code, category=category, at=at))
        if settings.show_progress():
            with click.progressbar(length=len(items), label="导出事项", file=sys.stderr) as bar:
                counts = export_workbook(items, out, progress=bar.update)
        else:
            counts = export_workbook(items, out)
    _emit({"file": str(out), "items": len(items), "by_category": {k: v for k, v in counts.items() if v}})


@catalog.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="check the workbook only; declare nothing")
@click.pass_obj
def catalog_import(settings: Settings, file: Path, dry_run: bool) -> None:
    """Declare every row of FILE (POST /catalog/items: a new item, or a new version of its code).

    Problems are printed per sheet, row and cell (``行政许可（XK）!H5（法定期限）：…``), both those
    found in the cells and those the platform reports; rows without problems are declared, and the
    legal office confirms them as usual. Exit 1 when any row was not declared.
    """
    from .catalog_xlsx import read_workbook

    rows, sheet_problems = read_workbook(file)
    client = None if dry_run else settings.staff()
    declared: list[dict[str, Any]] = []
    failed = 0
    for problem in sheet_problems:
        click.echo(f"提示：{problem}", err=True)

    def declare(row: Any) -> None:
        nonlocal failed
        if row.problems:
            failed += 1
            for problem in row.problems:
                click.echo(f"错误：{problem}", err=True)
            return
        if client is None:
            return
        try:
            got = client.post("/catalog/items", row.declaration)
        except ApiError as exc:
            failed += 1
            details = exc.details or [{"field": "code", "message": exc.message}]
            for d in details:
                click.echo(f"错误：{row.locate(str(d.get('field', '')), str(d.get('message', exc.message)))}", err=True)
            return
        declared.append({"sheet": row.sheet, "row": row.row, **got})

    with _api_errors():
        if settings.show_progress():
            with click.progressbar(rows, label="导入事项", file=sys.stderr) as bar:
                for row in bar:
                    declare(row)
        else:
            for row in rows:
                declare(row)
    _emit({"file": str(file), "rows": len(rows), "declared": declared, "failed": failed, "dry_run": dry_run})
    sys.exit(1 if failed else 0)


# --- reports: Excel downloads and Word documents ------------------------------------------------------


@main.group()
def stats() -> None:
    """Department statistics (办件统计)."""


@stats.command("export")
@click.option("--period", required=True, help="2026Q3, 2026-07 or 2026")
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def stats_export(settings: Settings, period: str, out: Path) -> None:
    """Download the department statistics of a period as .xlsx (GET /stats/departments.xlsx)."""
    with _api_errors():
        out.write_bytes(settings.staff(required=False).download("/stats/departments.xlsx", XLSX, period=period))
    _emit({"file": str(out), "period": period})


@main.group()
def evaluation() -> None:
    """The quarterly performance evaluation (绩效评估) and its documents."""


@evaluation.command("export")
@click.option("--period", required=True)
@click.option("--dept-code", default=None)
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def evaluation_export(settings: Settings, period: str, dept_code: str | None, out: Path) -> None:
    """Download the evaluation of a period as .xlsx (GET /supervision/evaluation.xlsx)."""
    with _api_errors():
        out.write_bytes(settings.staff().download("/supervision/evaluation.xlsx", XLSX, period=period,
                                                  dept_code=dept_code))
    _emit({"file": str(out), "period": period})


def _letterhead(authority: str, prefix: str, office: str | None, cc: str, contact: str) -> Any:
    from .documents import Letterhead

    return Letterhead(authority=authority, doc_prefix=prefix, office=office or f"{authority}办公室", cc=cc,
                      contact=contact)


_LETTERHEAD = [
    click.option("--authority", default="徐州市监察局", show_default=True, help="发文机关"),
    click.option("--prefix", default="徐监", show_default=True, help="机关代字 of the 文号"),
    click.option("--office", default=None, help="印发机关 (default: <authority>办公室)"),
    click.option("--cc", default="", help="抄送"),
    click.option("--contact", default="", help="联系人及电话"),
    click.option("--date", "on", default=None, help="成文日期 YYYY-MM-DD (default: the letter's issue date / today)"),
]


def _with_letterhead(fn: Any) -> Any:
    for option in reversed(_LETTERHEAD):
        fn = option(fn)
    return fn


@evaluation.command("notice")
@click.option("--period", required=True)
@click.option("--number", default=1, show_default=True, type=int, help="the notice's serial number in the 文号")
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@_with_letterhead
@click.pass_obj
def evaluation_notice(settings: Settings, period: str, number: int, out: Path, authority: str, prefix: str,
                      office: str | None, cc: str, contact: str, on: str | None) -> None:
    """The quarterly evaluation notice (绩效评估通报) as .docx in the GB/T 9704 layout."""
    from .documents import render_notice

    with _api_errors():
        data = settings.staff().get("/supervision/evaluation", period=period)
        path = render_notice(data, out, _letterhead(authority, prefix, office, cc, contact),
                             date.fromisoformat(on) if on else None, number)
    _emit({"file": str(path), "period": period, "departments": len(data.get("items", []))})


@main.group()
def letters() -> None:
    """监察建议书 (supervision recommendation letters)."""


@letters.command("docx")
@click.option("--period", required=True, help="the quarter, e.g. 2026Q3")
@click.option("--dept-code", default=None)
@click.option("--out-dir", default=".", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@_with_letterhead
@click.pass_obj
def letters_docx(settings: Settings, period: str, dept_code: str | None, out_dir: Path, authority: str,
                 prefix: str, office: str | None, cc: str, contact: str, on: str | None) -> None:
    """Write each 监察建议书 of a quarter as .docx in the GB/T 9704 layout (one file per letter)."""
    from .documents import render_letters

    with _api_errors():
        records = list(settings.staff().paginate("/supervision/letters", period=period, dept_code=dept_code))
        if not records:
            click.echo(f"{period} 没有监察建议书（先在 POST /supervision/evaluation/{period}/letters 出具）", err=True)
            sys.exit(1)
        paths = render_letters(records, out_dir, _letterhead(authority, prefix, office, cc, contact),
                               date.fromisoformat(on) if on else None)
    _emit({"files": [str(p) for p in paths], "period": period})


if __name__ == "__main__":  # pragma: no cover
    main()
