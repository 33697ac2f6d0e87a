"""Moving a workflow's own transition table into ``core.Transition`` (used by the apps' data migrations;
it reads models only through the migration's ``apps``, so it stays valid as the models change)."""


def copy_to_core(apps, *, app_label: str, old_model: str, fk: str, workflow: str, steps: dict[str, str],
                 first_step: str) -> None:
    """Every row of ``app_label.old_model`` becomes a ``core.Transition`` of the object ``fk`` names, unchanged
    (the step named from its target status, ``first_step`` for the first row of each object)."""
    old = apps.get_model(app_label, old_model)
    new = apps.get_model("core", "Transition")
    model = workflow.split(".", 1)[1]
    content_type = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label=app_label, model=model)[0]
    olds = list(old.objects.order_by("created_at", "id"))
    created = new.objects.bulk_create([
        new(content_type_id=content_type.pk, object_id=str(getattr(t, f"{fk}_id")), workflow=workflow,
            step=first_step if not t.from_status else steps.get(t.to_status, ""), from_status=t.from_status,
            to_status=t.to_status, note=t.note, actor_id=t.actor_id, actor_name=t.actor_name)
        for t in olds], batch_size=1000)
    for row, t in zip(created, olds, strict=True):  # ``created_at`` is auto_now_add: keep the original times
        new.objects.filter(pk=row.pk).update(created_at=t.created_at)


def copy_back(apps, *, app_label: str, old_model: str, fk: str, workflow: str) -> None:
    old = apps.get_model(app_label, old_model)
    new = apps.get_model("core", "Transition")
    for t in new.objects.filter(workflow=workflow).order_by("created_at", "id"):
        row = old.objects.create(**{f"{fk}_id": int(t.object_id)}, from_status=t.from_status, to_status=t.to_status,
                                 note=t.note, actor_id=t.actor_id, actor_name=t.actor_name)
        old.objects.filter(pk=row.pk).update(created_at=t.created_at)
    new.objects.filter(workflow=workflow).delete()
