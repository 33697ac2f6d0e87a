"""Catalog web pages: lists, details, forms through services, stale edits, RACI, health and graph."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stacksteward.catalog.models import Category, Component, RaciAssignment, Relation, Vendor
from stacksteward.catalog.services import component_update, raci_set_matrix
from stacksteward.catalog.tests.factories import (
    CategoryFactory,
    ComponentFactory,
    RaciAssignmentFactory,
    RelationFactory,
    VendorFactory,
)
from stacksteward.core.actors import SystemActor
from stacksteward.core.models import AuditEntry, Tag
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def component_form_data(**overrides):
    data = {
        "name": "Campaign Hub", "slug": "", "kind": "application", "category": "", "vendor": "",
        "hosting": "saas", "lifecycle": "active", "tier": "3", "business_owner": "", "technical_owner": "",
        "url": "", "description": "", "tags": "", "seats_purchased": "", "seats_used": "", "annual_cost": "",
        "currency": "USD", "renewal_date": "",
    }
    data.update(overrides)
    return data


def edit_data(component, **overrides):
    """The edit form as the page shows it for ``component``, with some fields changed."""
    data = component_form_data(
        name=component.name, slug=component.slug, kind=component.kind, hosting=component.hosting,
        lifecycle=component.lifecycle, tier=str(component.tier), currency=component.currency,
        vendor=str(component.vendor_id or ""), business_owner=str(component.business_owner_id or ""),
        technical_owner=str(component.technical_owner_id or ""), description=component.description,
        version=str(component.version),
    )
    data.update(overrides)
    return data


# Reading ----------------------------------------------------------------------------------

def test_component_list_shows_rows_and_filters_by_lifecycle(viewer_client):
    ComponentFactory(name="Active tool", lifecycle="active")
    ComponentFactory(name="Retired tool", lifecycle="retired")
    response = viewer_client.get(reverse("catalog:component_list"), {"lifecycle": "retired"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="component-table"' in content
    assert "Retired tool" in content
    assert "Active tool" not in content


def test_component_list_search_and_category_group_filter(viewer_client):
    group = CategoryFactory(name="Data group", slug="data-group")
    sub = CategoryFactory(name="Warehouses", slug="warehouses", parent=group)
    ComponentFactory(name="Snowflake", category=sub)
    ComponentFactory(name="Mailer", category=CategoryFactory())
    response = viewer_client.get(reverse("catalog:component_list"), {"category": "data-group"})
    assert "Snowflake" in response.content.decode()
    assert "Mailer" not in response.content.decode()
    response = viewer_client.get(reverse("catalog:component_list"), {"q": "mail"})
    assert "Mailer" in response.content.decode()
    assert "Snowflake" not in response.content.decode()


def test_component_list_sorts_by_tier_descending(viewer_client):
    ComponentFactory(name="Alpha must-have", tier=1)
    ComponentFactory(name="Omega nice-to-have", tier=4)
    content = viewer_client.get(reverse("catalog:component_list"), {"ordering": "-tier"}).content.decode()
    assert content.index("Omega nice-to-have") < content.index("Alpha must-have")
    assert 'aria-sort="descending"' in content
    content = viewer_client.get(reverse("catalog:component_list"), {"ordering": "tier"}).content.decode()
    assert content.index("Alpha must-have") < content.index("Omega nice-to-have")


def test_component_list_htmx_request_returns_only_the_results(viewer_client):
    ComponentFactory(name="Only me")
    response = viewer_client.get(reverse("catalog:component_list"), {"q": "only"},
                                 headers={"HX-Request": "true", "HX-Target": "results"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="results"')
    assert "<form" not in content and "<html" not in content
    assert "Only me" in content
    assert "HX-Request" in response["Vary"]


def test_component_list_paginates_fifty_a_page(viewer_client):
    ComponentFactory.create_batch(55)
    first = viewer_client.get(reverse("catalog:component_list")).content.decode()
    second = viewer_client.get(reverse("catalog:component_list"), {"page": 2}).content.decode()
    assert "Showing 1–50 of 55" in first
    assert "Showing 51–55 of 55" in second
    assert "page=2" in first


def test_list_empty_state_explains_what_to_do(editor_client):
    content = editor_client.get(reverse("catalog:component_list")).content.decode()
    assert 'data-testid="empty-state"' in content
    assert "Add the first component" in content
    content = editor_client.get(reverse("catalog:component_list"), {"q": "nothing"}).content.decode()
    assert "No components match these filters" in content


@pytest.mark.parametrize("url_name,factory,bound", [
    ("catalog:component_list", lambda n: ComponentFactory.create_batch(n), 16),
    ("catalog:vendor_list", lambda n: VendorFactory.create_batch(n), 10),
    ("catalog:category_list", lambda n: CategoryFactory.create_batch(n, parent=CategoryFactory()), 10),
    ("catalog:relation_list", lambda n: RelationFactory.create_batch(n), 12),
])
def test_list_pages_use_constant_queries(viewer_client, django_assert_max_num_queries, url_name, factory, bound):
    url = reverse(url_name)
    viewer_client.get(url)  # warm up the content-type and session caches
    factory(3)
    with CaptureQueriesContext(connection) as few:
        viewer_client.get(url)
    with django_assert_max_num_queries(bound):
        assert viewer_client.get(url).status_code == 200
    factory(27)
    with CaptureQueriesContext(connection) as many:
        response = viewer_client.get(url)
    with django_assert_max_num_queries(bound):
        assert viewer_client.get(url).status_code == 200
    assert response.status_code == 200
    assert len(many) == len(few)


def test_component_detail_shows_owners_raci_relations_impact_and_markdown(viewer_client, admin_client):
    owner = PersonFactory(name="Olivia Owner")
    crm = ComponentFactory(name="CRM", slug="crm", business_owner=owner, tier=1, annual_cost=12000,
                           seats_purchased=10, seats_used=5,
                           description="Used for **leads**.\n\n<script>alert('x')</script>")
    automation = ComponentFactory(name="Automation")
    warehouse = ComponentFactory(name="Warehouse")
    RelationFactory(source=crm, target=automation, type="data_flow")
    RelationFactory(source=automation, target=warehouse, type="data_flow")
    RaciAssignmentFactory(component=crm, activity="budget", role="A", person=owner)
    content = viewer_client.get(reverse("catalog:component", args=["crm"])).content.decode()
    assert "Olivia Owner" in content
    assert "<strong>leads</strong>" in content
    assert "<script>alert" not in content
    assert 'data-testid="raci-matrix"' in content
    assert "50% in use" in content
    cost = re.search(r'data-testid="annual-cost">(.*?)</dd>', content, re.S).group(1)
    assert "hidden" in cost and "12,000" not in content  # a component's cost is money: not for a viewer
    admin_page = admin_client.get(reverse("catalog:component", args=["crm"])).content.decode()
    assert re.search(r'data-testid="annual-cost">12,000 USD</dd>', admin_page)
    downstream = re.search(r'data-testid="downstream".*?</table>', content, re.S).group(0)
    assert "Automation" in downstream and "Warehouse" in downstream
    assert "CRM" in downstream  # the path starts at the component


def test_component_detail_unknown_slug_is_404(viewer_client):
    assert viewer_client.get(reverse("catalog:component", args=["nope"])).status_code == 404


def test_viewer_sees_no_edit_buttons(viewer_client, editor_client):
    ComponentFactory(slug="crm")
    url = reverse("catalog:component", args=["crm"])
    assert b'data-testid="edit-button"' not in viewer_client.get(url).content
    assert b'data-testid="edit-button"' in editor_client.get(url).content
    assert b'data-testid="add-button"' not in viewer_client.get(reverse("catalog:component_list")).content


def test_vendor_category_relation_details_render(viewer_client):
    vendor = VendorFactory(slug="acme", notes="Support: *24/7*")
    group = CategoryFactory(slug="grp")
    sub = CategoryFactory(slug="sub", parent=group)
    component = ComponentFactory(vendor=vendor, category=sub, name="Acme Tool")
    relation = RelationFactory(source=component)
    assert "<em>24/7</em>" in viewer_client.get(reverse("catalog:vendor", args=["acme"])).content.decode()
    assert "Acme Tool" in viewer_client.get(reverse("catalog:category", args=["grp"])).content.decode()
    assert "Acme Tool" in viewer_client.get(reverse("catalog:relation", args=[relation.pk])).content.decode()


# Permissions ------------------------------------------------------------------------------

@pytest.fixture
def some_objects():
    vendor = VendorFactory(slug="acme")
    category = CategoryFactory(slug="things")
    component = ComponentFactory(slug="crm", vendor=vendor)
    relation = RelationFactory(source=component)
    return {"component": component, "vendor": vendor, "category": category, "relation": relation}


def write_urls(objects):
    r = objects["relation"].pk
    return [
        reverse("catalog:component_add"), reverse("catalog:component_edit", args=["crm"]),
        reverse("catalog:component_delete", args=["crm"]), reverse("catalog:raci_edit", args=["crm"]),
        reverse("catalog:vendor_add"), reverse("catalog:vendor_edit", args=["acme"]),
        reverse("catalog:vendor_delete", args=["acme"]),
        reverse("catalog:category_add"), reverse("catalog:category_edit", args=["things"]),
        reverse("catalog:category_delete", args=["things"]),
        reverse("catalog:relation_add"), reverse("catalog:relation_edit", args=[r]),
        reverse("catalog:relation_delete", args=[r]),
    ]


def test_viewer_gets_403_on_every_write_page_and_nothing_changes(viewer_client, some_objects):
    before = AuditEntry.objects.count()
    for url in write_urls(some_objects):
        assert viewer_client.get(url).status_code == 403, url
        assert viewer_client.post(url, {"name": "Hacked", "version": "1"}).status_code == 403, url
    assert AuditEntry.objects.count() == before
    assert Component.objects.get(slug="crm").name != "Hacked"
    assert Vendor.objects.filter(slug="acme").exists()
    assert Relation.objects.count() == 1


def test_editor_can_open_every_write_page(editor_client, some_objects):
    for url in write_urls(some_objects):
        assert editor_client.get(url).status_code == 200, url


# Creating and editing ---------------------------------------------------------------------

def test_editor_creates_component_through_the_form(editor_client, editor):
    owner = PersonFactory()
    vendor = VendorFactory()
    response = editor_client.post(reverse("catalog:component_add"), component_form_data(
        name="Campaign Hub", business_owner=owner.pk, vendor=vendor.pk, tags="core, GDPR", annual_cost="1200.50",
    ))
    component = Component.objects.get(name="Campaign Hub")
    assert response.status_code == 302
    assert response.url == component.get_absolute_url()
    assert component.slug == "campaign-hub"
    assert component.business_owner == owner
    assert sorted(t.name for t in component.tags.all()) == ["GDPR", "core"]
    entry = AuditEntry.objects.get(action="create", object_id=str(component.pk), content_type__model="component")
    assert entry.actor == editor
    assert entry.source == "ui"


def test_edit_component_shows_change_in_history(editor_client):
    component = ComponentFactory(name="Old name", slug="tool")
    response = editor_client.post(reverse("catalog:component_edit", args=["tool"]),
                                  edit_data(component, name="New name", lifecycle="sunsetting"))
    assert response.status_code == 302
    component.refresh_from_db()
    assert component.name == "New name"
    assert component.version == 2
    content = editor_client.get(component.get_absolute_url()).content.decode()
    history = re.search(r'data-testid="history".*?</section>', content, re.S).group(0)
    assert "Old name" in history and "New name" in history
    assert "Sunsetting" in history  # choice values shown by their labels
    assert "editor" in history.lower()
    assert "via Web UI" in history


class FormReader(HTMLParser):
    """The values a browser would send for the edit form of a page."""

    def __init__(self, html):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._in_form = False
        self._select = None
        self._textarea = None
        self.feed(html)

    def add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("data-testid") == "edit-form":
            self._in_form = True
        if not self._in_form or "name" not in a and tag != "option":
            return
        if tag == "input":
            is_check = a.get("type") in ("checkbox", "radio")
            if is_check and "checked" not in a:
                return
            self.add(a["name"], a.get("value") or ("on" if is_check else ""))
        elif tag == "select":
            self._select = a["name"]
            self.values.setdefault(self._select, [])
        elif tag == "option" and self._select and "selected" in a:
            self.add(self._select, a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[self._textarea] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data.lstrip("\n") if not self.values[self._textarea][0] else data


def test_stale_edit_refused_then_merged_on_second_save(editor_client, admin_user):
    component = ComponentFactory(name="Shared tool", slug="shared", lifecycle="active", tier=3)
    url = reverse("catalog:component_edit", args=["shared"])
    mine = FormReader(editor_client.get(url).content.decode()).values
    mine["name"] = ["My edit"]
    component_update(component, actor=admin_user, data={"name": "Their edit", "lifecycle": "sunsetting"},
                     expected_version=1)
    audit_before = AuditEntry.objects.count()

    response = editor_client.post(url, mine)
    content = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="conflict"' in content
    assert "Nothing was saved" in content
    assert "Their edit" in content  # what is saved now, next to the user's input
    assert "Changed by the other person meanwhile: Lifecycle." in content
    component.refresh_from_db()
    assert (component.name, component.lifecycle) == ("Their edit", "sunsetting")
    assert AuditEntry.objects.count() == audit_before

    again = FormReader(content).values
    assert again["name"] == ["My edit"]  # the user's change is kept
    assert again["lifecycle"] == ["sunsetting"]  # untouched fields show what is saved now
    assert again["version"] == ["2"]
    assert editor_client.post(url, again).status_code == 302
    component.refresh_from_db()
    assert (component.name, component.lifecycle, component.version) == ("My edit", "sunsetting", 3)


def test_stale_edit_without_browser_initials_still_writes_nothing(editor_client, admin_user):
    component = ComponentFactory(name="Shared tool", slug="shared")
    stale = edit_data(component, name="My edit")
    component_update(component, actor=admin_user, data={"name": "Their edit"}, expected_version=1)
    response = editor_client.post(reverse("catalog:component_edit", args=["shared"]), stale)
    assert response.status_code == 409
    assert 'value="My edit"' in response.content.decode()
    component.refresh_from_db()
    assert component.name == "Their edit"


def test_validation_errors_name_the_field_and_write_nothing(editor_client):
    response = editor_client.post(reverse("catalog:component_add"), component_form_data(
        name="Seats tool", seats_purchased="5", seats_used="9",
    ))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in content
    assert "Seats used" in content
    assert "cannot exceed seats purchased" in content
    assert not Component.objects.filter(name="Seats tool").exists()

    response = editor_client.post(reverse("catalog:component_add"), component_form_data(name="", currency="dollars"))
    content = response.content.decode()
    assert re.search(r'href="#id_name">Name</a>: This field is required', content)
    assert "Currency" in content
    assert not Component.objects.exists()


def test_bad_tier_value_gives_field_message_not_500(editor_client):
    response = editor_client.post(reverse("catalog:component_add"), component_form_data(tier="9", annual_cost="lots"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "How critical is it?" in content
    assert "Annual cost" in content
    assert not Component.objects.exists()


def test_editor_deletes_component_after_confirmation(editor_client):
    component = ComponentFactory(slug="bye")
    confirm = editor_client.get(reverse("catalog:component_delete", args=["bye"]))
    assert b"Yes, delete it" in confirm.content
    response = editor_client.post(reverse("catalog:component_delete", args=["bye"]), {"version": component.version})
    assert response.status_code == 302
    assert not Component.objects.filter(slug="bye").exists()


def test_delete_vendor_still_used_shows_message_and_keeps_it(editor_client):
    vendor = VendorFactory(slug="used")
    ComponentFactory(vendor=vendor, name="Dependent tool")
    response = editor_client.post(reverse("catalog:vendor_delete", args=["used"]), {"version": vendor.version})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="delete-error"' in content
    assert "still used by" in content and "Dependent tool" in content
    assert Vendor.objects.filter(slug="used").exists()


def test_stale_delete_refused(editor_client, admin_user):
    component = ComponentFactory(slug="busy")
    component_update(component, actor=admin_user, data={"name": "Renamed"}, expected_version=1)
    response = editor_client.post(reverse("catalog:component_delete", args=["busy"]), {"version": "1"})
    assert response.status_code == 409
    assert Component.objects.filter(slug="busy").exists()


def test_vendor_create_edit_and_duplicate_name(editor_client):
    response = editor_client.post(reverse("catalog:vendor_add"), {
        "name": "Acme", "slug": "", "website": "acme.example", "status": "active", "notes": ""})
    assert response.status_code == 302
    vendor = Vendor.objects.get(name="Acme")
    assert vendor.website == "https://acme.example"
    response = editor_client.post(reverse("catalog:vendor_add"),
                                  {"name": "ACME", "slug": "", "website": "", "status": "active", "notes": ""})
    assert "already exists" in response.content.decode()
    assert Vendor.objects.count() == 1
    response = editor_client.post(reverse("catalog:vendor_edit", args=[vendor.slug]), {
        "name": "Acme", "slug": vendor.slug, "website": "", "status": "defunct", "notes": "", "version": "1"})
    assert response.status_code == 302
    vendor.refresh_from_db()
    assert vendor.status == "defunct"


def test_category_create_under_group_and_refuse_subgroup_of_subgroup(editor_client):
    group = CategoryFactory(slug="grp", name="Group")
    response = editor_client.post(reverse("catalog:category_add"),
                                  {"name": "Child", "slug": "", "parent": group.pk, "description": ""})
    assert response.status_code == 302
    child = Category.objects.get(name="Child")
    assert child.parent == group
    response = editor_client.post(reverse("catalog:category_add"),
                                  {"name": "Grandchild", "slug": "", "parent": child.pk, "description": ""})
    assert response.status_code == 200
    assert not Category.objects.filter(name="Grandchild").exists()


def test_relation_form_creates_and_refuses_self_loop_naming_field(editor_client):
    a = ComponentFactory(name="A tool")
    b = ComponentFactory(name="B tool")
    response = editor_client.post(reverse("catalog:relation_add"), {
        "source": a.pk, "target": b.pk, "type": "data_flow", "mechanism": "api", "frequency": "daily",
        "description": "",
    })
    assert response.status_code == 302
    assert Relation.objects.filter(source=a, target=b).exists()
    response = editor_client.post(reverse("catalog:relation_add"), {
        "source": a.pk, "target": a.pk, "type": "depends_on", "mechanism": "", "frequency": "", "description": "",
    })
    content = response.content.decode()
    assert re.search(r'href="#id_target">To</a>: A relation must connect two different components', content)
    assert Relation.objects.count() == 1


def test_relation_add_from_component_prefills_source_and_returns(editor_client):
    a = ComponentFactory(slug="from-here")
    b = ComponentFactory()
    url = reverse("catalog:relation_add") + f"?source=from-here&next={a.get_absolute_url()}"
    assert f'<option value="{a.pk}" selected>' in editor_client.get(url).content.decode()
    response = editor_client.post(url, {"source": a.pk, "target": b.pk, "type": "depends_on", "mechanism": "",
                                        "frequency": "", "description": "", "next": a.get_absolute_url()})
    assert response.url == a.get_absolute_url()


# RACI -------------------------------------------------------------------------------------

def test_raci_edit_keeps_ticked_and_adds_typed_holders(editor_client):
    component = ComponentFactory(slug="crm")
    marketing = DepartmentFactory(name="Marketing")
    it = DepartmentFactory(name="IT")
    person = PersonFactory(name="Jane Doe", email="jane@example.com")
    raci_set_matrix(component, actor=SystemActor("test"), cells=[("budget", "A", marketing), ("budget", "C", it)])
    page = editor_client.get(reverse("catalog:raci_edit", args=["crm"])).content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page).group(1)
    response = editor_client.post(reverse("catalog:raci_edit", args=["crm"]), {
        "fingerprint": fingerprint,
        "keep-budget-A": [f"d{marketing.pk}"],  # IT as Consulted is unticked
        "add-configuration-R": "jane@example.com",
        "add-configuration-A": "IT (department)",
    })
    assert response.status_code == 302
    rows = set(RaciAssignment.objects.filter(component=component).values_list(
        "activity", "role", "department__name", "person__name"))
    assert rows == {("budget", "A", "Marketing", None), ("configuration", "R", None, "Jane Doe"),
                    ("configuration", "A", "IT", None)}
    assert person.raci_assignments.count() == 1


def test_raci_edit_unknown_name_and_stale_matrix_write_nothing(editor_client):
    component = ComponentFactory(slug="crm")
    marketing = DepartmentFactory(name="Marketing")
    page = editor_client.get(reverse("catalog:raci_edit", args=["crm"])).content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page).group(1)
    response = editor_client.post(reverse("catalog:raci_edit", args=["crm"]),
                                  {"fingerprint": fingerprint, "add-budget-A": "Nobody Known"})
    assert response.status_code == 200
    assert "Budget · Accountable: there is no department or person called “Nobody Known”" in \
        response.content.decode()
    assert not RaciAssignment.objects.exists()

    raci_set_matrix(component, actor=SystemActor("test"), cells=[("budget", "A", marketing)])  # someone else saves
    response = editor_client.post(reverse("catalog:raci_edit", args=["crm"]),
                                  {"fingerprint": fingerprint, "add-support-R": "Marketing"})
    assert response.status_code == 409
    assert "Someone else changed this RACI matrix" in response.content.decode()
    assert list(RaciAssignment.objects.values_list("activity", flat=True)) == ["budget"]


# Health and graph -------------------------------------------------------------------------

def test_health_page_groups_findings_with_links(viewer_client):
    orphan = ComponentFactory(name="Orphan", business_owner=None, technical_owner=None)
    ComponentFactory(name="Shadowy", hosting="shadow_it")
    content = viewer_client.get(reverse("catalog:health")).content.decode()
    assert 'data-testid="findings-missing_business_owner"' in content
    assert 'data-testid="findings-shadow_it"' in content
    assert f'href="{orphan.get_absolute_url()}"' in content


def test_health_page_all_clear(viewer_client):
    ComponentFactory()
    assert b'data-testid="no-findings"' in viewer_client.get(reverse("catalog:health")).content


def test_graph_pages_have_graph_container(viewer_client):
    ComponentFactory(slug="crm")
    content = viewer_client.get(reverse("catalog:graph")).content.decode()
    assert 'data-testid="graph"' in content and 'data-ready="false"' in content
    assert "vendor/cytoscape/cytoscape.min.js" in content
    content = viewer_client.get(reverse("catalog:component_graph", args=["crm"]), {"depth": "9"}).content.decode()
    assert f'data-src="{reverse("catalog:graph_data")}?component=crm&amp;depth=3"' in content


def test_graph_data_whole_stack_shape(viewer_client):
    group = CategoryFactory(slug="data-things", name="Data things")
    a = ComponentFactory(name="A", category=CategoryFactory(parent=group))
    b = ComponentFactory(name="B", lifecycle="retired")
    relation = RelationFactory(source=a, target=b, type="depends_on")
    data = viewer_client.get(reverse("catalog:graph_data")).json()
    nodes = {n["data"]["id"]: n["data"] for n in data["elements"]["nodes"]}
    assert nodes[f"c{a.pk}"]["group"] == "data-things"
    assert nodes[f"c{a.pk}"]["url"] == a.get_absolute_url()
    assert nodes[f"c{b.pk}"]["group"] == "none"
    assert nodes[f"c{b.pk}"]["lifecycle"] == "retired"
    assert data["elements"]["edges"] == [{"data": {
        "id": f"r{relation.pk}", "source": f"c{a.pk}", "target": f"c{b.pk}", "type": "depends_on",
        "label": "Depends on", "url": relation.get_absolute_url()}}]
    assert data["truncated"] is False
    assert data["center"] is None


def test_graph_data_neighbourhood_by_depth(viewer_client):
    a, b, c, d = (ComponentFactory(name=n, slug=n) for n in "abcd")
    RelationFactory(source=a, target=b)
    RelationFactory(source=b, target=c)
    RelationFactory(source=c, target=d)
    data = viewer_client.get(reverse("catalog:graph_data"), {"component": "b", "depth": 1}).json()
    assert {n["data"]["slug"] for n in data["elements"]["nodes"]} == {"a", "b", "c"}
    assert len(data["elements"]["edges"]) == 2
    assert data["center"] == f"c{b.pk}"
    data = viewer_client.get(reverse("catalog:graph_data"), {"component": "b", "depth": 2}).json()
    assert {n["data"]["slug"] for n in data["elements"]["nodes"]} == {"a", "b", "c", "d"}
    assert viewer_client.get(reverse("catalog:graph_data"), {"component": "zz"}).status_code == 404


def test_graph_data_filters_by_category_group(viewer_client):
    group = CategoryFactory(slug="ads")
    ComponentFactory(slug="in-group", category=CategoryFactory(parent=group))
    ComponentFactory(slug="elsewhere")
    data = viewer_client.get(reverse("catalog:graph_data"), {"group": "ads"}).json()
    assert [n["data"]["slug"] for n in data["elements"]["nodes"]] == ["in-group"]


def test_graph_data_constant_queries(viewer_client, django_assert_max_num_queries):
    components = ComponentFactory.create_batch(3)
    RelationFactory(source=components[0], target=components[1])
    with django_assert_max_num_queries(8):
        viewer_client.get(reverse("catalog:graph_data"))
    more = ComponentFactory.create_batch(30)
    for x, y in zip(more, more[1:], strict=False):
        RelationFactory(source=x, target=y)
    with django_assert_max_num_queries(8):
        data = viewer_client.get(reverse("catalog:graph_data")).json()
    assert len(data["elements"]["nodes"]) == 33
    assert len(data["elements"]["edges"]) == 30


def test_tags_filter_uses_tag_choices(viewer_client):
    tagged = ComponentFactory(name="Tagged")
    tagged.tags.add(Tag.objects.create(name="core"))
    ComponentFactory(name="Plain")
    content = viewer_client.get(reverse("catalog:component_list"), {"tag": "core"}).content.decode()
    assert "Tagged" in content and "Plain" not in content
