from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from efficiency.views import (
    analysis,
    attachments,
    attendance,
    corrections,
    home,
    incidents,
    periods,
    progress,
    publicity,
    reviews,
    sanctions,
    scoresheet,
    standing,
    summaries,
    verify,
    year_decisions,
    year_publicity,
    year_summaries,
)
from efficiency.views.results import annual, card, ranking, trends


class IncidentNumberConverter:
    regex = r"\d{4}-\d{4,6}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class PeriodCodeConverter(IncidentNumberConverter):
    regex = r"\d{4}Q[1-4]"


class StaffNumberConverter(IncidentNumberConverter):
    regex = r"[A-Za-z0-9-]{1,20}"


register_converter(IncidentNumberConverter, "number")
register_converter(PeriodCodeConverter, "period")
register_converter(StaffNumberConverter, "staff_no")

appraisal = [
    path("", periods.period_list, name="period_list"),
    path("open/", periods.period_open, name="period_open"),
    path("<period:code>/close/", periods.period_close, name="period_close"),
    path("<period:code>/reopen/", periods.period_reopen, name="period_reopen"),
    path("<period:code>/lock/", periods.period_lock, name="period_lock"),
    path("<period:code>/withdraw/", periods.period_withdraw, name="period_withdraw"),
    path("<period:code>/sheet/", scoresheet.sheet, name="score_sheet"),
    path("<period:code>/sheet/sections/", scoresheet.sheet_sections, name="score_sheet_sections"),
    path("<period:code>/sheet/save/", scoresheet.save_mark, name="score_save"),
    path("<period:code>/ranking/", ranking.ranking_staff, name="ranking_staff"),
    path("<period:code>/ranking/sections/", ranking.ranking_sections, name="ranking_sections"),
    path("<period:code>/review/", reviews.review, name="grade_review"),
    path("<period:code>/decisions/", reviews.decisions, name="grade_decisions"),
    path("<period:code>/decisions/all/", reviews.decide_all, name="grade_decide_all"),
    path("<period:code>/decisions/<staff_no:staff_no>/", reviews.decide, name="grade_decide"),
    path("<period:code>/card/<staff_no:staff_no>/", card.score_card, name="score_card"),
    path("<period:code>/corrections/", corrections.correction_list, name="correction_list"),
    path(
        "<period:code>/corrections/<staff_no:staff_no>/new/",
        corrections.correction_create,
        name="correction_create",
    ),
    path(
        "corrections/<int:pk>/withdraw/",
        corrections.correction_withdraw,
        name="correction_withdraw",
    ),
    path("<period:code>/attendance/", attendance.attendance, name="attendance"),
    path("<period:code>/standing/", standing.period_standing, name="period_standing"),
    path("<period:code>/progress/", progress.board, name="progress"),
    path("<period:code>/progress/remind/", progress.remind, name="progress_remind"),
    path("<period:code>/progress/remind-all/", progress.remind_all, name="progress_remind_all"),
    path("<period:code>/summary/", summaries.mine, name="summary_mine"),
    path("<period:code>/summaries/", summaries.summary_list, name="summary_list"),
    path(
        "<period:code>/summaries/<staff_no:staff_no>/",
        summaries.summary_detail,
        name="summary_detail",
    ),
    path(
        "<period:code>/summaries/<staff_no:staff_no>/review/",
        summaries.summary_review,
        name="summary_review",
    ),
    path(
        "<period:code>/summaries/<staff_no:staff_no>/enter/",
        summaries.summary_enter,
        name="summary_enter",
    ),
    path("<period:code>/publicity/", publicity.publicity, name="publicity"),
    path("<period:code>/publicity/object/", publicity.objection_lodge, name="objection_lodge"),
    path("<period:code>/objections/", publicity.objection_list, name="objection_list"),
    path(
        "<period:code>/objections/<int:pk>/answer/",
        publicity.objection_answer,
        name="objection_answer",
    ),
    path("<period:code>/feedback/", publicity.feedback_mine, name="feedback_mine"),
    path("<period:code>/feedback/all/", publicity.feedback_all, name="feedback_all"),
    path("<period:code>/feedback/enter/", publicity.feedback_enter, name="feedback_enter"),
    path("trends/", trends.trends, name="trends"),
    path("annual/<int:year>/", annual.annual, name="annual"),
    path("annual/<int:year>/standing/", standing.annual_standing, name="annual_standing"),
    path("annual/<int:year>/review/", year_decisions.year_review, name="year_review"),
    path("annual/<int:year>/decisions/", year_decisions.year_decisions, name="year_decisions"),
    path(
        "annual/<int:year>/decisions/all/", year_decisions.year_decide_all, name="year_decide_all"
    ),
    path("annual/<int:year>/publicity/", year_publicity.year_publicity, name="year_publicity"),
    path("annual/<int:year>/publicity/publish/", year_publicity.year_publish, name="year_publish"),
    path(
        "annual/<int:year>/publicity/objection/",
        year_publicity.year_objection,
        name="year_objection",
    ),
    path(
        "annual/<int:year>/publicity/objection/<int:pk>/answer/",
        year_publicity.year_objection_answer,
        name="year_objection_answer",
    ),
    path("annual/<int:year>/notices/", year_publicity.year_notices, name="year_notices"),
    path(
        "annual/<int:year>/notice/<staff_no:staff_no>/",
        year_publicity.year_notice,
        name="year_notice",
    ),
    path(
        "annual/<int:year>/notice/<staff_no:staff_no>/clock/",
        year_publicity.year_clock,
        name="year_clock",
    ),
    path("annual/<int:year>/summary/", year_summaries.year_summary_mine, name="year_summary_mine"),
    path(
        "annual/<int:year>/summary/<staff_no:staff_no>/",
        year_summaries.year_summary_detail,
        name="year_summary_detail",
    ),
    path(
        "annual/<int:year>/summary/<staff_no:staff_no>/review/",
        year_summaries.year_summary_review,
        name="year_summary_review",
    ),
    path(
        "annual/<int:year>/summary/<staff_no:staff_no>/enter/",
        year_summaries.year_summary_enter,
        name="year_summary_enter",
    ),
    path(
        "annual/<int:year>/decisions/<staff_no:staff_no>/",
        year_decisions.year_decide,
        name="year_decide",
    ),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("roster/", home.roster, name="roster"),
    path("verify/", verify.verify, name="verify_history"),
    path("incidents/", incidents.incident_list, name="incident_list"),
    path("analysis/", analysis.analysis_page, name="analysis"),
    path("incidents/new/", incidents.incident_create, name="incident_create"),
    path("incidents/<number:number>/", incidents.incident_detail, name="incident_detail"),
    path("incidents/<number:number>/edit/", incidents.incident_edit, name="incident_edit"),
    path(
        "incidents/<number:number>/attachments/",
        attachments.attachment_add,
        name="incident_attachment_add",
    ),
    path(
        "incidents/<number:number>/attachments/<int:pk>/",
        attachments.attachment_download,
        name="incident_attachment",
    ),
    path(
        "incidents/<number:number>/attachments/<int:pk>/remove/",
        attachments.attachment_remove,
        name="incident_attachment_remove",
    ),
    path("incidents/<number:number>/explain/", incidents.incident_explain, name="incident_explain"),
    path("incidents/<number:number>/verify/", incidents.incident_verify, name="incident_verify"),
    path("incidents/<number:number>/dismiss/", incidents.incident_dismiss, name="incident_dismiss"),
    path("incidents/<number:number>/handle/", incidents.incident_handle, name="incident_handle"),
    path("incidents/<number:number>/appeal/", incidents.incident_appeal, name="incident_appeal"),
    path(
        "incidents/<number:number>/appeal/decide/",
        incidents.incident_decide_appeal,
        name="incident_decide_appeal",
    ),
    path("sanctions/", sanctions.sanction_list, name="sanction_list"),
    path("sanctions/new/", sanctions.sanction_create, name="sanction_create"),
    path("sanctions/<int:pk>/correct/", sanctions.sanction_correct, name="sanction_correct"),
    path("sanctions/<int:pk>/withdraw/", sanctions.sanction_withdraw, name="sanction_withdraw"),
    path("sanctions/months/", sanctions.influence_months, name="influence_months"),
    path(
        "people/<staff_no:staff_no>/influence/",
        sanctions.person_influence,
        name="person_influence",
    ),
    path("appraisal/", include(appraisal)),
    path("excel/", include("efficiency.urls_excel")),
    path("reports/", include("efficiency.urls_reports")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
