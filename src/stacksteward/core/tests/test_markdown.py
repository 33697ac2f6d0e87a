"""Markdown text: no remote image unless its host is allowed, links that leak nothing."""

from stacksteward.core.templatetags.steward import markdown

PIXEL = "![](https://track.example.net/p.gif?u=42) Hello ![logo](https://wiki.example.com/logo.png)"


def test_markdown_without_allowed_hosts_shows_no_remote_image(settings):
    settings.STEWARD_MARKDOWN_IMAGE_HOSTS = []
    html = markdown(PIXEL + '\n\n<img src="https://track.example.net/raw.gif" alt="raw">')
    assert "<img" not in html
    assert "track.example.net" not in html
    assert "wiki.example.com" not in html
    assert "logo" in html and "raw" in html  # the alt text stays readable
    assert "Hello" in html


def test_markdown_loads_images_only_from_allowed_hosts(settings):
    settings.STEWARD_MARKDOWN_IMAGE_HOSTS = ["wiki.example.com"]
    html = markdown(PIXEL + "\n\n<img src=https://track.example.net/unquoted.gif>")
    assert '<img alt="logo" src="https://wiki.example.com/logo.png">' in html
    assert "track.example.net" not in html
    assert html.count("<img") == 1


def test_markdown_image_host_must_match_exactly(settings):
    settings.STEWARD_MARKDOWN_IMAGE_HOSTS = ["wiki.example.com"]
    for src in ("https://wiki.example.com.evil.net/a.png", "javascript:alert(1)", "//evil.net/a.png",
                "data:image/gif;base64,R0lGODlh", "/local.png"):
        assert "<img" not in markdown(f"![x]({src})"), src


def test_markdown_links_get_noopener_noreferrer_nofollow():
    html = markdown("[vendor](https://vendor.example.com)")
    assert 'rel="noopener noreferrer nofollow"' in html
    assert 'href="https://vendor.example.com"' in html
