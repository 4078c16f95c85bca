from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from mptt.admin import MPTTModelAdmin

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
class StaffUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "last_name", "first_name", "email", "roles", "is_active"]
    list_filter = ["groups", "is_active", "profile__office__kind"]
    list_select_related = ["profile"]

    @admin.display(description=_("роли"))
    def roles(self, user):
        return ", ".join(group.name for group in user.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")
