from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from notifications import selectors, services
from notifications.forms import PreferencesForm
from notifications.models import Notification

PAGE_SIZE = 30


def _own(request, pk):
    """One of the person's own notifications; anyone else's is «not found»."""
    return get_object_or_404(Notification, pk=pk, recipient=request.user)


@require_GET
def notification_list(request):
    notifications = selectors.notification_list(user=request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@require_GET
def notification_open(request, pk):
    """Mark the notification read and go where it leads: only to a path on
    this site, so a stored link can never send anyone elsewhere."""
    notification = _own(request, pk)
    services.notification_mark_read(user=request.user, notification=notification)
    if services.is_local_url(notification.url):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_POST
def notification_read(request, pk):
    notification = _own(request, pk)
    services.notification_mark_read(user=request.user, notification=notification)
    messages.success(request, _("Уведомление отмечено прочитанным."))
    return redirect("notifications:list")


@require_POST
def notification_read_all(request):
    services.notification_mark_read(user=request.user)
    messages.success(request, _("Все уведомления отмечены прочитанными."))
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def preferences(request):
    """Per kind: also by e-mail or not. Only the kinds that can reach this
    person are shown, grouped by area; saving leaves the others as they were."""
    kinds = selectors.kinds_for(user=request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, kinds=kinds)
        if form.is_valid():
            services.preferences_set(
                user=request.user, email_kinds=form.cleaned_data["email_kinds"], kinds=kinds
            )
            messages.success(request, _("Настройки уведомлений сохранены."))
            return redirect("notifications:settings")
    else:
        chosen = selectors.email_preferences(user=request.user)
        form = PreferencesForm(
            initial={"email_kinds": [k for k in kinds if chosen[k]]}, kinds=kinds
        )
    return render(request, "notifications/preferences.html", {"form": form})
