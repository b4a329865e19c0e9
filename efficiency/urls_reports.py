"""URLs of the PDF reports (/reports/): a period's downloads, the four PDFs, the ZIP jobs.

The ``period`` and ``staff_no`` converters are registered by efficiency/urls.py.
"""

from django.urls import path

from efficiency.views import reports

urlpatterns = [
    path("", reports.index_latest, name="reports_index_latest"),
    path("jobs/", reports.job_list, name="report_jobs"),
    path("jobs/<int:job_id>/", reports.job_detail, name="report_job"),
    path("jobs/<int:job_id>/status.json", reports.job_status, name="report_job_status"),
    path("jobs/<int:job_id>/download/", reports.job_download, name="report_job_download"),
    path("jobs/<int:job_id>/retry/", reports.job_retry, name="report_job_retry"),
    path("incidents.pdf", reports.incidents_pdf, name="report_incidents"),
    path("clauses.pdf", reports.clauses_pdf, name="report_clauses"),
    path("clauses.xlsx", reports.clauses_xlsx, name="report_clauses_xlsx"),
    path("annual/<int:year>.pdf", reports.annual_pdf, name="report_annual"),
    path(
        "annual/<int:year>/notice/<staff_no:staff_no>.pdf",
        reports.notice_pdf,
        name="report_notice",
    ),
    path("annual/<int:year>/forms.zip", reports.annual_zip_start, name="report_annual_zip_start"),
    path(
        "annual/<int:year>/form/<staff_no:staff_no>.pdf",
        reports.annual_form_pdf,
        name="report_annual_form",
    ),
    path("<period:code>/", reports.index, name="reports_index"),
    path("<period:code>/bulletin.pdf", reports.bulletin_pdf, name="report_bulletin"),
    path("<period:code>/request.pdf", reports.request_pdf, name="report_request"),
    path("<period:code>/publicity.pdf", reports.publicity_pdf, name="report_publicity"),
    path(
        "<period:code>/section/<slug:section_code>.pdf", reports.section_pdf, name="report_section"
    ),
    path(
        "<period:code>/personal/<staff_no:staff_no>.pdf",
        reports.personal_pdf,
        name="report_personal",
    ),
    path("<period:code>/personal.zip", reports.zip_start, name="report_zip_start"),
]
