"""Web pages of the catalog: thin views over querysets, services, graph, impact and health."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from stacksteward.core.forms import slug_choices
from stacksteward.core.models import Tag
from stacksteward.core.permissions import require_perm
from stacksteward.core.views import ObjectDeleteView, ObjectDetailView, ObjectFormView, ObjectListView
from stacksteward.org.models import Person

from . import graph as g
from . import services
from .choices import (
    ComponentLifecycleChoices,
    RaciActivityChoices,
    RaciRoleChoices,
    RelationTypeChoices,
)
from .forms import (
    ROLE_HELP,
    RaciMatrixForm,
)
from .health import KINDS, catalog_health
from .impact import component_impact
from .models import Category, Component, DataCategory, Relation, Vendor


def _category_filter_choices() -> list:
    """Groups and sub-categories for a filter drop-down (values are slugs; a group includes its subs)."""
    categories = list(Category.objects.select_related("parent").order_by("name"))
    children: dict[int, list[Category]] = {}
    for c in categories:
        if c.parent_id:
            children.setdefault(c.parent_id, []).append(c)
    choices: list = [("", "Any")]
    for group in (c for c in categories if c.parent_id is None):
        options = [(group.slug, f"All of {group.name}")]
        options += [(child.slug, child.name) for child in children.get(group.pk, [])]
        choices.append((group.name, options))
    return choices


SELECT_LIMIT = 500  # above this many options a filter becomes a text box


def _choice_field(label, choices, help_text=""):
    return forms.ChoiceField(label=label, choices=choices, required=False, help_text=help_text)


# Components -------------------------------------------------------------------------------

class ComponentListView(ObjectListView):
    more_filters = ("tier", "kind", "hosting", "tag", "data_category", "personal_data")

    def get_queryset(self):
        return super().get_queryset().with_list_data()

    def tune_filter_form(self, form):
        people = Person.objects.order_by("name").only("id", "name")
        form.fields["category"] = _choice_field("Category", _category_filter_choices())
        vendors = Vendor.objects.order_by("name").only("slug", "name")
        form.fields["vendor"] = _choice_field("Vendor", slug_choices(vendors))
        form.fields["owner"] = _choice_field("Owner", [("", "Anyone"), *[(str(p.pk), p.name) for p in people]],
                                             "Business or technical owner.")
        form.fields["tag"] = _choice_field("Tag", slug_choices(Tag.objects.order_by("name")))
        form.fields["data_category"] = _choice_field(
            "Data it holds", [("", "Any"), *[(d.key, d.name) for d in DataCategory.objects.order_by("key")]])
        form.fields["personal_data"].label = "Holds personal data"
        form.fields["tier"].label = "Criticality"
        order = ["q", "lifecycle", "category", "vendor", "owner", "tier", "kind", "hosting", "tag",
                 "data_category", "personal_data", "ordering"]
        form.fields = {name: form.fields[name] for name in order if name in form.fields}


def _component_queryset(user):
    return Component.objects.restrict(user, "view").select_related(
        "category", "category__parent", "vendor", "business_owner", "business_owner__department",
        "technical_owner", "technical_owner__department",
    ).prefetch_related("tags", "data_categories")


def raci_rows(assignments) -> list[dict]:
    """The RACI matrix as rows (activity) × cells (R, A, C, I) of holders."""
    cells: dict[tuple[str, str], list] = {}
    for a in assignments:
        cells.setdefault((a.activity, a.role), []).append(a.holder)
    rows = []
    for activity, label in RaciActivityChoices.choices:
        roles = [cells.get((activity, role), []) for role, _ in RaciRoleChoices.choices]
        rows.append({"activity": activity, "label": label, "cells": roles, "accountable": len(roles[1])})
    return rows


class ComponentDetailView(ObjectDetailView):

    def get_queryset(self):
        return _component_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        component = kwargs["object"]
        assignments = list(component.raci_assignments.select_related("department", "person"))
        relations = Relation.objects.select_related("source", "target").prefetch_related("data_categories")
        impact = component_impact(component)
        return {
            **kwargs,
            "raci": raci_rows(assignments),
            "has_raci": bool(assignments),
            "roles": RaciRoleChoices.choices,
            "outgoing": list(relations.filter(source=component)),
            "incoming": list(relations.filter(target=component)),
            "impact": impact,
        }


class ComponentDeleteView(ObjectDeleteView):
    template_name = "catalog/component_confirm_delete.html"

    def get_context_data(self, **kwargs):
        component = kwargs["object"]
        kwargs["relation_count"] = Relation.objects.filter(Q(source=component) | Q(target=component)).count()
        kwargs["raci_count"] = component.raci_assignments.count()
        return kwargs


# Vendors ----------------------------------------------------------------------------------

class VendorListView(ObjectListView):

    def get_queryset(self):
        live = ~Q(components__lifecycle=ComponentLifecycleChoices.RETIRED)
        return super().get_queryset().annotate(
            component_count=Count("components"), live_count=Count("components", filter=live)
        )


class VendorDetailView(ObjectDetailView):

    def get_context_data(self, **kwargs):
        vendor = kwargs["object"]
        components = Component.objects.restrict(self.request.user, "view").filter(vendor=vendor).with_list_data()
        return {**kwargs, "components": list(components)}


# Categories -------------------------------------------------------------------------------

class CategoryListView(ObjectListView):

    def get_queryset(self):
        return super().get_queryset().select_related("parent").annotate(component_count=Count("components"))

    def tune_filter_form(self, form):
        groups = Category.objects.filter(parent__isnull=True).order_by("name")
        form.fields["parent"] = _choice_field("Group", slug_choices(groups))
        form.fields["top_level"].label = "Only top-level groups"


class CategoryDetailView(ObjectDetailView):
    component_limit = 200

    def get_queryset(self):
        return super().get_queryset().select_related("parent")

    def get_context_data(self, **kwargs):
        category = kwargs["object"]
        children = Category.objects.filter(parent=category).annotate(component_count=Count("components"))
        components = Component.objects.restrict(self.request.user, "view").filter(
            Q(category=category) | Q(category__parent=category)
        ).with_list_data()
        total = components.count()
        return {**kwargs, "children": list(children), "components": list(components[: self.component_limit]),
                "component_total": total, "component_limit": self.component_limit}


class CategoryFormView(ObjectFormView):

    def get_initial(self):
        parent = self.request.GET.get("parent")
        group = Category.objects.filter(slug=parent, parent__isnull=True).first() if parent else None
        return {"parent": group} if group else {}


# Relations --------------------------------------------------------------------------------

class RelationListView(ObjectListView):

    def get_queryset(self):
        return super().get_queryset().with_list_data()

    def tune_filter_form(self, form):
        components = Component.objects.order_by("name").only("slug", "name")
        if components.count() <= SELECT_LIMIT:
            form.fields["component"] = _choice_field("Component", slug_choices(components),
                                                     "Relations from or to this component.")
        else:  # a drop-down of thousands helps nobody: type the short name instead
            form.fields["component"].label = "Component (short name)"
            form.fields["component"].help_text = "Relations from or to this component."
        form.fields["data_category"] = _choice_field(
            "Data carried", [("", "Any"), *[(d.key, d.name) for d in DataCategory.objects.order_by("key")]])
        for name in ("source", "target"):
            form.fields[name].widget = forms.HiddenInput()
        form.fields["type"].label = "Kind"


class RelationDetailView(ObjectDetailView):

    def get_queryset(self):
        return super().get_queryset().select_related("source", "target").prefetch_related("data_categories")


class RelationFormView(ObjectFormView):

    def get_initial(self):
        initial = {}
        for name in ("source", "target"):
            slug = self.request.GET.get(name)
            if slug:
                initial[name] = Component.objects.filter(slug=slug).first()
        return initial


# RACI -------------------------------------------------------------------------------------

def raci_edit(request, slug):
    component = get_object_or_404(Component.objects.restrict(request.user, "view"), slug=slug)
    require_perm(request.user, "change", component)
    if request.method == "POST":
        form = RaciMatrixForm(component, data=request.POST)
        if form.is_valid():
            try:
                services.raci_set_matrix(component, actor=request.user, cells=form.cells)
            except ValidationError as exc:
                form.errors.extend(exc.messages)
            else:
                messages.success(request, f"Saved the RACI matrix of “{component}”.")
                return redirect(component.get_absolute_url() + "#raci")
        status = 409 if form.stale else 200
    else:
        form = RaciMatrixForm(component)
        status = 200
    context = {"object": component, "form": form, "rows": form.rows(), "roles": RaciRoleChoices.choices,
               "role_help": ROLE_HELP, "holder_options": form.datalist()}
    return render(request, "catalog/raci_edit.html", context, status=status)


# Health -----------------------------------------------------------------------------------

def health(request):
    findings = catalog_health()
    groups = {kind: {"kind": kind, "label": label, "findings": []} for kind, label in KINDS.items()}
    for finding in findings:
        groups.setdefault(finding.kind, {"kind": finding.kind, "label": finding.title, "findings": []})
        groups[finding.kind]["findings"].append(finding)
    context = {"groups": [grp for grp in groups.values() if grp["findings"]], "total": len(findings),
               "clean": [grp for grp in groups.values() if not grp["findings"]]}
    return render(request, "catalog/health.html", context)


# Graph ------------------------------------------------------------------------------------

# The whole-stack graph draws every component up to this many (a 1,000-component stack opens with its
# category groups collapsed, see static/steward/graph.js); beyond it, one group at a time.
GRAPH_LIMIT = 2000


def graph_page(request):
    groups = Category.objects.filter(parent__isnull=True).order_by("name")
    group = request.GET.get("group", "")
    params = f"?group={group}" if group else ""
    context = {"groups": groups, "group": group, "data_url": reverse("catalog:graph_data") + params,
               "limit": GRAPH_LIMIT, "types": RelationTypeChoices.choices}
    return render(request, "catalog/graph.html", context)


def component_graph(request, slug):
    component = get_object_or_404(Component.objects.restrict(request.user, "view"), slug=slug)
    depth = _depth(request.GET.get("depth"))
    data_url = f"{reverse('catalog:graph_data')}?component={component.slug}&depth={depth}"
    context = {"object": component, "depth": depth, "depths": [1, 2, 3], "data_url": data_url,
               "types": RelationTypeChoices.choices}
    return render(request, "catalog/component_graph.html", context)


def _depth(value) -> int:
    try:
        return min(max(int(value), 1), 3)
    except (TypeError, ValueError):
        return 1


def graph_data(request):
    """Cytoscape elements for the whole stack (optionally one category group) or one component's
    neighbourhood (what it needs and what it impacts, up to ``depth`` steps).

    Queries: the cached relation graph (``graph.load_graph``) and one bulk component fetch.
    """
    user = request.user
    graph = g.load_graph()
    components = Component.objects.restrict(user, "view").select_related(
        "category", "category__parent", "business_owner__department")
    center = None
    truncated = False
    slug = request.GET.get("component")
    if slug:
        depth = _depth(request.GET.get("depth"))
        center = get_object_or_404(components, slug=slug)
        ids = {center.pk}
        ids |= {r.component_id for r in g.downstream(graph, center.pk, depth)}
        ids |= {r.component_id for r in g.upstream(graph, center.pk, depth)}
        nodes = list(components.filter(pk__in=ids))
        total = len(nodes)
    else:
        group = request.GET.get("group")
        if group:
            components = components.filter(Q(category__slug=group) | Q(category__parent__slug=group))
        limit = GRAPH_LIMIT
        nodes = list(components.order_by("tier", "name")[: limit + 1])
        truncated = len(nodes) > limit
        nodes = nodes[:limit]
        total = None
    shown = {c.pk for c in nodes}
    node_elements = [{"data": _node_data(c, center)} for c in nodes]
    edges = {}
    for outgoing in graph.downstream.values():
        for _effect, edge in outgoing:
            if edge.source in shown and edge.target in shown:
                edges[edge.relation_id] = edge
    type_labels = {value: label.split(" (")[0] for value, label in RelationTypeChoices.choices}
    edge_elements = [
        {"data": {"id": f"r{e.relation_id}", "source": f"c{e.source}", "target": f"c{e.target}", "type": e.type,
                  "label": type_labels.get(e.type, e.type), "url": reverse("catalog:relation", args=[e.relation_id])}}
        for e in sorted(edges.values(), key=lambda e: e.relation_id)
    ]
    return JsonResponse({
        "elements": {"nodes": node_elements, "edges": edge_elements},
        "center": f"c{center.pk}" if center else None,
        "truncated": truncated,
        "total": total,
        "lifecycles": dict(ComponentLifecycleChoices.choices),
        "relation_types": type_labels,
    })


def _node_data(component, center) -> dict:
    category = component.category
    group = category.parent if category and category.parent_id else category
    owner = component.business_owner
    department = owner.department if owner and owner.department_id else None
    return {
        "id": f"c{component.pk}",
        "label": component.name,
        "slug": component.slug,
        "url": component.get_absolute_url(),
        "group": group.slug if group else "none",
        "group_label": group.name if group else "Not categorised",
        "category": category.name if category else "",
        "category_slug": category.slug if category else "",
        "department": department.slug if department else "none",
        "department_label": department.name if department else "No owning department",
        "lifecycle": component.lifecycle,
        "lifecycle_label": component.get_lifecycle_display(),
        "tier": component.tier,
        "center": bool(center and center.pk == component.pk),
    }

