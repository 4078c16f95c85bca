"""A word diff of two texts, as HTML with <ins> and <del>.

Rich text is compared as text: block tags become line breaks and the rest of
the markup is dropped, so an editor reads what a reader would read. Every
word goes through ``escape``: nothing from a proposal reaches the page as
markup.
"""

import html
import re
from difflib import SequenceMatcher

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

BLOCK = re.compile(
    r"</?(p|h[1-6]|li|ul|ol|blockquote|tr|table|figure|figcaption|hr|br)\b[^>]*>", re.IGNORECASE
)
TOKENS = re.compile(r"\s+|[^\s]+")


def html_to_text(value):
    """The words of rich text, one block per line."""
    text = BLOCK.sub("\n", value or "")
    text = html.unescape(strip_tags(text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _words(text):
    return TOKENS.findall(text or "")


def _chunks(before, after):
    """(equal?, old text, new text) runs; a lone space between two changes
    joins them, so «О сроках» → «Редактор уточнил сроки» reads as one change."""
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    chunks = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        old, new = "".join(before[a1:a2]), "".join(after[b1:b2])
        chunks.append([op == "equal", old, new])
    merged = []
    for index, chunk in enumerate(chunks):
        equal, old, new = chunk
        between_changes = (
            equal
            and not old.strip()
            and 0 < index < len(chunks) - 1
            and not chunks[index + 1][0]
            and merged
            and not merged[-1][0]
        )
        if between_changes or (not equal and merged and not merged[-1][0]):
            merged[-1][1] += old
            merged[-1][2] += new
        else:
            merged.append([equal, old, new])
    return merged


def word_diff(old, new):
    """``old`` → ``new`` word by word; returns (safe HTML, whether anything changed)."""
    parts = []
    changed = False
    for equal, before, after in _chunks(_words(old), _words(new)):
        if equal:
            parts.append(escape(before))
            continue
        changed = True
        if before:
            parts.append(f"<del>{escape(before)}</del>")
        if after:
            parts.append(f"<ins>{escape(after)}</ins>")
    return mark_safe("".join(parts)), changed  # noqa: S308 - every piece is escaped


def fields_diff(old, new):
    """Rows of (label, diff HTML, changed) for title, summary and body of two
    objects (an article, a historical record or a proposal)."""
    rows = []
    for label, name in ((_("Заголовок"), "title"), (_("Кратко"), "summary"), (_("Текст"), "body")):
        before, after = getattr(old, name, "") or "", getattr(new, name, "") or ""
        if name == "body":
            before, after = html_to_text(before), html_to_text(after)
        content, changed = word_diff(before, after)
        rows.append({"label": label, "diff": content, "changed": changed, "name": name})
    return rows
