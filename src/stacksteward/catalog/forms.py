"""Web forms for the catalog. They parse input only; ``catalog.services`` validates and writes."""

import hashlib

from django import forms
from django.core.exceptions import ValidationError

from stacksteward.core.forms import ServiceFormMeta, ServiceModelForm
from stacksteward.org.models import Department, Person

from .choices import RaciActivityChoices, RaciRoleChoices
from .models import Category, Component, DataCategory, Relation, Vendor

SLUG_HELP = "Short unique name used in web addresses and files. Leave empty to make one from the name."


class DataCategoryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}{' (personal data)' if obj.is_personal else ''}"


def grouped_category_choices(exclude_pk=None) -> list:
    """Categories as drop-down groups: each landscape group with its sub-categories under it."""
    categories = list(Category.objects.select_related("parent").order_by("name"))
    groups = [c for c in categories if c.parent_id is None and c.pk != exclude_pk]
    children: dict[int, list[Category]] = {}
    for c in categories:
        if c.parent_id:
            children.setdefault(c.parent_id, []).append(c)
    choices: list = [("", "— Not categorised yet —")]
    for group in groups:
        options = [(group.pk, f"{group.name} (whole group)")]
        options += [(child.pk, child.name) for child in children.get(group.pk, [])]
        choices.append((group.name, options))
    return choices


class SlugOptionalMixin:
    """The slug may be left empty: the service makes one from the name (and an edit keeps the current one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean_slug(self):
        return (self.cleaned_data.get("slug") or "").strip()

    def service_data(self) -> dict:
        data = super().service_data()
        if not data.get("slug"):
            data.pop("slug", None)
        return data


class ComponentForm(SlugOptionalMixin, ServiceModelForm):
    fieldsets = (
        ("What it is", ("name", "kind", "category", "vendor", "url", "description", "tags")),
        ("Who owns it", ("business_owner", "technical_owner")),
        ("How it is run", ("lifecycle", "tier", "hosting")),
        ("Licences and money", ("seats_purchased", "seats_used", "annual_cost", "currency", "renewal_date")),
        ("Data", ("data_categories",)),
        ("Advanced", ("slug",)),
    )
    tags = forms.CharField(
        required=False, help_text="Words to group components by, separated by commas, e.g. “gdpr, core, emea”."
    )
    data_categories = DataCategoryChoiceField(
        queryset=DataCategory.objects.order_by("key"), required=False, widget=forms.CheckboxSelectMultiple,
        label="Data it holds", help_text="Tick every kind of data stored in this component.",
    )

    class Meta(ServiceFormMeta):
        model = Component
        fields = [
            "name", "slug", "kind", "category", "vendor", "hosting", "lifecycle", "tier",
            "business_owner", "technical_owner", "url", "description", "tags",
            "seats_purchased", "seats_used", "annual_cost", "currency", "renewal_date", "data_categories",
        ]
        labels = {
            "slug": "Short name (slug)",
            "url": "Web address",
            "kind": "What kind of thing is it?",
            "tier": "How critical is it?",
            "hosting": "Where does it run?",
        }
        help_texts = {
            "name": "The name people use for it, e.g. “Salesforce CRM” or “Company website”.",
            "slug": SLUG_HELP,
            "category": "Where it sits in the marketing technology landscape.",
            "vendor": "The company that sells or provides it. Leave empty for in-house tools.",
            "lifecycle": "Proposed → evaluating → pilot → active → sunsetting → retired.",
            "tier": "Tier 1 tools stop the business when they fail; tier 4 tools are nice to have.",
            "hosting": "Choose “Shadow IT” for tools bought or set up without IT.",
            "business_owner": "The person in the business (often Marketing) who decides what it is for.",
            "technical_owner": "The person (often in IT) who keeps it running, secure and integrated.",
            "url": "Where people log in or find it.",
            "description": "What it is used for. You can use Markdown: **bold**, lists, [links](https://…).",
            "seats_purchased": "How many user licences were bought.",
            "seats_used": "How many licences are in use.",
            "annual_cost": "What it costs per year, without the currency sign.",
            "currency": "Three letters, e.g. USD, EUR, GBP.",
            "renewal_date": "When the contract renews next.",
        }
        widgets = {
            "renewal_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 6}),
            "currency": forms.TextInput(attrs={"size": 4, "maxlength": 3, "autocapitalize": "characters"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = grouped_category_choices()
        self.fields["vendor"].queryset = Vendor.objects.order_by("name")
        self.fields["vendor"].empty_label = "— No vendor (built in-house) —"
        people = Person.objects.select_related("department").order_by("name")
        for name in ("business_owner", "technical_owner"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = _person_label
            self.fields[name].empty_label = "— Nobody yet —"
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())

    def clean_tags(self) -> list[str]:
        text = self.cleaned_data.get("tags") or ""
        return [t.strip() for t in text.split(",") if t.strip()]


def _person_label(person) -> str:
    extra = [] if person.available else ["unavailable"]
    if person.department_id:
        extra.insert(0, person.department.name)
    return f"{person.name} ({', '.join(extra)})" if extra else person.name


class VendorForm(SlugOptionalMixin, ServiceModelForm):
    class Meta(ServiceFormMeta):
        model = Vendor
        fields = ["name", "slug", "website", "status", "notes"]
        labels = {"slug": "Short name (slug)"}
        help_texts = {
            "name": "The company name, e.g. “HubSpot”.",
            "slug": SLUG_HELP,
            "website": "The vendor's home page.",
            "status": "Choose “Defunct” when the vendor went out of business or stopped the product.",
            "notes": "Anything worth knowing: account manager, support line, history. Markdown works.",
        }


class CategoryForm(SlugOptionalMixin, ServiceModelForm):
    class Meta(ServiceFormMeta):
        model = Category
        fields = ["name", "slug", "parent", "description"]
        labels = {"slug": "Short name (slug)", "parent": "Group"}
        help_texts = {
            "parent": "Leave empty to make this a top-level group; otherwise choose the group it belongs to.",
            "slug": SLUG_HELP,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = Category.objects.filter(parent__isnull=True).order_by("name")
        if self.instance.pk:
            groups = groups.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = groups
        self.fields["parent"].empty_label = "— None: this is a top-level group —"


class RelationForm(ServiceModelForm):
    data_categories = DataCategoryChoiceField(
        queryset=DataCategory.objects.order_by("key"), required=False, widget=forms.CheckboxSelectMultiple,
        label="Data it carries", help_text="Tick every kind of data that moves along this relation.",
    )

    class Meta(ServiceFormMeta):
        model = Relation
        fields = ["source", "type", "target", "mechanism", "frequency", "data_categories", "description"]
        labels = {"source": "From", "target": "To", "type": "Kind of relation"}
        help_texts = {
            "source": "The component the relation starts at.",
            "type": "Data flow: data moves from → to. Depends on: “from” needs “to” to work. "
                    "Hosted on: “from” runs on “to”.",
            "target": "The component the relation points to.",
            "mechanism": "How the two are connected.",
            "frequency": "How often data moves or the link is used.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        components = Component.objects.only("id", "name", "slug").order_by("name")
        self.fields["source"].queryset = components
        self.fields["target"].queryset = components
        self.fields["mechanism"].choices = [("", "— Not known —"), *self.fields["mechanism"].choices[1:]]
        self.fields["frequency"].choices = [("", "— Not known —"), *self.fields["frequency"].choices[1:]]


# RACI -------------------------------------------------------------------------------------

ROLE_HELP = {
    "R": "does the work",
    "A": "owns the outcome and signs off (exactly one)",
    "C": "is asked before",
    "I": "is told after",
}


def holder_key(holder) -> str:
    return f"d{holder.pk}" if isinstance(holder, Department) else f"p{holder.pk}"


def holder_label(holder) -> str:
    if isinstance(holder, Department):
        return f"{holder.name} (department)"
    return f"{holder.name} <{holder.email}>" if holder.email else holder.name


class RaciMatrixForm:
    """The RACI grid of one component: every activity × role cell lists its departments and people.

    Each cell posts ``keep-<activity>-<role>`` (the holders left ticked) and
    ``add-<activity>-<role>`` (one more department or person, typed or picked from a list).
    ``fingerprint`` is the matrix the page showed; a different current matrix means someone
    else saved in between, and nothing is written.
    """

    def __init__(self, component: Component, data=None):
        self.component = component
        self.data = data
        self.errors: list[str] = []
        self.stale = False
        self.departments = list(Department.objects.order_by("name"))
        self.people = list(Person.objects.select_related("department").order_by("name"))
        self.holders = {holder_key(h): h for h in (*self.departments, *self.people)}
        self.assignments = list(component.raci_assignments.select_related("department", "person"))
        self.current: dict[tuple[str, str], list] = {}
        for a in self.assignments:
            self.current.setdefault((a.activity, a.role), []).append(a.holder)
        self._cells: list[tuple[str, str, object]] | None = None

    @staticmethod
    def fingerprint_of(assignments) -> str:
        rows = sorted(f"{a.pk}:{a.version}:{a.activity}:{a.role}:{a.department_id}:{a.person_id}" for a in assignments)
        return hashlib.sha256("|".join(rows).encode()).hexdigest()[:16]

    @property
    def fingerprint(self) -> str:
        return self.fingerprint_of(self.assignments)

    def _lookup(self) -> dict[str, object]:
        names: dict[str, list] = {}
        for holder in self.holders.values():
            for text in {holder_label(holder), holder.name}:
                names.setdefault(text.strip().lower(), []).append(holder)
            if isinstance(holder, Person) and holder.email:
                names.setdefault(holder.email.lower(), []).append(holder)
        return names

    def rows(self):
        """For the template: one row per activity, one cell per role with its holders."""
        rows = []
        for activity, activity_label in RaciActivityChoices.choices:
            cells = []
            for role, role_label in RaciRoleChoices.choices:
                if self.data is not None:
                    kept = set(self.data.getlist(f"keep-{activity}-{role}"))
                    shown = [h for h in self.current.get((activity, role), [])]
                    ticked = {holder_key(h): holder_key(h) in kept for h in shown}
                    added = self.data.get(f"add-{activity}-{role}", "")
                else:
                    shown = self.current.get((activity, role), [])
                    ticked = {holder_key(h): True for h in shown}
                    added = ""
                cells.append({
                    "role": role, "role_label": role_label, "name_keep": f"keep-{activity}-{role}",
                    "name_add": f"add-{activity}-{role}", "added": added,
                    "holders": [{"key": holder_key(h), "label": holder_label(h), "obj": h,
                                 "checked": ticked.get(holder_key(h), True)} for h in shown],
                })
            accountable = len(self.current.get((activity, "A"), []))
            rows.append({"activity": activity, "label": activity_label, "cells": cells, "accountable": accountable})
        return rows

    def datalist(self) -> list[str]:
        return [holder_label(h) for h in self.holders.values()]

    def is_valid(self) -> bool:
        if self.data is None:
            return False
        lookup = self._lookup()
        activities = dict(RaciActivityChoices.choices)
        roles = dict(RaciRoleChoices.choices)
        cells: list[tuple[str, str, object]] = []
        for activity in activities:
            for role in roles:
                chosen: dict[str, object] = {}
                for key in self.data.getlist(f"keep-{activity}-{role}"):
                    if key in self.holders:
                        chosen[key] = self.holders[key]
                text = (self.data.get(f"add-{activity}-{role}") or "").strip()
                if text:
                    found = lookup.get(text.lower(), [])
                    where = f"{activities[activity]} · {roles[role]}"
                    if not found:
                        self.errors.append(f"{where}: there is no department or person called “{text}”.")
                    elif len({holder_key(h) for h in found}) > 1:
                        self.errors.append(f"{where}: “{text}” matches several people; pick one from the list.")
                    else:
                        chosen[holder_key(found[0])] = found[0]
                cells.extend((activity, role, holder) for holder in chosen.values())
        if self.data.get("fingerprint") != self.fingerprint:
            self.errors.insert(0, "Someone else changed this RACI matrix while you were editing it. Nothing was "
                                  "saved. The matrix below shows what is saved now; your additions are kept in "
                                  "the boxes — check and save again.")
            self.stale = True
        self._cells = cells
        return not self.errors

    @property
    def cells(self) -> list[tuple[str, str, object]]:
        if self._cells is None:
            raise ValidationError("Call is_valid() first.")
        return self._cells
