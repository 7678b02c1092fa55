"""Web routes of the cases area: referrals, triage and cases (included by web/urls.py
under the `web` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("referrals/", views.ReferralListView.as_view(), name="referral-list"),
    path("referrals/new/", views.ReferralCreateView.as_view(), name="referral-create"),
    path("referrals/new/score/", views.ReferralScoreView.as_view(), name="referral-score"),
    path("referrals/triage/", views.TriageView.as_view(), name="referral-triage"),
    path("referrals/<int:pk>/", views.ReferralDetailView.as_view(), name="referral-detail"),
    path("referrals/<int:pk>/submitted/", views.ReferralSubmittedView.as_view(), name="referral-submitted"),
    path("referrals/<int:pk>/accept/", views.ReferralAcceptView.as_view(), name="referral-accept"),
    path("referrals/<int:pk>/link/", views.ReferralLinkView.as_view(), name="referral-link"),
    path("referrals/<int:pk>/decline/", views.ReferralDeclineView.as_view(), name="referral-decline"),
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/edit/", views.CaseEditView.as_view(), name="case-edit"),
    path("cases/<int:pk>/participants/", views.ParticipantAddView.as_view(), name="case-participant-add"),
    path("cases/<int:pk>/participants/<int:agency_id>/remove/", views.ParticipantRemoveView.as_view(),
         name="case-participant-remove"),
    path("cases/<int:case_pk>/research/new/", views.ResearchAddView.as_view(), name="case-research-add"),
    path("cases/<int:case_pk>/incidents/new/", views.IncidentAddView.as_view(), name="case-incident-add"),
]
