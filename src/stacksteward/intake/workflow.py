"""The request workflow, declared once (``core.workflow``): which status may follow which, by which named
step. Who may take a step is the step's rule in ``policies.REQUESTS``; what else a step needs (a planned
date, feasibility answered, a fresh answer after a change order) is checked by ``services.request_transition``.

``change_scope`` is internal: nobody presses it. ``services.request_update`` takes it when the requester
changes what, why, needed-by or the success KPIs after the delivering side has answered or planned the
request (a change order); the request then needs a new estimate before it is accepted or planned again."""

from stacksteward.core.workflow import Step, Workflow

from .choices import RequestStatusChoices as S
from .models import Request

# The statuses in which a scope change by the requester is a change order (once the delivering side has
# answered or planned): the work is still ahead. A request already needing a re-estimate records further
# change orders without moving.
CHANGE_ORDER_FROM = (S.SUBMITTED, S.CLARIFYING, S.ACCEPTED, S.PLANNED, S.IN_PROGRESS)

# Listed in the order people are offered the moves (a step's place decides where its button goes).
REQUEST_WORKFLOW = Workflow(Request, S, steps=[
    Step("deliver", S.DELIVERED, (S.IN_PROGRESS,)),
    Step("plan", S.PLANNED, (S.ACCEPTED, S.IN_PROGRESS, S.NEEDS_REESTIMATE)),
    Step("start", S.IN_PROGRESS, (S.PLANNED,)),
    Step("clarify", S.CLARIFYING, (S.SUBMITTED, S.NEEDS_REESTIMATE)),
    Step("resubmit", S.SUBMITTED, (S.CLARIFYING,)),
    Step("accept", S.ACCEPTED, (S.SUBMITTED, S.CLARIFYING, S.PLANNED, S.NEEDS_REESTIMATE)),
    Step("decline", S.DECLINED, (S.SUBMITTED, S.CLARIFYING, S.ACCEPTED, S.NEEDS_REESTIMATE), requires=("note",),
         messages={"note": "Say why the request is declined."}),
    Step("withdraw", S.WITHDRAWN, (S.SUBMITTED, S.CLARIFYING, S.ACCEPTED, S.PLANNED, S.NEEDS_REESTIMATE)),
    Step("change_scope", S.NEEDS_REESTIMATE, CHANGE_ORDER_FROM, internal=True),
    Step("measure", S.MEASURED, (S.DELIVERED,), requires=("note",),
         messages={"note": "Say how it did against its success KPIs."}),
])
FILE_STEP = "file"  # the transition recorded when a request is filed ("" → submitted)
