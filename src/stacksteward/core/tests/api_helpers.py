"""Assertions shared by the API tests of every app."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stacksteward.core.models import AuditEntry


def audit_entries(model, pk=None):
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
    return entries.filter(object_id=str(pk)) if pk is not None else entries


def error_fields(response) -> list[str]:
    body = response.json()
    assert set(body) >= {"detail", "errors"}, body
    return [e["field"] for e in body["errors"]]


def assert_constant_queries(api, url, make, django_assert_max_num_queries):
    """The list costs no more queries with 30 rows than with 3."""
    for _ in range(3):
        make()
    api.get(url)  # warm up: token last-use stamp, content types
    with CaptureQueriesContext(connection) as small:
        first = api.get(url)
    assert first.status_code == 200, first.json()
    for _ in range(27):
        make()
    with django_assert_max_num_queries(len(small.captured_queries)):
        second = api.get(url)
    assert second.status_code == 200
    assert second.json()["count"] == first.json()["count"] + 27
    assert len(second.json()["items"]) == min(second.json()["count"], 500)
