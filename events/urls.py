from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("list/", views.event_list, name="list"),
    path("<int:pk>/", views.event_detail, name="event"),
    path("<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("calendar/create/", views.feed_create, name="feed_create"),
    path("calendar/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
