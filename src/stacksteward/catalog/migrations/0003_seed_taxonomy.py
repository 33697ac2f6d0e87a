from django.db import migrations
from django.utils.text import slugify


def seed(apps, schema_editor):
    from stacksteward.catalog.choices import DATA_CATEGORIES
    from stacksteward.catalog.taxonomy import LANDSCAPE

    Category = apps.get_model("catalog", "Category")
    DataCategory = apps.get_model("catalog", "DataCategory")
    for group_name, children in LANDSCAPE.items():
        group, _ = Category.objects.get_or_create(slug=slugify(group_name), defaults={"name": group_name})
        for name in children:
            Category.objects.get_or_create(slug=slugify(name), defaults={"name": name, "parent": group})
    for key, name, personal in DATA_CATEGORIES:
        DataCategory.objects.get_or_create(key=key, defaults={"name": name, "is_personal": personal})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
