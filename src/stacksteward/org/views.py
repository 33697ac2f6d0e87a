"""Web pages for departments, people and the signed-in user's API tokens."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from stacksteward.catalog.models import Component, RaciAssignment
from stacksteward.core.forms import slug_choices
from stacksteward.core.permissions import require_perm
from stacksteward.core.views import ObjectDetailView, ObjectFormView, ObjectListView

from . import services
from .forms import TimeZoneForm, TokenCreateForm
from .models import ApiToken, Department, Person

# Departments ------------------------------------------------------------------------------


class DepartmentListView(ObjectListView):
    def get_queryset(self):
        return super().get_queryset().annotate(
            person_count=Count("people", distinct=True), raci_count=Count("raci_assignments", distinct=True)
        )

    def tune_filter_form(self, form):
        form.fields["q"].label = "Search by name"


class DepartmentDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs):
        department = kwargs["object"]
        people = Person.objects.restrict(self.request.user, "view").filter(department=department)
        owned = Component.objects.restrict(self.request.user, "view").filter(
            Q(business_owner__department=department) | Q(technical_owner__department=department)
        ).select_related("business_owner", "technical_owner").distinct()
        raci = RaciAssignment.objects.filter(department=department).select_related("component")
        return {**kwargs, "people": list(people), "owned": list(owned), "raci": list(raci)}


# People -----------------------------------------------------------------------------------

class PersonListView(ObjectListView):
    def get_queryset(self):
        return super().get_queryset().select_related("department", "user").annotate(
            owned_count=Count("business_owned_components", distinct=True)
            + Count("technical_owned_components", distinct=True)
        )

    def tune_filter_form(self, form):
        departments = Department.objects.order_by("name")
        form.fields["department"] = forms.ChoiceField(label="Department", required=False,
                                                      choices=slug_choices(departments))
        form.fields["archetype"].label = "Martech role"
        form.fields["available"].label = "Available"
        form.fields["has_login"].label = "Has a login"


class PersonDetailView(ObjectDetailView):
    def get_queryset(self):
        return super().get_queryset().select_related("department", "manager", "user")

    def get_context_data(self, **kwargs):
        person = kwargs["object"]
        components = Component.objects.restrict(self.request.user, "view").select_related("category")
        raci = list(
            RaciAssignment.objects.filter(person=person).select_related("component").order_by("component__name")
        )
        if person.department_id:
            team_raci = list(
                RaciAssignment.objects.filter(department_id=person.department_id)
                .select_related("component").order_by("component__name")
            )
        else:
            team_raci = []
        return {
            **kwargs,
            "business_owned": list(components.filter(business_owner=person)),
            "technical_owned": list(components.filter(technical_owner=person)),
            "raci": raci,
            "team_raci": team_raci,
            "reports": list(Person.objects.filter(manager=person)),
            "company_zone": settings.TIME_ZONE,
        }


class PersonFormView(ObjectFormView):
    def get_initial(self):
        slug = self.request.GET.get("department")
        department = Department.objects.filter(slug=slug).first() if slug else None
        return {"department": department} if department else {}


def time_zone(request):
    """The signed-in user's time zone: the one their dates and times are shown in (their person record's)."""
    person = Person.objects.filter(user=request.user).first()
    if request.method == "POST" and person is not None:
        form = TimeZoneForm(request.POST)
        if form.is_valid():
            try:
                services.person_set_time_zone(person, actor=request.user, time_zone=form.cleaned_data["time_zone"])
            except ValidationError as exc:
                for message in exc.message_dict.get("time_zone", exc.messages):
                    form.add_error("time_zone", message)
            else:
                messages.success(request, "Your time zone is saved.")
                return redirect("org:time_zone")
    else:
        form = TimeZoneForm(initial={"time_zone": person.time_zone if person else ""})
    return render(request, "org/time_zone.html", {"form": form, "person": person,
                                                  "company_zone": settings.TIME_ZONE})


# API tokens -------------------------------------------------------------------------------

def token_list(request):
    """The signed-in user's API tokens: create one (its key is shown once), see them, revoke them."""
    tokens = ApiToken.objects.restrict(request.user, "view").filter(user=request.user)
    new_key = None
    if request.method == "POST":
        require_perm(request.user, "add", ApiToken)
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            token, new_key = services.token_create(
                actor=request.user, user=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
            form = TokenCreateForm()
    else:
        form = TokenCreateForm()
    response = render(request, "org/token_list.html",
                      {"tokens": list(tokens), "form": form, "new_key": new_key})
    if new_key:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.restrict(request.user, "view"), pk=pk)
    require_perm(request.user, "delete", token)
    services.token_revoke(token, actor=request.user)
    messages.success(request, f"Revoked the token “{token.name or token.key_hint}”. It no longer works.")
    return redirect("org:token_list")
