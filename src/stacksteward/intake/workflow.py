"""The request workflow, declared once (``core.workflow``): which status may follow which, by which named
step. Who may take a step is the step's rule in ``policies.REQUESTS``; what else a step needs (a planned
date, feasibility answered) is checked by ``services.request_transition``."""

from stacksteward.core.workflow import Step, Workflow

from .choices import RequestStatusChoices as S
from .models import Request

# Listed in the order people are offered the moves (a step's place decides where its button goes).
REQUEST_WORKFLOW = Workflow(Request, S, steps=[
    Step("deliver", S.DELIVERED, (S.IN_PROGRESS,)),
    Step("plan", S.PLANNED, (S.ACCEPTED, S.IN_PROGRESS)),
    Step("start", S.IN_PROGRESS, (S.PLANNED,)),
    Step("clarify", S.CLARIFYING, (S.SUBMITTED,)),
    Step("resubmit", S.SUBMITTED, (S.CLARIFYING,)),
    Step("accept", S.ACCEPTED, (S.SUBMITTED, S.CLARIFYING, S.PLANNED)),
    Step("decline", S.DECLINED, (S.SUBMITTED, S.CLARIFYING, S.ACCEPTED), requires=("note",),
         messages={"note": "Say why the request is declined."}),
    Step("withdraw", S.WITHDRAWN, (S.SUBMITTED, S.CLARIFYING, S.ACCEPTED, S.PLANNED)),
    Step("measure", S.MEASURED, (S.DELIVERED,), requires=("note",),
         messages={"note": "Say how it did against its success KPIs."}),
])
FILE_STEP = "file"  # the transition recorded when a request is filed ("" → submitted)
