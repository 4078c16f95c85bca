from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("kb/", views.kb_index, name="index"),
    path("kb/<slug:slug>/", views.section_detail, name="section"),
    path("kb/<slug:section_slug>/<slug:slug>/", views.article_detail, name="article"),
    path("for-you/", views.for_you_list, name="for_you"),
    path("mandatory/", views.mandatory_list, name="mandatory"),
    path("mandatory/report/", views.mandatory_report, name="mandatory_report"),
    path(
        "mandatory/report/export.<str:file_format>",
        views.mandatory_report_export,
        name="mandatory_report_export",
    ),
    path("articles/<int:pk>/acknowledge/", views.article_acknowledge_view, name="acknowledge"),
    path("articles/<int:pk>/history/", views.article_history, name="history"),
    path("articles/<int:pk>/history/compare/", views.article_compare, name="compare"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("tags/", views.tag_list, name="tags"),
    # Tag slugs keep Cyrillic letters, so the converter is str, not slug.
    path("tags/<str:slug>/", views.tag_detail, name="tag"),
]
