"""Generic pages shared by every app (list, detail, form, delete) and the site-wide pages.

The generic views stay thin: they fetch through ``restrict`` (so a missing and a forbidden
object answer the same 404), check permissions through ``core.permissions``, and write only
through the service functions they are given.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.http import require_POST

from .audit import conceal, history_for, readable_by
from .choices import QuestionStatusChoices
from .exceptions import StaleVersionError
from .forms import AnswerForm, AuditFilterForm, QuestionAskForm, friendly_filter_form
from .htmx import render_page_or_partial
from .models import AuditEntry, Notification, Question
from .notifications import mark_read
from .permissions import has_perm, require_perm
from .policies import policy_for
from .questions import can_close, question_answer, question_ask, question_close, target_of, waiting_for
from .services import validation_messages

HISTORY_LIMIT = 50


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def stable_order(queryset):
    """The queryset's ordering (or the model's default) with the primary key last, so pages never overlap."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if not {"pk", "-pk", "id", "-id"} & {str(o) for o in ordering}:
        ordering.append("pk")
    return queryset.order_by(*ordering)


def visible_audit_entries(user):
    """Audit entries the user may read: everyone sees the catalog's; accounts, tokens and money are
    restricted (the ``audit`` rule of each model's policy)."""
    return readable_by(AuditEntry.objects.select_related("content_type"), user)


def object_history(obj, limit: int = HISTORY_LIMIT, *, actor=None):
    """The latest audit entries about ``obj`` (and objects that named it as related); for ``actor``, only those
    it may read, without the fields it may not (money: ``core.audit.conceal``)."""
    entries = history_for(obj)
    if actor is not None:
        entries = readable_by(entries, actor)
    entries = list(entries[:limit])
    return conceal(entries, actor) if actor is not None else entries


def history_url(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return f"{reverse('audit_list')}?type={content_type.pk}&object_id={obj.pk}"


# Generic pages ----------------------------------------------------------------------------

class ObjectListView(View):
    """A searchable, filterable, sortable, paginated list; htmx swaps only ``#results``."""

    model = None
    filterset_class = None
    template_name = ""
    table_template = ""
    title = ""
    intro = ""
    add_url_name = ""
    empty_text = "Nothing here yet."
    more_filters: tuple[str, ...] = ()  # shown folded under "More filters"
    paginate_by = settings.STEWARD_PAGE_SIZE

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, "view")

    def tune_filter_form(self, form) -> None:
        """Hook: replace text filters by drop-downs and the like."""

    def get_context_data(self, **kwargs):
        return kwargs

    def get(self, request, *args, **kwargs):
        filterset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request)
        friendly_filter_form(filterset.form)
        self.tune_filter_form(filterset.form)
        page = Paginator(stable_order(filterset.qs), self.paginate_by).get_page(request.GET.get("page"))
        active_filters = [k for k, v in request.GET.lists() if k not in ("page", "ordering") and any(v)]
        context = self.get_context_data(
            filterset=filterset,
            filter_form=filterset.form,
            page=page,
            objects=page.object_list,
            title=self.title,
            intro=self.intro,
            empty_text=self.empty_text,
            is_filtered=bool(active_filters),
            more_filters=self.more_filters,
            more_open=any(name in self.more_filters for name in active_filters),
            table_template=self.table_template,
            can_add=has_perm(request.user, "add", self.model),
            add_url=reverse(self.add_url_name) if self.add_url_name else "",
            verbose_name=self.model._meta.verbose_name,
            verbose_name_plural=self.model._meta.verbose_name_plural,
        )
        return render_page_or_partial(request, self.template_name, self.table_template, context)


class ObjectMixin:
    model = None
    lookup = "slug"  # URL keyword and model field

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, "view")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), **{self.lookup: self.kwargs[self.lookup]})


class ObjectDetailView(ObjectMixin, View):
    template_name = ""

    def get_context_data(self, **kwargs):
        return kwargs

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        context = self.get_context_data(
            object=obj,
            history=object_history(obj, actor=request.user),
            history_url=history_url(obj),
            can_change=has_perm(request.user, "change", obj),
            can_delete=has_perm(request.user, "delete", obj),
            verbose_name=obj._meta.verbose_name,
        )
        return render(request, self.template_name, context)


class ObjectFormView(ObjectMixin, View):
    """Create (no lookup in the URL) or edit (lookup in the URL) through the app's services.

    A stale edit (someone saved in between) writes nothing: the page shows the user's input
    again with the values that are saved now, and saving again applies the user's version.
    """

    form_class = None
    template_name = "core/object_form.html"
    create_service = None
    update_service = None
    list_url_name = ""
    help_text = ""

    def get_initial(self) -> dict:
        return {}

    def get_form(self, obj=None, data=None):
        return self.form_class(data=data, instance=obj, initial=None if data is not None else self.get_initial())

    def get_object_or_none(self):
        return self.get_object() if self.lookup in self.kwargs else None

    def without_hidden_fields(self, form, obj):
        """The form without the field groups (money) the user may not write on ``obj``: not shown, not sent."""
        policy = policy_for(self.model)
        for group, spec in policy.fields.items():
            if not policy.may_write_group(self.request.user, group, obj):
                for name in spec.fields:
                    form.fields.pop(name, None)
        return form

    def check_permission(self, obj) -> None:
        require_perm(self.request.user, "change" if obj is not None else "add", obj if obj is not None else self.model)

    def render_form(self, form, obj, status=200, **extra):
        cancel = obj.get_absolute_url() if obj is not None else reverse(self.list_url_name)
        context = {
            "form": form,
            "object": obj,
            "verbose_name": self.model._meta.verbose_name,
            "title": f"Edit {obj}" if obj is not None else f"New {self.model._meta.verbose_name}",
            "help_text": self.help_text,
            "cancel_url": safe_next(self.request, cancel),
            "next": self.request.GET.get("next") or self.request.POST.get("next") or "",
            **extra,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        obj = self.get_object_or_none()
        self.check_permission(obj)
        return self.render_form(self.without_hidden_fields(self.get_form(obj), obj), obj)

    def save(self, form, obj):
        data = form.service_data()
        if obj is None:
            return self.create_service(actor=self.request.user, data=data)
        return self.update_service(obj, actor=self.request.user, data=data,
                                   expected_version=form.expected_version)

    def post(self, request, *args, **kwargs):
        obj = self.get_object_or_none()
        self.check_permission(obj)
        form = self.without_hidden_fields(self.get_form(obj, data=request.POST), obj)
        if not form.is_valid():
            return self.render_form(form, obj)
        try:
            saved = self.save(form, obj)
        except StaleVersionError as exc:
            return self.render_conflict(form, obj, exc)
        except ValidationError as exc:
            form.add_service_errors(exc)
            return self.render_form(form, obj)
        verb = "Created" if obj is None else "Saved"
        messages.success(request, f"{verb} {self.model._meta.verbose_name} “{saved}”.")
        return redirect(safe_next(request, saved.get_absolute_url()))

    def render_conflict(self, form, obj, exc):
        """Someone saved in between: merge, write nothing, and show what differs.

        Fields the user did not touch take the values saved now; fields the user changed keep the
        user's input. Saving the shown form again applies the user's changes on top of the saved ones.
        """
        current = self.get_object()
        saved_form = self.get_form(current)
        mine = set(form.changed_data) - {"version"}
        merged = QueryDict(mutable=True)
        differences, theirs = [], []
        for name, field in form.fields.items():
            if name == "version":
                continue
            key, initial_key = form.add_prefix(name), form.add_initial_prefix(name)
            saved_raw = _raw_values(saved_form[name])
            if name in mine:
                merged.setlist(key, form.data.getlist(key))
                if field.has_changed(saved_form[name].initial, form[name].data):
                    differences.append({"label": form.field_label(name), "current": _display(current, name),
                                        "yours": _display_input(field, form.cleaned_data.get(name))})
            else:
                merged.setlist(key, saved_raw)
                loaded = field.hidden_widget().value_from_datadict(form.data, form.files, initial_key)
                if field.has_changed(saved_form[name].initial, loaded):
                    theirs.append(form.field_label(name))
            merged.setlist(initial_key, saved_raw)
        merged["version"] = str(current.version)
        if self.request.POST.get("next"):
            merged["next"] = self.request.POST["next"]
        fresh = self.without_hidden_fields(self.get_form(current, data=merged), current)
        return self.render_form(fresh, current, status=409, conflict=exc.message, differences=differences,
                                theirs=theirs)


def _raw_values(bound_field) -> list[str]:
    """An unbound field's value as the strings a browser would post for it."""
    value = bound_field.value()
    if isinstance(bound_field.field.widget, forms.CheckboxInput):
        return ["on"] if value else []
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    if value is None:
        return [""]
    if hasattr(value, "pk"):
        return [str(value.pk)]
    if hasattr(value, "isoformat"):
        return [value.isoformat()]
    return [str(value)]


def _display(obj, name):
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return "—"
    if field.many_to_many:
        return ", ".join(str(o) for o in getattr(obj, name).all()) or "—"
    if field.choices:
        return getattr(obj, f"get_{name}_display")() or "—"
    value = getattr(obj, name)
    if value is True or value is False:
        return "Yes" if value else "No"
    return "—" if value in (None, "") else str(value)


def _display_input(form_field, value):
    if isinstance(value, list | tuple) or hasattr(value, "model"):
        return ", ".join(str(v) for v in value) or "—"
    if value is True or value is False:
        return "Yes" if value else "No"
    choices = {str(k): v for k, v in getattr(form_field, "choices", None) or [] if not isinstance(v, list | tuple)}
    if not hasattr(value, "pk") and str(value) in choices and value not in (None, ""):
        return str(choices[str(value)])
    return "—" if value in (None, "") else str(value)


class ObjectDeleteView(ObjectMixin, View):
    template_name = "core/object_confirm_delete.html"
    delete_service = None
    list_url_name = ""

    def get_context_data(self, **kwargs):
        return kwargs

    def render_page(self, obj, status=200, **extra):
        context = self.get_context_data(object=obj, verbose_name=obj._meta.verbose_name,
                                        version=extra.pop("version", obj.version), **extra)
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        require_perm(request.user, "delete", obj)
        return self.render_page(obj)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        require_perm(request.user, "delete", obj)
        version = request.POST.get("version")
        expected = int(version) if version and version.isdigit() else None
        try:
            self.delete_service(obj, actor=request.user, expected_version=expected)
        except StaleVersionError as exc:
            current = self.get_object()
            return self.render_page(current, status=409, error=exc.message, version=current.version)
        except ValidationError as exc:
            return self.render_page(obj, error=" ".join(exc.messages))
        messages.success(request, f"Deleted {obj._meta.verbose_name} “{obj}”.")
        return redirect(safe_next(request, reverse(self.list_url_name)))


# Site-wide pages --------------------------------------------------------------------------

AUDITED_MODELS = [
    ("catalog", "component"), ("catalog", "vendor"), ("catalog", "category"), ("catalog", "relation"),
    ("catalog", "raciassignment"), ("org", "department"), ("org", "person"),
]


def audit_list(request):
    """Every change, newest first: who, when, through what, before and after."""
    types = [ContentType.objects.get_by_natural_key(app, model) for app, model in AUDITED_MODELS]
    type_choices = [(str(ct.pk), str(ct.model_class()._meta.verbose_name).capitalize()) for ct in types
                    if ct.model_class() is not None]
    form = AuditFilterForm(request.GET, type_choices=type_choices)
    entries = visible_audit_entries(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            # Who by the name shown (the person's), also on entries that froze the login.
            entries = entries.filter(Q(object_repr__icontains=data["q"]) | Q(actor_name__icontains=data["q"])
                                     | Q(actor__person__name__icontains=data["q"]))
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["source"]:
            entries = entries.filter(source=data["source"])
        if data["type"]:
            entries = entries.filter(content_type_id=data["type"])
            if data["object_id"]:
                entries = entries.filter(
                    Q(object_id=data["object_id"])
                    | Q(related_content_type_id=data["type"], related_object_id=data["object_id"])
                )
    page = Paginator(entries, settings.STEWARD_PAGE_SIZE).get_page(request.GET.get("page"))
    active = [k for k, v in request.GET.lists() if k != "page" and any(v)]
    context = {"filter_form": form, "page": page, "entries": conceal(list(page.object_list), request.user),
               "is_filtered": bool(active),
               "title": "Audit log"}
    return render_page_or_partial(request, "core/audit_list.html", "core/_audit_table.html", context)


def audit_open(request, pk: int):
    """Open the object an audit entry is about (or the object it was related to)."""
    entry = get_object_or_404(visible_audit_entries(request.user).select_related("related_content_type"), pk=pk)
    candidates = [(entry.content_type, entry.object_id)]
    if entry.related_content_type_id:
        candidates.append((entry.related_content_type, entry.related_object_id))
    for content_type, object_id in candidates:
        model = content_type.model_class()
        if model is None or not hasattr(model, "get_absolute_url"):
            continue
        queryset = model.objects.restrict(request.user, "view") if hasattr(model.objects, "restrict") \
            else model.objects.all()
        obj = queryset.filter(pk=object_id).first()
        if obj is not None:
            return redirect(obj.get_absolute_url())
    messages.info(request, f"“{entry.object_repr}” no longer exists; this is its history.")
    query = f"?type={entry.content_type_id}&object_id={entry.object_id}"
    return redirect(reverse("audit_list") + query)



# Questions and answers --------------------------------------------------------------------

def _question_or_404(user, pk):
    """The question, if the user may see what it is about (a missing and a forbidden one answer 404)."""
    from django.http import Http404

    question = get_object_or_404(Question.objects.restrict(user, "view").select_related(
        "content_type", "addressed_person", "addressed_department"), pk=pk)
    target = question.target
    if target is not None and not has_perm(user, "view", target):
        raise Http404("No such question.")
    return question, target


def _target_url(target) -> str:
    return target.get_absolute_url() if target is not None and hasattr(target, "get_absolute_url") else ""


def question_detail(request, pk, answer_form=None, error="", status=200):
    question, target = _question_or_404(request.user, pk)
    context = {"question": question, "answers": list(question.answers.all()), "target_url": _target_url(target),
               "answer_form": answer_form or AnswerForm(), "can_close": can_close(request.user, question),
               "error": error}
    return render(request, "core/question.html", context, status=status)


def question_list(request):
    """“Waiting for my answer”: open questions addressed to me or my department, oldest first."""
    user = request.user
    base = Question.objects.select_related("addressed_person", "addressed_department").annotate(
        answer_count=Count("answers"))
    waiting = list(waiting_for(user).select_related("addressed_person", "addressed_department")
                   .annotate(answer_count=Count("answers")).order_by("created_at", "id")[:200])
    asked = list(base.filter(asked_by=user, status=QuestionStatusChoices.OPEN).order_by("created_at", "id")[:200])
    from stacksteward.org.models import Person

    has_person = Person.objects.filter(user=user).exists()
    return render(request, "core/question_list.html",
                  {"waiting": waiting, "asked": asked, "has_person": has_person, "title": "Waiting for my answer"})


@require_POST
def question_ask_view(request):
    form = QuestionAskForm(data=request.POST)
    target = None
    if form.is_valid():
        try:
            target = target_of(form.cleaned_data["target_type"], form.cleaned_data["target_id"], request.user)
            question = question_ask(actor=request.user, target=target, text=form.cleaned_data["text"],
                                    **form.addressed())
        except ValidationError as exc:
            for item in validation_messages(exc):
                field = item["field"] if item["field"] in ("text", "addressee") else None
                if item["field"] in ("addressed_person", "addressed_department"):
                    field = "addressee"
                form.add_error(field, item["message"])
        else:
            messages.success(request, f"Question asked; {question.addressee} is told.")
            fallback = _target_url(target) or reverse("question", args=[question.pk])
            return redirect(f"{safe_next(request, fallback)}#question-{question.pk}")
    elif not form.errors.get("target_type") and not form.errors.get("target_id"):
        try:
            target = target_of(request.POST.get("target_type"), request.POST.get("target_id"), request.user)
        except ValidationError:
            target = None
    return render(request, "core/question_ask.html",
                  {"form": form, "target": target, "next": safe_next(request, "")})


@require_POST
def question_answer_view(request, pk):
    question, target = _question_or_404(request.user, pk)
    form = AnswerForm(data=request.POST)
    if form.is_valid():
        try:
            question_answer(question, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            return question_detail(request, pk, answer_form=form, error=" ".join(exc.messages))
        messages.success(request, "Answer posted; the person who asked is told.")
        fallback = _target_url(target) or reverse("question", args=[pk])
        return redirect(f"{safe_next(request, fallback)}#question-{pk}")
    return question_detail(request, pk, answer_form=form)


@require_POST
def question_close_view(request, pk):
    question, target = _question_or_404(request.user, pk)
    try:
        question_close(question, actor=request.user)  # PermissionDenied → the 403 page
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Question Q{pk} marked answered.")
    fallback = _target_url(target) or reverse("question", args=[pk])
    return redirect(f"{safe_next(request, fallback)}#question-{pk}")


# Notifications ----------------------------------------------------------------------------

def notification_list(request):
    mine = Notification.objects.restrict(request.user, "view")
    only_unread = bool(request.GET.get("unread"))
    shown = mine.filter(read_at__isnull=True) if only_unread else mine
    page = Paginator(shown.order_by("-created_at", "-id"), settings.STEWARD_PAGE_SIZE).get_page(
        request.GET.get("page"))
    context = {"page": page, "notifications": page.object_list, "only_unread": only_unread,
               "unread_total": mine.filter(read_at__isnull=True).count(), "title": "Notifications"}
    return render(request, "core/notification_list.html", context)


def notification_open(request, pk):
    """Mark one notification read and go to what it is about."""
    notification = get_object_or_404(Notification.objects.restrict(request.user, "view"), pk=pk)
    mark_read(request.user, [notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("notification_list")


@require_POST
def notification_read(request):
    """Mark one (``id``) or all (``all``) of my notifications read."""
    if request.POST.get("all"):
        count = mark_read(request.user)
        messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    else:
        ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()]
        mark_read(request.user, ids)  # only the user's own rows are touched
    return redirect(safe_next(request, reverse("notification_list")))
