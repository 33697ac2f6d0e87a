import pytest

from stacksteward.catalog.models import DataCategory
from stacksteward.catalog.tests.factories import ComponentFactory, RaciAssignmentFactory, RelationFactory
from stacksteward.changes.impact import RULE_ACCOUNTABLE, RULE_PERSONAL_DATA, RULE_TIER_1, compute_impact, impact_diff
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory


def flow(a, b, type="data_flow", data=()):
    relation = RelationFactory(source=a, target=b, type=type)
    if data:
        relation.data_categories.set(data)
    return relation


def slugs(impact):
    return [(row["slug"], row["depth"]) for row in impact.components]


@pytest.fixture
def parts(db):
    return {name: ComponentFactory(name=name.upper(), slug=name, tier=3, business_owner=None, technical_owner=None)
            for name in "abcdefgh"}


def test_chain_is_followed_transitively_with_paths(parts):
    a, b, c = parts["a"], parts["b"], parts["c"]
    flow(a, b)
    flow(b, c)
    impact = compute_impact([a.pk])
    assert slugs(impact) == [("b", 1), ("c", 2)]
    assert impact.components[1]["path"] == ["a", "b", "c"]
    assert impact.components[1]["via"] == ["data_flow", "data_flow"]


def test_depends_on_points_impact_at_the_dependent(parts):
    a, b = parts["a"], parts["b"]
    flow(b, a, type="depends_on")  # b needs a: changing a impacts b
    assert slugs(compute_impact([a.pk])) == [("b", 1)]
    assert slugs(compute_impact([b.pk])) == []


def test_diamond_reaches_each_component_once_by_the_shortest_path(parts):
    a, b, c, d, e = (parts[k] for k in "abcde")
    flow(a, b)
    flow(a, c)
    flow(b, d)
    flow(c, d)
    flow(d, e)
    impact = compute_impact([a.pk])
    assert slugs(impact) == [("b", 1), ("c", 1), ("d", 2), ("e", 3)]


def test_cycle_terminates_and_excludes_the_changed_component(parts):
    a, b, c = parts["a"], parts["b"], parts["c"]
    flow(a, b)
    flow(b, c)
    flow(c, a)
    assert slugs(compute_impact([a.pk])) == [("b", 1), ("c", 2)]


def test_fan_out_and_several_changed_components_take_the_nearest(parts):
    a, b, c, d = (parts[k] for k in "abcd")
    leaves = [ComponentFactory(slug=f"leaf-{n}", name=f"Leaf {n:02d}", business_owner=None, technical_owner=None)
              for n in range(12)]
    for leaf in leaves:
        flow(a, leaf)
    flow(b, c)
    flow(c, d)
    flow(leaves[0], d)
    impact = compute_impact([a.pk, c.pk])
    depths = dict(slugs(impact))
    assert len(impact.components) == 13
    assert depths["d"] == 1  # from c directly, not via a → leaf → d


def test_people_grouped_by_department_and_accountable_must_approve(parts):
    marketing = DepartmentFactory(name="Marketing")
    sales = DepartmentFactory(name="Sales")
    it = DepartmentFactory(name="IT", kind="it")
    a, b = parts["a"], parts["b"]
    a.business_owner = PersonFactory(name="Ada", department=it)
    a.save()
    b.technical_owner = PersonFactory(name="Bo", department=sales)
    b.save()
    flow(a, b)
    RaciAssignmentFactory(component=a, activity="configuration", role="A", person=None, department=marketing)
    RaciAssignmentFactory(component=b, activity="content", role="A", person=PersonFactory(name="Cy",
                                                                                          department=sales))
    impact = compute_impact([a.pk])
    by_name = {d.name: d for d in impact.departments}
    assert by_name["Marketing"].must_approve and by_name["Marketing"].rules == [RULE_ACCOUNTABLE]
    assert not by_name["Sales"].must_approve  # accountable only for an impacted component: informed
    assert not by_name["IT"].must_approve
    assert sorted(p["name"] for p in by_name["Sales"].as_dict()["people"]) == ["Bo", "Cy"]
    assert by_name["IT"].as_dict()["people"][0]["roles"] == ["business owner of A"]
    assert [d.name for d in impact.approvers] == ["Marketing"]


def test_personal_data_on_an_impacted_relation_makes_legal_approve(parts):
    legal = DepartmentFactory(name="Legal", kind="legal")
    contact = DataCategory.objects.filter(is_personal=True).first()
    operational = DataCategory.objects.filter(is_personal=False).first()
    a, b, c = parts["a"], parts["b"], parts["c"]
    flow(a, b, data=[operational])
    flow(b, c, data=[contact])
    impact = compute_impact([a.pk])
    assert impact.personal_data
    assert {d["key"] for d in impact.data_categories} == {contact.key, operational.key}
    legal_row = next(d for d in impact.departments if d.id == legal.pk)
    assert legal_row.must_approve and legal_row.rules == [RULE_PERSONAL_DATA]
    assert contact.name in legal_row.reasons[0]


def test_no_personal_data_no_legal(parts):
    DepartmentFactory(name="Legal", kind="legal")
    flow(parts["a"], parts["b"], data=[DataCategory.objects.filter(is_personal=False).first()])
    impact = compute_impact([parts["a"].pk])
    assert not impact.personal_data
    assert impact.departments == []


def test_tier_1_impact_adds_it_security(parts, settings):
    DepartmentFactory(name="IT", slug="it", kind="it")
    security = DepartmentFactory(name="IT Security", slug="it-security", kind="it")
    settings.STEWARD_SECURITY_DEPARTMENT = "it-security"
    a, b = parts["a"], parts["b"]
    b.tier = 1
    b.save()
    flow(a, b)
    impact = compute_impact([a.pk])
    assert impact.tier_1_impacted and impact.highest_tier == 1
    assert [(d.id, d.rules) for d in impact.approvers] == [(security.pk, [RULE_TIER_1])]


def test_changing_a_tier_1_component_itself_is_not_tier_1_impact(parts):
    DepartmentFactory(name="IT", kind="it")
    a = parts["a"]
    a.tier = 1
    a.save()
    impact = compute_impact([a.pk])
    assert impact.highest_tier == 1
    assert not impact.tier_1_impacted
    assert impact.approvers == []


def test_query_count_does_not_grow_with_the_impact(parts, django_assert_max_num_queries):
    hub = parts["a"]
    for n in range(40):
        leaf = ComponentFactory(slug=f"x-{n}", business_owner=PersonFactory(), technical_owner=PersonFactory())
        flow(hub, leaf, data=[DataCategory.objects.first()])
        RaciAssignmentFactory(component=leaf)
    compute_impact([hub.pk])  # warm the graph cache
    with django_assert_max_num_queries(8):
        impact = compute_impact([hub.pk])
    assert len(impact.components) == 40


def test_diff_names_what_changed(parts):
    a, b, c = parts["a"], parts["b"], parts["c"]
    flow(a, b)
    before = compute_impact([a.pk]).as_dict()
    flow(b, c)
    after = compute_impact([a.pk]).as_dict()
    diff = impact_diff(before, after)
    assert diff["changed"]
    assert diff["components"] == {"added": ["C"], "removed": []}
    assert not impact_diff(after, after)["changed"]
