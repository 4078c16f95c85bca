"""The portal's URLs plus one view that fails, for the tests of the 500 page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from kb_portal.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


@login_not_required
def failing_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("failing/", failing_view), *urlpatterns]
