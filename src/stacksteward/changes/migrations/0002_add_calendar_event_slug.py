"""CalendarEvent.slug: the natural key stack-as-code files name events by. Existing events get a slug made
from their name (``-2``, ``-3``… when two share a name) before the column becomes unique."""

from django.db import migrations, models
from django.utils.text import slugify


def fill_slugs(apps, schema_editor):
    CalendarEvent = apps.get_model("changes", "CalendarEvent")
    taken = {"add"}  # reserved: the page that adds new entries
    for event in CalendarEvent.objects.order_by("id").only("id", "name"):
        base = slugify(event.name)[:100].strip("-") or "event"
        slug, n = base, 2
        while slug in taken:
            suffix = f"-{n}"
            slug = base[: 100 - len(suffix)] + suffix
            n += 1
        taken.add(slug)
        CalendarEvent.objects.filter(pk=event.pk).update(slug=slug)


class Migration(migrations.Migration):

    dependencies = [
        ("changes", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarevent",
            name="slug",
            field=models.SlugField(blank=True, default="", max_length=100, db_index=False),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="calendarevent",
            name="slug",
            field=models.SlugField(
                blank=True, max_length=100, unique=True,
                help_text="A short stable name (letters, digits, hyphens) that stack-as-code files use to refer "
                          "to the event; made from the name when left empty."),
        ),
    ]
