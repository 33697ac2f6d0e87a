"""Selection.key: the natural key stack-as-code files name selections by. Existing selections get a key made from
their title (``-2``, ``-3``… when taken) before the column becomes unique."""

from django.db import migrations, models
from django.utils.text import slugify


def fill_keys(apps, schema_editor):
    Selection = apps.get_model("finance", "Selection")
    taken = set()
    for selection in Selection.objects.order_by("id").only("id", "title"):
        base = slugify(selection.title)[:100].strip("-") or "selection"
        key, n = base, 2
        while key in taken:
            suffix = f"-{n}"
            key = base[: 100 - len(suffix)] + suffix
            n += 1
        taken.add(key)
        Selection.objects.filter(pk=selection.pk).update(key=key)


class Migration(migrations.Migration):

    dependencies = [
        ("finance", "0002_add_contract_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="selection",
            name="key",
            field=models.SlugField(blank=True, default="", max_length=100, db_index=False),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="selection",
            name="key",
            field=models.SlugField(
                blank=True, max_length=100, unique=True,
                help_text="A short stable name (letters, digits, hyphens) that stack-as-code files use to refer "
                          "to the selection; made from the title when left empty."),
        ),
    ]
