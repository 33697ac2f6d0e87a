"""Web forms for departments, people and API tokens. They parse input only; ``org.services`` writes."""

import zoneinfo
from datetime import timedelta
from functools import cache

from django import forms
from django.conf import settings
from django.utils import timezone

from stacksteward.core.forms import ServiceFormMeta, ServiceModelForm, StewardFormMixin

from .models import Department, Person


class DepartmentForm(ServiceModelForm):
    class Meta(ServiceFormMeta):
        model = Department
        fields = ["name", "slug", "kind", "description"]
        labels = {"kind": "Kind of department", "slug": "Short name (slug)"}
        help_texts = {
            "name": "As people call it, e.g. “Marketing Operations”.",
            "slug": "Short unique name used in web addresses and files. Leave empty to make one from the name.",
            "kind": "Used to tell the marketing side from IT, Legal, Procurement and the others.",
            "description": "What the department does for the stack. Markdown works.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def service_data(self) -> dict:
        data = super().service_data()
        if not data.get("slug"):
            data.pop("slug", None)
        return data


@cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def time_zone_choices() -> list[tuple[str, str]]:
    """The company's zone first (as the empty choice), then every IANA zone name."""
    return [("", f"The company's ({settings.TIME_ZONE})"), *((name, name) for name in _zone_names())]


def time_zone_widget():
    """A list of zone names; what is chosen is checked by the model (``Person.clean``), which names the field."""
    return forms.Select(choices=time_zone_choices())


class TimeZoneForm(StewardFormMixin, forms.Form):
    time_zone = forms.CharField(label="Time zone", required=False, widget=forms.Select,
                                help_text="Dates and times on every page are shown in this zone.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget.choices = time_zone_choices()


class PersonForm(ServiceModelForm):
    class Meta(ServiceFormMeta):
        model = Person
        fields = ["name", "email", "department", "title", "archetype", "manager", "available", "time_zone"]
        labels = {"title": "Job title", "available": "Available", "time_zone": "Time zone"}
        help_texts = {
            "name": "First and last name.",
            "email": "Used to match the person in imports. Each email can belong to one person only.",
            "title": "E.g. “Marketing Operations Manager”.",
            "archetype": "The hat they wear for the stack: maestro (runs operations), marketer (uses the tools), "
                         "maker (builds and integrates), modeler (analyses the data).",
            "manager": "Who they report to.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("name")
        self.fields["department"].empty_label = "— No department —"
        managers = Person.objects.order_by("name")
        if self.instance.pk:
            managers = managers.exclude(pk=self.instance.pk)
        self.fields["manager"].queryset = managers
        self.fields["manager"].empty_label = "— Nobody —"
        self.fields["time_zone"].widget = time_zone_widget()


EXPIRY_CHOICES = [("", "Never"), ("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year")]


class TokenCreateForm(StewardFormMixin, forms.Form):
    name = forms.CharField(
        max_length=100, label="What is it for?",
        help_text="A name to recognise the token later, e.g. “reporting script” or “CI import”.",
    )
    expires = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label="Expires",
                                help_text="Tokens that expire are safer.")

    def expires_at(self):
        days = self.cleaned_data.get("expires")
        return timezone.now() + timedelta(days=int(days)) if days else None
