from django.urls import path

from cx import views

app_name = "cx"

urlpatterns = [
    path("", views.cx_block, name="block"),
]
