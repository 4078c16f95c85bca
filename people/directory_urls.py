"""The staff directory: /people/ (mounted by kb_portal.urls)."""

from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("offices/", views.office_list, name="offices"),
    path("offices/<slug:code>/", views.office_detail, name="office"),
    path("<int:pk>/photo/", views.photo, name="photo"),
]
