"""Readable differences between two versions of an article, for the admin."""

import difflib

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from kb_portal.admin import ReadableHistoryHelper

# Fields holding prose: shown as a word diff instead of "old → new".
PROSE_FIELDS = {"title", "summary", "body"}
CONTEXT_WORDS = 8


def word_diff(old, new):
    """HTML (escaped) showing removed words in <del> and added ones in <ins>.

    Long unchanged stretches are shortened to a few words of context so a
    one-word edit in a long article stays readable.
    """
    old_words = strip_tags(old or "").split()
    new_words = strip_tags(new or "").split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            same = old_words[a1:a2]
            if len(same) > CONTEXT_WORDS * 2:
                same = [*same[:CONTEXT_WORDS], "…", *same[-CONTEXT_WORDS:]]
            parts.append(escape(" ".join(same)))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(' '.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(' '.join(new_words[b1:b2]))}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 - every piece is escaped above


class ArticleHistoryContextHelper(ReadableHistoryHelper):
    def context_for_delta_changes(self, delta):
        rows = []
        for change in delta.changes:
            if change.field in PROSE_FIELDS:
                label = capfirst(self.model._meta.get_field(change.field).verbose_name)
                rows.append({"field": label, "diff": word_diff(change.old, change.new)})
            else:
                formatted = self.format_delta_change(change)
                rows.append({"field": formatted.field, "old": formatted.old, "new": formatted.new})
        return rows
