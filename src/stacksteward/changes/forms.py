"""Web forms for change control. They parse input only; ``changes.services`` and ``changes.meetings``
validate and write. Written for people who have never heard of ITIL: plain words and help everywhere."""

from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy

from stacksteward.catalog.models import Component
from stacksteward.core.forms import ServiceFormMeta, ServiceModelForm, StewardFormMixin
from stacksteward.intake.models import BacklogItem, Request
from stacksteward.org.models import Person

from .choices import ApprovalDecisionChoices, MeetingDecisionChoices
from .models import CalendarEvent, ChangeRequest, Meeting, MeetingSeries

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _tz_hint() -> str:
    from django.utils import timezone

    return f"Times are in {timezone.get_current_timezone_name()}."


# Read when the form is shown: the viewer's time zone (``core.middleware.TimeZoneMiddleware``).
TZ_HINT = lazy(_tz_hint, str)()

TYPE_HELP = (
    "Standard: a routine change done the same way many times before (e.g. adding a form field); it is "
    "pre-approved, so nobody needs to sign it off. "
    "Normal: anything else; the departments it affects approve it first. "
    "Emergency: something is broken or at risk right now; it may go ahead before approval, "
    "but approvals and a review afterwards are required."
)


def datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def _person_label(person) -> str:
    return f"{person.name} ({person.department.name})" if person.department_id else person.name


class ComponentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} (tier {obj.tier})"


class ChangeRequestForm(ServiceModelForm):
    fieldsets = (
        ("What changes?", ("title", "description", "components", "type")),
        ("When?", ("window_start", "window_end")),
        ("If it goes wrong", ("rollback_plan",)),
        ("Who and why", ("requester", "implementer", "request", "backlog_item")),
        ("Conflicts", ("conflict_justification",)),
    )
    components = ComponentChoiceField(
        queryset=Component.objects.order_by("name"), label="Which components does it change?",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="The tools, databases, website or accounts you will touch (hold Ctrl/⌘ to pick several). "
                  "Everything that depends on them is found automatically and shown in the preview.")

    class Meta(ServiceFormMeta):
        model = ChangeRequest
        fields = ["title", "description", "components", "type", "window_start", "window_end", "rollback_plan",
                  "requester", "implementer", "request", "backlog_item", "conflict_justification"]
        labels = {
            "title": "Title",
            "type": "What kind of change is it?",
            "window_start": "Window starts",
            "window_end": "Window ends",
            "rollback_plan": "How do you undo it? (rollback plan)",
            "requester": "Requested by",
            "implementer": "Who carries it out?",
            "request": "Request it delivers",
            "backlog_item": "Backlog item it delivers",
            "conflict_justification": "Why go ahead despite conflicts?",
        }
        help_texts = {
            "title": "A short name, e.g. “Rename the lead source field in the CRM”.",
            "description": "What exactly changes and why. Markdown works.",
            "type": TYPE_HELP,
            "window_start": format_lazy("When the work starts (the change window). {}", TZ_HINT),
            "window_end": "When the work is finished and everything works again.",
            "rollback_plan": "The steps to go back to how it was. Required for normal and emergency changes.",
            "requester": "Leave empty if it is you.",
            "implementer": "The person doing the work, if known.",
            "request": "Link the request from Marketing (or another department) that this change delivers.",
            "backlog_item": "Or the backlog item it delivers.",
            "conflict_justification": "Only needed when the change clashes with another change, a freeze or an "
                                      "event (the preview lists them).",
        }
        widgets = {
            "type": forms.RadioSelect,
            "window_start": datetime_input(),
            "window_end": datetime_input(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "rollback_plan": forms.Textarea(attrs={"rows": 3}),
            "conflict_justification": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.select_related("department").order_by("name")
        for name, empty in (("requester", "— Me —"), ("implementer", "— Not decided yet —")):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = _person_label
            self.fields[name].empty_label = empty
        self.fields["requester"].required = False
        self.fields["request"].queryset = Request.objects.order_by("-id")
        self.fields["request"].empty_label = "— None —"
        self.fields["backlog_item"].queryset = BacklogItem.objects.order_by("-id")
        self.fields["backlog_item"].empty_label = "— None —"
        self.fields["type"].choices = [c for c in self.fields["type"].choices if c[0]]

    def service_data(self) -> dict:
        data = super().service_data()
        if data.get("requester") is None:
            data.pop("requester", None)  # a new change: the signed-in user's person; an edit keeps the requester
        return data


class SubmitForm(StewardFormMixin, forms.Form):
    conflict_justification = forms.CharField(
        label="Why should it go ahead despite the conflicts?", required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when conflicts are listed above; the approvers read it.")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TransitionForm(StewardFormMixin, forms.Form):
    to_status = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewForm(StewardFormMixin, forms.Form):
    outcome = forms.CharField(label="What was the outcome?", widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "Describe the outcome."},
                              help_text="Did the change do what it should? Any side effects?")
    went_well = forms.CharField(label="What went well?", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    went_badly = forms.CharField(label="What did not go well?", required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text="What to do differently next time.")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecideForm(StewardFormMixin, forms.Form):
    """One department's approve or reject."""

    decision = forms.ChoiceField(choices=[(ApprovalDecisionChoices.APPROVED, "Approve"),
                                          (ApprovalDecisionChoices.REJECTED, "Reject")])
    comment = forms.CharField(label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="Required to reject: say why.")


class MeetingDecideForm(StewardFormMixin, forms.Form):
    """A decision taken in the meeting, for the minutes."""

    change = forms.IntegerField(widget=forms.HiddenInput)
    department = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(choices=MeetingDecisionChoices.choices)
    comment = forms.CharField(label="Comment for the minutes", required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="Required to reject (why) or defer (what is needed first).")


class CalendarEventForm(ServiceModelForm):
    components = ComponentChoiceField(
        queryset=Component.objects.order_by("name"), required=False, label="Components it relies on",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Changes to these components (or to anything they depend on) during the event are flagged "
                  "as conflicts. Hold Ctrl/⌘ to pick several.")

    class Meta(ServiceFormMeta):
        model = CalendarEvent
        fields = ["name", "kind", "start", "end", "all_components", "components", "description"]
        labels = {"kind": "What is it?", "all_components": "It relies on every component"}
        help_texts = {
            "name": "E.g. “Spring campaign launch” or “Year-end change freeze”.",
            "kind": "A change freeze means no changes at all; the other kinds are events changes should avoid.",
            "start": TZ_HINT,
            "all_components": "Tick for a general freeze or an event where everything must work.",
        }
        widgets = {"start": datetime_input(), "end": datetime_input(),
                   "description": forms.Textarea(attrs={"rows": 3})}


class MeetingSeriesForm(ServiceModelForm):
    class Meta(ServiceFormMeta):
        model = MeetingSeries
        fields = ["name", "weekday", "time", "duration_minutes", "every_weeks", "timezone", "starts_on", "ends_on",
                  "location", "active"]
        labels = {"weekday": "On", "time": "At", "duration_minutes": "Minutes long", "every_weeks": "Every … weeks",
                  "timezone": "Time zone", "starts_on": "First week", "ends_on": "Last day (optional)"}
        help_texts = {
            "name": "E.g. “Weekly change review”.",
            "every_weeks": "1 = every week, 2 = every other week.",
            "timezone": "Where the meeting's time is meant, e.g. Europe/Berlin or America/New_York.",
            "location": "A room or a video-call link.",
            "active": "Untick to stop scheduling new meetings.",
        }
        widgets = {"time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class MeetingForm(ServiceModelForm):
    class Meta(ServiceFormMeta):
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "location", "status"]
        labels = {"starts_at": "Starts", "ends_at": "Ends"}
        help_texts = {"starts_at": TZ_HINT, "location": "A room or a video-call link."}
        widgets = {"starts_at": datetime_input(), "ends_at": datetime_input()}


class MinutesForm(ServiceModelForm):
    attendees = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), required=False, label="Who attended?",
        widget=forms.SelectMultiple(attrs={"size": 8}), help_text="Hold Ctrl/⌘ to pick several.")

    class Meta(ServiceFormMeta):
        model = Meeting
        fields = ["attendees", "notes", "status"]
        labels = {"notes": "Minutes", "status": "The meeting was"}
        help_texts = {"notes": "Anything discussed beyond the decisions below (which are recorded on their own)."}
        widgets = {"notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = Person.objects.select_related("department").order_by("name")
        self.fields["attendees"].label_from_instance = _person_label
