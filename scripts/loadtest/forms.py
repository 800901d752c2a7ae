"""The forms of a page: what a browser would send."""

import re
from html.parser import HTMLParser


class FormParser(HTMLParser):
    """The forms of a page: action, method and the values a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "fields": [],
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form["fields"].append([a["name"], a.get("value", default)])
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = [value for value, selected in self._select["options"] if selected]
            if not chosen and not self._select["multiple"] and self._select["options"]:
                chosen = [self._select["options"][0][0]]
            for value in chosen:
                self._form["fields"].append([self._select["name"], value])
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            value = self._textarea[1]
            self._form["fields"].append([self._textarea[0], value.removeprefix("\n")])
            self._textarea = None


def find_form(html: str, *, action_contains: str = "", field: str = "") -> dict | None:
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form["method"] != "post":
            continue
        names = {name for name, _value in form["fields"]}
        if action_contains and action_contains not in form["action"]:
            continue
        if field and field not in names:
            continue
        return form
    return None


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
