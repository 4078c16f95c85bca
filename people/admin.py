from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, ProtectedError
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from mptt.admin import MPTTModelAdmin

from kb_portal.admin import HistoryAdmin, PortalFieldsAdmin
from people.folding import expertise_key
from people.models import Expertise, Office, Position, Profile
from people.services import profile_photo_remove, profile_search_refresh


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


class ExpertiseForm(forms.ModelForm):
    class Meta:
        model = Expertise
        fields = ["name"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        key = expertise_key(name)
        if not key:
            raise forms.ValidationError(_("В теме нужны буквы или цифры."))
        same = Expertise.objects.filter(key=key).exclude(pk=self.instance.pk).first()
        if same is not None:
            raise forms.ValidationError(
                _("Такая тема уже есть: «%(name)s». Переименуйте иначе или удалите эту.")
                % {"name": same.name}
            )
        return name


@admin.register(Expertise)
class ExpertiseAdmin(HistoryAdmin):
    """The subjects people say they can be asked about (they write them on
    «Мой профиль»); administrators correct spellings and remove what does not
    belong. Deleting a subject takes it off everyone's profile."""

    form = ExpertiseForm
    list_display = ["name", "people_count"]
    search_fields = ["key"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_count=Count("profiles"))

    def get_search_results(self, request, queryset, search_term):
        # Compared folded: SQLite's LIKE would not match «сво» with «СВО».
        key = expertise_key(search_term)
        return (queryset.filter(key__contains=key) if key else queryset), False

    @admin.display(description=_("сотрудников"), ordering="people_count")
    def people_count(self, expertise):
        return expertise.people_count


class ProfileInlineForm(forms.ModelForm):
    remove_photo = forms.BooleanField(
        label=_("удалить фотографию"),
        required=False,
        help_text=_("Например, если снимок не подходит для справочника сотрудников."),
    )

    class Meta:
        model = Profile
        fields = ["position", "office", "phone", "expertise", "started_on"]


class ProfileInline(admin.StackedInline):
    # The photo is uploaded by its owner only, through the checked form of
    # «Мой профиль» (people.photos); here it can be looked at and removed.
    model = Profile
    form = ProfileInlineForm
    can_delete = False
    verbose_name_plural = _("профиль")
    readonly_fields = ["photo_link"]
    autocomplete_fields = ["office", "position", "expertise"]

    @admin.display(description=_("фотография"))
    def photo_link(self, profile):
        if not profile.pk or not profile.photo:
            return "—"
        return format_html('<a href="{}">{}</a>', profile.photo_url, gettext("открыть"))


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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            for inline_form in getattr(formset, "forms", []):
                data = getattr(inline_form, "cleaned_data", None) or {}
                if isinstance(inline_form.instance, Profile) and data.get("remove_photo"):
                    profile_photo_remove(profile=inline_form.instance)
        # The name may have changed without the profile: the directory searches the folded one.
        profile_search_refresh(user_ids=[form.instance.pk])

    @admin.display(description=_("роли"))
    def roles(self, user):
        return ", ".join(group.name for group in user.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")
