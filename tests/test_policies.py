"""The policy matrix, generated from the declarations: every model has a policy; every policy answers
every action for every kind of actor; what a policy allows and what ``restrict()`` lists agree; and
every declared write service refuses an actor its policy refuses, called directly (not through a view).
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from stacksteward import demo
from stacksteward.core.actors import SystemActor, forget_facts
from stacksteward.core.models import AuditEntry
from stacksteward.core.policies import ACTIONS, ADMIN, EDITOR, NOBODY, SIGNED_IN, policy_for, registered
from stacksteward.core.roles import set_role
from stacksteward.org.models import Person
from stacksteward.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Models written only by the audit path itself (never by a service an actor calls).
UNPOLICED = {"core.auditentry"}
EXPECTED = {  # role → what each constant rule answers
    "viewer": {SIGNED_IN: True, EDITOR: False, ADMIN: False, NOBODY: False},
    "editor": {SIGNED_IN: True, EDITOR: True, ADMIN: False, NOBODY: False},
    "admin": {SIGNED_IN: True, EDITOR: True, ADMIN: True, NOBODY: False},
}


def _our_models():
    return [m for m in apps.get_models() if m.__module__.startswith("stacksteward.") and not m._meta.auto_created]


def _verbs(policy) -> list[str]:
    return [*ACTIONS, *policy.actions, *policy.steps, "audit"]


def _user(username, role, *, active=True):
    user = UserFactory(username=username, is_active=active)
    set_role(user, role)
    forget_facts(user)
    return user


def test_every_model_has_a_registered_policy():
    policies = registered()
    missing = [m._meta.label_lower for m in _our_models()
               if m._meta.label_lower not in policies and m._meta.label_lower not in UNPOLICED]
    assert missing == [], f"models without a policy (declare one in the app's policies.py): {missing}"


def test_matrix_roles_system_and_anonymous():
    viewer, editor, admin = _user("viewer", "viewer"), _user("editor", "editor"), _user("admin", "admin")
    inactive = _user("gone", "admin", active=False)
    by_role = {"viewer": viewer, "editor": editor, "admin": admin}
    checked = 0
    for label, policy in registered().items():
        for verb in _verbs(policy):
            rule = policy.rule_for(verb)
            assert policy.allows(SystemActor.cli("tester"), verb), f"{label}.{verb}: a system actor is trusted"
            assert not policy.allows(AnonymousUser(), verb), f"{label}.{verb}: anonymous allowed"
            assert not policy.allows(inactive, verb), f"{label}.{verb}: an inactive admin allowed"
            assert policy.rows(AnonymousUser(), verb, policy_model(label).objects.all()).count() == 0
            for role, user in by_role.items():
                if rule in EXPECTED[role]:
                    assert policy.allows(user, verb) is EXPECTED[role][rule], f"{label}.{verb} for {role}"
                    checked += 1
    assert checked > 100


def policy_model(label):
    return apps.get_model(label)


@pytest.fixture
def company(db):
    demo.load_demo()
    return demo


def _actors():
    """Users of every role, and people of the demo's departments at each role (department-scoped rules)."""
    actors = {role: _user(role, role) for role in ("viewer", "editor", "admin")}
    for person in Person.objects.select_related("department").filter(department__isnull=False).order_by("pk"):
        kind = person.department.kind
        for role in ("viewer", "editor"):
            key = f"{role}@{kind}"
            if key in actors:
                continue
            user = _user(f"{role}-{kind}-{person.pk}", role)
            Person.objects.filter(pk=person.pk).update(user=user)
            forget_facts(user)
            actors[key] = user
            break
    return actors


def test_rows_agree_with_allows_for_every_policy_and_actor(company):
    """``obj in Model.objects.restrict(actor, verb)`` exactly when ``policy.allows(actor, verb, obj)``."""
    actors = _actors()
    compared = 0
    for label, policy in registered().items():
        model = policy_model(label)
        objects = list(model._base_manager.all()[:40])
        if not objects:
            continue
        for verb in (v for v in _verbs(policy) if v not in ("add", "audit")):
            for name, actor in actors.items():
                queryset = model.objects.filter(pk__in=[o.pk for o in objects])
                restricted = (queryset.restrict(actor, verb) if hasattr(queryset, "restrict")  # auth.user has none
                              else policy.rows(actor, verb, queryset))
                listed = set(restricted.values_list("pk", flat=True))
                for obj in objects:
                    assert (obj.pk in listed) == policy.allows(actor, verb, obj), (
                        f"{label}.{verb} for {name} on {obj!r}: rows say {obj.pk in listed}")
                    compared += 1
    assert compared > 1000


def _declared_resources():
    from stacksteward.core.resources import declared

    return declared()


def test_every_declared_write_service_refuses_an_actor_the_policy_refuses(company):
    viewer, inactive = _user("viewer", "viewer"), _user("gone", "admin", active=False)
    before = AuditEntry.objects.count()
    checked = 0
    for resource in _declared_resources():
        policy = policy_for(resource.model)
        obj = resource.model._base_manager.first()
        for actor in (viewer, inactive):
            if resource.create is not None and not policy.allows(actor, "add"):
                with pytest.raises(PermissionDenied):
                    resource.create(actor=actor, data={})
                checked += 1
            if obj is None:
                continue
            if resource.update is not None and not policy.allows(actor, "change", obj):
                with pytest.raises(PermissionDenied):
                    resource.update(obj, actor=actor, data={}, expected_version=None)
                checked += 1
            if resource.delete is not None and not policy.allows(actor, "delete", obj):
                with pytest.raises(PermissionDenied):
                    resource.delete(obj, actor=actor, expected_version=None)
                checked += 1
    assert AuditEntry.objects.count() == before, "a refused write left an audit entry"
    assert checked >= 20
