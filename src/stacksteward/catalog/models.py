from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify

from stacksteward.core.models import BaseModel, Tag

from .choices import (
    ComponentHostingChoices,
    ComponentKindChoices,
    ComponentLifecycleChoices,
    ComponentTierChoices,
    RaciActivityChoices,
    RaciRoleChoices,
    RelationFrequencyChoices,
    RelationMechanismChoices,
    RelationTypeChoices,
    VendorStatusChoices,
)
from .querysets import ComponentQuerySet, RelationQuerySet


class DataCategory(BaseModel):
    """What kind of data a component holds or a relation carries (fideslang-style dotted keys)."""

    key = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=150)
    is_personal = models.BooleanField("personal data", default=False)

    class Meta:
        ordering = ["key"]
        verbose_name_plural = "data categories"

    def __str__(self):
        return self.key

    @classmethod
    def display_labels(cls) -> dict[str, str]:
        """Key → name, to show the keys frozen in audit snapshots by their names (one query)."""
        return dict(cls.objects.values_list("key", "name"))


class Category(BaseModel):
    """Two-level martech landscape taxonomy: groups and their sub-categories."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="group"
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["parent__name", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="catalog_category_unique_name_in_group"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:category", args=[self.slug])

    def clean(self):
        if not self.slug and self.name:
            self.slug = slugify(self.name)[:100]
        if self.parent_id:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": "A category cannot be its own group."})
            if self.parent.parent_id:
                raise ValidationError({"parent": f"“{self.parent}” is a sub-category; choose a top-level group."})
            if self.pk and self.children.exists():
                raise ValidationError(
                    {"parent": "This category has sub-categories, so it must stay a top-level group."}
                )


class Vendor(BaseModel):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    website = models.URLField(blank=True)
    status = models.CharField(max_length=10, choices=VendorStatusChoices.choices, default=VendorStatusChoices.ACTIVE)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="catalog_vendor_unique_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:vendor", args=[self.slug])

    def clean(self):
        self.name = (self.name or "").strip()
        if not self.slug and self.name:
            self.slug = slugify(self.name)[:150]

    def validate_unique(self, exclude=None):
        super().validate_unique(exclude)
        if self.name and Vendor.objects.filter(name__iexact=self.name).exclude(pk=self.pk).exists():
            raise ValidationError({"name": f"A vendor named “{self.name}” already exists."})


class Component(BaseModel):
    """Anything in the stack that someone owns: a SaaS tool, a database, the website, a social account…"""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True, help_text="Short unique name used in URLs and files.")
    kind = models.CharField(
        max_length=25, choices=ComponentKindChoices.choices, default=ComponentKindChoices.APPLICATION
    )
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="components")
    vendor = models.ForeignKey(Vendor, null=True, blank=True, on_delete=models.PROTECT, related_name="components")
    hosting = models.CharField(
        max_length=20, choices=ComponentHostingChoices.choices, default=ComponentHostingChoices.SAAS
    )
    lifecycle = models.CharField(
        max_length=20, choices=ComponentLifecycleChoices.choices, default=ComponentLifecycleChoices.ACTIVE
    )
    tier = models.PositiveSmallIntegerField(
        "criticality tier", choices=ComponentTierChoices.choices, default=ComponentTierChoices.TIER_3,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    business_owner = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="business_owned_components"
    )
    technical_owner = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="technical_owned_components"
    )
    description = models.TextField(blank=True)
    url = models.URLField("URL", blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="components")
    seats_purchased = models.PositiveIntegerField(null=True, blank=True)
    seats_used = models.PositiveIntegerField(null=True, blank=True)
    annual_cost = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, default=settings.STEWARD_CURRENCY,
                                help_text="ISO 4217 code, e.g. USD, EUR, GBP.")
    renewal_date = models.DateField(null=True, blank=True, help_text="Kept until contracts are managed here.")
    data_categories = models.ManyToManyField(DataCategory, blank=True, related_name="components",
                                             help_text="The kinds of data this component holds.")

    objects = ComponentQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # Lists page through components in name order; without it a late page sorts the whole table.
            models.Index(fields=["name", "id"], name="catalog_component_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(tier__gte=1, tier__lte=4), name="catalog_component_tier_1_4"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:component", args=[self.slug])

    def clean(self):
        self.currency = (self.currency or "").strip().upper()
        if self.currency and (len(self.currency) != 3 or not self.currency.isalpha()):
            raise ValidationError({"currency": "Use a three-letter ISO currency code such as USD or EUR."})
        if not self.slug and self.name:
            self.slug = slugify(self.name)[:150]
        if (
            self.seats_used is not None
            and self.seats_purchased is not None
            and self.seats_used > self.seats_purchased
        ):
            raise ValidationError(
                {"seats_used": f"Seats used ({self.seats_used}) cannot exceed "
                               f"seats purchased ({self.seats_purchased})."}
            )

    @property
    def seat_utilisation(self) -> float | None:
        if not self.seats_purchased or self.seats_used is None:
            return None
        return self.seats_used / self.seats_purchased


class Relation(BaseModel):
    """A directed edge. data_flow A→B: data moves from A to B. depends_on/hosted_on B→A: B needs A."""

    source = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="outgoing_relations",
                               verbose_name="from")
    target = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="incoming_relations",
                               verbose_name="to")
    type = models.CharField(max_length=12, choices=RelationTypeChoices.choices, default=RelationTypeChoices.DATA_FLOW)
    data_categories = models.ManyToManyField(DataCategory, blank=True, related_name="relations",
                                             help_text="The kinds of data this relation carries.")
    mechanism = models.CharField(max_length=20, choices=RelationMechanismChoices.choices, blank=True)
    frequency = models.CharField(max_length=12, choices=RelationFrequencyChoices.choices, blank=True)
    description = models.TextField(blank=True)

    objects = RelationQuerySet.as_manager()

    class Meta:
        ordering = ["source__name", "target__name", "type"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "type"], name="catalog_relation_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="catalog_relation_no_self_loop"
            ),
        ]

    def __str__(self):
        return f"{self.source} → {self.target} ({self.get_type_display().split(' (')[0].lower()})"

    def get_absolute_url(self):
        return reverse("catalog:relation", args=[self.pk])

    def clean(self):
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError({"target": "A relation must connect two different components."})

    def validate_unique(self, exclude=None):
        super().validate_unique(exclude)
        if self.source_id and self.target_id and self.type:
            clash = Relation.objects.filter(source_id=self.source_id, target_id=self.target_id, type=self.type)
            if clash.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"target": f"This {self.type} relation from {self.source} to {self.target} already exists."}
                )

    def validate_constraints(self, exclude=None):
        # clean() and validate_unique() give field-named messages for the two constraints above.
        pass


class RaciAssignment(BaseModel):
    """Per component × activity: a department or a person holds R, A, C or I."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="raci_assignments")
    activity = models.CharField(max_length=20, choices=RaciActivityChoices.choices)
    role = models.CharField(max_length=1, choices=RaciRoleChoices.choices)
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="raci_assignments")
    person = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="raci_assignments")

    class Meta:
        ordering = ["component__name", "activity", "role"]
        verbose_name = "RACI assignment"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(department__isnull=False, person__isnull=True)
                           | models.Q(department__isnull=True, person__isnull=False)),
                name="catalog_raci_department_xor_person",
            ),
            models.UniqueConstraint(fields=["component", "activity", "role", "department"],
                                    condition=models.Q(department__isnull=False),
                                    name="catalog_raci_unique_department"),
            models.UniqueConstraint(fields=["component", "activity", "role", "person"],
                                    condition=models.Q(person__isnull=False), name="catalog_raci_unique_person"),
        ]

    def __str__(self):
        return f"{self.component} · {self.get_activity_display()} · {self.role}: {self.holder}"

    @property
    def holder(self):
        return self.person if self.person_id else self.department

    def clean(self):
        if bool(self.department_id) == bool(self.person_id):
            raise ValidationError({"department": "Choose either a department or a person (exactly one)."})

    def validate_unique(self, exclude=None):
        super().validate_unique(exclude)
        if self.component_id and self.activity and self.role:
            same = RaciAssignment.objects.filter(
                component_id=self.component_id, activity=self.activity, role=self.role,
                department_id=self.department_id, person_id=self.person_id,
            ).exclude(pk=self.pk)
            if same.exists():
                raise ValidationError({"role": f"{self.holder} already holds {self.role} for this activity."})

    def validate_constraints(self, exclude=None):
        # clean() and validate_unique() give field-named messages for the constraints above.
        pass
