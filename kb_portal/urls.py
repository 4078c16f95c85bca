from django.contrib import admin
from django.urls import include, path

from kb_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("reports/", views.reports, name="reports"),
    path("accounts/", include("people.urls")),
    path("people/", include("people.directory_urls")),
    path("admin/", admin.site.urls),
    path("ideas/", include("ideas.urls")),
    path("notifications/", include("notifications.urls")),
    path("dashboards/knowledge/", include("kbuse.urls")),
    path("dashboards/reading/", include("readstats.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("cx/", include("cx.urls")),
    path("feedback/", include("feedback.urls")),
    path("contributions/", include("contributions.urls")),
    path("cases/", include("cases.urls")),
    path("questions/", include("questions.urls")),
    path("proposals/", include("proposals.urls")),
    path("new/", include("updates.urls")),
    path("onboarding/", include("onboarding.urls")),
    path("events/", include("events.urls")),
    path("algorithms/", include("algorithms.urls")),
    path("kb-import/", include("kbimport.urls")),
    path("", include("search.urls")),
    path("", include("articles.urls")),
]

handler400 = "kb_portal.views.bad_request"
handler403 = "kb_portal.views.permission_denied"
handler404 = "kb_portal.views.page_not_found"
handler500 = "kb_portal.views.server_error"
