# ruff: noqa: E501 - the table of roles and views is wider than a line, to be read as a matrix
"""Who may do what: every URL of the app × every role, as one table.

Each row is one named URL and one method; each cell is what that role gets:

    200     the page (or file), nothing changed
    done    200 or 302, and the database (or the files the app writes) changed: it was done
    302     302 elsewhere, and nothing changed (refused with a message, or nothing to do)
    login   302 to the login page, nothing changed
    admin   302 to the admin's login page, nothing changed
    403 404 405
            refused, nothing changed

Every cell but ``done`` asserts that nothing changed, so a refusal is proven by the database and
not only by the status. For POST rows the data is what the permitted role needs to succeed
(``done``), so an unchanged database for the others means they were refused, not that the data
was wrong. A row is checked as a whole: a failure prints the actual row, ready to compare.

The last test lists every named URL pattern of the app; a view added without a row fails it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from efficiency.models import (
    AnnualAppraisal,
    AnnualObjection,
    Correction,
    Objection,
    Period,
    ReportJob,
    ReportJobStatus,
    Sanction,
)
from efficiency.reports import zipjob
from efficiency.roles import Role
from efficiency.services import annual as annual_services
from efficiency.services import annual_publicity as annual_publicity_services
from efficiency.services import appraisal as appraisal_services
from efficiency.services import attachments as attachment_services
from efficiency.services import corrections as correction_services
from efficiency.services import incidents as incident_services
from efficiency.services import publicity as publicity_services
from efficiency.services import reviews as review_services
from efficiency.services import sanctions as sanction_services
from efficiency.services import summaries as summary_services

from .conftest import PERSONAS, login
from .excel_samples import openpyxl_xlsx
from .factories import report
from .report_support import quarter

ROLES = ["anonymous", *PERSONAS]
REFUSALS = {"302", "login", "admin", "403", "404", "405"}


@dataclass
class World:
    """The office with a quarter in every state an action needs, and incidents at each step."""

    office: object
    tmp: Path
    reported: object = None
    verified: object = None
    handled: object = None
    appealed: object = None
    attachment: object = None
    job: object = None
    failed_job: object = None
    token: str = ""
    files: list = field(default_factory=list)


@pytest.fixture
def world(office, tmp_path, settings, monkeypatch) -> World:
    settings.EXCEL_UPLOAD_DIR = tmp_path / "uploads"
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.ATTACHMENT_DIR = tmp_path / "files" / "attachments"
    # Started ZIPs are only queued: the matrix is about who may, not about the file.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    quarter(office, "2026Q2", "closed", incidents=False)
    quarter(office, "2026Q3", "open", incidents=False)
    w = World(office=office, tmp=tmp_path)

    def incident(day):
        return report(
            office.clerk,
            section=office.a,
            responsible=[office.person],
            standard=office.delay,
            occurred_on=datetime.date(2026, 8, day),
        )

    w.reported = incident(3)
    w.attachment = attachment_services.attachment_add(
        actor=office.clerk,
        incident=w.reported,
        upload=SimpleUploadedFile("现场照片.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20),
        name="现场照片.png",
    )
    w.verified = incident_services.incident_verify(actor=office.supervisor, incident=incident(4))
    w.handled = incident_services.incident_handle(
        actor=office.supervisor,
        incident=incident_services.incident_verify(actor=office.supervisor, incident=incident(5)),
        decision="reminder_talk",
        note="谈话提醒",
    )
    appealed = incident_services.incident_handle(
        actor=office.supervisor,
        incident=incident_services.incident_verify(actor=office.supervisor, incident=incident(6)),
        decision="reminder_talk",
        note="谈话提醒",
    )
    w.appealed = incident_services.incident_appeal(
        actor=office.named, incident=appealed, text="时限计算有误。"
    )
    w.job = ReportJob.objects.create(
        kind=zipjob.KIND,
        period=Period.objects.get(code="2026Q2"),
        requested_by=office.leader,
        status=ReportJobStatus.DONE,
        file="reports/job-done-2026Q2.zip",
    )
    w.failed_job = ReportJob.objects.create(
        kind=zipjob.KIND,
        period=Period.objects.get(code="2026Q2"),
        requested_by=office.leader,
        status=ReportJobStatus.FAILED,
        error="测试失败。",
    )
    (tmp_path / "files" / "reports").mkdir(parents=True, exist_ok=True)
    (tmp_path / "files" / "reports" / "job-done-2026Q2.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    return w


# --- what a request may change --------------------------------------------------------------


def snapshot(w: World) -> dict:
    """Every row of the app's tables and of the accounts, and the files the app writes."""
    state = {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("efficiency").get_models()
    }
    state["users"] = [
        {k: v for k, v in row.items() if k != "last_login"}
        for row in User.objects.order_by("pk").values()
    ]
    state["roles"] = sorted(User.groups.through.objects.values_list("user_id", "group_id"))
    state["groups"] = sorted(Group.objects.values_list("name", flat=True))
    state["files"] = sorted(str(p.relative_to(w.tmp)) for p in w.tmp.rglob("*") if p.is_file())
    return state


def recorded_sanction(w: World) -> None:
    sanction_services.sanction_record(
        actor=w.office.supervisor,
        staff=w.office.colleague,
        kind="warning",
        dated=datetime.date(2026, 3, 2),
        document_number="县办发〔2026〕3号",
    )


def sanction_url(action: str) -> Callable[[World], str]:
    return lambda w: f"/sanctions/{Sanction.objects.get().pk}/{action}/"


NEW_SANCTION = {
    "staff_no": "001002",
    "kind": "warning",
    "dated": "2026-03-02",
    "document_number": "县办发〔2026〕3号",
    "note": "",
    "confirmed": "1",
}
CORRECTED_SANCTION = {
    **NEW_SANCTION,
    "document_number": "县办发〔2026〕4号",
    "reason": "文号录错。",
}


def q2_locked(w: World) -> None:
    period = Period.objects.get(code="2026Q2")
    appraisal_services.period_lock(
        actor=w.office.leader, period=period, reason="公示期已过，锁定。"
    )


NEW_CORRECTION = {
    "corrected_final": "95",
    "corrected_grade": "good",
    "what": "扣分事件经复核撤销",
    "why": "复核决定撤销扣分",
    "incident": "",
    "reference": "县效考复〔2026〕1号",
    "confirmed": "1",
}


def recorded_correction(w: World) -> None:
    q2_locked(w)
    correction_services.correction_record(
        actor=w.office.leader,
        period=Period.objects.get(code="2026Q2"),
        staff=w.office.person,
        **{k: v for k, v in NEW_CORRECTION.items() if k not in ("confirmed", "incident")},
    )


def correction_url(w: World) -> str:
    return f"/appraisal/corrections/{Correction.objects.get().pk}/withdraw/"


# --- the table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    name: str  # the URL pattern's name
    method: str
    cells: str  # one code per role, in the order of ROLES
    url: Callable[[World], str]
    data: Callable[[World], dict] = lambda w: {}
    prepare: Callable[[World], None] = lambda w: None

    @property
    def id(self) -> str:
        return f"{self.name}-{self.method}"


def GET(name, cells, url, **kw):  # noqa: N802 - reads as the method in the table
    return Row(name, "GET", cells, url, **kw)


def POST(name, cells, url, data=lambda w: {}, **kw):  # noqa: N802
    return Row(name, "POST", cells, url, data, **kw)


def incident_url(step: str, action: str = "") -> Callable[[World], str]:
    return lambda w: f"/incidents/{getattr(w, step).number}/{action}"


def new_incident(w: World) -> dict:
    return {
        "kind": "delay",
        "standard": w.office.delay.pk,
        "severity": "serious",
        "occurred_on": "2026-07-02",
        "section": w.office.a.pk,
        "responsible": [w.office.person.pk],
        "description": "收文后未及时呈批，延误两个工作日。",
        "source": "inspection",
    }


def evidence_file(w: World) -> dict:
    return {"file": SimpleUploadedFile("督查记录.pdf", b"%PDF-1.4\n%%EOF\n")}


def attachment_url(action: str = "") -> Callable[[World], str]:
    return lambda w: f"/incidents/{w.reported.number}/attachments/{w.attachment.pk}/{action}"


def corrected_incident(w: World) -> dict:
    return {**new_incident(w), "description": "更正：延误三个工作日。", "reason": "更正天数"}


def open_q4_unmarked(w: World) -> None:
    appraisal_services.period_open(actor=w.office.leader, code="2026Q4")


def staff_workbook(w: World) -> dict:
    header = ["工号", "姓名", "科室", "职务", "入职日期"]
    rows = [header, ["001077", "吴新人", "秘书科", "科员", "2024-03-01"]]
    return {"file": SimpleUploadedFile("人员.xlsx", openpyxl_xlsx(rows))}


def uploaded_by_the_administrator(w: World) -> None:
    """An upload waiting in the administrator's own session: nobody else's session has it."""
    client = login(w.office.administrator)
    response = client.post("/excel/import/staff/", staff_workbook(w))
    w.token = response["Location"].rstrip("/").split("/")[-1]


def preview_url(action: str = "") -> Callable[[World], str]:
    return lambda w: f"/excel/import/staff/{w.token}/{action}"


def user_url(page: str) -> Callable[[World], str]:
    return lambda w: f"/admin/auth/user/{w.office.outsider.pk}/{page}"


def account_form(w: World, **changes) -> dict:
    outsider = w.office.outsider
    data = {
        "username": outsider.username,
        "first_name": "新名",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "09:00:00",
        "groups": [],
    }
    data.update(changes)
    return data


def role_change(w: World) -> dict:
    return account_form(w, groups=[Group.objects.get(name=Role.CLERK).pk], first_name="")


def year_decided(w: World) -> None:
    """Every 2026 annual grade decided, 李秀英 (001002) 优秀 over the places."""
    annual_services.decide_all_as_proposed(
        actor=w.office.leader, year=2026, reason="经考核委员会研究同意"
    )
    annual_services.decide(
        actor=w.office.leader,
        year=2026,
        staff=w.office.colleague,
        grade="excellent",
        reason="经考核委员会研究同意",
    )


def year_published(w: World) -> None:
    year_decided(w)
    annual_publicity_services.publish(actor=w.office.leader, year=2026)


def year_objected(w: World) -> None:
    year_published(w)
    annual_publicity_services.lodge_objection(
        actor=w.office.named, year=2026, staff=w.office.colleague, reason="该同志本年度有迟报。"
    )


def year_window_over(w: World) -> None:
    year_published(w)
    AnnualAppraisal.objects.update(publicity_ends=datetime.date(2026, 11, 19))


def year_notified(w: World) -> None:
    year_window_over(w)
    annual_publicity_services.issue_notices(actor=w.office.leader, year=2026)


def year_failed(w: World) -> None:
    """赵志强 (002001) decided 不称职 and the notices issued."""
    year_window_over(w)
    annual_services.decide(
        actor=w.office.leader,
        year=2026,
        staff=w.office.other_person,
        grade="incompetent",
        reason="全年多次严重失误",
    )
    annual_publicity_services.issue_notices(actor=w.office.leader, year=2026)


def year_objection_url(w: World) -> str:
    return f"/appraisal/annual/2026/publicity/objection/{AnnualObjection.objects.get().pk}/answer/"


def proposed_by_the_head(w: World) -> None:
    review_services.propose(
        actor=w.office.head,
        period=Period.objects.get(code="2026Q3"),
        staff=w.office.person,
        grade="fairly_good",
        comment="工作扎实，按时办结。",
        reason="按实绩评定为较好",
    )


def submitted_summary(w: World) -> None:
    summary_services.submit(
        actor=w.office.named,
        period=Period.objects.get(code="2026Q3"),
        staff=w.office.person,
        text="本季度按时办结收文登记。",
    )


def year_q4_open(w: World) -> None:
    """2026Q4 opened: the year's 个人总结 may be written."""
    appraisal_services.period_open(actor=w.office.leader, code="2026Q4")


def submitted_year_summary(w: World) -> None:
    year_q4_open(w)
    summary_services.submit(
        actor=w.office.named, year=2026, staff=w.office.person, text="全年按时办结收文登记。"
    )


def q2_in_publicity(w: World) -> None:
    """2026Q2, closed today, in a 公示 window of 5 working days."""
    Period.objects.filter(code="2026Q2").update(
        publicity_days=5, publicity_ends=datetime.date(2026, 11, 27)
    )


def objection_lodged(w: World) -> None:
    q2_in_publicity(w)
    publicity_services.lodge_objection(
        actor=w.office.named,
        period=Period.objects.get(code="2026Q2"),
        staff=w.office.colleague,
        reason="有迟报未扣分。",
    )


def objection_url(w: World) -> str:
    return f"/appraisal/2026Q2/objections/{Objection.objects.get().pk}/answer/"


NEW_PASSWORD = "Xq7-correct-horse-2026"

# fmt: off
#                                         anonymous
#                                         |     clerk clerk_b head head_b supervisor leader assessor administrator named outsider
MATRIX = [
    GET("home",                          "login 200   200     200  200    200        200    200      200           200   200", lambda w: "/"),
    GET("roster",                        "login 200   200     200  200    200        200    200      200           200   200", lambda w: "/roster/"),
    GET("verify_history",                "login 200   200     200  200    200        200    200      200           200   200", lambda w: "/verify/?fingerprint=1-abcdefabcdef"),
    GET("incident_list",                 "login 200   200     200  200    200        200    200      200           200   200", lambda w: "/incidents/"),
    GET("analysis",                      "login 403   403     200  200    403        200    403      403           403   403", lambda w: "/analysis/"),
    GET("incident_create",               "login 200   200     403  403    403        403    403      403           403   403", lambda w: "/incidents/new/"),
    POST("incident_create",              "login done  200     403  403    403        403    403      403           403   403", lambda w: "/incidents/new/", new_incident),
    GET("incident_detail",               "login 200   404     200  404    200        200    404      404           200   404", incident_url("reported")),
    GET("incident_edit",                 "login 200   404     403  404    403        403    404      404           403   404", incident_url("reported", "edit/")),
    POST("incident_edit",                "login done  404     403  404    403        403    404      404           403   404", incident_url("reported", "edit/"), corrected_incident),
    GET("incident_explain",              "405   405   405     405  405    405        405    405      405           405   405", incident_url("reported", "explain/")),
    POST("incident_explain",             "login 403   404     done 404    403        403    404      404           done  404", incident_url("reported", "explain/"), lambda w: {"staff": w.office.person.pk, "text": "当日在外开会。"}),
    POST("incident_attachment_add",      "login done  404     302  404    done       done   404      404           302   404", incident_url("reported", "attachments/"), evidence_file),
    GET("incident_attachment_add",       "405   405   405     405  405    405        405    405      405           405   405", incident_url("reported", "attachments/")),
    GET("incident_attachment",           "login 200   404     200  404    200        200    404      404           200   404", attachment_url()),
    GET("incident_attachment_remove",    "405   405   405     405  405    405        405    405      405           405   405", attachment_url("remove/")),
    POST("incident_attachment_remove",   "login done  404     302  404    done       302    404      404           302   404", attachment_url("remove/"), lambda w: {"reason": "传错了文件。", "confirmed": "1"}),
    GET("incident_verify",               "405   405   405     405  405    405        405    405      405           405   405", incident_url("reported", "verify/")),
    POST("incident_verify",              "login 403   403     403  403    done       403    403      403           403   403", incident_url("reported", "verify/"), lambda w: {"confirmed": "1"}),
    GET("incident_dismiss",              "405   405   405     405  405    405        405    405      405           405   405", incident_url("reported", "dismiss/")),
    POST("incident_dismiss",             "login 403   403     403  403    done       403    403      403           403   403", incident_url("reported", "dismiss/"), lambda w: {"reason": "经核实不属实。", "confirmed": "1"}),
    GET("incident_handle",               "405   405   405     405  405    405        405    405      405           405   405", incident_url("verified", "handle/")),
    POST("incident_handle",              "login 403   403     403  403    done       403    403      403           403   403", incident_url("verified", "handle/"), lambda w: {"decision": "criticism", "note": "", "confirmed": "1"}),
    GET("incident_appeal",               "405   405   405     405  405    405        405    405      405           405   405", incident_url("handled", "appeal/")),
    POST("incident_appeal",              "login 403   404     done 404    403        403    404      404           done  404", incident_url("handled", "appeal/"), lambda w: {"text": "时限计算有误。", "confirmed": "1"}),
    GET("incident_decide_appeal",        "405   405   405     405  405    405        405    405      405           405   405", incident_url("appealed", "appeal/decide/")),
    POST("incident_decide_appeal",       "login 403   403     403  403    done       403    403      403           403   403", incident_url("appealed", "appeal/decide/"), lambda w: {"outcome": "reject", "reason": "事实清楚，维持原处理。", "confirmed": "1"}),
    GET("period_list",                   "login 200   200     200  200    200        200    200      200           200   200", lambda w: "/appraisal/"),
    GET("period_open",                   "login 405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/open/"),
    POST("period_open",                  "login 403   403     403  403    403        done   403      done          403   403", lambda w: "/appraisal/open/", lambda w: {"code": "2026Q4", "confirmed": "1"}),
    GET("period_close",                  "login 405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/2026Q3/close/"),
    POST("period_close",                 "login 403   403     403  403    403        done   403      403           403   403", lambda w: "/appraisal/2026Q3/close/", lambda w: {"confirmed": "1"}),
    GET("period_reopen",                 "login 405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/2026Q2/reopen/"),
    POST("period_reopen",                "login 403   403     403  403    403        done   403      403           403   403", lambda w: "/appraisal/2026Q2/reopen/", lambda w: {"reason": "补评第二季度", "confirmed": "1"}),
    GET("period_lock",                   "login 405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/2026Q2/lock/"),
    POST("period_lock",                  "login 403   403     403  403    403        done   403      403           403   403", lambda w: "/appraisal/2026Q2/lock/", lambda w: {"confirmed": "1"}),
    GET("period_withdraw",               "login 405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/2026Q4/withdraw/", prepare=open_q4_unmarked),
    POST("period_withdraw",              "login 403   403     403  403    403        done   403      done          403   403", lambda w: "/appraisal/2026Q4/withdraw/", lambda w: {"reason": "开错了季度", "confirmed": "1"}, prepare=open_q4_unmarked),
    GET("score_sheet",                   "login 403   403     403  403    403        200    200      403           403   403", lambda w: "/appraisal/2026Q3/sheet/"),
    GET("score_sheet_sections",          "login 403   403     403  403    403        200    200      403           403   403", lambda w: "/appraisal/2026Q3/sheet/sections/"),
    GET("score_save",                    "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/2026Q3/sheet/save/"),
    POST("score_save",                   "login 403   403     403  403    403        done   done     403           403   403", lambda w: "/appraisal/2026Q3/sheet/save/", lambda w: {"subject": "staff", "id": str(w.office.colleague.pk), "criterion": "duty", "value": "50", "reason": "工作失职"}),
    GET("ranking_staff",                 "login 403   403     403  403    403        200    403      200           403   403", lambda w: "/appraisal/2026Q3/ranking/"),
    GET("ranking_sections",              "login 403   403     403  403    403        200    403      200           403   403", lambda w: "/appraisal/2026Q3/ranking/sections/"),
    GET("grade_review",                  "login 403   403     200  200    403        403    403      200           403   403", lambda w: "/appraisal/2026Q3/review/"),
    POST("grade_review",                 "login 403   403     done 404    403        403    403      done          403   403", lambda w: "/appraisal/2026Q3/review/", lambda w: {"staff_no": "001001", "grade": "fairly_good", "comment": "工作扎实，按时办结。", "reason": "按实绩评定为较好"}),
    GET("grade_decisions",               "login 403   403     403  403    403        200    403      403           403   403", lambda w: "/appraisal/2026Q3/decisions/"),
    GET("grade_decide",                  "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/2026Q3/decisions/001002/"),
    POST("grade_decide",                 "login 403   403     403  403    403        done   403      403           403   403", lambda w: "/appraisal/2026Q3/decisions/001002/", lambda w: {"grade": "fairly_good", "reason": "年中调岗，按较好评定", "confirmed": "1"}),
    GET("grade_decide_all",              "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/2026Q3/decisions/all/"),
    POST("grade_decide_all",             "login 403   403     403  403    403        done   403      403           403   403", lambda w: "/appraisal/2026Q3/decisions/all/", lambda w: {"confirmed": "1"}, prepare=proposed_by_the_head),
    GET("progress",                      "login 403   403     403  403    403        200    403      200           403   403", lambda w: "/appraisal/2026Q3/progress/"),
    GET("progress_remind",               "login 405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/2026Q3/progress/remind/"),
    POST("progress_remind",              "login 403   403     403  403    403        done   403      done          403   403", lambda w: "/appraisal/2026Q3/progress/remind/", lambda w: {"user": str(w.office.named.pk), "kind": "summary"}),
    GET("progress_remind_all",           "login 405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/2026Q3/progress/remind-all/"),
    POST("progress_remind_all",          "login 403   403     403  403    403        done   403      done          403   403", lambda w: "/appraisal/2026Q3/progress/remind-all/", lambda w: {"confirmed": "1"}),
    GET("score_card",                    "login 403   403     200  403    403        200    403      200           200   403", lambda w: "/appraisal/2026Q2/card/001001/"),
    GET("correction_list",               "login 403   403     403  403    403        200    403      403           403   403", lambda w: "/appraisal/2026Q2/corrections/", prepare=q2_locked),
    GET("correction_create",             "login 403   403     403  403    403        200    403      403           403   403", lambda w: "/appraisal/2026Q2/corrections/001001/new/", prepare=q2_locked),
    POST("correction_create",            "login 403   403     403  403    403        done   403      403           403   403", lambda w: "/appraisal/2026Q2/corrections/001001/new/", lambda w: NEW_CORRECTION, prepare=q2_locked),
    GET("correction_withdraw",           "login 403   403     403  403    403        302    403      403           403   403", correction_url, prepare=recorded_correction),
    POST("correction_withdraw",          "login 403   403     403  403    403        done   403      403           403   403", correction_url, lambda w: {"reason": "更正登记错了人。", "confirmed": "1"}, prepare=recorded_correction),
    GET("trends",                        "login 403   403     403  403    403        200    403      200           403   403", lambda w: "/appraisal/trends/"),
    GET("annual",                        "login 403   403     403  403    403        200    403      200           403   403", lambda w: "/appraisal/annual/2026/"),
    GET("year_review",                   "login 403   403     200  200    403        403    403      200           403   403", lambda w: "/appraisal/annual/2026/review/"),
    POST("year_review",                  "login 403   403     done 404    403        403    403      done          403   403", lambda w: "/appraisal/annual/2026/review/", lambda w: {"staff_no": "001001", "grade": "competent", "comment": "全年工作扎实。"}),
    GET("year_decisions",                "login 403   403     403  403    403        200    403      403           403   403", lambda w: "/appraisal/annual/2026/decisions/"),
    GET("year_decide",                   "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/annual/2026/decisions/001001/"),
    POST("year_decide",                  "login 403   403     403  403    403        done   403      403           403   403", lambda w: "/appraisal/annual/2026/decisions/001001/", lambda w: {"grade": "basic", "reason": "全年多次迟报材料", "confirmed": "1"}),
    GET("year_decide_all",               "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/annual/2026/decisions/all/"),
    POST("year_decide_all",              "login 403   403     403  403    403        done   403      403           403   403", lambda w: "/appraisal/annual/2026/decisions/all/", lambda w: {"confirmed": "1", "reason": "经考核委员会研究同意"}),
    GET("year_publicity",                "login 200   200     200  200    200        200    403      200           200   403", lambda w: "/appraisal/annual/2026/publicity/", prepare=year_objected),
    GET("year_publish",                  "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/annual/2026/publicity/publish/"),
    POST("year_publish",                 "login 403   403     403  403    403        done   403      403           403   403", lambda w: "/appraisal/annual/2026/publicity/publish/", lambda w: {"days": "5", "confirmed": "1"}, prepare=year_decided),
    GET("year_objection",                "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/annual/2026/publicity/objection/"),
    POST("year_objection",               "login done  done    done done   done       done   403      done          done  403", lambda w: "/appraisal/annual/2026/publicity/objection/", lambda w: {"staff_no": "001002", "reason": "有迟报未扣分。"}, prepare=year_published),
    GET("year_objection_answer",         "405   405   405     405  405    405        405    405      405           405   405", year_objection_url, prepare=year_objected),
    POST("year_objection_answer",        "login 403   403     403  403    403        done   403      403           403   403", year_objection_url, lambda w: {"answer": "rejected", "reply": "评定依据充分，维持原等次。", "confirmed": "1"}, prepare=year_objected),
    GET("year_notices",                  "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/annual/2026/notices/"),
    POST("year_notices",                 "login 403   403     403  403    403        done   403      403           403   403", lambda w: "/appraisal/annual/2026/notices/", lambda w: {"confirmed": "1"}, prepare=year_window_over),
    GET("year_notice",                   "login 403   403     200  403    403        200    403      200           200   403", lambda w: "/appraisal/annual/2026/notice/001001/", prepare=year_notified),
    POST("year_notice",                  "login 403   403     403  403    403        403    403      done          done  403", lambda w: "/appraisal/annual/2026/notice/001001/", lambda w: {"opinion": "agree"}, prepare=year_notified),
    GET("year_clock",                    "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/annual/2026/notice/002001/clock/"),
    POST("year_clock",                   "login 403   403     403  403    403        403    403      done          403   403", lambda w: "/appraisal/annual/2026/notice/002001/clock/", lambda w: {"step": "review_request", "text": "请求复核本年度等次。"}, prepare=year_failed),
    GET("report_notice",                 "login 403   403     200  403    403        200    403      200           200   403", lambda w: "/reports/annual/2026/notice/001001.pdf", prepare=year_notified),
    GET("report_annual_form",            "login 403   403     200  403    403        200    403      200           200   403", lambda w: "/reports/annual/2026/form/001001.pdf", prepare=year_notified),
    GET("attendance",                    "login 403   403     403  403    403        200    403      200           403   403", lambda w: "/appraisal/2026Q3/attendance/"),
    POST("attendance",                   "login 403   403     403  403    403        403    403      done          403   403", lambda w: "/appraisal/2026Q3/attendance/", lambda w: {"staff_no": "001001", "absent_days": "0", "leave_days": "1.5", "late_times": "2"}),
    GET("period_standing",               "login 403   403     403  403    403        200    403      200           403   403", lambda w: "/appraisal/2026Q3/standing/"),
    POST("period_standing",              "login 403   403     403  403    403        403    403      done          403   403", lambda w: "/appraisal/2026Q3/standing/", lambda w: {"action": "set", "person": "001001", "choice": "undetermined:investigation"}),
    GET("annual_standing",               "login 403   403     403  403    403        200    403      200           403   403", lambda w: "/appraisal/annual/2026/standing/"),
    POST("annual_standing",              "login 403   403     403  403    403        403    403      done          403   403", lambda w: "/appraisal/annual/2026/standing/", lambda w: {"action": "set", "person": "001001", "choice": "absent:long_leave"}),
    GET("summary_mine",                  "login 200   200     200  200    200        404    404      404           200   404", lambda w: "/appraisal/2026Q3/summary/"),
    POST("summary_mine",                 "login done  done    done done   done       404    404      404           done  404", lambda w: "/appraisal/2026Q3/summary/", lambda w: {"text": "本季度按时办结收文登记。", "action": "submit"}),
    GET("summary_list",                  "login 403   403     200  200    403        200    403      200           403   403", lambda w: "/appraisal/2026Q3/summaries/"),
    GET("summary_detail",                "login 403   403     200  404    403        200    403      200           403   403", lambda w: "/appraisal/2026Q3/summaries/001001/"),
    GET("summary_review",                "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/2026Q3/summaries/001001/review/"),
    POST("summary_review",               "login 403   403     done 404    403        302    403      done          403   403", lambda w: "/appraisal/2026Q3/summaries/001001/review/", lambda w: {"action": "return", "comment": "请补充督办事项的办结情况。", "confirmed": "1"}, prepare=submitted_summary),
    GET("summary_enter",                 "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/2026Q3/summaries/001001/enter/"),
    POST("summary_enter",                "login 403   403     done 404    403        302    403      done          403   403", lambda w: "/appraisal/2026Q3/summaries/001001/enter/", lambda w: {"text": "纸质小结：本季度按时办结收文登记。"}),
    GET("year_summary_mine",             "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/annual/2026/summary/", prepare=year_q4_open),
    POST("year_summary_mine",            "login done  done    done done   done       404    404      404           done  404", lambda w: "/appraisal/annual/2026/summary/", lambda w: {"text": "全年按时办结收文登记。", "action": "submit"}, prepare=year_q4_open),
    GET("year_summary_detail",           "login 403   403     200  404    403        200    403      200           403   403", lambda w: "/appraisal/annual/2026/summary/001001/", prepare=submitted_year_summary),
    GET("year_summary_review",           "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/annual/2026/summary/001001/review/", prepare=submitted_year_summary),
    POST("year_summary_review",          "login 403   403     done 404    403        302    403      done          403   403", lambda w: "/appraisal/annual/2026/summary/001001/review/", lambda w: {"action": "return", "comment": "请补充明年打算。", "confirmed": "1"}, prepare=submitted_year_summary),
    GET("year_summary_enter",            "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/annual/2026/summary/001001/enter/", prepare=year_q4_open),
    POST("year_summary_enter",           "login 403   403     done 404    403        302    403      done          403   403", lambda w: "/appraisal/annual/2026/summary/001001/enter/", lambda w: {"text": "纸质总结：全年按时办结收文登记。"}, prepare=year_q4_open),
    GET("publicity",                     "login 200   200     200  200    200        200    403      200           200   403", lambda w: "/appraisal/2026Q2/publicity/", prepare=q2_in_publicity),
    GET("objection_lodge",               "login 405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/2026Q2/publicity/object/"),
    POST("objection_lodge",              "login done  done    done done   done       done   403      done          done  403", lambda w: "/appraisal/2026Q2/publicity/object/", lambda w: {"staff_no": "001002", "reason": "有迟报未扣分。"}, prepare=q2_in_publicity),
    GET("objection_list",                "login 403   403     403  403    403        200    403      403           403   403", lambda w: "/appraisal/2026Q2/objections/", prepare=objection_lodged),
    GET("objection_answer",              "login 405   405     405  405    405        405    405      405           405   405", objection_url, prepare=objection_lodged),
    POST("objection_answer",             "login 403   403     403  403    403        done   403      403           403   403", objection_url, lambda w: {"answer": "rejected", "reply": "评定依据充分，维持原等次。", "confirmed": "1"}, prepare=objection_lodged),
    GET("feedback_mine",                 "login 200   200     200  200    200        404    404      404           200   404", lambda w: "/appraisal/2026Q2/feedback/"),
    POST("feedback_mine",                "login done  done    done done   done       404    404      404           done  404", lambda w: "/appraisal/2026Q2/feedback/", lambda w: {"opinion": "agree"}),
    GET("feedback_all",                  "login 403   403     403  403    403        200    403      200           403   403", lambda w: "/appraisal/2026Q2/feedback/all/"),
    GET("feedback_enter",                "login 405   405     405  405    405        405    405      405           405   405", lambda w: "/appraisal/2026Q2/feedback/enter/"),
    POST("feedback_enter",               "login 403   403     403  403    403        403    403      done          403   403", lambda w: "/appraisal/2026Q2/feedback/enter/", lambda w: {"staff_no": "001001", "opinion": "agree"}),
    GET("excel_index",                   "login 200   200     200  200    200        200    200      200           200   200", lambda w: "/excel/"),
    GET("excel_template",                "login 200   200     200  200    200        200    200      200           200   200", lambda w: "/excel/template/staff/"),
    GET("excel_export",                  "login 200   200     200  200    200        200    403      200           403   403", lambda w: "/excel/export/staff/"),
    GET("excel_upload",                  "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/excel/import/staff/"),
    POST("excel_upload",                 "login 403   403     403  403    403        403    403      done          403   403", lambda w: "/excel/import/staff/", staff_workbook),
    GET("excel_preview",                 "login 302   302     302  302    302        302    302      302           302   302", preview_url(), prepare=uploaded_by_the_administrator),
    GET("excel_confirm",                 "405   405   405     405  405    405        405    405      405           405   405", preview_url("confirm/"), prepare=uploaded_by_the_administrator),
    POST("excel_confirm",                "login 302   302     302  302    302        302    302      302           302   302", preview_url("confirm/"), prepare=uploaded_by_the_administrator),
    GET("excel_cancel",                  "405   405   405     405  405    405        405    405      405           405   405", preview_url("cancel/"), prepare=uploaded_by_the_administrator),
    POST("excel_cancel",                 "login 302   302     302  302    302        302    302      302           302   302", preview_url("cancel/"), prepare=uploaded_by_the_administrator),
    GET("reports_index_latest",          "login 302   302     302  302    302        302    302      302           302   302", lambda w: "/reports/"),
    GET("reports_index",                 "login 200   200     200  200    200        200    200      200           200   200", lambda w: "/reports/2026Q2/"),
    GET("report_jobs",                   "login 403   403     403  403    403        200    403      200           403   403", lambda w: "/reports/jobs/"),
    GET("report_job",                    "login 403   403     403  403    403        200    403      200           403   403", lambda w: f"/reports/jobs/{w.job.pk}/"),
    GET("report_job_status",             "login 403   403     403  403    403        200    403      200           403   403", lambda w: f"/reports/jobs/{w.job.pk}/status.json"),
    GET("report_job_download",           "login 403   403     403  403    403        200    403      200           403   403", lambda w: f"/reports/jobs/{w.job.pk}/download/"),
    GET("report_annual",                 "login 403   403     403  403    403        200    403      200           403   403", lambda w: "/reports/annual/2026.pdf"),
    GET("report_bulletin",               "login 403   403     403  403    403        200    403      200           403   403", lambda w: "/reports/2026Q2/bulletin.pdf"),
    GET("report_request",                "login 403   403     403  403    403        200    403      200           403   403", lambda w: "/reports/2026Q2/request.pdf"),
    GET("report_publicity",              "login 200   200     200  200    200        200    403      200           200   403", lambda w: "/reports/2026Q2/publicity.pdf", prepare=q2_in_publicity),
    GET("report_section",                "login 403   403     200  403    403        200    403      200           403   403", lambda w: "/reports/2026Q2/section/MSK.pdf"),
    GET("report_personal",               "login 403   403     200  403    403        200    403      200           200   403", lambda w: "/reports/2026Q2/personal/001001.pdf"),
    GET("report_zip_start",              "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/reports/2026Q2/personal.zip"),
    POST("report_zip_start",             "login 403   403     403  403    403        done   403      done          403   403", lambda w: "/reports/2026Q2/personal.zip"),
    GET("report_annual_zip_start",       "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/reports/annual/2026/forms.zip"),
    POST("report_annual_zip_start",      "login 403   403     403  403    403        done   403      done          403   403", lambda w: "/reports/annual/2026/forms.zip"),
    GET("report_incidents",              "login 403   403     403  403    200        200    403      403           403   403", lambda w: "/reports/incidents.pdf?period=2026-10"),
    GET("report_clauses",                "login 403   403     403  403    200        200    403      403           403   403", lambda w: "/reports/clauses.pdf?period=2026"),
    GET("report_clauses_xlsx",           "login 403   403     403  403    200        200    403      403           403   403", lambda w: "/reports/clauses.xlsx?period=2026"),
    GET("report_job_retry",              "405   405   405     405  405    405        405    405      405           405   405", lambda w: f"/reports/jobs/{w.failed_job.pk}/retry/"),
    POST("report_job_retry",             "login 403   403     403  403    403        done   403      done          403   403", lambda w: f"/reports/jobs/{w.failed_job.pk}/retry/"),
    GET("sanction_list",                 "login 403   403     403  403    200        200    403      403           403   403", lambda w: "/sanctions/"),
    GET("sanction_create",               "login 403   403     403  403    200        403    403      403           403   403", lambda w: "/sanctions/new/"),
    POST("sanction_create",              "login 403   403     403  403    done       403    403      403           403   403", lambda w: "/sanctions/new/", lambda w: NEW_SANCTION),
    GET("sanction_correct",              "login 403   403     403  403    200        403    403      403           403   403", sanction_url("correct"), prepare=recorded_sanction),
    POST("sanction_correct",             "login 403   403     403  403    done       403    403      403           403   403", sanction_url("correct"), lambda w: CORRECTED_SANCTION, prepare=recorded_sanction),
    GET("sanction_withdraw",             "405   405   405     405  405    405        405    405      405           405   405", sanction_url("withdraw"), prepare=recorded_sanction),
    POST("sanction_withdraw",            "login 403   403     403  403    done       403    403      403           403   403", sanction_url("withdraw"), lambda w: {"reason": "处分决定已撤销。", "confirmed": "1"}, prepare=recorded_sanction),
    GET("influence_months",              "login 403   403     403  403    403        403    403      200           403   403", lambda w: "/sanctions/months/"),
    POST("influence_months",             "login 403   403     403  403    403        403    403      done          403   403", lambda w: "/sanctions/months/", lambda w: {"reminder_talk": "0", "criticism": "0", "written_self_criticism": "3", "circulated_criticism": "6", "admonition_talk": "9", "reassignment": "12"}),
    GET("person_influence",              "login 403   403     403  403    200        200    403      403           200   403", lambda w: "/people/001001/influence/"),
    GET("login",                         "200   302   302     302  302    302        302    302      302           302   302", lambda w: "/accounts/login/"),
    GET("logout",                        "405   405   405     405  405    405        405    405      405           405   405", lambda w: "/accounts/logout/"),
    POST("logout",                       "login login login   login login login      login  login    login         login login", lambda w: "/accounts/logout/"),
    POST("set_language",                 "302   302   302     302  302    302        302    302      302           302   302", lambda w: "/i18n/setlang/", lambda w: {"language": "zh-hans", "next": "/"}),
    # The account admin: the administrator manages ordinary accounts and their roles.
    GET("admin:index",                   "admin admin admin   admin admin admin      admin  admin    200           admin admin", lambda w: "/admin/"),
    GET("admin:auth_user_changelist",    "admin admin admin   admin admin admin      admin  admin    200           admin admin", lambda w: "/admin/auth/user/"),
    GET("admin:auth_user_add",           "admin admin admin   admin admin admin      admin  admin    200           admin admin", lambda w: "/admin/auth/user/add/"),
    POST("admin:auth_user_add",          "admin admin admin   admin admin admin      admin  admin    done          admin admin", lambda w: "/admin/auth/user/add/", lambda w: {"username": "newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}),
    GET("admin:auth_user_change",        "admin admin admin   admin admin admin      admin  admin    200           admin admin", user_url("change/")),
    POST("admin:auth_user_change",       "admin admin admin   admin admin admin      admin  admin    done          admin admin", user_url("change/"), account_form),
    POST("admin:auth_user_change+role",  "admin admin admin   admin admin admin      admin  admin    done          admin admin", user_url("change/"), role_change),
    # Quota pools (名额): the administrator edits them; every change goes into the history.
    GET("admin:efficiency_quotapool_changelist", "admin admin admin admin admin admin admin admin 200 admin admin", lambda w: "/admin/efficiency/quotapool/"),
    POST("admin:efficiency_quotapool_add", "admin admin admin admin admin admin admin admin done admin admin", lambda w: "/admin/efficiency/quotapool/add/", lambda w: {"name": "领导班子成员", "order": "1", "good_percent": "40", "excellent_percent": "20", "rounding": "up", "minimum": "1", "category": "", "members": [str(w.office.person.pk)], "active": "on"}),
    GET("admin:auth_user_password_change", "admin admin admin admin admin admin      admin  admin    200           admin admin", user_url("password/")),
    POST("admin:auth_user_password_change", "admin admin admin admin admin admin     admin  admin    done          admin admin", user_url("password/"), lambda w: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}),
]
# fmt: on


def outcome(response, changed: bool) -> str:
    status = response.status_code
    code = str(status)
    if status == 302 and response["Location"].startswith("/accounts/login/"):
        code = "login"
    elif status == 302 and response["Location"].startswith("/admin/login/"):
        code = "admin"
    elif changed and status in (200, 302):  # a page re-shown, a JSON answer or a redirect
        return "done"
    return f"{code}+changed" if changed else code  # a refusal that changed something


class Rollback(Exception):
    pass


def ask(w: World, row: Row, role: str) -> str:
    """One role's request, with everything it wrote rolled back for the next role."""
    client = Client() if role == "anonymous" else login(getattr(w.office, role))
    url, data = row.url(w), row.data(w)
    result = ""
    try:
        with transaction.atomic():
            before = snapshot(w)
            if row.method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data)
            result = outcome(response, snapshot(w) != before)
            raise Rollback
    except Rollback:
        pass
    for path in w.tmp.rglob("*"):  # files an upload or a job left
        if path.is_file() and str(path.relative_to(w.tmp)) not in w.files:
            path.unlink()
    return result


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.id)
def test_the_matrix(world, row):
    expected = row.cells.split()
    assert len(expected) == len(ROLES), f"{row.id}: one cell per role"
    row.prepare(world)
    world.files = snapshot(world)["files"]
    actual = [ask(world, row, role) for role in ROLES]
    assert " ".join(actual) == " ".join(expected), "\n".join(
        f"{role:>14} {want:>6} {got:>6}{'' if want == got else '   <--'}"
        for role, want, got in zip(ROLES, expected, actual, strict=True)
    )
    if row.method == "POST" and row.name not in NOTHING_TO_CHANGE:
        assert "done" in actual, f"{row.id}: no role succeeds, so the data proves nothing"


# POSTs that change nothing in the database for anyone (the session or a cookie only), and the
# Excel pages that refuse an upload waiting in someone else's session.
NOTHING_TO_CHANGE = {"logout", "set_language", "excel_confirm", "excel_cancel"}


def named_patterns(resolver=None, prefix="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin's own views: the account admin rows above stand for it
            names |= named_patterns(entry, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_named_url_has_a_row():
    rows = {row.name for row in MATRIX}
    assert named_patterns() - rows == set()
    assert {row.name for row in MATRIX if not row.name.startswith("admin:")} <= named_patterns()
