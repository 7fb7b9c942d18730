from django.urls import path

from records.views import entry, evidence, exports, formsheets, imports, nil_returns, review

app_name = "records"

urlpatterns = [
    # Entry and review (records/views/entry.py, review.py, evidence.py). Fixed paths first:
    # `<slug>/` would otherwise take them for a plan.
    path("review/", review.review, name="review"),
    path("actions/<slug:action>/", review.act, name="act"),
    path("files/<int:pk>/", evidence.download, name="evidence_download"),
    path("files/<int:pk>/delete/", evidence.delete, name="evidence_delete"),
    path("<slug:slug>/", entry.hub, name="hub"),
    path("<slug:slug>/forms/<slug:code>/", entry.rows, name="rows"),
    path("<slug:slug>/forms/<slug:code>/new/", entry.row_new, name="row_new"),
    # 本期无 for one period of a form due on dates or every period (records/views/nil_returns.py).
    path(
        "<slug:slug>/forms/<slug:code>/periods/<int:pk>/nil-return/",
        nil_returns.declare,
        name="nil_return_declare",
    ),
    path(
        "<slug:slug>/forms/<slug:code>/periods/<int:pk>/nil-return/withdraw/",
        nil_returns.withdraw,
        name="nil_return_withdraw",
    ),
    path("<slug:slug>/rows/<int:pk>/", entry.row, name="row"),
    path("<slug:slug>/rows/<int:pk>/delete/", entry.row_delete, name="row_delete"),
    path("<slug:slug>/rows/<int:pk>/reveal/", entry.row_reveal, name="row_reveal"),
    path("<slug:slug>/rows/<int:pk>/files/<slug:field>/", evidence.upload, name="evidence_upload"),
    # The Excel round trip (records/views/imports.py, exports.py).
    path("<slug:slug>/forms/<slug:code>/template.xlsx", imports.template, name="import_template"),
    path("<slug:slug>/forms/<slug:code>/import/", imports.upload, name="import_upload"),
    path("<slug:slug>/imports/<int:pk>/", imports.preview, name="import_preview"),
    path("<slug:slug>/imports/<int:pk>/save/", imports.save, name="import_save"),
    path("<slug:slug>/imports/<int:pk>/cancel/", imports.cancel, name="import_cancel"),
    path("<slug:slug>/imports/<int:pk>/errors.xlsx", imports.errors_export, name="import_errors"),
    path("<slug:slug>/forms/<slug:code>/export.xlsx", exports.export, name="export"),
    path("<slug:slug>/forms/<slug:code>/attachment.xlsx", exports.attachment, name="attachment"),
    # A form's definition as a spreadsheet, for the plan's authors (records/views/formsheets.py).
    path("<slug:slug>/formsheets/", formsheets.upload, name="formsheet_upload"),
    path("<slug:slug>/formsheets/save/", formsheets.save, name="formsheet_save"),
    path("<slug:slug>/formsheets/template.xlsx", formsheets.template, name="formsheet_template"),
    path(
        "<slug:slug>/forms/<slug:code>/definition.xlsx",
        formsheets.export,
        name="formsheet_export",
    ),
]
