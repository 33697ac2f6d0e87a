"""Form helpers shared by every app: service-backed model forms and friendlier filter forms."""

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.forms.utils import pretty_name

from . import limits
from .choices import AuditActionChoices, AuditSourceChoices
from .services import validation_messages


class StewardFormMixin:
    """What the shared form templates use: sections of fields, and every error with its field's label."""

    # Optional ((title, [field names]), …) to show long forms in sections.
    fieldsets: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def sections(self) -> list[tuple[str, list]]:
        """(title, bound fields) per section; one untitled section when the form has no ``fieldsets``."""
        visible = list(self.visible_fields())
        if not self.fieldsets:
            return [("", visible)]
        placed = {name for _title, names in self.fieldsets for name in names}
        by_name = {bf.name: bf for bf in visible}
        result = [(title, [by_name[n] for n in names if n in by_name]) for title, names in self.fieldsets]
        rest = [bf for bf in visible if bf.name not in placed]
        if rest:
            result.append(("Other", rest))
        return result

    def field_label(self, name: str) -> str:
        if name in self.fields:
            return str(self.fields[name].label or pretty_name(name))
        model = getattr(getattr(self, "_meta", None), "model", None)
        if model is not None:
            try:
                return str(model._meta.get_field(name).verbose_name).capitalize()
            except FieldDoesNotExist:
                pass
        return pretty_name(name)

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id or "", field label or "", message) for every error."""
        rows = []
        for name, errors in self.errors.items():
            for message in errors:
                if name == "__all__":
                    rows.append(("", "", message))
                elif name in self.fields and not self.fields[name].widget.is_hidden:
                    rows.append((self[name].id_for_label, self.field_label(name), message))
                else:
                    rows.append(("", self.field_label(name), message))
        return rows


# The name other apps already import.
ErrorSummaryMixin = StewardFormMixin


def formfield_for(model_field, **kwargs):
    """Model field → form field, with web addresses assumed to be https when typed without a scheme."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return limits.limit_form_field(model_field, model_field.formfield(**kwargs))


class ServiceFormMeta:
    """Base ``Meta`` for service-backed model forms: ``class Meta(ServiceFormMeta): model = …``."""

    formfield_callback = staticmethod(formfield_for)


class ServiceModelForm(StewardFormMixin, forms.ModelForm):
    """A model form that only parses input; services validate and write.

    ``service_data()`` gives the ``data=`` dict for a service, ``expected_version`` the version
    the edit was based on (a hidden field), and ``add_service_errors`` puts a service's
    ``ValidationError`` next to the fields it names.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            if not self.is_bound:
                self.initial["version"] = self.instance.version
            # Remember what the page showed, so a stale edit can tell the user's changes from the rest.
            for name, field in self.fields.items():
                if name != "version":
                    field.show_hidden_initial = True
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("rows", 5)

    def _post_clean(self):
        # Model validation runs once, in the service (the same rules as the API, the CLI and imports).
        pass

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}

    def add_service_errors(self, exc: ValidationError) -> None:
        for item in validation_messages(exc):
            field, message = item["field"], item["message"]
            if field in self.fields and field != "version":
                self.add_error(field, message)
            elif field == "__all__":
                self.add_error(None, message)
            else:
                self.add_error(None, f"{self.field_label(field)}: {message}")


ANY_YES_NO = [("", "Any"), ("true", "Yes"), ("false", "No")]


def friendly_filter_form(form: forms.Form) -> forms.Form:
    """Make a FilterSet's form easy to use: checkboxes for several choices, Any/Yes/No for flags."""
    for name, field in form.fields.items():
        if isinstance(field, forms.MultipleChoiceField):
            field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
        elif isinstance(field, forms.NullBooleanField):
            field.widget = forms.Select(choices=ANY_YES_NO)
        elif name == "q":
            field.widget = forms.TextInput(attrs={"type": "search", "placeholder": "Type to search…",
                                                  "autocomplete": "off"})
        if name == "ordering":
            field.label = "Sort by"
            field.choices = [
                (value, "Default order" if not value else str(label).replace("(descending)", "(reverse)"))
                for value, label in field.choices
            ]
    return form


def slug_choices(queryset, label=str, empty="Any") -> list[tuple[str, str]]:
    return [("", empty), *[(obj.slug, label(obj)) for obj in queryset]]


class AuditFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Object or person…"}))
    action = forms.ChoiceField(label="What happened", required=False,
                               choices=[("", "Any"), *AuditActionChoices.choices])
    source = forms.ChoiceField(label="Made through", required=False,
                               choices=[("", "Any"), *AuditSourceChoices.choices])
    type = forms.ChoiceField(label="Kind of object", required=False, choices=[("", "Any")])
    object_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, type_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "Any"), *type_choices]


# Questions and answers --------------------------------------------------------------------

def addressee_choices() -> list:
    """Departments and people, as one grouped drop-down (values ``d<id>`` and ``p<id>``); two queries."""
    from stacksteward.org.models import Department, Person

    departments = [(f"d{d.pk}", f"{d.name} (department)") for d in Department.objects.order_by("name")]
    people = [(f"p{p.pk}", f"{p.name} ({p.department.name})" if p.department_id else p.name)
              for p in Person.objects.select_related("department").order_by("name")]
    return [("", "— Choose a department or a person —"), ("Departments", departments), ("People", people)]


class QuestionAskForm(StewardFormMixin, forms.Form):
    """Ask a question about any askable object, addressed to a person or a department."""

    text = forms.CharField(label="Your question", widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Write the question."},
                           help_text="Ask one thing at a time; the question stays open until you mark it answered.")
    addressee = forms.ChoiceField(label="Addressed to", choices=(),
                                  error_messages={"required": "Address the question to a department or a person."},
                                  help_text="A department: anyone in it may answer. A person: they are asked directly.")
    target_type = forms.CharField(widget=forms.HiddenInput)
    target_id = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressee"].choices = choices if choices is not None else addressee_choices()

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError("Write the question.")
        return text

    def addressed(self) -> dict:
        """``addressed_person`` / ``addressed_department`` for ``question_ask``."""
        from stacksteward.org.models import Department, Person

        value = self.cleaned_data["addressee"]
        model, key = (Department, "addressed_department") if value.startswith("d") else (Person, "addressed_person")
        found = model.objects.filter(pk=value[1:]).first() if value[1:].isdigit() else None
        if found is None:
            raise ValidationError({"addressee": "Choose a department or a person from the list."})
        return {key: found}


class AnswerForm(StewardFormMixin, forms.Form):
    text = forms.CharField(label="Your answer", widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Write the answer."})

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError("Write the answer.")
        return text
