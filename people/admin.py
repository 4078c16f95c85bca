from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, ProtectedError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from mptt.admin import MPTTModelAdmin

from kb_portal.admin import HistoryAdmin, PortalFieldsAdmin
from people.models import Office, Position, Profile


def _refused(error):
    """What a refused deletion names: the first few protected rows."""
    names = sorted({str(obj) for obj in error.protected_objects})
    shown = "; ".join(names[:5]) + ("…" if len(names) > 5 else "")
    return gettext(
        "Ничего не удалено: на выбранное ссылаются другие записи (%(objects)s). Сначала "
        "уберите эти ссылки — например, подразделение или должность из аудитории документа."
    ) % {"objects": shown}


@admin.register(Office)
class OfficeAdmin(MPTTModelAdmin):
    list_display = ["title", "code", "kind", "city", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["title", "code", "city"]
    mptt_level_indent = 20

    def delete_selected_tree(self, modeladmin, request, queryset):
        # django-mptt deletes the chosen offices one by one without asking
        # what protects them: a protected one (named in an audience) would
        # fail halfway. All or nothing, and a message instead of a 500.
        if not request.POST.get("post"):
            return super().delete_selected_tree(modeladmin, request, queryset)
        try:
            with transaction.atomic():
                return super().delete_selected_tree(modeladmin, request, queryset)
        except ProtectedError as error:
            self.message_user(request, _refused(error), messages.ERROR)
            return None


@admin.register(Position)
class PositionAdmin(HistoryAdmin):
    """The reference list of positions, kept by administrators. A position
    someone holds, or that an audience names, cannot be deleted (the delete
    page lists what refers to it): rename it instead."""

    list_display = ["title", "staff_count"]
    search_fields = ["title"]
    fields = ["title"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(staff_count=Count("staff"))

    @admin.display(description=_("сотрудников"), ordering="staff_count")
    def staff_count(self, position):
        return position.staff_count


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    verbose_name_plural = _("профиль")
    autocomplete_fields = ["office", "position"]


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(PortalFieldsAdmin, UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "last_name", "first_name", "email", "roles", "is_active"]
    list_filter = ["groups", "is_active", "profile__office__kind", "profile__position"]
    list_select_related = ["profile"]

    # Only a superuser makes superusers or grants permissions outside the roles:
    # otherwise an administrator would be one tick away from editing articles
    # (or from owning a superuser's account). Roles are what administrators give.
    SUPERUSER_ONLY = ["is_superuser", "is_staff", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += self.SUPERUSER_ONLY
            if obj is not None and obj.pk == request.user.pk:
                readonly.append("groups")  # no one grants roles to themselves
        return readonly

    def _touches_superuser(self, request, obj):
        return obj is not None and obj.is_superuser and not request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if self._touches_superuser(request, obj):
            return False  # nor their password: Django checks this permission there too
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._touches_superuser(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("роли"))
    def roles(self, user):
        return ", ".join(group.name for group in user.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")
