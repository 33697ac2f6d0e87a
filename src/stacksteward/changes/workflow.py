"""The change workflow, declared once (``core.workflow``): which status may follow which, by which named
step. Emergency changes may be scheduled or implemented before they are approved (approval after the fact,
review required); approval and rejection are the consequence of the departments' decisions (internal
steps, taken by ``services.approval_decide``), never a plain move. Who may take a step is the step's rule in
``policies.CHANGES``."""

from stacksteward.core.workflow import Step, Workflow

from .choices import ChangeStatusChoices as S
from .choices import ChangeTypeChoices as T
from .models import ChangeRequest

DECIDABLE = (S.SUBMITTED, S.ASSESSING, S.AWAITING_APPROVAL)


def _emergency(change) -> bool:
    return change.type == T.EMERGENCY


# Listed in the order people are offered the moves.
CHANGE_WORKFLOW = Workflow(ChangeRequest, S, closed_text="nothing (approval or rejection comes from the "
                                                         "departments' decisions)", steps=[
    Step("submit", S.SUBMITTED, (S.DRAFT,)),
    Step("assess", S.ASSESSING, (S.SUBMITTED,)),
    Step("request_approval", S.AWAITING_APPROVAL, (S.SUBMITTED, S.ASSESSING)),
    Step("schedule", S.SCHEDULED, (S.APPROVED,)),
    Step("schedule", S.SCHEDULED, DECIDABLE, when=_emergency),
    Step("implement", S.IMPLEMENTED, (S.SCHEDULED,)),
    Step("implement", S.IMPLEMENTED, DECIDABLE, when=_emergency),
    Step("fail", S.FAILED, (S.SCHEDULED,), requires=("note",), messages={"note": "Say what happened."}),
    Step("roll_back", S.ROLLED_BACK, (S.SCHEDULED,), requires=("note",), messages={"note": "Say what happened."}),
    Step("review", S.REVIEWED, (S.IMPLEMENTED, S.FAILED, S.ROLLED_BACK)),
    Step("approve", S.APPROVED, DECIDABLE, internal=True),
    Step("reject", S.REJECTED, DECIDABLE, internal=True),
])
CREATE_STEP = "create"  # the transition recorded when a change is drafted ("" → draft)
