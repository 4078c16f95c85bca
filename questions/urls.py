from django.urls import path

from questions import views

app_name = "questions"

urlpatterns = [
    path("articles/<int:pk>/ask/", views.ask, name="ask"),
    path("articles/<int:pk>/report/", views.report_submit, name="report_submit"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/delete/", views.question_delete, name="delete"),
    path("<int:pk>/faq/", views.make_faq, name="faq"),
    path("answers/<int:pk>/best/", views.answer_best, name="answer_best"),
    path("answers/<int:pk>/delete/", views.answer_delete, name="answer_delete"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("my/", views.my_list, name="my"),
]
