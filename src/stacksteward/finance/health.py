"""Contract findings in the catalog health report: no DPA where personal data is held, an owner who
has left, and a notice deadline that passed with nobody deciding."""


from django.utils import timezone

from stacksteward.catalog.health import KINDS, Finding, register

KINDS.update({
    "contract_without_dpa": "Contract without a DPA on a component holding personal data",
    "contract_owner_left": "Contract whose owner has left",
    "notice_deadline_missed": "Notice deadline passed without a decision",
})


def _finding(kind, severity, contract, message) -> Finding:
    return Finding(kind, severity, KINDS[kind], message, "contract", contract.pk, str(contract.pk),
                   contract.get_absolute_url())


@register
def contract_findings() -> list[Finding]:
    from .models import Contract

    findings = []
    contracts = (Contract.objects.live().select_related("vendor", "business_owner", "procurement_owner",
                                                        "legal_reviewer")
                 .prefetch_related("components__data_categories").order_by("vendor__name", "reference"))
    undecided = set(Contract.objects.undecided().values_list("pk", flat=True))
    today = timezone.localdate()
    for contract in contracts:
        if not contract.dpa_signed:
            personal = sorted({c.name for c in contract.components.all()
                               if any(d.is_personal for d in c.data_categories.all())})
            if personal:
                findings.append(_finding("contract_without_dpa", "high", contract,
                                         f"{contract} has no data processing agreement, but {', '.join(personal)} "
                                         "hold personal data."))
        for role, person in (("business owner", contract.business_owner),
                             ("procurement owner", contract.procurement_owner),
                             ("legal reviewer", contract.legal_reviewer)):
            if person is not None and not person.available:
                findings.append(_finding("contract_owner_left", "medium", contract,
                                         f"{contract}'s {role} {person.name} is marked unavailable."))
        if contract.pk in undecided and contract.notice_deadline < today:
            findings.append(_finding("notice_deadline_missed", "high", contract,
                                     f"The notice deadline of {contract} ({contract.notice_deadline:%Y-%m-%d}) "
                                     "passed and nobody recorded a decision."))
    return findings



