from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notification_read_all, name="read_all"),
    path("settings/", views.preferences, name="settings"),
    path("settings/digest/", views.digest_settings, name="digest_settings"),
    path("follow/sections/<int:pk>/", views.follow_section, name="follow_section"),
    path("follow/articles/<int:pk>/", views.follow_article, name="follow_article"),
    path("subscriptions/<int:pk>/delete/", views.subscription_delete, name="subscription_delete"),
    path("feed/create/", views.feed_create, name="feed_create"),
    path("feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.notification_read, name="read"),
]
