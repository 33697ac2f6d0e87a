"""Background work of the core app, run by the tasks framework (immediately by default)."""

from django_tasks import task

from .notifications import Message, deliver


@task()
def deliver_notification(*, kind: str, title: str, body: str, url: str, actor_name: str,
                         recipient_ids: list[int]) -> None:
    """Hand one notification to every registered channel (email, webhooks…)."""
    deliver(Message(kind=kind, title=title, body=body, url=url, actor_name=actor_name,
                    recipient_ids=tuple(recipient_ids)))
