from django.urls import path

from updates import views

app_name = "updates"

urlpatterns = [
    path("", views.news_list, name="news"),
    path("feed/<str:token>.atom", views.news_feed, name="feed"),
]
