import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from stacksteward.core.models import BaseModel
from stacksteward.core.querysets import RestrictedQuerySet

from .choices import DepartmentKindChoices, PersonArchetypeChoices


class Department(BaseModel):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=DepartmentKindChoices.choices, default=DepartmentKindChoices.OTHER)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("org:department", args=[self.slug])


def is_time_zone(name: str) -> bool:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


class Person(BaseModel):
    """Someone who owns, runs or uses the stack. A person can exist without a login."""

    name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254, blank=True, default="")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="people")
    title = models.CharField(max_length=150, blank=True)
    archetype = models.CharField(
        "martech role", max_length=10, choices=PersonArchetypeChoices.choices, default=PersonArchetypeChoices.NONE
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports", verbose_name="reports to"
    )
    available = models.BooleanField(default=True, help_text="Untick when the person has left or is away for long.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    time_zone = models.CharField(
        "time zone", max_length=64, blank=True, default="",
        help_text="The time zone dates and times are shown to this person in, e.g. Europe/Berlin. "
                  "Empty: the company's.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="org_person_unique_email"
            ),
            models.CheckConstraint(condition=~models.Q(manager=models.F("id")), name="org_person_not_own_manager"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("org:person", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        self.email = (self.email or "").strip().lower()
        self.time_zone = (self.time_zone or "").strip()
        if self.time_zone and not is_time_zone(self.time_zone):
            raise ValidationError({"time_zone": f"“{self.time_zone}” is not a time zone name; use one such as "
                                                "Europe/Berlin or America/New_York."})
        if self.pk and self.manager_id == self.pk:
            raise ValidationError({"manager": "A person cannot report to themselves."})

    def validate_unique(self, exclude=None):
        from django.core.exceptions import ValidationError

        super().validate_unique(exclude)
        if self.email:
            clash = Person.objects.filter(email__iexact=self.email).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError({"email": f"{self.email} is already used by {clash.first()}."})


class ApiTokenQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        )


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 hash is stored; the key is shown once."""

    PREFIX = "sst_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField(
        max_length=12, editable=False, help_text="The key's first characters, to tell tokens apart."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.key_hint}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def generate_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
