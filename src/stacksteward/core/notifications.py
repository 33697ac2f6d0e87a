"""The one notification service: who hears about what, and through which channels.

Services call ``notify`` inside their transaction with whoever is affected — users, people or
whole departments. The in-app inbox rows (``Notification``) are written in that transaction, so
they exist exactly when the change does. Channels that leave the process (email, webhooks) are
registered with ``register_channel`` and run after commit through the tasks framework, so a
slow mail server never holds a write open and a rolled-back change sends nothing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .actors import actor_name as name_of
from .actors import user_of
from .models import Notification


@dataclass(frozen=True)
class Message:
    kind: str
    title: str
    body: str = ""
    url: str = ""
    actor_name: str = ""
    recipient_ids: tuple[int, ...] = field(default_factory=tuple)


Channel = Callable[[Message], None]
_channels: dict[str, Channel] = {}


def register_channel(name: str, deliver: Channel) -> None:
    """Add a channel (``deliver(message)`` runs after commit, in a task). Re-registering replaces it."""
    _channels[name] = deliver


def unregister_channel(name: str) -> None:
    _channels.pop(name, None)


def resolve_recipients(recipients: Iterable) -> list:
    """Active users behind a mix of users, people (their login) and departments (their people's logins).

    Two queries at most, whatever the number of recipients.
    """
    from stacksteward.org.models import Department, Person

    User = get_user_model()
    users: dict[int, object] = {}
    person_ids, department_ids = set(), set()
    for r in recipients:
        if r is None:
            continue
        if isinstance(r, Person):
            person_ids.add(r.pk)
        elif isinstance(r, Department):
            department_ids.add(r.pk)
        elif isinstance(r, User):
            if r.is_active:
                users[r.pk] = r
        else:
            raise TypeError(f"cannot notify {r!r}")
    if person_ids or department_ids:
        found = User.objects.filter(is_active=True).filter(
            models.Q(person__id__in=person_ids) | models.Q(person__department_id__in=department_ids))
        for user in found:
            users.setdefault(user.pk, user)
    return sorted(users.values(), key=lambda u: u.pk)


def notify(recipients: Iterable, *, kind: str, title: str, body: str = "", url: str = "", target=None,
           actor=None) -> list[Notification]:
    """Tell everyone in ``recipients`` (except the actor) about something that happened to ``target``."""
    users = resolve_recipients(recipients)
    actor_id = getattr(user_of(actor), "pk", None)
    users = [u for u in users if u.pk != actor_id]
    if not users:
        return []
    content_type = ContentType.objects.get_for_model(target, for_concrete_model=True) if target is not None else None
    actor_label = name_of(actor)[:150] if actor is not None else ""
    rows = Notification.objects.bulk_create([
        Notification(recipient=u, kind=kind, title=title[:200], body=body, url=url[:300], actor_name=actor_label,
                     content_type=content_type, object_id=str(target.pk) if target is not None else "")
        for u in users
    ])
    if _channels:
        message = Message(kind=kind, title=title, body=body, url=url, actor_name=actor_label,
                          recipient_ids=tuple(u.pk for u in users))
        transaction.on_commit(lambda: _send(message))
    return rows


def _send(message: Message) -> None:
    from .tasks import deliver_notification

    deliver_notification.enqueue(kind=message.kind, title=message.title, body=message.body, url=message.url,
                                 actor_name=message.actor_name, recipient_ids=list(message.recipient_ids))


def deliver(message: Message) -> None:
    """Run every registered channel for one message (called by the task)."""
    for deliver_to in list(_channels.values()):
        deliver_to(message)


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when ``ids`` is None); returns how many changed."""
    from django.utils import timezone

    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return queryset.update(read_at=timezone.now())


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
