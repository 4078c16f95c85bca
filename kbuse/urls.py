from django.urls import path

from kbuse import views

app_name = "kbuse"

urlpatterns = [
    path("", views.knowledge, name="knowledge"),
    path("export.<str:file_format>", views.knowledge_export, name="export"),
]
