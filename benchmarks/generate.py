"""Seeded generator for a stress stack: 10,000 components, 50,000 relations, 2,000 people.

The shape follows how a large company's martech stack really looks: many regional or brand
stacks (each with its own website, ads, social accounts, automation, CRM instance, reports)
that feed a few shared global platforms (CDP, warehouse, BI). Relations mostly run forward
through the layers inside a regional stack, with some depends_on/hosted_on edges and a small
share of cross-links, so the graph is large and tangled enough to be a real test without
every component impacting every other.

Rows are written with bulk_create (this is test data, not a user import); the benchmark then
exports them as stack-as-code and times importing that file into an empty database.
"""

import random
from decimal import Decimal

LAYERS = [  # (layer name, share of a regional stack, component kind)
    ("source", 0.35, "application"),
    ("engage", 0.25, "application"),
    ("hub", 0.08, "integration_platform"),
    ("store", 0.12, "database"),
    ("consume", 0.20, "application"),
]
GLOBAL_COMPONENTS = 40


def generate(*, components=10_000, relations=50_000, people=2_000, vendors=600, seed=2026, progress=None):
    from django.db import transaction
    from django.utils.text import slugify

    from stacksteward.catalog.models import Category, Component, DataCategory, RaciAssignment, Relation, Vendor
    from stacksteward.org.models import Department, Person

    rng = random.Random(seed)
    with transaction.atomic():
        kinds = ["marketing", "it", "legal", "procurement", "pr", "product", "data", "finance", "sales", "other"]
        departments = Department.objects.bulk_create(
            Department(name=f"{kind.title()} {n}", slug=f"{kind}-{n}", kind=kind)
            for n in range(1, 4) for kind in kinds
        )
        archetypes = ["maestro", "marketer", "maker", "modeler", "none"]
        persons = Person.objects.bulk_create(
            Person(name=f"Person {i:05d}", email=f"person{i:05d}@stress.example", title="Specialist",
                   department=rng.choice(departments), archetype=rng.choice(archetypes),
                   available=rng.random() > 0.03)
            for i in range(people)
        )
        vendor_rows = Vendor.objects.bulk_create(
            Vendor(name=f"Vendor {i:04d}", slug=f"vendor-{i:04d}",
                   status="defunct" if rng.random() < 0.01 else "active")
            for i in range(vendors)
        )
        subcategories = list(Category.objects.exclude(parent=None))
        personal = list(DataCategory.objects.filter(is_personal=True))

        per_region = 100
        rows, layer_of = [], []
        for i in range(components):
            if i < GLOBAL_COMPONENTS:
                region, layer = "global", ("hub", "store", "consume")[i % 3]
            else:
                region = f"r{(i - GLOBAL_COMPONENTS) // per_region:03d}"
                position = ((i - GLOBAL_COMPONENTS) % per_region) / per_region
                acc = 0.0
                layer = LAYERS[-1][0]
                for name, share, _kind in LAYERS:
                    acc += share
                    if position < acc:
                        layer = name
                        break
            kind = dict((n, k) for n, _s, k in LAYERS)[layer]
            name = f"{region.upper()} {layer} {i:05d}"
            rows.append(Component(
                name=name, slug=slugify(name), kind=kind, category=rng.choice(subcategories),
                vendor=rng.choice(vendor_rows), lifecycle=rng.choices(
                    ["active", "pilot", "sunsetting", "retired"], weights=[90, 4, 4, 2])[0],
                hosting=rng.choices(["saas", "self_hosted", "vendor_managed", "shadow_it"], weights=[80, 10, 8, 2])[0],
                tier=rng.choice([1, 2, 3, 3, 4]),
                business_owner=rng.choice(persons) if rng.random() > 0.02 else None,
                technical_owner=rng.choice(persons) if rng.random() > 0.02 else None,
                annual_cost=Decimal(rng.randrange(500, 250_000)), currency="USD",
                seats_purchased=rng.randrange(5, 500),
                description=f"Stress component {i} in {region}.",
            ))
            layer_of.append((region, layer))
        created = Component.objects.bulk_create(rows, batch_size=2000)
        if progress:
            progress("components", len(created))

        by_region_layer: dict[tuple[str, str], list[int]] = {}
        for component, key in zip(created, layer_of, strict=True):
            by_region_layer.setdefault(key, []).append(component.pk)
        order = [name for name, _s, _k in LAYERS]
        region_names = sorted({r for r, _l in layer_of if r != "global"})
        seen: set[tuple[int, int, str]] = set()
        edges = []
        while len(edges) < relations:
            roll = rng.random()
            if roll < 0.03:  # regional hub/store → global platform
                region = rng.choice(region_names)
                src = rng.choice(by_region_layer.get((region, rng.choice(["hub", "store"])), [0]) or [0])
                dst = rng.choice(by_region_layer[("global", rng.choice(["hub", "store"]))])
                kind = "data_flow"
            elif roll < 0.05:  # global chain: hub → store → consume
                a, b = sorted(rng.sample(range(3), 2))
                src = rng.choice(by_region_layer[("global", ("hub", "store", "consume")[a])])
                dst = rng.choice(by_region_layer[("global", ("hub", "store", "consume")[b])])
                kind = "data_flow"
            else:
                region = rng.choice(region_names)
                a = rng.randrange(len(order) - 1)
                b = rng.randrange(a + 1, len(order))
                src_pool = by_region_layer.get((region, order[a]))
                dst_pool = by_region_layer.get((region, order[b]))
                if not src_pool or not dst_pool:
                    continue
                src, dst = rng.choice(src_pool), rng.choice(dst_pool)
                kind = rng.choices(["data_flow", "depends_on", "hosted_on"], weights=[80, 15, 5])[0]
                if kind != "data_flow":
                    src, dst = dst, src  # the later layer depends on / is hosted on the earlier one
            if src == dst or src == 0 or (src, dst, kind) in seen:
                continue
            seen.add((src, dst, kind))
            edges.append(Relation(source_id=src, target_id=dst, type=kind,
                                  mechanism=rng.choice(["api", "file", "webhook", "native_connector"]),
                                  frequency=rng.choice(["real_time", "hourly", "daily"])))
        Relation.objects.bulk_create(edges, batch_size=5000)
        if progress:
            progress("relations", len(edges))

        # Personal data on a third of the components and their flows; RACI on the global platforms.
        through = Component.data_categories.through
        through.objects.bulk_create(
            through(component_id=c.pk, datacategory_id=rng.choice(personal).pk) for c in created if rng.random() < 0.33
        )
        activities = ["selection", "budget", "contract", "configuration", "content", "data_privacy", "security",
                      "integration", "support", "continuity"]
        RaciAssignment.objects.bulk_create(
            RaciAssignment(component=c, activity=a, role="A", department=rng.choice(departments))
            for c in created[:GLOBAL_COMPONENTS] for a in activities
        )
    return {"components": len(created), "relations": len(edges), "people": len(persons)}
