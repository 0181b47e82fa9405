from django.urls import path

from integrations import views

app_name = "integrations"

urlpatterns = [
    path("settings/webhooks/", views.subscriptions, name="webhooks"),
    path("settings/webhooks/<uuid:webhook_code>/", views.subscription, name="webhook"),
    path(
        "settings/webhooks/<uuid:webhook_code>/delete/",
        views.subscription_delete,
        name="webhook_delete",
    ),
    path(
        "settings/webhooks/<uuid:webhook_code>/rotate/",
        views.subscription_rotate,
        name="webhook_rotate",
    ),
    path(
        "settings/webhooks/deliveries/<uuid:delivery_code>/redeliver/",
        views.redeliver,
        name="redeliver",
    ),
    path("scorecards/overdue/", views.overdue, name="overdue"),
]
