from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from .choices import AuditActionChoices, AuditSourceChoices, NotificationKindChoices, QuestionStatusChoices
from .querysets import RestrictedQuerySet

# Slugs that would be hidden behind a fixed URL such as ``components/add/``.
RESERVED_SLUGS = frozenset({"add"})


def unique_slug(model, text: str, *, field: str = "slug", exclude_pk=None, taken=None, fallback: str = "item",
                suffix: str = "") -> str:
    """A slug made from ``text`` that no other ``model`` row uses in ``field`` (nor ``taken``, nor a reserved
    word): ``q3-freeze``, then ``q3-freeze-2``, ``-3``… ``suffix`` is tried first when the plain slug is taken
    (``hubspot-hs-01-2027`` for a contract's next term) and is then the one numbered."""
    max_length = model._meta.get_field(field).max_length
    rows = model._default_manager.all() if exclude_pk is None else model._default_manager.exclude(pk=exclude_pk)

    def free(value: str) -> bool:
        return (value not in RESERVED_SLUGS and not (taken and value in taken)
                and not rows.filter(**{field: value}).exists())

    base = slugify(text)[:max_length].strip("-") or fallback
    if free(base):
        return base
    if suffix:
        base = f"{base[: max_length - len(suffix) - 1]}-{suffix}"
        if free(base):
            return base
    n = 2
    while True:
        numbered = f"{base[: max_length - len(str(n)) - 1]}-{n}"
        if free(numbered):
            return numbered
        n += 1


class BaseModel(models.Model):
    """Timestamps and a version number for optimistic concurrency (no lost update)."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RestrictedQuerySet.as_manager()

    # Field names left out of audit snapshots and exports.
    audit_exclude: tuple[str, ...] = ("created_at", "updated_at")

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        slug = getattr(self, "slug", None)
        if slug in RESERVED_SLUGS and "slug" not in (exclude or ()):
            errors.setdefault("slug", []).append(f"“{slug}” is reserved for the page that adds new entries; "
                                                 "choose another short name.")
        if errors:
            raise ValidationError(errors)


class Tag(BaseModel):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:60]
        super().save(*args, **kwargs)


class AuditEntry(models.Model):
    """One write: who, when, what, before and after. Never updated, never deleted by the app."""

    timestamp = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    actor_name = models.CharField(max_length=150)
    source = models.CharField(max_length=10, choices=AuditSourceChoices.choices, default=AuditSourceChoices.UI)
    action = models.CharField(max_length=10, choices=AuditActionChoices.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=200)
    related_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    related_object_id = models.CharField(max_length=64, blank=True, default="")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["related_content_type", "related_object_id"], name="audit_related_idx"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.actor_name} {self.action} {self.object_repr}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field that differs."""
        before = self.before or {}
        after = self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class Question(BaseModel):
    """A question about any object, addressed to a person or a department.

    It stays open until the person who asked marks it answered; answers can be given until then.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    target_repr = models.CharField("about", max_length=200)
    text = models.TextField("question")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions_asked"
    )
    asker_name = models.CharField(max_length=150)
    addressed_person = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="questions",
        verbose_name="addressed to (person)",
    )
    addressed_department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="questions",
        verbose_name="addressed to (department)",
    )
    status = models.CharField(max_length=10, choices=QuestionStatusChoices.choices, default=QuestionStatusChoices.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="question_target_idx"),
            models.Index(fields=["status", "created_at"], name="question_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(addressed_person__isnull=False) | models.Q(addressed_department__isnull=False),
                name="core_question_addressed",
            ),
        ]

    def __str__(self):
        text = self.text if len(self.text) <= 80 else self.text[:77] + "…"
        return f"Q{self.pk}: {text}"

    def get_absolute_url(self):
        return reverse("question", args=[self.pk])

    def clean(self):
        if not self.addressed_person_id and not self.addressed_department_id:
            raise ValidationError({"addressed_person": "Address the question to a person or a department."})
        if not (self.text or "").strip():
            raise ValidationError({"text": "Write the question."})

    @property
    def is_open(self) -> bool:
        return self.status == QuestionStatusChoices.OPEN

    @property
    def addressee(self):
        return self.addressed_person or self.addressed_department

    @property
    def target(self):
        """The object the question is about, or None once it is deleted."""
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model is not None else None


class Answer(BaseModel):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField("answer")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    author_name = models.CharField(max_length=150)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Answer to Q{self.question_id} by {self.author_name}"

    @property
    def target(self):
        """What the question is about (an answer's audit entry shows there too)."""
        return self.question.target

    def clean(self):
        if not (self.text or "").strip():
            raise ValidationError({"text": "Write the answer."})


class Notification(models.Model):
    """One message in a user's in-app inbox. Other channels (email, webhooks) plug into ``core.notifications``."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=NotificationKindChoices.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx")]

    def __str__(self):
        return f"{self.recipient}: {self.title}"

    @staticmethod
    def restrict_rows(queryset, user, action):
        return queryset.filter(recipient=user) if user is not None and user.is_authenticated else queryset.none()


class TransitionQuerySet(RestrictedQuerySet):
    def about(self, obj):
        """The transitions of ``obj``, oldest first."""
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        return self.filter(content_type=content_type, object_id=str(obj.pk))


class Transition(models.Model):
    """One step taken in a workflow (``core.workflow``): who moved which object from which state to which,
    by which step and why. Written only by ``Workflow.move``/``record``; never changed."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    content_object = GenericForeignKey("content_type", "object_id")
    workflow = models.CharField(max_length=100, help_text="The model whose workflow it is (app_label.model).")
    step = models.CharField(max_length=40, blank=True)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = TransitionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="transition_object_idx")]

    def __str__(self):
        return f"{self.object_id}: {self.from_status or '—'} → {self.to_status}"

    def _label(self, state: str) -> str:
        from .workflow import workflow_for

        flow = workflow_for(self.workflow)
        return flow.label(state) if flow is not None and state else state

    def get_from_status_display(self) -> str:
        return self._label(self.from_status)

    def get_to_status_display(self) -> str:
        return self._label(self.to_status)
