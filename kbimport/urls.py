from django.urls import path

from kbimport import views

app_name = "kbimport"

urlpatterns = [
    path("", views.import_list, name="imports"),
    path("<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/confirm/", views.batch_confirm, name="confirm"),
    path("<int:pk>/restart/", views.batch_restart, name="restart"),
    path("<int:pk>/cancel/", views.batch_cancel, name="cancel"),
]
