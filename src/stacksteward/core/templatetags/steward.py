"""Template helpers for the web UI: Markdown, money, sorting links, permissions, audit values."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3
from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from stacksteward.core.permissions import has_perm
from stacksteward.core.policies import policy_for

register = template.Library()


LINK_REL = "noopener noreferrer nofollow"


def image_host_allowed(src: str) -> bool:
    """Whether an image may be loaded from ``src``: only https/http addresses on a host listed in
    ``STEWARD_MARKDOWN_IMAGE_HOSTS`` (so a pasted tracking pixel never reports who read the page)."""
    hosts = {h.casefold() for h in getattr(settings, "STEWARD_MARKDOWN_IMAGE_HOSTS", ())}
    try:
        parts = urlsplit(src.strip())
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and (parts.hostname or "").casefold() in hosts


def _attribute_filter(tag: str, attribute: str, value: str):
    if tag == "img" and attribute == "src" and not image_host_allowed(value):
        return None
    return value


_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_IMG_ATTR = re.compile(r"""\b(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def _image_or_alt(match: re.Match) -> str:
    attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in _IMG_ATTR.finditer(match[0])}
    return match[0] if image_host_allowed(attrs.get("src", "")) else attrs.get("alt", "")


@register.filter(is_safe=True)
def markdown(text):
    """Render Markdown to HTML and sanitise it: scripts, event handlers and unsafe links are removed, links
    get ``rel="noopener noreferrer nofollow"``, and images load only from the allowed hosts — any other
    image is replaced by its alt text."""
    if not text:
        return ""
    html = markdown_lib.markdown(str(text), extensions=["extra", "sane_lists"], output_format="html")
    html = _IMG.sub(_image_or_alt, html)
    return mark_safe(nh3.clean(html, link_rel=LINK_REL, attribute_filter=_attribute_filter))


@register.filter
def money(value, currency=""):
    """``12000`` → ``12,000 USD``; cents only when there are some."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value)
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{text} {currency}".strip()


@register.filter
def percent(value):
    if value is None:
        return "—"
    return f"{value * 100:.0f}%"


@register.filter
def get_item(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key)


@register.simple_tag(takes_context=True)
def can(context, action, target):
    """``{% can "change" component as allowed %}``: may the signed-in user do this?"""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and target is not None and has_perm(user, action, target))


@register.simple_tag(takes_context=True)
def shows(context, group, target):
    """``{% shows "money" component as shows_cost %}``: may the signed-in user read this field group of the
    object (its policy's ``FieldGroup``, e.g. a component's cost per year)?"""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or target is None:
        return False
    return policy_for(target).shows(user, group, target)


@register.inclusion_tag("_sort_header.html", takes_context=True)
def sort_header(context, field, label, param="ordering", optional=""):
    """A column heading that sorts the list by ``field`` (click again to reverse). ``optional``
    ("shown" or "hidden"): people may hide the column in the list's column chooser (steward.js);
    "hidden" leaves it out until they choose it."""
    request = context["request"]
    current = request.GET.get(param, "")
    if current == field:
        direction, next_value = "ascending", f"-{field}"
    elif current == f"-{field}":
        direction, next_value = "descending", field
    else:
        direction, next_value = "none", field
    query = request.GET.copy()
    query[param] = next_value
    query.pop("page", None)
    return {"label": label, "direction": direction, "href": f"?{query.urlencode()}", "optional": optional}


@register.simple_tag
def field_label(entry, name):
    """The readable name of a field in an audit entry: the model field's verbose name."""
    from stacksteward.core.display import field_label as label_of

    return label_of(entry.content_type.model_class() if entry.content_type_id else None, name)


@register.simple_tag(takes_context=True)
def audit_show(context, entry, name, value):
    """A before/after value as people read it (``core.display.readable``): labels for choices and keys,
    dates and times in the viewer's time zone, sentences for stored structures."""
    from stacksteward.core.display import readable

    labels = context.render_context.setdefault("display_labels", {})
    return readable(entry.content_type.model_class() if entry.content_type_id else None, name, value,
                    labels=labels)


@register.filter
def audit_value(value):
    """A stored value as people read it, without knowing its field (``core.display.plain``)."""
    from stacksteward.core.display import plain

    return plain(value)


@register.filter
def shown_values(entry):
    """(field, before, after) rows worth showing: the changes, or the non-empty values on create/delete."""
    if entry.action == "update":
        return entry.changes
    data = entry.after if entry.action == "create" else entry.before
    rows = []
    for key, value in (data or {}).items():
        if key == "version" or value in (None, "", [], False):
            continue
        rows.append((key, None, value) if entry.action == "create" else (key, value, None))
    return rows


@register.filter
def is_about(entry, obj):
    """Is this audit entry about ``obj`` itself (not about a related object such as a relation)?"""
    if obj is None:
        return False
    return entry.content_type.model_class() is type(obj)._meta.concrete_model and entry.object_id == str(obj.pk)


@register.filter
def hidden_initial(bound_field):
    """The hidden "initial-…" input of a field rendered choice by choice (``{{ field }}`` adds it itself)."""
    if bound_field.field.show_hidden_initial:
        return bound_field.as_hidden(only_initial=True)
    return ""


@register.inclusion_tag("core/_questions_block.html", takes_context=True)
def question_block(context, obj, questions=None, addressee=""):
    """Questions about ``obj`` with their age and answers, answer forms, "mark answered", and an ask form.

    ``questions`` may be given when the page already loaded them (``core.questions.questions_about``).
    """
    from stacksteward.core.forms import AnswerForm, QuestionAskForm
    from stacksteward.core.questions import can_close, questions_about

    request = context.get("request")
    user = getattr(request, "user", None)
    if questions is None or questions == "":
        questions = list(questions_about(obj)) if obj is not None else []
    rows = [{"question": q, "can_close": can_close(user, q) and q.is_open} for q in questions]
    ask_form = QuestionAskForm(initial={"target_type": obj._meta.label_lower, "target_id": obj.pk,
                                        "addressee": addressee or ""}) if obj is not None else None
    return {"object": obj, "rows": rows, "open_count": sum(1 for q in questions if q.is_open),
            "ask_form": ask_form, "answer_form": AnswerForm(), "request": request,
            "csrf_token": context.get("csrf_token"), "next": request.get_full_path() if request else "",
            "display_names": context.get("display_names")}


@register.filter
def age(value):
    """How long ago, in whole days when it is more than a day (“3 days”, “5 hours”)."""
    if not value:
        return ""
    from django.utils import timezone
    from django.utils.timesince import timesince

    delta = timezone.now() - value
    if delta.days >= 1:
        return f"{delta.days} day{'s' if delta.days != 1 else ''}"
    return timesince(value, depth=1)


# Status badges and the main navigation ---------------------------------------------------------

def _badge(tone, label, testid=""):
    from django.utils.html import format_html

    from stacksteward.core.status import Tone

    tone = Tone(tone)
    extra = format_html(' data-testid="{}"', testid) if testid else ""
    # The tone's mark (✓ ▸ ! ✕ ○) is drawn by the style sheet (.tone-…::before), so the text is the label alone.
    return format_html('<span class="badge tone tone-{}" data-tone="{}"{}>{}</span>',
                       tone.value, tone.value, extra, label)


@register.simple_tag
def status_badge(obj, field_name="", testid=""):
    """``{% status_badge request %}``: the state of ``obj`` as a badge in its declared tone
    (``core/status.py``), with a mark and the label so colour is never the only cue. The field is the
    workflow's state field, else ``status``; name another one as the second argument (``"decision"``)."""
    from stacksteward.core.status import tone_of
    from stacksteward.core.workflow import workflow_for

    if obj is None or obj == "":
        return ""
    if not field_name:
        workflow = workflow_for(obj)
        field_name = workflow.state_field if workflow is not None else "status"
    value = getattr(obj, field_name)
    label = getattr(obj, f"get_{field_name}_display")()
    return _badge(tone_of(type(obj), value, field_name), label, testid)


@register.simple_tag
def tone_badge(states, value, label, testid=""):
    """``{% tone_badge "contract_deadline" c.state c.state_label %}``: a computed state's badge
    (its tones declared with ``core.status.named_tones``)."""
    from stacksteward.core.status import tone_named

    return _badge(tone_named(states, value), label, testid)


@register.simple_tag(takes_context=True)
def main_nav(context):
    """The navigation groups the signed-in user may use (``core/navigation.py``)."""
    from stacksteward.core.navigation import main_nav as build

    request = context.get("request")
    if request is None:
        return []
    match = getattr(request, "resolver_match", None)
    return build(request.user, match.view_name if match else "")


@register.filter
def person_name(stored, names=None):
    """A frozen actor name as pages show it (``core.actors.shown_name``): the person's display name for a
    login, a system actor in words. ``names`` is the page's ``display_names`` (login → person's name)."""
    from stacksteward.core.actors import shown_name

    names = names if isinstance(names, dict) else None
    if hasattr(stored, "get_username"):  # a user: their person's name, else their full name, else the login
        login = stored.get_username()
        return (names or {}).get(login) or stored.get_full_name() or login
    return shown_name(stored, names)


def _exact(value) -> str:
    """The exact moment in the current time zone, with the zone (``2 Dec 2026, 11:24:03 CET``)."""
    from django.utils import formats, timezone

    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'j M Y, H:i:s')} {local.tzname()}"


@register.simple_tag
def at(value):
    """``<time>`` to the minute in the viewer's time zone, the exact moment and the zone in its tooltip."""
    from django.utils import formats, timezone
    from django.utils.html import format_html

    if not value:
        return "—"
    local = timezone.localtime(value)
    return format_html('<time datetime="{}" title="{}">{}</time>', local.isoformat(timespec="seconds"),
                       _exact(value), formats.date_format(local, "j M Y, H:i"))


@register.simple_tag
def ago(value):
    """``<time>`` relative to now (“3 hours ago”, “yesterday”, a date after a week), the exact moment and the
    time zone in its tooltip: for timelines and notifications."""
    from django.utils import formats, timezone
    from django.utils.html import format_html
    from django.utils.timesince import timesince

    if not value:
        return "—"
    local = timezone.localtime(value)
    delta = timezone.now() - value
    if delta.total_seconds() < 60:
        text = "just now"
    elif delta.days < 1:
        text = f"{timesince(value, depth=1)} ago"
    elif delta.days < 2:
        text = f"yesterday, {formats.date_format(local, 'H:i')}"
    elif delta.days < 7:
        text = f"{delta.days} days ago"
    else:
        text = formats.date_format(local, "j M Y")
    return format_html('<time datetime="{}" title="{}">{}</time>', local.isoformat(timespec="seconds"),
                       _exact(value), text)
