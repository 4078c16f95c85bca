from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("imports/", views.import_list, name="imports"),
]
