"""The interviews app's URLs, grouped as the views are (interviews/views/): one group per module,
each under its object's path. Names stay flat in the "interviews" namespace."""

from django.urls import include, path

from interviews.views import (
    analytics,
    candidates,
    dashboard,
    files,
    live,
    plan,
    scorecard,
    screen,
)

app_name = "interviews"

new_interview = [
    path("", dashboard.interview_new, name="new"),
    path("fields/", dashboard.interview_fields, name="new_fields"),
]

planning = [
    path("", plan.plan, name="plan"),
    path("add/", plan.plan_add, name="plan_add"),
    path("search/", plan.plan_search, name="plan_search"),
    path("<uuid:item_code>/remove/", plan.plan_remove, name="plan_remove"),
    path("<uuid:item_code>/move/", plan.plan_move, name="plan_move"),
    path("<uuid:item_code>/swap/", plan.plan_swap, name="plan_swap"),
    path("<uuid:item_code>/alternatives/", plan.plan_swap_options, name="plan_swap_options"),
]

running = [
    path("", live.live, name="live"),
    path("start/", live.start, name="start"),
    path("end/", live.end, name="end"),
    path("goto/", live.goto, name="goto"),
    path("items/<uuid:item_code>/score/", live.item_score, name="item_score"),
    path("items/<uuid:item_code>/points/", live.item_points, name="item_points"),
    path("items/<uuid:item_code>/hint/", live.item_hint, name="item_hint"),
    path("items/<uuid:item_code>/notes/", live.item_notes, name="item_notes"),
    path("items/<uuid:item_code>/sharing/", live.item_sharing, name="item_sharing"),
    path("suggestion/", live.suggestion, name="suggestion"),
    path("suggestion/accept/", live.suggestion_accept, name="suggestion_accept"),
    path("screen/", live.screen_open, name="screen_open"),
    path("screen/revoke/", live.screen_revoke, name="screen_revoke"),
]

scoring = [
    path("summary/", scorecard.summary, name="summary"),
    path("submit/", scorecard.submit, name="submit"),
    path("reopen/", scorecard.reopen, name="reopen"),
    path("report/", scorecard.report, name="report"),
    path("report.pdf", scorecard.report_pdf, name="report_pdf"),
    path("scorecard.csv", scorecard.export_csv, name="export_csv"),
    path("scorecard.json", scorecard.export_json, name="export_json"),
]

candidate = [
    path("debrief/", candidates.debrief_view, name="debrief"),
    path("debrief.pdf", candidates.debrief_pdf, name="debrief_pdf"),
    path("export.json", candidates.candidate_export, name="candidate_export"),
    path("erase/", candidates.candidate_erase, name="candidate_erase"),
]

audit = [
    path("", candidates.audit_log, name="audit"),
    path("audit-log.csv", candidates.audit_csv, name="audit_csv"),
]

candidate_screen = [
    path("", screen.screen, name="screen"),
    path("current/", screen.screen_current, name="screen_current"),
]

insights = [
    path("calibration/", analytics.calibration, name="analytics_calibration"),
    path("calibration.csv", analytics.calibration_csv, name="analytics_calibration_csv"),
    path("agreement/", analytics.agreement, name="analytics_agreement"),
    path("agreement.csv", analytics.agreement_csv, name="analytics_agreement_csv"),
    path("me/", analytics.my_calibration, name="analytics_mine"),
    path("me.csv", analytics.my_calibration_csv, name="analytics_mine_csv"),
    path("questions/", analytics.questions, name="analytics_questions"),
    path("questions.csv", analytics.questions_csv, name="analytics_questions_csv"),
    path("questions/status/", analytics.question_status, name="analytics_question_status"),
]

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("interviews/new/", include(new_interview)),
    path("interviews/<uuid:code>/plan/", include(planning)),
    path("interviews/<uuid:code>/", include(running + scoring)),
    path("candidates/<uuid:candidate_code>/", include(candidate)),
    path("audit/", include(audit)),
    path("screen/<str:token>/", include(candidate_screen)),
    path("analytics/", include(insights)),
    path("printouts/<uuid:printout_code>/", files.printout_status, name="printout_status"),
]
