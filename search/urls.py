from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("search/", views.results, name="results"),
    path("search/click/<int:search_id>/<int:article_id>/", views.click, name="click"),
]
