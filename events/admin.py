from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.admin import TrashAdmin, TrashOnDeleteAdmin
from articles.richtext import editor_labels_json
from events.forms import AUDIENCE_RULE, EventAdminForm
from events.models import Event, EventTrash
from events.services import event_audience_apply, event_restore, event_trash
from people.audiences import audience_spec, members, spec_description

# The form's fields that are not the model's: only for people who may change
# the event (a view-only form has none of them).
AUDIENCE_FORM_FIELDS = [
    "audience_offices",
    "audience_positions",
    "audience_roles",
    "confirm_empty_audience",
]
EDIT_ONLY_FIELDS = {"loaded_version", "organiser_login", *AUDIENCE_FORM_FIELDS}


@admin.register(Event)
class EventAdmin(TrashOnDeleteAdmin):
    """Events for the calendar (/events/): editors add and change them,
    administrators may look them up. Deleting moves to the trash."""

    form = EventAdminForm
    list_display = ["title", "kind", "starts_at", "ends_at", "format", "organiser_office", "link"]
    list_filter = ["kind", "all_day", "organiser_office"]
    list_select_related = ["organiser_office"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["organiser_office", "materials", "report"]
    readonly_fields = ["audience_state", "organiser_state"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "kind", "description", "loaded_version"]}),
        (
            _("Когда"),
            {
                "fields": ["starts_at", "ends_at", "all_day"],
                "description": _("Время — местное (часовой пояс портала)."),
            },
        ),
        (
            _("Где"),
            {
                "fields": ["place", "online_url"],
                "description": _(
                    "Нужно место проведения, ссылка для подключения или и то и другое."
                ),
            },
        ),
        (
            _("Организатор"),
            {"fields": ["organiser_login", "organiser_state", "organiser_office"]},
        ),
        (
            _("Для кого"),
            {"fields": [*AUDIENCE_FORM_FIELDS, "audience_state"], "description": AUDIENCE_RULE},
        ),
        (_("Материалы и отчёт"), {"fields": ["materials", "report"]}),
    ]

    class Media:
        js = ["js/prose-editor-ru.js"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # People who only look read the audience and the organiser in the notes.
        return [
            (name, {**options, "fields": [f for f in fields if f not in EDIT_ONLY_FIELDS]})
            for name, options in fieldsets
            for fields in [options["fields"]]
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "description" and field is not None:
            field.widget.attrs["data-kb-editor-labels"] = editor_labels_json()
        return field

    @admin.display(description=_("формат"))
    def format(self, event):
        return event.format_label

    @admin.display(description=_("на сайте"))
    def link(self, event):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            event.get_absolute_url(),
            gettext("открыть"),
        )

    @admin.display(description=_("сейчас"))
    def audience_state(self, event):
        if event is None or event.pk is None or not event.audience_id:
            return gettext("Для всех сотрудников.")
        spec = audience_spec(event.audience)
        return gettext("Для кого: %(audience)s — сотрудников: %(count)s.") % {
            "audience": spec_description(spec),
            "count": members(spec).count(),
        }

    @admin.display(description=_("организатор сейчас"))
    def organiser_state(self, event):
        user = event.organiser_user if event is not None and event.organiser_user_id else None
        if user is None:
            return "—"
        return f"{user.get_full_name() or user.get_username()} ({user.get_username()})"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Also the path of a history revert, which saves no related objects.
        if hasattr(form, "audience_spec"):
            event_audience_apply(event=obj, spec=form.audience_spec)

    def trash(self, obj):
        if obj.deleted_at is not None:
            return 0
        event_trash(event=obj)
        return 1

    def get_deleted_objects(self, objs, request):
        # What goes to the trash, not Django's list of rows it would delete.
        return [f"«{obj.title}»" for obj in objs], {}, set(), []


@admin.register(EventTrash)
class EventTrashAdmin(TrashAdmin):
    list_display = ["title", "starts_at", "deleted_on", "purge_on"]
    search_fields = ["title"]

    def restore_one(self, obj):
        event_restore(event=obj)
