"""Template helpers for the web UI: Markdown, money, sorting links, permissions, audit values."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3
from django import template
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils.safestring import mark_safe

from stacksteward.core.permissions import has_perm

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


@register.inclusion_tag("_sort_header.html", takes_context=True)
def sort_header(context, field, label, param="ordering"):
    """A column heading that sorts the list by ``field`` (click again to reverse)."""
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
    return {"label": label, "direction": direction, "href": f"?{query.urlencode()}"}


@register.simple_tag
def field_label(entry, name):
    """The readable name of a field in an audit entry (falls back to the stored key)."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name).capitalize()
        except FieldDoesNotExist:
            pass
    return name.replace("_", " ").capitalize()


@register.simple_tag
def audit_show(entry, name, value):
    """A before/after value with choice values shown by their labels (``saas`` → ``SaaS``)."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is not None and value not in (None, ""):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is not None and not field.is_relation and field.choices:
            labels = {str(k): v for k, v in field.flatchoices}
            if str(value) in labels:
                return str(labels[str(value)])
    return audit_value(value)


@register.filter
def audit_value(value):
    """A before/after value as people read it."""
    if value is None or value == "":
        return "—"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) if value else "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


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
            "csrf_token": context.get("csrf_token"), "next": request.get_full_path() if request else ""}


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
