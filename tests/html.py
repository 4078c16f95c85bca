"""Reading HTML the way a browser would: the fields a form submits, and
whether a page holds anything that could run script."""

import re
from html.parser import HTMLParser

# Elements that run script or load active content; none may come from content.
ACTIVE_ELEMENTS = {"script", "iframe", "frame", "object", "embed", "applet", "base", "style"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
# Browsers ignore ASCII whitespace and control characters inside a URL scheme.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]")


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = form_id is None
        self.fields = []
        self._select = None
        self._select_multiple = False
        self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "reset", "image"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
                return
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = name
            self._select_multiple = "multiple" in attrs
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._text = []

    def handle_endtag(self, tag):
        if tag == "form" and self.form_id is not None and self.in_form:
            self.in_form = False
        if tag == "select":
            self._select = None
        if tag == "textarea" and self._textarea:
            text = "".join(self._text)
            # The HTML parser drops the newline that follows <textarea>.
            self.fields.append((self._textarea, text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_data(response, form_id=None):
    """What submitting the form with ``form_id`` would send, as a dict of lists."""
    parser = _FormParser(form_id)
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data


def submit_change_form(client, obj, **fields):
    """Open ``obj``'s admin change form, change ``fields`` and submit it, as an
    editor in the browser would. Files are passed as upload objects."""
    opts = obj._meta
    url = f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"
    data = form_data(client.get(url), f"{opts.model_name}_form")
    for name, value in fields.items():
        data[name] = value if hasattr(value, "read") else [value]
    return client.post(url, data)


class _ActiveContentParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in ACTIVE_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name in URL_ATTRIBUTES and value:
                scheme = _IGNORED_IN_SCHEME.sub("", value).lower()
                if scheme.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}> active URL")
            if name == "style" and value and re.search(r"expression\(|url\(", value, re.I):
                self.problems.append(f"<{tag} style={value!r}>")
            if name == "http-equiv" and (value or "").lower() == "refresh":
                self.problems.append("<meta http-equiv=refresh>")

    handle_startendtag = handle_starttag


def active_content(html):
    """Everything in ``html`` a browser could execute: a list of descriptions."""
    parser = _ActiveContentParser()
    parser.feed(html)
    parser.close()
    return parser.problems
