from django.shortcuts import render
from django.views.decorators.http import require_GET

from notifications.selectors import email_preferences, kind_areas, kind_short_label, kinds_for
from people import roles
from people.models import Profile


@require_GET
def profile(request):
    """«Мой профиль»: what the portal knows about the person, their roles, and
    which notifications also come by e-mail (changed on their own page)."""
    user = request.user
    staff_profile = Profile.objects.select_related("office", "position").filter(user=user).first()
    names = roles.role_names(user)
    chosen = email_preferences(user=user)
    kinds = kinds_for(user=user)
    by_email = [
        (title, [kind_short_label(kind) for kind in area_kinds])
        for title, area_kinds in kind_areas(kinds=[kind for kind in kinds if chosen[kind]])
    ]
    return render(
        request,
        "people/profile.html",
        {
            "staff_profile": staff_profile,
            "roles": [role for role in roles.ALL_ROLES if role in names] or [roles.STAFF],
            "by_email": by_email,
            "kinds_total": len(kinds),
            "by_email_total": sum(len(labels) for _title, labels in by_email),
        },
    )
