from django.urls import path
from django.views.generic import RedirectView

from stacksteward.core.pages import page_urls

from . import resources, views, views_brief

app_name = "finance"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="finance:contract_list"), name="index"),
    # Contracts and renewals
    *page_urls(resources.CONTRACTS),
    path("contracts/<int:pk>/decide/", views.contract_decide, name="contract_decide"),
    path("contracts/<int:pk>/documents/add/", views.contract_document_add, name="contract_document_add"),
    path("contracts/<int:pk>/documents/<int:document_pk>/delete/", views.contract_document_delete,
         name="contract_document_delete"),
    # Tool selections
    *page_urls(resources.SELECTIONS),
    path("selections/<int:pk>/candidates/add/", views.candidate_add, name="selection_candidate_add"),
    path("selections/<int:pk>/candidates/<int:candidate_pk>/delete/", views.candidate_delete,
         name="selection_candidate_delete"),
    path("selections/<int:pk>/criteria/add/", views.criterion_add, name="selection_criterion_add"),
    path("selections/<int:pk>/criteria/<int:criterion_pk>/delete/", views.criterion_delete,
         name="selection_criterion_delete"),
    path("selections/<int:pk>/scores/", views.selection_scores, name="selection_scores"),
    path("selections/<int:pk>/decide/", views.selection_decide, name="selection_decide"),
    # Objectives and KPIs
    *page_urls(resources.OBJECTIVES),
    path("objectives/<int:pk>/factors/add/", views.success_factor_add, name="success_factor_add"),
    path("objectives/<int:pk>/factors/<int:factor_pk>/delete/", views.success_factor_delete,
         name="success_factor_delete"),
    *page_urls(resources.KPIS),
    path("kpis/<slug:slug>/measurements/add/", views.measurement_add, name="kpi_measurement_add"),
    # Budget, costs and investments
    path("budget/", views.budget_page, name="budget"),
    path("budget/add/", views.BudgetFormView.as_view(), name="budget_add"),
    path("budget/<int:pk>/edit/", views.BudgetFormView.as_view(), name="budget_edit"),
    path("budget/<int:pk>/delete/", views.BudgetDeleteView.as_view(), name="budget_delete"),
    path("costs/add/", views.CostEntryFormView.as_view(), name="cost_entry_add"),
    path("costs/<int:pk>/edit/", views.CostEntryFormView.as_view(), name="cost_entry_edit"),
    path("investments/", views.investments_view, name="investments"),
    path("investments/<slug:slug>/value-score/", views.value_score, name="value_score"),
]

# The renewal brief's routes (finance/brief.py) follow here.
urlpatterns += [
    path("contracts/<int:pk>/brief/", views_brief.contract_brief, name="contract_brief"),
    path("contracts/<int:pk>/brief.pdf", views_brief.contract_brief_pdf, name="contract_brief_pdf"),
]
