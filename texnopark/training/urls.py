from django.urls import path

from texnopark.training import verify, views

app_name = "training"
urlpatterns = [
    # Anyone: the catalogue, programmes and sessions, consultation times
    path("", views.catalogue, name="catalogue"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("consultations/", views.consultations, name="consultations"),
    # A signed-in learner
    path("sessions/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("mine/", views.mine, name="mine"),
    path("enrolments/<int:pk>/cancel/", views.enrolment_cancel, name="cancel"),
    path("enrolments/<int:pk>/confirm/", views.offer_confirm, name="confirm"),
    path("enrolments/<int:pk>/business/", views.business_report, name="business"),
    path("checkin/<int:pk>/", views.checkin, name="checkin"),
    path("consultations/<int:pk>/book/", views.consultation_book, name="consultation_book"),
    path("consultations/<int:pk>/cancel/", views.consultation_cancel, name="consultation_cancel"),
    # Centre staff (their centre) and trainers (their sessions)
    path("staff/", views.staff, name="staff"),
    path("sessions/<int:pk>/roster/", views.roster, name="roster"),
    path("sessions/<int:pk>/walk-in/", views.walk_in, name="walk_in"),
    path("sessions/<int:pk>/certificates/", views.certificate_issue_all, name="certificate_issue_all"),
    path("lessons/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("lessons/<int:pk>/code/", views.lesson_code, name="lesson_code"),
    path("enrolments/<int:pk>/project/", views.project_accept, name="project_accept"),
    path("enrolments/<int:pk>/certificate/", views.certificate_issue, name="certificate_issue"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("consultations/staff/", views.consultations_staff, name="consultations_staff"),
    path("consultations/new/", views.consultation_new, name="consultation_new"),
    path("consultations/<int:pk>/outcome/", views.consultation_outcome, name="consultation_outcome"),
    # Centre staff: their district; region administrators: the region
    path("reach/", views.reach, name="reach"),
    path("reach.xlsx", views.reach_xlsx, name="reach_xlsx"),
    # certificates: verify and pdf routes
    path("verify/<str:code>/", verify.verify_page, name="verify"),
    path("certificates/<str:code>/pdf/", verify.certificate_pdf, name="certificate_pdf"),
]
