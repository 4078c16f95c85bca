from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.models import Section
from notifications import feeds, selectors, services, subscriptions
from notifications.forms import DigestForm, PreferencesForm
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
    digest_form = DigestForm(initial={"frequency": selectors.digest_frequency(user=request.user)})
    return render(
        request, "notifications/preferences.html", {"form": form, "digest_form": digest_form}
    )


@require_POST
def digest_settings(request):
    """How often the digest comes: никогда / раз в неделю / каждый день. A
    value not in the list is refused with the page shown again, nothing saved."""
    digest_form = DigestForm(request.POST)
    if digest_form.is_valid():
        services.digest_frequency_set(
            user=request.user, frequency=digest_form.cleaned_data["frequency"]
        )
        messages.success(request, _("Настройка дайджеста сохранена."))
        return redirect("notifications:settings")
    kinds = selectors.kinds_for(user=request.user)
    chosen = selectors.email_preferences(user=request.user)
    form = PreferencesForm(initial={"email_kinds": [k for k in kinds if chosen[k]]}, kinds=kinds)
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "digest_form": digest_form},
        status=400,
    )


# --- «Следить» -----------------------------------------------------------------------

FOLLOW_ACTIONS = {"follow", "unfollow"}


def _follow_action(request):
    action = request.POST.get("action")
    if action not in FOLLOW_ACTIONS:
        raise Http404  # a forged form; the buttons send one of the two
    return action


@require_POST
def follow_section(request, pk):
    section = get_object_or_404(Section, pk=pk)
    if _follow_action(request) == "follow":
        subscriptions.subscription_follow(user=request.user, section=section)
        messages.success(
            request,
            _("Вы следите за разделом «%(title)s» и его подразделами.") % {"title": section.title},
        )
    else:
        subscriptions.subscription_unfollow(user=request.user, section=section)
        messages.success(
            request, _("Вы больше не следите за разделом «%(title)s».") % {"title": section.title}
        )
    return redirect(section)


@require_POST
def follow_article(request, pk):
    article = subscriptions.visible_article(user=request.user, pk=pk)
    if article is None:
        raise Http404
    if _follow_action(request) == "follow":
        subscriptions.subscription_follow(user=request.user, article=article)
        messages.success(
            request, _("Вы следите за материалом «%(title)s».") % {"title": article.title}
        )
    else:
        subscriptions.subscription_unfollow(user=request.user, article=article)
        messages.success(
            request,
            _("Вы больше не следите за материалом «%(title)s».") % {"title": article.title},
        )
    return redirect(article)


@require_POST
def subscription_delete(request, pk):
    """«Не следить» from «Мои подписки»: only one's own (anyone else's is «not found»)."""
    if not subscriptions.subscription_unfollow(user=request.user, pk=pk):
        raise Http404
    messages.success(request, _("Подписка отменена."))
    return redirect("profile")


@require_POST
def feed_create(request):
    feeds.feed_token_create(user=request.user)
    messages.success(
        request,
        _("Ссылка на вашу ленту создана. Прежняя ссылка, если была, больше не работает."),
    )
    return redirect("profile")


@require_POST
def feed_revoke(request):
    if feeds.feed_token_revoke(user=request.user):
        messages.success(request, _("Ссылка на ленту отозвана: по ней больше ничего не откроется."))
    return redirect("profile")
