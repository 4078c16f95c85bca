from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("cx/", views.cx_dashboard, name="cx"),
]
