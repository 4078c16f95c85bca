from django.urls import path

from ideas import views

app_name = "ideas"

urlpatterns = [
    path("", views.idea_list, name="list"),
    path("new/", views.idea_create, name="create"),
    path("similar/", views.idea_similar, name="similar"),
    path("notifications/", views.notifications_moved),
    path("notifications/read/", views.notifications_moved),
    path("<int:pk>/", views.idea_detail, name="detail"),
    path("<int:pk>/edit/", views.idea_edit, name="edit"),
    path("<int:pk>/vote/", views.idea_vote, name="vote"),
    path("<int:pk>/unvote/", views.idea_unvote, name="unvote"),
    path("<int:pk>/comments/", views.comment_create, name="comment"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("<int:pk>/status/", views.idea_status, name="status"),
    path("<int:pk>/merge/", views.idea_merge, name="merge"),
    path("review/", views.review, name="review"),
    path("review/meetings/new/", views.meeting_create, name="meeting_create"),
    path("review/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("review/meetings/<int:pk>/decide/", views.meeting_decide, name="decide_lookup"),
    path("review/meetings/<int:pk>/ideas/<int:idea_pk>/", views.meeting_decide, name="decide"),
    path("review/meetings/<int:pk>/print/", views.meeting_print, name="meeting_print"),
    path(
        "review/meetings/<int:pk>/minutes.<str:fmt>",
        views.meeting_export,
        name="meeting_export",
    ),
]
