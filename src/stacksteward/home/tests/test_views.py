"""The start page and the site-wide search."""

import pytest
from django.urls import reverse

from stacksteward.catalog.services import component_update
from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_dashboard_shows_counts_findings_and_recent_changes(editor_client, editor):
    component = ComponentFactory(name="Lonely tool", business_owner=None, lifecycle="pilot")
    component_update(component, actor=editor, data={"description": "changed"}, expected_version=1)
    response = editor_client.get(reverse("dashboard"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="counts"' in content
    assert "Component without a business owner" in content
    assert f"{reverse('catalog:health')}#missing_business_owner" in content
    assert "Lonely tool" in content  # recently changed
    assert f"{reverse('catalog:component_list')}?lifecycle=pilot" in content


def test_search_finds_components_and_people(viewer_client):
    ComponentFactory(name="Marketing Cloud")
    PersonFactory(name="Marketa Jones")
    response = viewer_client.get(reverse("search"), {"q": "mark"})
    content = response.content.decode()
    assert "Marketing Cloud" in content
    assert "Marketa Jones" in content


def test_search_htmx_returns_only_results(viewer_client):
    ComponentFactory(name="Marketing Cloud")
    response = viewer_client.get(reverse("search"), {"q": "cloud"}, headers={"HX-Request": "true",
                                                                          "HX-Target": "results"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="results"')
    assert "<html" not in content
    assert "Marketing Cloud" in content
