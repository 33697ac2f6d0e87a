"""Contract.key: the natural key stack-as-code files name contracts by. Existing contracts get a key made from
their vendor and reference (the start year, then ``-2``, ``-3``… when taken) before the column becomes unique."""

from django.db import migrations, models
from django.utils.text import slugify


def fill_keys(apps, schema_editor):
    Contract = apps.get_model("finance", "Contract")
    taken = set()
    for contract in Contract.objects.order_by("id").select_related("vendor").only(
            "id", "reference", "start_date", "vendor__slug"):
        base = slugify(f"{contract.vendor.slug} {contract.reference}")[:100].strip("-") or "contract"
        candidates = [base]
        if contract.start_date:
            candidates.append(f"{base[:95]}-{contract.start_date.year}")
        key = next((k for k in candidates if k not in taken), None)
        n = 2
        while key is None:
            suffix = f"-{n}"
            candidate = candidates[-1][: 100 - len(suffix)] + suffix
            key = candidate if candidate not in taken else None
            n += 1
        taken.add(key)
        Contract.objects.filter(pk=contract.pk).update(key=key)


class Migration(migrations.Migration):

    dependencies = [
        ("finance", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="contract",
            name="key",
            field=models.SlugField(blank=True, default="", max_length=100, db_index=False),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="contract",
            name="key",
            field=models.SlugField(
                blank=True, max_length=100, unique=True,
                help_text="A short stable name (letters, digits, hyphens) that stack-as-code files use to refer "
                          "to the contract; made from the vendor and the reference when left empty."),
        ),
    ]
