from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("cases/<str:reference>/assessment/", views.assessment, name="assessment"),
    path("cases/<str:reference>/assessment/links/<uuid:link_id>/remove/", views.assessment_link_remove, name="assessment_link_remove"),
    path("cases/<str:reference>/assessment/<str:code>/", views.assessment_item, name="assessment_item"),
    path("cases/<str:reference>/review-request/", views.review_request, name="review_request"),
    path("cases/<str:reference>/referrals/", views.referral_list, name="list"),
    path("cases/<str:reference>/referrals/new/", views.referral_create, name="create"),
    path("referrals/<uuid:referral_id>/", views.referral_detail, name="detail"),
    path("referrals/<uuid:referral_id>/build/", views.referral_build, name="build"),
    path("referrals/<uuid:referral_id>/progress/", views.referral_progress, name="progress"),
    path("referrals/<uuid:referral_id>/progress.json", views.referral_progress_json, name="progress_json"),
    path("referrals/<uuid:referral_id>/passphrase/", views.referral_passphrase, name="passphrase"),
    path("referrals/<uuid:referral_id>/download/", views.referral_download, name="download"),
    path("referrals/<uuid:referral_id>/<str:to>/", views.referral_transition, name="transition"),
]
