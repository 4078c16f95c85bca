from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from mptt.admin import MPTTModelAdmin

from kb_portal.admin import PortalFieldsAdmin
from people.models import Office, Profile


@admin.register(Office)
class OfficeAdmin(MPTTModelAdmin):
    list_display = ["title", "code", "kind", "city", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["title", "code", "city"]
    mptt_level_indent = 20


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    verbose_name_plural = _("профиль")
    autocomplete_fields = ["office"]


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(PortalFieldsAdmin, UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "last_name", "first_name", "email", "roles", "is_active"]
    list_filter = ["groups", "is_active", "profile__office__kind"]
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
