"""Web forms of intake. They parse input only; ``intake.services`` validates and writes."""

from django import forms

from stacksteward.catalog.forms import SLUG_HELP, SlugOptionalMixin
from stacksteward.catalog.models import Component
from stacksteward.core.forms import ServiceFormMeta, ServiceModelForm, StewardFormMixin
from stacksteward.org.models import Department, Person

from .choices import BacklogItemStatusChoices, FeasibilityChoices
from .models import BacklogItem, Capability, Iteration, Milestone, Request, Roadmap

DATE = {"type": "date"}


def date_input():
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


def capability_label(capability: Capability) -> str:
    offering = "" if capability.offering == "full" else f", {capability.get_offering_display().lower()}"
    return (f"{capability.name} — {capability.department.name}, {capability.lead_time_days} working days"
            f"{offering}")


def person_label(person: Person) -> str:
    return f"{person.name} ({person.department.name})" if person.department_id else person.name


def iteration_label(iteration: Iteration) -> str:
    return f"{iteration.roadmap.name} › {iteration.name} ({iteration.start:%d %b} – {iteration.end:%d %b %Y})"


# Capabilities -----------------------------------------------------------------------------

class CapabilityForm(SlugOptionalMixin, ServiceModelForm):
    fieldsets = (
        ("The kind of work", ("name", "department", "description", "active")),
        ("What can be promised", ("offering", "lead_time_days", "can_do", "cannot_do")),
        ("Advanced", ("slug",)),
    )

    class Meta(ServiceFormMeta):
        model = Capability
        fields = ["name", "slug", "department", "lead_time_days", "offering", "description", "can_do", "cannot_do",
                  "active"]
        labels = {"slug": "Short name (slug)", "offering": "Is it offered?"}
        help_texts = {
            "name": "The kind of work as requesters would say it, e.g. “New landing page”.",
            "slug": SLUG_HELP,
            "offering": "Offered fully, partly (some variants only), or not at all — say which in the boxes below.",
            "can_do": "In plain words: what requesters can count on. Markdown works.",
            "cannot_do": "In plain words: what is not possible, and where to go instead.",
        }


# Requests ---------------------------------------------------------------------------------

COST_AMOUNT, COST_UNQUANTIFIABLE = "amount", "unquantifiable"


class RequestForm(ServiceModelForm):
    """The request form, written for marketers: the *what*, the *why* and the cost of waiting."""

    cost_kind = forms.ChoiceField(
        label="Can you put a number on the cost of waiting?", widget=forms.RadioSelect,
        choices=[(COST_AMOUNT, "Yes — an amount per week or month"),
                 (COST_UNQUANTIFIABLE, "No — it cannot be quantified, because…")],
        initial=COST_AMOUNT,
        help_text="IT uses this to decide what comes first: a rough figure is far better than none.")

    fieldsets = (
        ("What do you need?", ("title", "objective", "capability", "delivering_department", "components")),
        ("Why does it matter?", ("why", "success_kpis")),
        ("What does waiting cost?", ("cost_kind", "lost_cost_amount", "lost_cost_currency", "lost_cost_period",
                                     "lost_cost_unquantifiable")),
        ("When?", ("needed_by", "requester")),
    )

    class Meta(ServiceFormMeta):
        model = Request
        fields = ["title", "objective", "why", "success_kpis", "capability", "delivering_department", "components",
                  "cost_kind", "lost_cost_amount", "lost_cost_currency", "lost_cost_period",
                  "lost_cost_unquantifiable", "needed_by", "requester"]
        labels = {
            "title": "Title",
            "objective": "What should be possible when this is done?",
            "why": "Why does it matter?",
            "success_kpis": "How will you know it worked? (success KPIs)",
            "capability": "What kind of work is it?",
            "delivering_department": "Which department should deliver it?",
            "components": "Which tools does it touch?",
            "lost_cost_amount": "Cost of waiting (amount)",
            "lost_cost_currency": "Currency",
            "lost_cost_period": "Per",
            "lost_cost_unquantifiable": "It cannot be quantified, because…",
            "needed_by": "Needed by",
            "requester": "Requester",
        }
        help_texts = {
            "title": "A short name, e.g. “Landing page for the spring campaign”.",
            "objective": "Describe the result, not the solution: what can customers or colleagues do afterwards?",
            "why": "Who gains what? What happens — to revenue, customers, the brand — if nothing is done? "
                   "Requests with a clear why get answered faster.",
            "success_kpis": "The numbers you will judge it by, e.g. “+10 % demo requests from the page in 8 weeks”.",
            "capability": "The closest match from what IT offers; it shows the usual lead time and what is and is "
                          "not possible. Leave empty if nothing fits.",
            "delivering_department": "Leave empty to use the department that offers the chosen kind of work.",
            "components": "The tools, databases or channels involved, if you know them (hold Ctrl/⌘ to pick several).",
            "lost_cost_amount": "What the business loses for every week or month this is not there: missed leads × "
                                "their value, wasted media spend, extra manual work. A rough figure is fine.",
            "lost_cost_currency": "Three letters, e.g. USD, EUR.",
            "lost_cost_unquantifiable": "Only if no figure can be given: say why (a legal duty, brand reputation…).",
            "needed_by": "The date it must be live, and why that date if it is fixed (a launch, an event).",
        }
        widgets = {
            "needed_by": date_input(),
            "objective": forms.Textarea(attrs={"rows": 4}),
            "why": forms.Textarea(attrs={"rows": 4}),
            "success_kpis": forms.Textarea(attrs={"rows": 3}),
            "lost_cost_unquantifiable": forms.Textarea(attrs={"rows": 2}),
            "lost_cost_currency": forms.TextInput(attrs={"size": 4, "maxlength": 3, "autocapitalize": "characters"}),
            "components": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        capabilities = Capability.objects.select_related("department").order_by("name")
        if not self.instance.pk:
            capabilities = capabilities.filter(active=True)
        self.fields["capability"].queryset = capabilities
        self.fields["capability"].label_from_instance = capability_label
        self.fields["capability"].empty_label = "— Nothing fits / not sure —"
        self.fields["delivering_department"].queryset = Department.objects.order_by("name")
        self.fields["delivering_department"].empty_label = "— The department that offers the kind of work —"
        self.fields["components"].queryset = Component.objects.only("id", "name").order_by("name")
        self.fields["components"].required = False
        self.fields["lost_cost_amount"].required = False
        self.fields["lost_cost_currency"].required = False
        self.fields["needed_by"].required = True
        required = {
            "why": "Say why it matters: who gains what, and what happens if nothing is done.",
            "objective": "Say what should be possible when this is done.",
            "needed_by": "Give the date it is needed by.",
            "title": "Give the request a short title.",
        }
        for name, message in required.items():
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message
        from .permissions import person_of

        if self.instance.pk or person_of(user) is not None:
            del self.fields["requester"]
        else:
            self.fields["requester"].queryset = Person.objects.select_related("department").order_by("name")
            self.fields["requester"].label_from_instance = person_label
            self.fields["requester"].help_text = "Your account is not linked to a person: name who asks for it."
        if self.instance.pk and not self.is_bound and self.instance.lost_cost_amount is None \
                and self.instance.lost_cost_unquantifiable:
            self.initial["cost_kind"] = COST_UNQUANTIFIABLE

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cost_kind") == COST_UNQUANTIFIABLE:
            cleaned["lost_cost_amount"] = None
            if not (cleaned.get("lost_cost_unquantifiable") or "").strip():
                self.add_error("lost_cost_unquantifiable", "Say why the cost of waiting cannot be put in numbers.")
        elif cleaned.get("cost_kind") == COST_AMOUNT:
            cleaned["lost_cost_unquantifiable"] = ""
            if cleaned.get("lost_cost_amount") is None and "lost_cost_amount" not in self.errors:
                self.add_error("lost_cost_amount", "Give the cost of waiting per week or month, or choose "
                                                   "“it cannot be quantified” and say why.")
        return cleaned

    def service_data(self) -> dict:
        data = super().service_data()
        data.pop("cost_kind", None)
        if not data.get("lost_cost_currency"):
            data.pop("lost_cost_currency", None)
        return data


class RespondForm(ServiceModelForm):
    """The delivering side's answer."""

    class Meta(ServiceFormMeta):
        model = Request
        fields = ["feasibility", "approach", "estimate_days", "estimate_cost", "constraints"]
        labels = {"feasibility": "Is it feasible?", "approach": "Approach (how it will be done)",
                  "estimate_days": "Estimated effort (days)", "estimate_cost": "Estimated cost"}
        help_texts = {
            "approach": "How you would do it — or why it cannot be done — in words the requester understands.",
            "estimate_days": "Working days of effort, e.g. 3 or 12.5.",
            "estimate_cost": "External cost (licences, agency) if any, in the request's currency.",
            "constraints": "Needed when it is only partly feasible or not feasible: budget, data, security, time.",
        }
        widgets = {"feasibility": forms.RadioSelect, "approach": forms.Textarea(attrs={"rows": 4}),
                   "constraints": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feasibility"].choices = FeasibilityChoices.choices
        self.fields["feasibility"].required = True
        self.fields["approach"].required = True


class TransitionForm(StewardFormMixin, forms.Form):
    """One workflow step: the target status and what that step needs."""

    to_status = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    planned_delivery = forms.DateField(label="Planned delivery date", required=False, widget=date_input())
    delivered_on = forms.DateField(label="Delivered on", required=False, widget=date_input(),
                                   help_text="Leave empty for today.")


class RescheduleForm(StewardFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    planned_delivery = forms.DateField(label="New planned delivery date", widget=date_input())
    reason = forms.CharField(label="Reason for the move", widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="Required. Everyone affected — the requester, the owners of the tools, "
                                       "the watchers — is told, with this reason.")


# Backlog ----------------------------------------------------------------------------------

class BacklogItemForm(ServiceModelForm):
    schedule_reason = forms.CharField(
        label="Reason for the move", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when you take the item out of the iteration it is planned in (or move it to another): "
                  "everyone affected is told why.")

    fieldsets = (
        ("The item", ("title", "kind", "description", "request", "components")),
        ("Priority", ("value", "effort_days", "needed_by", "priority_override", "override_reason")),
        ("Planning", ("status", "assignee", "iteration", "schedule_reason", "depends_on")),
    )

    class Meta(ServiceFormMeta):
        model = BacklogItem
        fields = ["title", "kind", "description", "request", "components", "value", "effort_days", "needed_by",
                  "priority_override", "override_reason", "status", "assignee", "iteration", "depends_on"]
        labels = {"request": "Came from request", "priority_override": "Priority set by hand",
                  "override_reason": "Why the priority is set by hand", "depends_on": "Depends on",
                  "value": "Business value (1–10)"}
        help_texts = {
            "value": "1 = nice to have, 10 = business critical. Part of the priority score.",
            "priority_override": "Leave empty to use the computed score. When set, it replaces the score and is "
                                 "shown as set by hand.",
            "override_reason": "Required when the priority is set by hand; shown next to the score.",
            "depends_on": "Items that must be done before this one can start (hold Ctrl/⌘ to pick several).",
        }
        widgets = {"needed_by": date_input(), "description": forms.Textarea(attrs={"rows": 4}),
                   "override_reason": forms.Textarea(attrs={"rows": 2}),
                   "components": forms.SelectMultiple(attrs={"size": 6}),
                   "depends_on": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = Request.objects.only("id", "title").order_by("-id")
        self.fields["request"].empty_label = "— None —"
        self.fields["components"].queryset = Component.objects.only("id", "name").order_by("name")
        self.fields["assignee"].queryset = Person.objects.select_related("department").order_by("name")
        self.fields["assignee"].label_from_instance = person_label
        self.fields["assignee"].empty_label = "— Nobody yet —"
        self.fields["iteration"].queryset = Iteration.objects.select_related("roadmap").order_by("start", "id")
        self.fields["iteration"].label_from_instance = iteration_label
        self.fields["iteration"].empty_label = "— Not planned (in the backlog) —"
        items = BacklogItem.objects.only("id", "title").order_by("id")
        if self.instance.pk:
            items = items.exclude(pk=self.instance.pk)
        self.fields["depends_on"].queryset = items
        self.fields["status"].choices = BacklogItemStatusChoices.choices
        if not (self.instance.pk and self.instance.iteration_id):
            # Nothing planned yet, so nothing to move: the reason is asked only when editing a planned item.
            del self.fields["schedule_reason"]
        else:
            self.fields["schedule_reason"].help_text = (
                f"Needed when you move it out of “{self.instance.iteration}”: everyone affected is told why.")

    def service_data(self) -> dict:
        data = super().service_data()
        if "schedule_reason" in self.cleaned_data:
            data["schedule_reason"] = self.cleaned_data["schedule_reason"]
        return data


class PlanForm(StewardFormMixin, forms.Form):
    """Plan an item into an iteration (or take it out), from the item's page."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    iteration = forms.ModelChoiceField(queryset=Iteration.objects.none(), required=False,
                                       label="Iteration", empty_label="— Back to the backlog —")
    reason = forms.CharField(label="Reason for the move", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="Required when the item leaves the iteration it is planned in.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["iteration"].queryset = Iteration.objects.select_related("roadmap").order_by("start", "id")
        self.fields["iteration"].label_from_instance = iteration_label


# Roadmaps ---------------------------------------------------------------------------------

class RoadmapForm(SlugOptionalMixin, ServiceModelForm):
    class Meta(ServiceFormMeta):
        model = Roadmap
        fields = ["name", "slug", "department", "vision"]
        labels = {"slug": "Short name (slug)"}
        help_texts = {"slug": SLUG_HELP}
        widgets = {"vision": forms.Textarea(attrs={"rows": 6})}


class ScheduleReasonMixin:
    """Editing a dated object: moving its dates needs ``schedule_reason`` (only asked on edit)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["schedule_reason"]

    def service_data(self) -> dict:
        data = super().service_data()
        if "schedule_reason" in self.cleaned_data:
            data["schedule_reason"] = self.cleaned_data["schedule_reason"]
        return data


REASON_HELP = "Required when you move a date: everyone affected is told, with this reason."


class IterationForm(ScheduleReasonMixin, ServiceModelForm):
    schedule_reason = forms.CharField(label="Reason for the move", required=False, help_text=REASON_HELP,
                                      widget=forms.Textarea(attrs={"rows": 2}))

    class Meta(ServiceFormMeta):
        model = Iteration
        fields = ["roadmap", "name", "goal", "start", "end", "status"]
        widgets = {"start": date_input(), "end": date_input(), "goal": forms.Textarea(attrs={"rows": 3})}
        labels = {"start": "Starts on", "end": "Ends on"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "schedule_reason" not in self.fields:
            return
        from .services import requests_planned_in

        planned = [f"R-{pk}" for pk in requests_planned_in(self.instance).values_list("pk", flat=True)[:6]]
        if planned:
            names = ", ".join(planned[:5]) + (" …" if len(planned) > 5 else "")
            self.fields["schedule_reason"].help_text = (
                f"Required when you move a date. Requests planned in it ({names}) get a new planned delivery "
                "date when its end moves; their requesters read this reason.")


class MilestoneForm(ScheduleReasonMixin, ServiceModelForm):
    schedule_reason = forms.CharField(label="Reason for the move", required=False, help_text=REASON_HELP,
                                      widget=forms.Textarea(attrs={"rows": 2}))

    class Meta(ServiceFormMeta):
        model = Milestone
        fields = ["roadmap", "name", "due", "description", "reached", "requests"]
        widgets = {"due": date_input(), "description": forms.Textarea(attrs={"rows": 3}),
                   "requests": forms.SelectMultiple(attrs={"size": 6})}
        labels = {"requests": "Requests it serves"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requests"].queryset = Request.objects.only("id", "title").order_by("-id")
        self.fields["requests"].required = False
