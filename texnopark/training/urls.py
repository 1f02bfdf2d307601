from django.urls import path

from texnopark.training import verify
from texnopark.training.views import centre, public

app_name = "training"
urlpatterns = [
    # Anyone: the catalogue, programmes and sessions, consultation times
    path("", public.catalogue, name="catalogue"),
    path("programmes/<int:pk>/", public.programme_detail, name="programme"),
    path("sessions/<int:pk>/", public.session_detail, name="session"),
    path("consultations/", centre.consultations, name="consultations"),
    # A signed-in learner
    path("sessions/<int:pk>/enrol/", public.enrol, name="enrol"),
    path("mine/", public.mine, name="mine"),
    path("enrolments/<int:pk>/cancel/", public.enrolment_cancel, name="cancel"),
    path("enrolments/<int:pk>/confirm/", public.offer_confirm, name="confirm"),
    path("enrolments/<int:pk>/business/", public.business_report, name="business"),
    path("checkin/<int:pk>/", public.checkin, name="checkin"),
    path("consultations/<int:pk>/book/", centre.consultation_book, name="consultation_book"),
    path("consultations/<int:pk>/cancel/", centre.consultation_cancel, name="consultation_cancel"),
    # Centre staff (their centre) and trainers (their sessions)
    path("staff/", centre.staff, name="staff"),
    path("sessions/<int:pk>/roster/", centre.roster, name="roster"),
    path("sessions/<int:pk>/walk-in/", centre.walk_in, name="walk_in"),
    path("sessions/<int:pk>/certificates/", centre.certificate_issue_all, name="certificate_issue_all"),
    path("lessons/<int:pk>/attendance/", centre.attendance, name="attendance"),
    path("lessons/<int:pk>/code/", public.lesson_code, name="lesson_code"),
    path("enrolments/<int:pk>/project/", centre.project_accept, name="project_accept"),
    path("enrolments/<int:pk>/certificate/", centre.certificate_issue, name="certificate_issue"),
    path("certificates/<int:pk>/revoke/", centre.certificate_revoke, name="certificate_revoke"),
    path("consultations/staff/", centre.consultations_staff, name="consultations_staff"),
    path("consultations/new/", centre.consultation_new, name="consultation_new"),
    path("consultations/<int:pk>/outcome/", centre.consultation_outcome, name="consultation_outcome"),
    # Centre staff: their district; region administrators: the region
    path("reach/", centre.reach, name="reach"),
    path("reach.xlsx", centre.reach_xlsx, name="reach_xlsx"),
    # certificates: verify and pdf routes
    path("verify/<str:code>/", verify.verify_page, name="verify"),
    path("certificates/<str:code>/pdf/", verify.certificate_pdf, name="certificate_pdf"),
]
