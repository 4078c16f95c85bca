from django.urls import path

from onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("", views.my_paths, name="my"),
    path("steps/<int:step_id>/done/", views.step_mark, name="mark"),
    path("steps/<int:step_id>/undo/", views.step_unmark, name="unmark"),
    path("progress/", views.progress, name="progress"),
    path("progress/export.csv", views.progress_csv, name="progress_csv"),
]
