#!/usr/bin/env python3
"""Reads an HTML page (a report, or the DOM Chromium dumped of it) and prints what the UI
tests assert on, one "key value" a line:

  error <text>        the page is not well formed, or loads something from outside
  count <what> <n>    how many of each part: figures, table rows, heat-map rows, charts...
  text <what> <text>  a few texts as a reader sees them (entities decoded)

Only the standard library: html.parser is a tokenizer, so balance is checked here."""
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}
FETCHING = {"script", "iframe", "object", "embed", "link", "img", "audio", "video",
            "frame", "frameset", "applet", "base", "form"}
URL_ATTRS = {"src", "srcset", "href", "xlink:href", "action", "formaction", "poster", "data",
             "background", "ping", "manifest"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.counts, self.texts = [], [], {}, {}
        self.capture = None

    def count(self, what, n=1):
        self.counts[what] = self.counts.get(what, 0) + n

    def classes(self, attrs):
        return (dict(attrs).get("class") or "").split()

    def inside(self, tag, cls=None):
        return any(t == tag and (cls is None or cls in c) for t, c in self.stack)

    def check_attrs(self, tag, attrs):
        if tag in FETCHING:
            self.errors.append("element <%s> loads or runs something" % tag)
        for name, value in attrs:
            value = value or ""
            if name in URL_ATTRS and not value.startswith("#"):
                self.errors.append("<%s %s=%r> refers outside the page" % (tag, name, value))
            if name.startswith("on"):
                self.errors.append("<%s %s> is an event handler" % (tag, name))
            if "url(" in value.replace(" ", "").lower() or "@import" in value.lower():
                self.errors.append("<%s %s> loads a resource" % (tag, name))

    def handle_starttag(self, tag, attrs):
        self.check_attrs(tag, attrs)
        cls = self.classes(attrs)
        self.note(tag, cls, dict(attrs))
        if tag not in VOID:
            self.stack.append((tag, cls))

    def handle_startendtag(self, tag, attrs):
        self.check_attrs(tag, attrs)
        self.note(tag, self.classes(attrs), dict(attrs))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append("</%s> closes <%s>" % (tag, self.stack[-1][0] if self.stack
                                                        else "nothing"))
            return
        self.stack.pop()
        if self.capture and self.capture[0] == tag and len(self.stack) == self.capture[1]:
            self.capture = None

    def handle_data(self, data):
        if self.inside("style") and ("url(" in data.replace(" ", "") or "@import" in data):
            self.errors.append("the style sheet loads a resource")
        if self.capture:
            key = self.capture[2]
            self.texts[key] = self.texts.get(key, "") + data

    def start_capture(self, tag, key):
        self.capture = (tag, len(self.stack), key)
        self.texts.setdefault(key, "")

    def note(self, tag, cls, attrs):
        if tag == "svg" and "chart" in cls:
            self.count("svg_" + (cls[1] if len(cls) > 1 else "chart"))
        elif tag in ("circle", "rect", "line", "polyline", "text") and self.inside("svg"):
            self.count("svg_" + tag)
        elif tag == "div" and "fig" in cls:
            self.count("figures")
        elif tag == "tr" and self.inside("tbody"):
            if self.inside("table", "glance"):
                self.count("glance_rows")
                if "attn" in cls:
                    self.count("glance_rows_attention")
            elif self.inside("table", "data"):
                self.count("data_rows")
                if "fail" in cls:
                    self.count("data_rows_failed")
            elif self.inside("table", "heat"):
                self.count("heat_rows")
        elif tag == "td" and self.inside("table", "heat"):
            self.count("heat_cells")
            if cls and cls[0] in ("h1", "h2", "h3", "h4"):
                self.count("heat_cells_failed")
        elif tag == "th" and self.inside("thead") and self.inside("table", "heat"):
            self.count("heat_columns")
        elif tag == "th" and self.inside("thead") and self.inside("table", "glance"):
            self.count("glance_columns")
        elif tag == "th" and self.inside("thead") and self.inside("table", "data"):
            self.count("data_columns")
        elif tag == "article" and "card" in cls:
            self.count("cards")
        elif tag == "section" and attrs.get("id"):
            self.count("section_" + attrs["id"])
        elif tag == "time" and attrs.get("datetime"):
            self.count("times")
        if tag == "title" and not self.inside("svg"):
            self.start_capture(tag, "title")
        elif tag == "h1":
            self.start_capture(tag, "h1")
        elif tag == "td" and "name" in cls and not self.inside("table", "glance"):
            self.start_capture(tag, "name_%03d" % self.counts.get("data_rows", 0))


def main():
    with open(sys.argv[1], encoding="utf-8", errors="strict") as f:
        page = Page()
        page.feed(f.read())
        page.close()
    if page.stack:
        page.errors.append("unclosed: " + " ".join(t for t, _ in page.stack))
    for e in page.errors:
        print("error", e)
    for k in sorted(page.counts):
        print("count", k, page.counts[k])
    for k in sorted(page.texts):
        print("text", k, " ".join(page.texts[k].split()))


if __name__ == "__main__":
    main()
