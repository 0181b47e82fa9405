from django.urls import path

from interviews import views

app_name = "interviews"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("interviews/new/", views.interview_new, name="new"),
    path("interviews/<uuid:code>/", views.live, name="live"),
    path("interviews/<uuid:code>/start/", views.start, name="start"),
    path("interviews/<uuid:code>/end/", views.end, name="end"),
    path("interviews/<uuid:code>/goto/", views.goto, name="goto"),
    path("interviews/<uuid:code>/plan/", views.plan, name="plan"),
    path("interviews/<uuid:code>/plan/add/", views.plan_add, name="plan_add"),
    path("interviews/<uuid:code>/plan/search/", views.plan_search, name="plan_search"),
    path(
        "interviews/<uuid:code>/plan/<uuid:item_code>/remove/",
        views.plan_remove,
        name="plan_remove",
    ),
    path("interviews/<uuid:code>/plan/<uuid:item_code>/move/", views.plan_move, name="plan_move"),
    path("interviews/<uuid:code>/plan/<uuid:item_code>/swap/", views.plan_swap, name="plan_swap"),
    path(
        "interviews/<uuid:code>/plan/<uuid:item_code>/alternatives/",
        views.plan_swap_options,
        name="plan_swap_options",
    ),
    path(
        "interviews/<uuid:code>/items/<uuid:item_code>/score/", views.item_score, name="item_score"
    ),
    path(
        "interviews/<uuid:code>/items/<uuid:item_code>/points/",
        views.item_points,
        name="item_points",
    ),
    path("interviews/<uuid:code>/items/<uuid:item_code>/hint/", views.item_hint, name="item_hint"),
    path(
        "interviews/<uuid:code>/items/<uuid:item_code>/notes/", views.item_notes, name="item_notes"
    ),
    path(
        "interviews/<uuid:code>/items/<uuid:item_code>/sharing/",
        views.item_sharing,
        name="item_sharing",
    ),
    path("interviews/<uuid:code>/suggestion/", views.suggestion, name="suggestion"),
    path(
        "interviews/<uuid:code>/suggestion/accept/",
        views.suggestion_accept,
        name="suggestion_accept",
    ),
    path("interviews/<uuid:code>/summary/", views.summary, name="summary"),
    path("interviews/<uuid:code>/submit/", views.submit, name="submit"),
    path("interviews/<uuid:code>/reopen/", views.reopen, name="reopen"),
    path("interviews/<uuid:code>/report/", views.report, name="report"),
    path("interviews/<uuid:code>/report.pdf", views.report_pdf, name="report_pdf"),
    path("interviews/<uuid:code>/scorecard.csv", views.export_csv, name="export_csv"),
    path("interviews/<uuid:code>/scorecard.json", views.export_json, name="export_json"),
    path("candidates/<uuid:candidate_code>/debrief/", views.debrief_view, name="debrief"),
    path(
        "candidates/<uuid:candidate_code>/export.json",
        views.candidate_export,
        name="candidate_export",
    ),
    path("candidates/<uuid:candidate_code>/erase/", views.candidate_erase, name="candidate_erase"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/audit-log.csv", views.audit_csv, name="audit_csv"),
    path("candidates/<uuid:candidate_code>/debrief.pdf", views.debrief_pdf, name="debrief_pdf"),
    path("interviews/<uuid:code>/screen/", views.screen_open, name="screen_open"),
    path("interviews/<uuid:code>/screen/revoke/", views.screen_revoke, name="screen_revoke"),
    path("screen/<str:token>/", views.screen, name="screen"),
    path("screen/<str:token>/current/", views.screen_current, name="screen_current"),
]
