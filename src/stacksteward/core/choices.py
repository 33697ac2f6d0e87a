from django.db import models


class AuditActionChoices(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"


class AuditSourceChoices(models.TextChoices):
    UI = "ui", "Web UI"
    API = "api", "API"
    IMPORT = "import", "Import"
    CLI = "cli", "CLI"
    SYSTEM = "system", "System"


class RoleChoices(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    EDITOR = "editor", "Editor"
    ADMIN = "admin", "Admin"


class QuestionStatusChoices(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"


class NotificationKindChoices(models.TextChoices):
    QUESTION_ASKED = "question_asked", "Question asked"
    QUESTION_ANSWERED = "question_answered", "Question answered"
    QUESTION_CLOSED = "question_closed", "Question marked answered"
    STATUS_CHANGED = "status_changed", "Status changed"
    SCHEDULE_CHANGED = "schedule_changed", "Schedule changed"
    RESPONSE_GIVEN = "response_given", "Answer from the delivering side"
    ASSIGNED = "assigned", "Assigned"


# What each state looks like (core/status.py: one palette for every workflow).
from .status import Tone, tones  # noqa: E402

tones(QuestionStatusChoices, {QuestionStatusChoices.OPEN: Tone.WAITING, QuestionStatusChoices.ANSWERED: Tone.DONE})
