from django.urls import path

from contributions import views

app_name = "contributions"

urlpatterns = [
    path("articles/<int:pk>/helpful/", views.helpfulness, name="helpfulness"),
    path("articles/<int:pk>/review/", views.review, name="review"),
]
