from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kb_portal.admin import HistoryAdmin
from proposals.models import Proposal, ProposalAttachment
from proposals.services import ProposalRefused, proposal_accept


class ProposalAttachmentInline(admin.TabularInline):
    model = ProposalAttachment
    fields = ["original_name", "title", "kind", "size", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(HistoryAdmin):
    """A read-only list: the review (word diff, accept, return, reject) is on
    the site's page, which the list links to; accepting several at once goes
    through the same service. Its history (who proposed, returned, resent,
    decided) is the simple-history list, read-only here."""

    list_display = ["__str__", "target", "author", "status", "submitted_at", "decided_by", "review"]
    list_filter = ["status", "submitted_at"]
    search_fields = ["title", "rationale", "article__title", "author__last_name"]
    list_select_related = ["article", "section", "author", "decided_by"]
    date_hierarchy = "submitted_at"
    inlines = [ProposalAttachmentInline]
    actions = ["accept"]
    readonly_fields = ["review"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("к чему"))
    def target(self, proposal):
        return proposal.article or proposal.section

    @admin.display(description=_("рассмотрение"))
    def review(self, proposal):
        return format_html(
            '<a href="{}">{}</a>', proposal.get_absolute_url(), _("открыть сравнение на сайте")
        )

    @admin.action(description=_("Принять выбранные предложения"), permissions=["view"])
    def accept(self, request, queryset):
        accepted = 0
        for proposal in queryset.order_by("pk"):
            try:
                proposal_accept(proposal=proposal, by=request.user)
            except ProposalRefused as error:
                refusal = " ".join(error.messages)
                self.message_user(request, f"{proposal}: {refusal}", messages.ERROR)
            else:
                accepted += 1
        if accepted:
            self.message_user(
                request,
                ngettext("Принято предложений: %(n)d.", "Принято предложений: %(n)d.", accepted)
                % {"n": accepted},
                messages.SUCCESS,
            )
