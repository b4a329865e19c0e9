"""Excel pages, included at /excel/."""

from django.urls import path

from efficiency.views import excel

urlpatterns = [
    path("", excel.index, name="excel_index"),
    path("template/<slug:sheet>/", excel.template_download, name="excel_template"),
    path("export/<slug:sheet>/", excel.export_download, name="excel_export"),
    path("import/<slug:sheet>/", excel.upload, name="excel_upload"),
    path("import/<slug:sheet>/<str:token>/", excel.preview_page, name="excel_preview"),
    path("import/<slug:sheet>/<str:token>/confirm/", excel.confirm, name="excel_confirm"),
    path("import/<slug:sheet>/<str:token>/cancel/", excel.cancel, name="excel_cancel"),
]
