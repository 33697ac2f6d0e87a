"""Benchmarks: import time and peak memory, list API latency, impact latency — on SQLite and PostgreSQL.

    python benchmarks/run.py [--databases sqlite,postgresql] [--components 10000] [--relations 50000]
                             [--people 2000] [--requests 200] [--record]

Each step runs in its own process (so peak memory is the import's own), against a fresh database:
1. generate the seeded stress stack into database A and export it as stack-as-code YAML;
2. time `import_file` of that YAML into an empty database B, and read that process's peak RSS;
3. on database A, time `GET /api/components?limit=100&offset=…` and `GET /api/components/{slug}/impact`
   for the most connected component, through Django's test client (no network in between).
4. on database A, time the impact, conflicts and risk of a change on that component (what the change
   form's preview and a submission compute), and the agenda of a meeting with 200 changes awaiting a decision.
`--record` appends the figures to docs/benchmarks.md. Targets: import ≤ 20 s and ≤ 500 MB;
list p95 ≤ 50 ms; impact p95 ≤ 50 ms; change impact p95 ≤ 50 ms; agenda of 200 changes ≤ 1 s.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _fresh_database(kind: str, name: str, workdir: Path) -> str:
    if kind == "sqlite":
        path = workdir / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _child(step: str, database_url: str, workdir: Path, args) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url, STEWARD_DATA_DIR=str(workdir / "data"),
               DJANGO_SETTINGS_MODULE="stacksteward.settings", DEBUG="0")
    out = workdir / f"{step}.json"
    cmd = [sys.executable, __file__, "--child", step, "--workdir", str(workdir), "--out", str(out),
           "--components", str(args.components), "--relations", str(args.relations),
           "--people", str(args.people), "--requests", str(args.requests)]
    subprocess.run(cmd, env=env, check=True)
    return json.loads(out.read_text())


def _percentiles(samples: list[float]) -> dict:
    samples = sorted(samples)
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50_ms": round(q[49] * 1000, 2), "p95_ms": round(q[94] * 1000, 2), "n": len(samples)}


def child(step: str, workdir: Path, out: Path, args) -> None:
    import resource
    import time

    import django

    django.setup()
    from django.core.management import call_command

    import stacksteward.wsgi  # noqa: F401  (the production process set-up: URL conf loaded, start-up objects frozen)
    from stacksteward.core.actors import SystemActor

    call_command("migrate", verbosity=0)
    result: dict = {}
    if step == "generate":
        from benchmarks.generate import generate
        from stacksteward.stackcode.exporter import export_stack

        started = time.perf_counter()
        result["counts"] = generate(components=args.components, relations=args.relations, people=args.people)
        result["generate_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        (workdir / "stress.yaml").write_bytes(export_stack("yaml"))
        result["export_s"] = round(time.perf_counter() - started, 2)
        result["export_mb"] = round((workdir / "stress.yaml").stat().st_size / 1e6, 1)
    elif step == "import":
        from stacksteward.stackcode.importer import import_file

        content = (workdir / "stress.yaml").read_bytes()
        base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        report = import_file("stress.yaml", content, actor=SystemActor.cli("benchmark"), dry_run=False)
        result["import_s"] = round(time.perf_counter() - started, 2)
        result["ok"] = report.ok
        result["errors"] = [str(e) for e in report.errors[:5]]
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        result["rss_before_import_mb"] = round(base_rss, 1)
    elif step == "latency":
        import random

        from django.db.models import Count
        from django.test import Client

        from stacksteward.catalog.models import Component
        from stacksteward.org.services import token_create, user_create

        user = user_create(actor=SystemActor.cli("benchmark"), username=f"bench{int(time.time())}", password=None,
                           role="viewer")
        _token, key = token_create(actor=SystemActor.cli("benchmark"), user=user)
        client = Client(headers={"Authorization": f"Bearer {key}"})
        total = Component.objects.count()
        rng = random.Random(1)
        samples = []
        for _ in range(args.requests):
            offset = rng.randrange(0, max(1, total - 100))
            started = time.perf_counter()
            response = client.get(f"/api/components?limit=100&offset={offset}")
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, response.content[:200]
        result["list"] = _percentiles(samples)
        hub = (Component.objects.annotate(degree=Count("outgoing_relations", distinct=True)
                                          + Count("incoming_relations", distinct=True))
               .order_by("-degree").first())
        started = time.perf_counter()
        response = client.get(f"/api/components/{hub.slug}/impact")
        result["impact_cold_ms"] = round((time.perf_counter() - started) * 1000, 1)
        body = response.json()
        result["impact_component"] = hub.slug
        result["impact_rows"] = {"downstream": body["downstream_count"], "upstream": body["upstream_count"],
                                 "returned": len(body["downstream"]) + len(body["upstream"])}
        samples = []
        for _ in range(max(20, args.requests // 4)):
            started = time.perf_counter()
            response = client.get(f"/api/components/{hub.slug}/impact")
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200
        result["impact"] = _percentiles(samples)
        result.update(_change_control(hub, max(20, args.requests // 4)))
    out.write_text(json.dumps(result))


def _change_control(hub, repeat: int) -> dict:
    """Impact, conflicts and risk of a change on the hub (as the change form's preview computes them),
    and the agenda of a meeting with 200 changes awaiting a decision."""
    import datetime
    import time

    from django.utils import timezone

    from stacksteward.changes import meetings
    from stacksteward.changes.impact import summary_of
    from stacksteward.changes.models import ChangeApproval, ChangeRequest, Meeting
    from stacksteward.changes.services import assess_change
    from stacksteward.org.models import Department, Person

    start = timezone.now() + datetime.timedelta(days=3)
    draft = ChangeRequest(title="Benchmark", type="normal", window_start=start,
                          window_end=start + datetime.timedelta(hours=2))
    impact, _conflicts, _risk = assess_change(draft, component_ids=[hub.pk])  # warm the graph cache
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        impact, conflicts, risk = assess_change(draft, component_ids=[hub.pk])
        samples.append(time.perf_counter() - started)
    out = {"change_impact": _percentiles(samples),
           "change_impact_rows": {"components": len(impact.components), "departments": len(impact.departments)}}
    # The hub is the most connected component, but most of its edges bring data in; the widest impact
    # comes from a component whose changes reach furthest downstream: time that one too.
    from stacksteward.catalog import graph as g

    graph = g.load_graph()
    busiest = sorted(graph.downstream, key=lambda node: len(graph.downstream[node]), reverse=True)[:50]
    widest = max(busiest, key=lambda node: len(g.downstream(graph, node)))
    impact, _conflicts, _risk = assess_change(draft, component_ids=[widest])
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        assess_change(draft, component_ids=[widest])
        samples.append(time.perf_counter() - started)
    out["change_impact_widest"] = {**_percentiles(samples), "components": len(impact.components),
                                   "departments": len(impact.departments)}
    snapshot = impact.as_dict()
    snapshot["conflicts"] = [c.as_dict() for c in conflicts]
    summary = summary_of(snapshot, snapshot["conflicts"])
    requester = Person.objects.first()
    departments = list(Department.objects.all()[:3])
    changes = ChangeRequest.objects.bulk_create([
        ChangeRequest(title=f"Pending change {n}", type="normal", requester=requester, status="awaiting_approval",
                      window_start=start + datetime.timedelta(hours=n), rollback_plan="Restore.",
                      window_end=start + datetime.timedelta(hours=n + 1), risk=("high", "medium", "low")[n % 3],
                      risk_reasons=risk.reasons, impact_snapshot=snapshot, impact_summary=summary,
                      impact_computed_at=timezone.now())
        for n in range(200)])
    ChangeRequest.components.through.objects.bulk_create(
        [ChangeRequest.components.through(changerequest_id=c.pk, component_id=hub.pk) for c in changes])
    ChangeApproval.objects.bulk_create([ChangeApproval(change=c, department=d) for c in changes for d in departments])
    meeting = Meeting.objects.create(title="Benchmark CAB", starts_at=timezone.now(),
                                     ends_at=timezone.now() + datetime.timedelta(hours=1))
    samples = []
    for _ in range(10):
        started = time.perf_counter()
        agenda = meetings.agenda(meeting)
        samples.append(time.perf_counter() - started)
    out["agenda"] = {**_percentiles(samples), "items": len(agenda.items)}
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--components", type=int, default=10_000)
    parser.add_argument("--relations", type=int, default=50_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--record", action="store_true", help="append the results to docs/benchmarks.md")
    parser.add_argument("--child")
    parser.add_argument("--workdir")
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.child:
        child(args.child, Path(args.workdir), Path(args.out), args)
        return 0

    results = {}
    for kind in args.databases.split(","):
        with tempfile.TemporaryDirectory(prefix=f"steward-bench-{kind}-") as tmp:
            workdir = Path(tmp)
            source = _fresh_database(kind, "steward_bench_a", workdir)
            generated = _child("generate", source, workdir, args)
            target = _fresh_database(kind, "steward_bench_b", workdir)
            imported = _child("import", target, workdir, args)
            latency = _child("latency", source, workdir, args)
            results[kind] = {**generated, **imported, **latency}
            print(json.dumps({kind: results[kind]}, indent=2))
    if args.record:
        _record(results, args)
    return 0 if all(r.get("ok") for r in results.values()) else 1


def _record(results: dict, args) -> None:
    doc = ROOT / "docs" / "benchmarks.md"
    lines = [f"\n### {datetime.date.today().isoformat()} — {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}\n",
             f"Stack: {args.components:,} components, {args.relations:,} relations, {args.people:,} people.\n",
             "| database | import (s) | import peak RSS (MB) | list p50 / p95 (ms) | impact p50 / p95 (ms) "
             "| impact cold (ms) | impact reach down / up (rows returned) | change impact p50 / p95 (ms) "
             "| widest change impact p50 / p95 (ms, components) | agenda of 200 changes p50 / p95 (ms) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for kind, r in results.items():
        lines.append(
            f"| {kind} | {r['import_s']} | {r['peak_rss_mb']} | {r['list']['p50_ms']} / {r['list']['p95_ms']} "
            f"| {r['impact']['p50_ms']} / {r['impact']['p95_ms']} | {r['impact_cold_ms']} "
            f"| {r['impact_rows']['downstream']} / {r['impact_rows']['upstream']} ({r['impact_rows']['returned']}) "
            f"| {r['change_impact']['p50_ms']} / {r['change_impact']['p95_ms']} "
            f"| {r['change_impact_widest']['p50_ms']} / {r['change_impact_widest']['p95_ms']} "
            f"({r['change_impact_widest']['components']}) "
            f"| {r['agenda']['p50_ms']} / {r['agenda']['p95_ms']} |"
        )
    # New runs go after the last one, before the closing "Where this stands" summary when there is one.
    text = doc.read_text()
    marker = "\n### Where this stands"
    at = text.find(marker)
    if at == -1:
        doc.write_text(text + "\n".join(lines) + "\n")
    else:
        doc.write_text(text[:at] + "\n".join(lines) + "\n" + text[at:])


if __name__ == "__main__":
    raise SystemExit(main())
