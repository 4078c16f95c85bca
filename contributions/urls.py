from django.urls import path

from contributions import views

app_name = "contributions"

urlpatterns = [
    path("articles/<int:pk>/helpful/", views.helpfulness, name="helpfulness"),
    path("articles/<int:pk>/review/", views.review, name="review"),
    path("my/", views.owner_desk, name="owner_desk"),
    path("health/", views.kb_health, name="kb_health"),
]
