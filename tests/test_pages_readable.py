"""Every page of the demo company, as an admin sees it, shows values as people read them: no Python structures,
no ISO time stamps, no dotted data-category keys where the taxonomy has a name, and people by their names,
not their logins."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.test import Client

from stacksteward import demo
from stacksteward.catalog.models import DataCategory

pytestmark = pytest.mark.django_db

SKIP = ("/logout", "/delete", "/export", "/api/", "/static/", ".pdf", ".ics", ".xlsx", ".csv", ".yaml", "/download",
        "/revoke", "/read")
DICT_REPR = re.compile(r"\{'|\{\"|': ")
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d|\d\d:\d\d:\d\d\.\d+")
LOGINS = {"admin", "editor", "viewer", "marketer"}
WHO_CELL = re.compile(r"<td>([^<]+)<br><small class=\"muted\">via ")
TIMELINE_WHO = re.compile(r"</time> · <strong>([^<]+)</strong>")
BY_WHOM = re.compile(r"\bby (admin|editor|viewer|marketer)\b")


class _Page(HTMLParser):
    """Visible text (no scripts, styles or attributes) and the links of one page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def _walk(client: Client, start: str = "/", limit: int = 700):
    """(url, html, visible text) of every page reachable from ``start`` by links (at most two query variants of
    a path, no downloads, no destructive links)."""
    seen: set[str] = set()
    variants: dict[str, int] = {}
    queue = [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        page = _Page()
        page.feed(html)
        yield url, html, " ".join(page.text)
        for link in page.links:
            parts = urlparse(urljoin(url, link))
            if parts.netloc or not parts.path.startswith("/") or any(s in parts.path for s in SKIP):
                continue
            target = parts.path
            if parts.query:
                if variants.get(parts.path, 0) >= 2 or "page=" in parts.query:
                    continue
                variants[parts.path] = variants.get(parts.path, 0) + 1
                target = f"{parts.path}?{parts.query}"
            if target not in seen:
                queue.append(target)


def test_every_demo_page_shows_readable_values_and_names(client):
    demo.load_demo()
    assert client.login(username="admin", password="steward-admin")
    keys = set(DataCategory.objects.values_list("key", flat=True))
    key_pattern = re.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
                             + r")(?![\w.])")
    problems: list[str] = []
    pages = 0
    kinds = set()
    for url, html, text in _walk(client):
        pages += 1
        kinds.add(urlparse(url).path.split("/")[1])
        for name, pattern in (("a Python structure", DICT_REPR), ("an ISO time stamp", ISO_TIME),
                              ("a data-category key", key_pattern), ("a login as a name", BY_WHOM)):
            found = pattern.search(text)
            if found:
                problems.append(f"{url}: {name}: …{text[max(0, found.start() - 60):found.end() + 60]!r}…")
        for who in (*WHO_CELL.findall(html), *TIMELINE_WHO.findall(html)):
            if who.strip() in LOGINS:
                problems.append(f"{url}: the login {who!r} is shown instead of the person's name")
    assert problems == [], "\n".join(problems[:40])
    # the walk reached the pages that show audit entries, timelines and notifications
    assert pages > 300
    assert {"audit", "changes", "intake", "catalog", "notifications", "finance", "org"} <= kinds
