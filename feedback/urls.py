from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("imports/", views.import_list, name="imports"),
    path("imports/template/<str:kind>.<str:fmt>", views.template_download, name="template"),
    path("imports/<int:pk>/", views.batch_detail, name="batch"),
    path("imports/<int:pk>/mapping/", views.batch_mapping, name="mapping"),
    path("imports/<int:pk>/confirm/", views.batch_confirm, name="confirm"),
    path("imports/<int:pk>/restart/", views.batch_restart, name="restart"),
    path("imports/<int:pk>/cancel/", views.batch_cancel, name="cancel"),
    path("imports/<int:pk>/rollback/", views.batch_rollback, name="rollback"),
    path("imports/<int:pk>/rejected.<str:fmt>", views.batch_rejected, name="rejected"),
    path("imports/<int:pk>/file/", views.batch_file, name="file"),
]
