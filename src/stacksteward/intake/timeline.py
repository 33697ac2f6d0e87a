"""A request's timeline, for the request page and the API alike: workflow steps, the delivering
side's answer, questions, answers and their closing, moved dates (the request's own and those of
the backlog items that came from it) and change orders, oldest first. Four queries plus the questions'
answers."""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from stacksteward.core.questions import questions_about

from .models import ChangeOrder, Request, ScheduleChange


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    kind: str  # transition, response, question, answer, question_closed, schedule_change, change_order
    actor_name: str
    obj: object  # the Transition, Request, Question, Answer, ScheduleChange or ChangeOrder
    question: object = None  # for an answer: its question


def schedule_changes_of(request_obj: Request):
    """The request's date moves and those of its backlog items, newest first."""
    return (ScheduleChange.objects.filter(Q(request=request_obj) | Q(backlog_item__request=request_obj))
            .select_related("request", "backlog_item").order_by("-created_at", "-id"))


def change_orders_of(request_obj: Request):
    """The request's change orders, newest first."""
    return ChangeOrder.objects.filter(request=request_obj).order_by("-number")


def request_timeline(request_obj: Request, *, questions=None, changes=None, orders=None) -> list[Entry]:
    """Pass ``questions`` (``questions_about``), ``changes`` (``schedule_changes_of``) and ``orders``
    (``change_orders_of``) when already loaded."""
    questions = list(questions_about(request_obj)) if questions is None else questions
    changes = list(schedule_changes_of(request_obj)) if changes is None else changes
    orders = list(change_orders_of(request_obj)) if orders is None else orders
    entries = [Entry(t.created_at, "transition", t.actor_name, t) for t in request_obj.transitions.all()]
    if request_obj.responded_at:
        entries.append(Entry(request_obj.responded_at, "response",
                             request_obj.responder.name if request_obj.responder else "", request_obj))
    for q in questions:
        entries.append(Entry(q.created_at, "question", q.asker_name, q))
        entries.extend(Entry(a.created_at, "answer", a.author_name, a, q) for a in q.answers.all())
        if q.closed_at:
            entries.append(Entry(q.closed_at, "question_closed", q.asker_name, q))
    entries.extend(Entry(c.created_at, "schedule_change", c.actor_name, c) for c in changes)
    entries.extend(Entry(o.created_at, "change_order", o.actor_name, o) for o in orders)
    entries.sort(key=lambda e: e.at)
    return entries
