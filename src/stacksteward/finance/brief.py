"""The renewal brief: what a budget meeting needs to keep, cut or renegotiate one contract.

``brief_for(user, pk)`` gathers, for one contract the user may see:

* **cost and its trend**: ``roi.investments`` for the contract's components in each of the last
  ``BRIEF_YEARS`` years (licence, services, internal effort, per currency), and the contract's terms
  from its chain (up to three previous terms and the next one) with the price change between terms;
* **seat utilisation**: seats used ÷ seats bought, for the same term and the same measurement date
  (``contract_utilisation``): the components record today's seats used, so it is measured only for the
  term running today; a contract for one component compares them with the contract's seats (else the
  component's seats purchased), a contract for several compares each component's seats used with its
  own seats purchased (one record, one date) and adds those up. Over 100 % is over-deployment;
* **KPIs** that measure its components, their latest value against target, a trend chart each, and
  the **objectives** they serve;
* **open issues** on its components, from the registered issue sources (see ``issue_source``);
* the business owners' latest **value scores** with their reasons;
* the **decision options** with what each means for this contract, and the **recommendation** — only
  for a live term: a term already renewed, cancelled or expired points to the term that follows it;
* the **deadline state** (``services.deadline_state``).

Money (costs, values, prices, ROI) is left out entirely unless the money field groups of ``policies`` allow it.

Recommendation rules, checked in this order (the first that applies wins; every rule's outcome is
shown with the brief):

1. the KPIs are mostly off target (more than half of those with a target and a measurement) **and**
   the owners' value score is 2 or less → **replace or cancel** (fewer seats do not rescue a tool that
   does not deliver, so this comes first);
2. seat utilisation under 50 % → **downsize**;
3. the annual price rose more than 10 % from the previous term (same currency) → **renegotiate**;
4. otherwise → **renew**.

A rule without the data it needs (no seats recorded, no value score…) does not apply.

A bounded number of queries whatever the number of components, KPIs, measurements or issues.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.safestring import SafeString

from stacksteward.catalog.models import Component
from stacksteward.changes.choices import ChangeStatusChoices
from stacksteward.changes.models import ChangeRequest
from stacksteward.core.choices import QuestionStatusChoices
from stacksteward.core.models import Question

from . import charts
from .choices import ContractStatusChoices, KpiDirectionChoices, RenewalTypeChoices
from .choices import RenewalDecisionChoices as R
from .deadlines import days_until, next_term
from .models import Contract, Kpi, Measurement, RenewalDecision, ValueScore
from .models.contracts import LIVE
from .money import Money
from .policies import CONTRACTS, money_component_ids, money_rows
from .roi import Investment, investments
from .services import deadline_state, renewal_lead_days

BRIEF_YEARS = 3
EARLIER_TERMS = 3  # previous terms shown (and fetched in the same query)
LOW_UTILISATION = 0.5
LOW_VALUE_SCORE = Decimal(2)
PRICE_RISE = Decimal("0.10")

# Data -------------------------------------------------------------------------------------------


@dataclass
class YearCost:
    year: int
    licence: Money = field(default_factory=Money)
    services: Money = field(default_factory=Money)
    internal: Money = field(default_factory=Money)

    @property
    def total(self) -> Money:
        return self.licence + self.services + self.internal


@dataclass
class Term:
    contract: Contract
    is_current: bool
    change: Decimal | None = None  # the annual value's change from the term before, as a fraction
    change_note: str = ""
    shows_money: bool = True  # each term's value follows the money rule of that term (its owners may differ)


@dataclass
class SeatLine:
    component: Component
    used: int
    bought: int


@dataclass
class Utilisation:
    """Seats used ÷ seats bought for one term on one date (``measured``), or why it cannot be told."""

    used: int | None
    bought: int | None
    basis: str
    lines: list[SeatLine] = field(default_factory=list)
    measured: datetime.date | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.used is None or not self.bought:
            return None
        return self.used / self.bought

    @property
    def over_deployed(self) -> bool:
        return self.ratio is not None and self.used > self.bought

    @property
    def summary(self) -> str:
        """The figure in words, with the numbers it comes from."""
        if self.ratio is None:
            return self.note or "Seats used or bought are not recorded."
        if self.over_deployed:
            return (f"Over-deployed: {self.used} seats in use for {self.bought} bought — {self.used - self.bought} "
                    f"more than the contract pays for ({self.ratio * 100:.0f} %).")
        return f"{self.ratio * 100:.0f} % — {self.used} of {self.bought} seats are used."


@dataclass
class KpiLine:
    kpi: Kpi
    latest: Measurement | None
    previous: Measurement | None
    status: str  # on_target, off_target, no_target, no_data
    trend: str  # improving, worsening, steady, ""
    chart: SafeString

    @property
    def status_label(self) -> str:
        return {"on_target": "On target", "off_target": "Off target", "no_target": "No target set",
                "no_data": "Not measured yet"}[self.status]


@dataclass
class OpenIssue:
    kind: str  # "change", "question"; a risk register would add "risk", an incident log "incident"
    title: str
    url: str
    status: str
    about: str
    since: datetime.date | None = None


@dataclass
class Rule:
    name: str
    text: str
    applies: bool | None  # None: not enough data to tell
    detail: str


@dataclass
class Recommendation:
    decisions: tuple[str, ...]
    reason: str
    rules: list[Rule]

    @property
    def labels(self) -> list[str]:
        return [R(d).label for d in self.decisions]

    @property
    def by_default(self) -> bool:
        """No rule applied: renew."""
        return not any(rule.applies for rule in self.rules)


@dataclass
class Option:
    decision: str
    label: str
    meaning: str
    recommended: bool


@dataclass
class Brief:
    contract: Contract
    today: datetime.date
    show_money: bool
    state: str
    days_left: int
    components: list[Component]
    terms: list[Term]
    years: list[YearCost]
    returns: list[Investment]
    utilisation: Utilisation
    kpis: list[KpiLine]
    objectives: list
    issues: list[OpenIssue]
    issue_sources: list[str]
    has_risk_register: bool
    value_scores: list[ValueScore]
    value_score: Decimal | None
    recommendation: Recommendation
    options: list[Option]
    decision: RenewalDecision | None
    lead_days: int = 120
    current_term: Contract | None = None  # for a term no longer live: the live term that follows it
    cost_chart: SafeString | str = ""
    utilisation_chart: SafeString | str = ""

    @property
    def state_label(self) -> str:
        return {"overdue": "Notice deadline passed, nobody decided", "due": "Notice deadline within 30 days",
                "upcoming": "Up for renewal", "ok": "Not yet up for renewal", "decided": "Decided",
                "closed": "Not live"}[self.state]

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)

    @property
    def live(self) -> bool:
        return self.contract.status in LIVE

    @property
    def closed_note(self) -> str:
        """Why a term that is no longer live gets no advice, and where the advice is now."""
        c = self.contract
        if self.live:
            return ""
        if c.status == ContractStatusChoices.RENEWED:
            text = f"This term was renewed; it ends on {day(c.end_date)}. Nothing is left to decide on it"
            if self.current_term is not None:
                t = self.current_term
                return (f"{text}: the advice follows the current term, {t.reference} ({day(t.start_date)} – "
                        f"{day(t.end_date)}, notice deadline {day(t.notice_deadline)}).")
            return text + "."
        if c.status == ContractStatusChoices.CANCELLED:
            sent = f" Notice was sent on {day(c.notice_sent_on)}." if c.notice_sent_on else ""
            return f"This contract is cancelled and ends on {day(c.end_date)}.{sent} Nothing is left to decide."
        if c.status == ContractStatusChoices.DRAFT:
            return "This contract is a draft: the advice starts once it is active."
        return f"This contract is {c.get_status_display().lower()}: nothing is left to decide."


# Open issues: one registry, so that a risk register or an incident log can add theirs ---------------

IssueSource = Callable[[Contract, list[int], object], list[OpenIssue]]
_issue_sources: list[tuple[str, bool, IssueSource]] = []


def issue_source(label: str, *, risks: bool = False):
    """Register a function ``(contract, component_ids, user) -> [OpenIssue]`` that lists the open issues
    on the contract or its components that ``user`` may see, in one or two queries. ``risks=True`` marks
    a real risk or incident register: the brief then stops saying that there is none."""

    def register(func: IssueSource) -> IssueSource:
        _issue_sources.append((label, risks, func))
        return func

    return register


OPEN_FAILURES = (ChangeStatusChoices.FAILED, ChangeStatusChoices.ROLLED_BACK)


@issue_source("Changes that failed or were rolled back and are not reviewed yet")
def failed_changes(contract: Contract, component_ids: list[int], user) -> list[OpenIssue]:
    names = Prefetch("components", queryset=Component.objects.only("id", "name"))
    changes = (ChangeRequest.objects.restrict(user, "view")
               .filter(components__in=component_ids, status__in=OPEN_FAILURES).distinct()
               .defer("impact_snapshot").prefetch_related(names).order_by("-window_start"))
    return [OpenIssue("change", str(change), change.get_absolute_url(), change.get_status_display(),
                      ", ".join(c.name for c in change.components.all()), timezone.localdate(change.window_start))
            for change in changes]


@issue_source("Open questions about the contract or its components")
def open_questions(contract: Contract, component_ids: list[int], user) -> list[OpenIssue]:
    types = ContentType.objects.get_for_models(Contract, Component)
    names = {c.pk: c.name for c in contract.components.all()}
    questions = (Question.objects.restrict(user, "view").filter(status=QuestionStatusChoices.OPEN)
                 .filter(Q(content_type=types[Contract], object_id=str(contract.pk))
                         | Q(content_type=types[Component], object_id__in=[str(pk) for pk in component_ids]))
                 .select_related("addressed_person", "addressed_department").order_by("created_at"))
    issues = []
    for question in questions:
        about = ("this contract" if question.content_type_id == types[Contract].pk
                 else names.get(int(question.object_id), question.target_repr))
        issues.append(OpenIssue("question", str(question), question.get_absolute_url(),
                                f"Open, asked of {question.addressee}", about,
                                timezone.localdate(question.created_at)))
    return issues


# Pieces -----------------------------------------------------------------------------------------

def brief_years(today: datetime.date | None = None) -> list[int]:
    year = (today or timezone.localdate()).year
    return list(range(year - BRIEF_YEARS + 1, year + 1))


def yearly_investments(component_ids: list[int], years: list[int]) -> dict[int, dict[int, Investment]]:
    return {year: investments(year, component_ids) for year in years}


def year_costs(component_ids: list[int], years: list[int], *, by_year=None) -> list[YearCost]:
    """The contract's components' cost per year (all their contracts' licences, services, internal effort)."""
    by_year = by_year if by_year is not None else yearly_investments(component_ids, years)
    rows = []
    for year in years:
        row = YearCost(year)
        for investment in by_year[year].values():
            row.licence += investment.licence
            row.services += investment.services
            row.internal += investment.internal
        rows.append(row)
    return rows


def contract_terms(contract: Contract) -> list[Term]:
    """The chain of terms, oldest first: up to ``EARLIER_TERMS`` previous ones, this one and the next."""
    chain, current = [], contract
    for _ in range(EARLIER_TERMS):
        current = current.previous
        if current is None:
            break
        chain.append(current)
    chain = [*reversed(chain), contract]
    follower = getattr(contract, "next", None)
    if follower is not None:
        chain.append(follower)
    terms = []
    for before, term in zip([None, *chain], chain, strict=False):
        entry = Term(term, term.pk == contract.pk)
        if before is not None:
            entry.change, entry.change_note = price_change(before, term)
        terms.append(entry)
    return terms


def hide_term_money(user, terms: list[Term], *, show_money: bool) -> list[Term]:
    """Mark each term whose value the user may not see (one query); a change needs both values."""
    others = [t.contract.pk for t in terms if not t.is_current]
    shown = set(money_rows(user, Contract.objects.filter(pk__in=others)).values_list("pk", flat=True)) \
        if others else set()
    previous = None
    for term in terms:
        term.shows_money = show_money if term.is_current else term.contract.pk in shown
        if not term.shows_money or (previous is not None and not previous.shows_money):
            term.change, term.change_note = None, ""
        previous = term
    return terms


def price_change(before: Contract, after: Contract) -> tuple[Decimal | None, str]:
    if before.currency != after.currency:
        return None, f"Currency changed from {before.currency} to {after.currency}: not comparable."
    if not before.annual_value:
        return None, "The earlier term had no value."
    change = ((after.annual_value - before.annual_value) / before.annual_value).quantize(Decimal("0.0001"))
    return change, f"{change * 100:+.1f} %"


def contract_utilisation(contract: Contract, components: list[Component], today: datetime.date) -> Utilisation:
    """Seats used ÷ seats bought for the same term on the same date.

    The components' ``seats_used`` are today's figures, so only the term running today is measured. A contract
    for one component: its seats used ÷ the contract's seats (else the component's seats purchased). A
    contract for several: each component's seats used ÷ its own seats purchased (the same record), summed
    over the components that record both — the contract's seat count does not say which component it is for.
    """
    if not contract.start_date <= today <= contract.end_date:
        when = "ended" if contract.end_date < today else "starts"
        return Utilisation(None, contract.seats, "", note=(
            f"Seats used are counted for today; this term {when} "
            f"{'on ' + day(contract.end_date) if when == 'ended' else 'on ' + day(contract.start_date)}, so its "
            "utilisation cannot be measured."))
    if len(components) == 1:
        component = components[0]
        bought = contract.seats or component.seats_purchased
        source = "the seats in the contract" if contract.seats else f"the seats purchased recorded on {component}"
        if component.seats_used is None or not bought:
            return Utilisation(None, bought, "", measured=today, note="Seats used or bought are not recorded.")
        return Utilisation(component.seats_used, bought, f"seats used in {component} today ÷ {source}",
                           [SeatLine(component, component.seats_used, bought)], today)
    lines = [SeatLine(c, c.seats_used, c.seats_purchased) for c in components
             if c.seats_used is not None and c.seats_purchased]
    if not lines:
        return Utilisation(None, None, "", measured=today, note="Seats used or bought are not recorded.")
    skipped = len(components) - len(lines)
    basis = (f"each component's seats used ÷ its seats purchased, today, added up over {len(lines)} "
             f"component{'s' if len(lines) != 1 else ''}")
    if skipped:
        basis += f" ({skipped} without seat counts left out)"
    return Utilisation(sum(line.used for line in lines), sum(line.bought for line in lines), basis, lines, today)


def kpi_status(kpi: Kpi, latest: Measurement | None) -> str:
    if latest is None:
        return "no_data"
    met = kpi.on_target(latest.value)
    if met is None:
        return "no_target"
    return "on_target" if met else "off_target"


def kpi_trend_word(kpi: Kpi, latest: Measurement | None, previous: Measurement | None) -> str:
    if latest is None or previous is None:
        return ""
    if latest.value == previous.value:
        return "steady"
    better = latest.value > previous.value
    if kpi.direction == KpiDirectionChoices.LOWER:
        better = not better
    return "improving" if better else "worsening"


def kpi_lines(component_ids: list[int]) -> list[KpiLine]:
    kpis = (Kpi.objects.filter(components__in=component_ids).distinct()
            .select_related("objective", "objective__owner")
            .prefetch_related(Prefetch("measurements", queryset=Measurement.objects.order_by("period_start")))
            .order_by("name"))
    lines = []
    for kpi in kpis:
        measured = list(kpi.measurements.all())
        latest = measured[-1] if measured else None
        previous = measured[-2] if len(measured) > 1 else None
        lines.append(KpiLine(kpi, latest, previous, kpi_status(kpi, latest), kpi_trend_word(kpi, latest, previous),
                             charts.kpi_trend(kpi)))
    return lines


def latest_value_scores(component_ids: list[int]) -> list[ValueScore]:
    """Each component's value scores of the latest year it was scored."""
    scores = ValueScore.objects.filter(component_id__in=component_ids).select_related("scorer", "component").order_by(
        "component__name", "-year", "scorer__name")
    latest_year: dict[int, int] = {}
    kept = []
    for score in scores:
        year = latest_year.setdefault(score.component_id, score.year)
        if score.year == year:
            kept.append(score)
    return kept


def average_score(scores: list[ValueScore]) -> Decimal | None:
    if not scores:
        return None
    return (Decimal(sum(s.score for s in scores)) / len(scores)).quantize(Decimal("0.1"))


# The recommendation -----------------------------------------------------------------------------

def recommend(*, utilisation: float | None, kpi_statuses: list[str], value_score: Decimal | None,
              price_change: Decimal | None, show_numbers: bool = True,
              utilisation_note: str = "Seats used or bought are not recorded.") -> Recommendation:
    """The recommended decision by the module's documented rules, with every rule's outcome."""
    assessed = [s for s in kpi_statuses if s in ("on_target", "off_target")]
    off = assessed.count("off_target")
    mostly_off = bool(assessed) and off * 2 > len(assessed)
    if not assessed:
        kpi_detail = "No KPI has both a target and a measurement."
    else:
        kpi_detail = f"{off} of {len(assessed)} KPIs with a target are off target."
    score_detail = ("No value score recorded." if value_score is None
                    else f"The owners' value score is {value_score} of 5.")
    value_applies = None if not assessed or value_score is None else (mostly_off and value_score <= LOW_VALUE_SCORE)
    rules = [Rule("value", "KPIs mostly off target and the owners' value score 2 or less → replace or cancel",
                  value_applies, f"{kpi_detail} {score_detail}")]
    if utilisation is None:
        rules.append(Rule("utilisation", "Seat utilisation under 50 % → downsize", None, utilisation_note))
    else:
        rules.append(Rule("utilisation", "Seat utilisation under 50 % → downsize", utilisation < LOW_UTILISATION,
                          f"{utilisation * 100:.0f} % of the seats are used."))
    if price_change is None:
        rules.append(Rule("price", "Price up more than 10 % on the previous term → renegotiate", None,
                          "No earlier term in the same currency to compare with."))
    else:
        detail = (f"The annual price changed {price_change * 100:+.1f} % from the previous term." if show_numbers
                  else "Compared with the previous term's annual price.")
        rules.append(Rule("price", "Price up more than 10 % on the previous term → renegotiate",
                          price_change > PRICE_RISE, detail))
    outcome = {"value": (R.REPLACE, R.CANCEL), "utilisation": (R.DOWNSIZE,), "price": (R.RENEGOTIATE,)}
    for rule in rules:
        if rule.applies:
            return Recommendation(tuple(str(d) for d in outcome[rule.name]), rule.detail, rules)
    return Recommendation((str(R.RENEW),), "No rule calls for a change: the tool is used, delivers and its price "
                                           "is stable.", rules)


def day(value: datetime.date) -> str:
    return f"{value.day} {value:%b %Y}"


def decision_options(contract: Contract, *, recommendation: Recommendation, utilisation: Utilisation,
                     show_money: bool, today: datetime.date) -> list[Option]:
    deadline = day(contract.notice_deadline)
    late = contract.notice_deadline < today
    by = (f"at once (the notice deadline passed on {deadline}: check the contract for a late exit)" if late
          else f"before the notice deadline, {deadline}")
    start, end = next_term(contract.end_date, contract.renewal_term_months)
    price = f" at {contract.annual_value:,.2f} {contract.currency} a year" if show_money else ""
    if contract.renewal_type == RenewalTypeChoices.AUTO:
        silent = f"it renews by itself on {day(start)}"
        renew = f"Nothing to send: {silent}; record the decision so that nobody is reminded again."
    else:
        silent = f"it ends on {day(contract.end_date)}"
        renew = f"It must be renewed by hand: sign the renewal before {day(contract.end_date)}."
    seats = ""
    if utilisation.ratio is not None:
        seats = f" ({utilisation.used} of {utilisation.bought} seats are used)"
    meanings = {
        R.RENEW: f"Keep {contract.vendor} on the same terms: the next term runs {day(start)} – "
                 f"{day(end)} ({contract.renewal_term_months} months){price}. {renew}",
        R.RENEGOTIATE: f"Keep the tool, but negotiate price, seats or terms {by}; without an agreement {silent} "
                       "on the old terms. The next term records what was agreed.",
        R.DOWNSIZE: f"Keep the tool with fewer seats{seats}: tell {contract.vendor} {by}. The next term keeps "
                    "only the seats you name.",
        R.REPLACE: f"Start a tool selection for a successor and give notice {by}; plan the move of the data "
                   "and integrations of " + (", ".join(c.name for c in contract.components.all()) or "the tool")
                   + ".",
        R.CANCEL: f"Give notice {by}; the contract ends on {day(contract.end_date)}. Export the data and switch "
                  "off the integrations that depend on it.",
    }
    return [Option(str(choice), choice.label, meanings[choice], str(choice) in recommendation.decisions)
            for choice in R]


# The brief --------------------------------------------------------------------------------------

def contract_queryset(queryset=None):
    """Contracts with everything the brief reads in bulk (its chain in the same query)."""
    queryset = Contract.objects.all() if queryset is None else queryset
    chain = "__".join(["previous"] * EARLIER_TERMS)
    return queryset.select_related(
        "vendor", "business_owner", "procurement_owner", "legal_reviewer", chain, "next",
    ).prefetch_related(
        Prefetch("components", queryset=Component.objects.select_related(
            "category", "category__parent", "business_owner", "technical_owner").order_by("name")),
        Prefetch("decisions", queryset=RenewalDecision.objects.order_by("-created_at", "-id")),
    )


def following_live_term(contract: Contract) -> Contract | None:
    """The live term that follows a renewed one (one query per later term)."""
    term, seen = contract, {contract.pk}
    while term.status == ContractStatusChoices.RENEWED:
        term = Contract.objects.filter(previous=term).first()
        if term is None or term.pk in seen:
            return None
        seen.add(term.pk)
    return term if term.status in LIVE and term.pk != contract.pk else None


def brief_for(user, pk: int, *, today: datetime.date | None = None) -> Brief | None:
    """The brief of contract ``pk``, or None when the user may not see it."""
    contract = contract_queryset(Contract.objects.restrict(user, "view")).filter(pk=pk).first()
    if contract is None:
        return None
    return build(contract, user=user, today=today)


def build(contract: Contract, *, user, today: datetime.date | None = None, show_money: bool | None = None) -> Brief:
    """The brief of ``contract`` (fetched with ``contract_queryset``) as ``user`` may see it."""
    today = today or timezone.localdate()
    show_money = CONTRACTS.shows(user, "money", contract) if show_money is None else show_money
    components = list(contract.components.all())
    ids = [c.pk for c in components]
    decisions = list(contract.decisions.all())
    terms = hide_term_money(user, contract_terms(contract), show_money=show_money)
    current_term = next(t for t in terms if t.is_current)
    use = contract_utilisation(contract, components, today)
    kpis = kpi_lines(ids)
    objectives = list({line.kpi.objective_id: line.kpi.objective for line in kpis if line.kpi.objective_id}.values())
    objectives.sort(key=lambda o: o.name)
    scores = latest_value_scores(ids)
    score = average_score(scores)
    issues, sources, has_risks = [], [], False
    for label, risks, source in _issue_sources:
        issues.extend(source(contract, ids, user))
        sources.append(label)
        has_risks = has_risks or risks
    recommendation = recommend(utilisation=use.ratio, kpi_statuses=[k.status for k in kpis], value_score=score,
                               price_change=current_term.change, show_numbers=show_money,
                               utilisation_note=use.summary)
    brief = Brief(
        contract=contract, today=today, show_money=show_money,
        state=deadline_state(contract, today, decided=bool(decisions)),
        days_left=days_until(contract.notice_deadline, today), components=components, terms=terms, years=[],
        returns=[], utilisation=use, kpis=kpis, objectives=objectives, issues=issues, issue_sources=sources,
        has_risk_register=has_risks, value_scores=scores, value_score=score, recommendation=recommendation,
        options=decision_options(contract, recommendation=recommendation, utilisation=use, show_money=show_money,
                                 today=today) if contract.status in LIVE else [],
        decision=decisions[0] if decisions else None, lead_days=renewal_lead_days(),
        utilisation_chart=charts.utilisation(components) if any(c.seats_purchased for c in components) else "",
    )
    if contract.status == ContractStatusChoices.RENEWED:
        follower = following_live_term(contract)
        brief.current_term = follower if follower is not None and Contract.objects.restrict(user, "view").filter(
            pk=follower.pk).exists() else None
    visible = money_component_ids(user)
    cost_ids = ids if visible is None else [pk for pk in ids if pk in visible]
    if show_money and cost_ids:
        # Costs of the components whose money the user sees (a total adds up other contracts' values too).
        years = brief_years(today)
        by_year = yearly_investments(cost_ids, years)
        brief.years = year_costs(cost_ids, years, by_year=by_year)
        brief.returns = [by_year[years[-1]][c.pk] for c in components if c.pk in cost_ids]
        brief.cost_chart = charts.cost_trend(contract, costs=brief.years)
    return brief

