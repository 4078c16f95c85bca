"""One definition of the rich text articles may hold.

The same extension list configures the editor (what an editor can make) and
the sanitiser (what is kept), so the two can never disagree. The sanitiser
runs in ``Article.save()`` too, so HTML that arrives by import or from code is
cleaned exactly like HTML from the admin.
"""

from functools import cache

import nh3
from django.utils.html import strip_tags
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Image": True,
    "Figure": True,
    "Caption": True,
    "History": True,
}


@cache
def _cleaner():
    allow = allowlist_from_extensions(expand_extensions(EXTENSIONS))
    allow["url_schemes"] = {"http", "https", "mailto", "tel"}
    allow["link_rel"] = "noopener noreferrer"
    allow["attributes"] = {
        tag: set(attrs) - {"rel", "target"} for tag, attrs in allow["attributes"].items()
    }
    return nh3.Cleaner(**allow, attribute_filter=_local_images_only)


def _local_images_only(tag, attribute, value):
    # Images come from the portal itself (an attachment's address): an outside
    # address would make every reader's browser call out of the intranet.
    if (
        tag == "img"
        and attribute == "src"
        and not (value.startswith("/") and not value.startswith("//"))
    ):
        return None
    return value


def sanitize_html(html):
    """Rich text safe to show: no scripts, event handlers or javascript: URLs."""
    if not html:
        return ""
    cleaned = _cleaner().clean(html).strip()
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned


def plain_text(value):
    """Text with every tag removed, for fields meant to be plain."""
    return " ".join(strip_tags(value or "").split())
