from django.urls import path

from algorithms import views

app_name = "algorithms"

urlpatterns = [
    path("<int:article_id>/walk/", views.walk, name="walk"),
    # The answers chosen so far, as their numbers joined by dots: the
    # address of every step can be shared and bookmarked.
    path("<int:article_id>/walk/<str:path>/", views.walk, name="walk_path"),
]
