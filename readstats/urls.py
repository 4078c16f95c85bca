from django.urls import path

from readstats import views

app_name = "readstats"

urlpatterns = [
    path("", views.reading, name="reading"),
    path("export.<str:file_format>", views.reading_export, name="export"),
]
