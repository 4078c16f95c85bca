from django.urls import path

from proposals import views

app_name = "proposals"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("my/", views.my_proposals, name="my"),
    path("articles/<int:pk>/new/", views.propose_edit, name="propose_edit"),
    path("sections/<int:pk>/new/", views.propose_new, name="propose_new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/return/", views.return_to_author, name="return"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
