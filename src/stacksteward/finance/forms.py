"""Web forms of finance. They parse input only; ``finance.services`` validates and writes."""

import datetime

from django import forms
from django.utils.text import slugify

from stacksteward.catalog.models import Category, Component, Vendor
from stacksteward.core.forms import ServiceFormMeta, ServiceModelForm, StewardFormMixin
from stacksteward.org.models import Department, Person

from .choices import ContractStatusChoices, RenewalDecisionChoices
from .models import (
    Budget,
    Contract,
    ContractDocument,
    CostEntry,
    Kpi,
    Objective,
    Selection,
    SelectionCandidate,
)
from .models.selections import SCORE_MAX, SCORE_MIN

DATE = {"type": "date"}
MONEY_FIELDS = ("annual_value", "payment_terms")
EDITABLE_STATUSES = (ContractStatusChoices.DRAFT, ContractStatusChoices.ACTIVE, ContractStatusChoices.RENEWING)


def date_input():
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


def person_label(person: Person) -> str:
    return f"{person.name} ({person.department.name})" if person.department_id else person.name


def _people(field):
    field.queryset = Person.objects.select_related("department").order_by("name")
    field.label_from_instance = person_label


class SharesField(forms.CharField):
    """Shares per component, one a line: ``component-slug: 40`` (percent, up to two decimals). The services
    check that they name each component once and add up to 100 %."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "crm: 60\nweb-forms: 40"})

    def __init__(self, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs["required"] = False
        if callable(kwargs.get("initial")):
            kwargs["initial"] = ""
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, dict):
            return "\n".join(f"{slug}: {share}" for slug, share in value.items())
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        shares = {}
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            slug, sep, share = line.replace("=", ":").rpartition(":")
            if not sep or not slug.strip() or not share.strip():
                raise forms.ValidationError(f"Line {number}: write “component: percent”, e.g. “crm: 60”.")
            if slug.strip() in shares:
                raise forms.ValidationError(f"Line {number}: {slug.strip()} is given twice.")
            shares[slug.strip()] = share.strip().rstrip("%").strip()
        return shares


# Contracts ----------------------------------------------------------------------------------------

class ContractForm(ServiceModelForm):
    """The contract's terms. People who may not see its money edit everything else (the value stays)."""

    fieldsets = (
        ("The contract", ("vendor", "components", "reference", "status", "notes")),
        ("Term and renewal", ("start_date", "end_date", "renewal_type", "renewal_term_months",
                              "notice_period_days")),
        ("Money", ("annual_value", "currency", "billing_frequency", "seats", "payment_terms",
                   "allocation_shares")),
        ("Checks", ("dpa_signed", "security_review_done")),
        ("People", ("business_owner", "procurement_owner", "legal_reviewer")),
    )

    class Meta(ServiceFormMeta):
        model = Contract
        fields = ["vendor", "components", "reference", "status", "start_date", "end_date", "renewal_type",
                  "renewal_term_months", "notice_period_days", "annual_value", "currency", "billing_frequency",
                  "seats", "payment_terms", "allocation_shares", "dpa_signed", "security_review_done",
                  "business_owner", "procurement_owner", "legal_reviewer", "notes"]
        field_classes = {"allocation_shares": SharesField}
        widgets = {"start_date": date_input(), "end_date": date_input(),
                   "components": forms.CheckboxSelectMultiple}
        labels = {"annual_value": "Value per year", "seats": "Seats bought",
                  "allocation_shares": "Cost shares per component (%)",
                  "dpa_signed": "A data processing agreement (DPA) is signed"}
        help_texts = {
            "status": "Draft until signed. Renewals, cancellations and expiry are recorded by the renewal "
                      "decision, not here.",
            "notice_period_days": "The notice deadline is computed: the end date minus these days.",
            "currency": "Three letters, e.g. USD or EUR.",
            "allocation_shares": "How the cost is split over the components it covers, one a line "
                                 "(“component: percent”, adding up to 100). Left empty: by their seats purchased "
                                 "when each records them, else equally.",
        }

    def __init__(self, *args, shows_money: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.order_by("name")
        self.fields["components"].queryset = Component.objects.order_by("name")
        self.fields["components"].required = False
        for name in ("business_owner", "procurement_owner", "legal_reviewer"):
            _people(self.fields[name])
        current = self.instance.status if self.instance.pk else None
        allowed = [c for c in ContractStatusChoices.choices if c[0] in EDITABLE_STATUSES or c[0] == current]
        self.fields["status"].choices = allowed
        if not shows_money:
            for name in MONEY_FIELDS:
                del self.fields[name]

    def clean_status(self):
        status = self.cleaned_data["status"]
        current = self.instance.status if self.instance.pk else None
        if status not in EDITABLE_STATUSES and status != current:
            raise forms.ValidationError("Record a renewal decision to renew, cancel or end a contract.")
        return status


class RenewalDecisionForm(StewardFormMixin, forms.Form):
    """The renewal decision; ``contract_decide`` checks what each choice needs."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(label="Decision", choices=RenewalDecisionChoices.choices, widget=forms.RadioSelect,
                                 error_messages={"required": "Choose what happens to the contract."})
    reasons = forms.CharField(label="Reasons", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="Required. The budget meeting and the next owner read it.")
    new_seats = forms.IntegerField(label="Seats to keep (downsize)", required=False, min_value=0,
                                   help_text="Only for a downsize: fewer than the seats bought now.")
    notice_sent_on = forms.DateField(label="Notice sent on (cancel)", required=False, widget=date_input(),
                                     help_text="Only for a cancellation: the day the notice went to the vendor.")


class ContractDocumentForm(StewardFormMixin, forms.ModelForm):
    class Meta:
        model = ContractDocument
        fields = ["title", "url"]
        formfield_callback = ServiceFormMeta.formfield_callback
        labels = {"url": "Link"}
        help_texts = {"url": "Where the signed document lives (the document store, the vendor portal…)."}

    def _post_clean(self):
        pass  # validated by the service


# Selections ---------------------------------------------------------------------------------------

class SelectionForm(ServiceModelForm):
    class Meta(ServiceFormMeta):
        model = Selection
        fields = ["title", "need", "request", "replaces"]
        labels = {"title": "What is being chosen", "replaces": "Replaces the tool"}


class CandidateForm(StewardFormMixin, forms.Form):
    name = forms.CharField(label="Product", max_length=150)
    vendor = forms.ModelChoiceField(queryset=Vendor.objects.order_by("name"), required=False,
                                    help_text="Needed to create a draft contract when it is chosen.")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CriterionForm(StewardFormMixin, forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.order_by("name"),
                                        help_text="The department whose reviewers score it.")
    name = forms.CharField(max_length=150)
    weight = forms.DecimalField(min_value=0, max_digits=6, decimal_places=2, initial=1,
                                help_text="A criterion of weight 2 counts twice as much as one of weight 1.")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


SCORE_CHOICES = [("", "—"), *[(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]]


def score_field_name(criterion_id: int, candidate_id: int) -> str:
    return f"score_{criterion_id}_{candidate_id}"


class ScorecardForm(StewardFormMixin, forms.Form):
    """One reviewer's 0–5 scores for their department's criteria, one drop-down per criterion × candidate."""

    def __init__(self, *args, criteria=(), candidates=(), existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = existing or {}
        self.cells = []
        for criterion in criteria:
            row = []
            for candidate in candidates:
                name = score_field_name(criterion.pk, candidate.pk)
                self.fields[name] = forms.TypedChoiceField(
                    label=f"{criterion.name} for {candidate.name}", choices=SCORE_CHOICES, required=False,
                    coerce=int, empty_value=None)
                score = existing.get((criterion.pk, candidate.pk))
                if score is not None:
                    self.initial[name] = str(score)
                row.append((candidate, name))
            self.cells.append((criterion, row))

    def rows(self):
        return [(criterion, [(candidate, self[name]) for candidate, name in row]) for criterion, row in self.cells]

    def entered(self):
        """(criterion, candidate, score) for every cell filled in."""
        return [(criterion, candidate, self.cleaned_data[name]) for criterion, row in self.cells
                for candidate, name in row if self.cleaned_data.get(name) is not None]


class SelectionDecisionForm(StewardFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    chosen = forms.ModelChoiceField(label="Chosen candidate", queryset=SelectionCandidate.objects.none(),
                                    error_messages={"required": "Choose the candidate."})
    decision_reasons = forms.CharField(label="Reasons", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text="Required: why this one, in the words of every department.")
    dissent = forms.CharField(label="Dissent", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="Who disagreed, and why. It stays on the record.")
    create_component = forms.BooleanField(
        label="Create the component (pilot) and a draft contract", required=False,
        help_text="Adds the chosen tool to the catalog as a pilot, and a draft contract with its vendor.")

    def __init__(self, *args, selection=None, **kwargs):
        super().__init__(*args, **kwargs)
        if selection is not None:
            self.fields["chosen"].queryset = SelectionCandidate.objects.filter(selection=selection)


# Objectives and KPIs ------------------------------------------------------------------------------

class ObjectiveForm(ServiceModelForm):
    class Meta(ServiceFormMeta):
        model = Objective
        fields = ["name", "description", "owner", "period_start", "period_end"]
        widgets = {"period_start": date_input(), "period_end": date_input()}
        help_texts = {"name": "E.g. “Grow marketing-sourced pipeline 20 % in 2027”."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _people(self.fields["owner"])


class SuccessFactorForm(StewardFormMixin, forms.Form):
    name = forms.CharField(label="Critical success factor", max_length=200)


class KpiForm(ServiceModelForm):
    fieldsets = (
        ("The KPI", ("name", "slug", "definition", "objective", "request", "components")),
        ("How it is measured", ("unit", "value_kind", "currency", "direction", "target", "frequency")),
        ("Whose value it is", ("attribution", "attribution_shares")),
    )

    class Meta(ServiceFormMeta):
        model = Kpi
        fields = ["name", "slug", "definition", "unit", "value_kind", "currency", "direction", "target",
                  "frequency", "objective", "components", "request", "attribution", "attribution_shares"]
        field_classes = {"attribution_shares": SharesField}
        widgets = {"components": forms.CheckboxSelectMultiple}
        labels = {"slug": "Short name (slug)", "components": "Tools it measures",
                  "attribution": "Attribution rule", "attribution_shares": "Shares per tool (%)"}
        help_texts = {"slug": "Leave empty to make one from the name.",
                      "attribution": "How the KPI's value is shared among the tools it measures: each value "
                                     "counts once, in one tool's ROI or split over several.",
                      "attribution_shares": "With explicit shares: one line per tool, “component: percent”, "
                                            "adding up to 100 (e.g. “crm: 60”)."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["components"].queryset = Component.objects.order_by("name")
        self.fields["components"].required = False
        self.fields["attribution"].required = False  # the equal split, unless shares are chosen

    def service_data(self):
        data = super().service_data()
        data["slug"] = (data.get("slug") or "").strip() or self.instance.slug or slugify(data.get("name", ""))[:200]
        return data


class MeasurementForm(StewardFormMixin, forms.Form):
    period_start = forms.DateField(label="Period starting", widget=date_input(),
                                   help_text="The first day of the period measured. The same period again replaces "
                                             "its value.")
    value = forms.DecimalField(max_digits=16, decimal_places=2)
    note = forms.CharField(required=False, max_length=300)


# Costs, budgets and value -------------------------------------------------------------------------

def _year_field():
    return forms.IntegerField(min_value=2000, max_value=2100, initial=datetime.date.today().year)


class BudgetForm(ServiceModelForm):
    year = _year_field()

    class Meta(ServiceFormMeta):
        model = Budget
        fields = ["year", "component", "category", "amount", "currency", "notes"]
        labels = {"amount": "Planned amount"}
        help_texts = {"component": "Budget either one component…", "category": "…or one category, not both."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = Component.objects.order_by("name")
        self.fields["category"].queryset = Category.objects.select_related("parent").order_by("name")


class CostEntryForm(ServiceModelForm):
    year = _year_field()

    class Meta(ServiceFormMeta):
        model = CostEntry
        fields = ["component", "year", "kind", "amount", "hours", "currency", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = Component.objects.order_by("name")


class ValueScoreForm(StewardFormMixin, forms.Form):
    score = forms.TypedChoiceField(label="Value (1–5)", coerce=int,
                                   choices=[("", "—"), *[(str(n), str(n)) for n in range(1, 6)]],
                                   error_messages={"required": "Give a score from 1 to 5."})
    reasons = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="Required: what the tool makes possible, and what would be lost without it.")


__all__ = [
    "BudgetForm", "CandidateForm", "ContractDocumentForm", "ContractForm", "CostEntryForm", "CriterionForm",
    "KpiForm", "MeasurementForm", "ObjectiveForm", "RenewalDecisionForm", "ScorecardForm", "SelectionDecisionForm",
    "SelectionForm", "SuccessFactorForm", "ValueScoreForm", "score_field_name",
]
