"""Contracts beyond their CRUD: the renewals due, and the renewal decision."""

import datetime

from ninja import Field, Query, Router, Schema

from stacksteward.core.api_support import LIST_ERRORS, PageParams, errors, page_schema, paginate
from stacksteward.core.permissions import require_perm
from stacksteward.core.resources import add_routes

from .. import services
from ..models.contracts import LIVE
from ..resources import CONTRACT_DOCUMENTS, CONTRACTS
from ..schemas import ContractDecisionIn, ContractOut
from .common import ACTION_ERRORS, API

router = Router()


class RenewalWindow(Schema):
    days: int | None = Field(None, ge=0, le=3660, description="Notice deadlines within this many days "
                                                              "(default: the renewal lead time, 120 days).")


# Before the contract's own routes: "up-for-renewal" is not a contract id.
@router.get("/contracts/up-for-renewal", response={200: page_schema(ContractOut), **errors(*LIST_ERRORS)})
def list_contracts_up_for_renewal(request, window: Query[RenewalWindow], page: Query[PageParams]):
    """Live contracts nobody has decided on whose notice deadline falls within ``days`` — and those whose
    deadline already passed (overdue), nearest deadline first."""
    days = window.days if window.days is not None else services.renewal_lead_days()
    horizon = services.today() + datetime.timedelta(days=days)
    queryset = CONTRACTS.rows(request.auth).filter(status__in=LIVE, decisions__isnull=True,
                                                   notice_deadline__lte=horizon)
    return paginate(queryset.order_by("notice_deadline", "id"), page)


add_routes(router, CONTRACTS)


@router.post("/contracts/{id}/decision", response={200: ContractOut, **errors(*ACTION_ERRORS)})
def decide_contract(request, id: int, payload: ContractDecisionIn):
    """Record the renewal decision for this term, with reasons. Renew, renegotiate and downsize (``new_seats``,
    fewer than now) create the next term, linked as ``next``; replace and cancel (``notice_sent_on``
    required) end the contract. The owners are notified. Nothing is written when the decision is refused."""
    contract = CONTRACTS.fetch(request.auth, id)
    require_perm(request.auth, "change", contract)
    services.contract_decide(contract, actor=request.auth, decision=payload.decision, reasons=payload.reasons,
                             new_seats=payload.new_seats, notice_sent_on=payload.notice_sent_on,
                             expected_version=payload.version, source=API)
    return CONTRACTS.fetch(request.auth, id)


add_routes(router, CONTRACT_DOCUMENTS)
