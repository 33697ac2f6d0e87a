"""A resource's web pages and URLs, built from its declaration (``core.resources.Resource``).

``Pages`` adds to a resource what only the web UI needs — the form, the list's title and intro,
and the view classes when a page shows more than the generic one (a list annotated with counts,
a detail page with related rows). Everything else comes from the resource: the model, the lookup,
the FilterSet, the create/update/delete services. ``page_urls(resource)`` returns the five URL
patterns with the conventional names and templates::

    components/                  <app>:component_list     <app>/component_list.html, <app>/_component_table.html
    components/add/              <app>:component_add      core/object_form.html
    components/<slug:slug>/      <app>:component          <app>/component.html
    components/<slug:slug>/edit/ <app>:component_edit     core/object_form.html
    components/<slug:slug>/delete/ <app>:component_delete core/object_confirm_delete.html
"""

from dataclasses import dataclass

from django.urls import path

from .views import ObjectDeleteView, ObjectDetailView, ObjectFormView, ObjectListView


@dataclass
class Pages:
    form: type | None = None  # the ModelForm of the add and edit pages (no form: no add/edit pages)
    title: str = ""  # the list's heading (default: the model's plural name, capitalised)
    intro: str = ""
    empty_text: str = ""
    list_view: type[ObjectListView] = ObjectListView
    detail_view: type[ObjectDetailView] = ObjectDetailView
    form_view: type[ObjectFormView] = ObjectFormView
    delete_view: type[ObjectDeleteView] = ObjectDeleteView
    list_template: str = ""
    table_template: str = ""
    detail_template: str = ""
    help_text: str = ""  # shown above the form
    name: str = ""  # the URL names' and templates' stem (default: the resource's singular)
    path: str | None = None  # URL prefix of the list and add pages (default: the resource's path; "": the app's root)
    item_path: str | None = None  # URL prefix of the detail, edit and delete pages (default: ``path``)
    without: tuple[str, ...] = ()  # pages not built here: "list", "add", "detail", "edit", "delete"
    list_url_name: str = ""  # where the add, edit and delete pages go back to (default: its own list)
    filterset: type | None = None  # the list's FilterSet when it offers more than the API's (default: the resource's)


def _names(resource) -> tuple[str, str, str]:
    app = resource.model._meta.app_label
    name = resource.model._meta.model_name
    return app, name, resource.pages.name or resource.singular


def _prefix(base: str) -> str:
    return f"{base}/" if base else ""


def page_urls(resource) -> list:
    """The list, add, detail, edit and delete URL patterns of ``resource`` (its ``pages`` declared)."""
    pages: Pages = resource.pages
    app, model_name, singular = _names(resource)
    meta = resource.model._meta
    lookup = resource.lookup
    key = "<int:pk>" if lookup == "pk" else f"<slug:{lookup}>"
    base = resource.path if pages.path is None else pages.path
    item_base = base if pages.item_path is None else pages.item_path
    offered = {"list", "add", "detail", "edit", "delete"} - set(pages.without)
    list_name = pages.list_url_name or f"{app}:{singular}_list"
    common = {"model": resource.model}
    patterns = []
    if "list" in offered:
        list_view = pages.list_view.as_view(
            **common,
            filterset_class=pages.filterset or resource.filterset,
            template_name=pages.list_template or f"{app}/{singular}_list.html",
            table_template=pages.table_template or f"{app}/_{singular}_table.html",
            title=pages.title or str(meta.verbose_name_plural).capitalize(),
            intro=pages.intro,
            add_url_name=f"{app}:{singular}_add" if pages.form is not None and resource.create is not None else "",
            empty_text=pages.empty_text or f"No {meta.verbose_name_plural} yet.",
        )
        patterns.append(path(_prefix(base), list_view, name=f"{singular}_list"))
    if "add" in offered and pages.form is not None and resource.create is not None:
        patterns.append(path(f"{_prefix(base)}add/", pages.form_view.as_view(
            **common, lookup=lookup, form_class=pages.form, create_service=resource.create,
            update_service=resource.update, list_url_name=list_name, help_text=pages.help_text,
        ), name=f"{singular}_add"))
    item = f"{_prefix(item_base)}{key}/"
    if "detail" in offered:
        detail_view = pages.detail_view.as_view(
            **common, lookup=lookup, template_name=pages.detail_template or f"{app}/{singular}.html")
        patterns.append(path(item, detail_view, name=singular))
    if "edit" in offered and pages.form is not None and resource.update is not None:
        patterns.append(path(f"{item}edit/", pages.form_view.as_view(
            **common, lookup=lookup, form_class=pages.form, create_service=resource.create,
            update_service=resource.update, list_url_name=list_name, help_text=pages.help_text,
        ), name=f"{singular}_edit"))
    if "delete" in offered and resource.delete is not None:
        patterns.append(path(f"{item}delete/", pages.delete_view.as_view(
            **common, lookup=lookup, delete_service=resource.delete, list_url_name=list_name,
        ), name=f"{singular}_delete"))
    return patterns
