from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("cx/", views.cx_dashboard, name="cx"),
    path("cx/comments/", views.cx_comments, name="cx_comments"),
    path("cx/export.<str:file_format>", views.cx_export, name="cx_export"),
]
