"""Permission-table rows for expert review and the commission.

A call of the IT park under review: the demo expert chairs its commission and reviews the demo citizen's
application. The IT park's staff (and the region, and the platform) run it; everyone else gets 404.
POST routes are posted empty (nothing to decide, no application named) or, for closing, at a meeting
that has not opened, so that no case changes anything the next one sees.
"""

from datetime import timedelta

from django.utils import timezone

from texnopark.accounts.models import User
from texnopark.intake.models import Application, Assignment, Call, CommissionMember, Criterion, Meeting
from texnopark.network.models import Technopark
from texnopark.network.tests.permission_table import IT_RUNS, private

ROWS = [
    ("my reviews", "get", "intake:reviews_mine", lambda o: [], private("*")),
    ("an expert's review", "get", "intake:assignment", lambda o: [o["assignment"]], private("expert")),
    ("declaring a conflict (posted empty)", "post", "intake:assignment_declare", lambda o: [o["assignment"]],
     private("expert")),
    ("taking an application back from an expert", "post", "intake:unassign", lambda o: [o["assignment"]],
     private(*IT_RUNS, code=302)),
    ("assigning experts", "get", "intake:assign", lambda o: [o["review_call"]], private(*IT_RUNS)),
    ("the ranking", "get", "intake:ranking", lambda o: [o["review_call"]], private(*IT_RUNS)),
    ("the ranking export", "get", "intake:ranking_xlsx", lambda o: [o["review_call"]], private(*IT_RUNS)),
    ("commission meetings", "get", "intake:meetings", lambda o: [o["review_call"]], private(*IT_RUNS, "expert")),
    ("a commission meeting", "get", "intake:meeting", lambda o: [o["open_meeting"]], private(*IT_RUNS, "expert")),
    ("recording attendance", "post", "intake:meeting_attendance", lambda o: [o["open_meeting"]],
     private(*IT_RUNS, code=302)),
    ("a vote (no application named)", "post", "intake:meeting_vote", lambda o: [o["open_meeting"]],
     private(*IT_RUNS, "expert", code=302)),
    ("a decision (no application named)", "post", "intake:meeting_decide", lambda o: [o["open_meeting"]],
     private(*IT_RUNS, code=302)),
    ("closing a meeting not yet open", "post", "intake:meeting_close", lambda o: [o["planned_meeting"]],
     private(*IT_RUNS, code=302)),
    ("the minutes PDF", "get", "intake:minutes_pdf", lambda o: [o["closed_meeting"]], private(*IT_RUNS, "expert")),
]


def objects(demo_user) -> dict:
    """Objects the rows' URLs need, created here (not taken from the demo data)."""
    park = Technopark.objects.get(slug="namangan-it")
    now = timezone.now()
    call = Call.objects.create(park=park, name="Jadval tanlovi", status=Call.Status.REVIEW,
                               opens_on=timezone.localdate() - timedelta(days=30), closes_at=now - timedelta(days=1))
    Criterion.objects.create(call=call, name="Jamoa", weight=100)
    expert = demo_user("expert")
    CommissionMember.objects.create(call=call, user=expert, is_chair=True)
    for n in range(2):
        outsider = User.objects.create(email=f"jadval.member{n}@example.uz", full_name=f"Jadval aʼzosi {n}")
        CommissionMember.objects.create(call=call, user=outsider)
    application = Application.objects.create(call=call, applicant=demo_user("citizen"), company_name="Jadval MChJ",
                                             stir="998877661", oked="62010", status=Application.Status.SUBMITTED,
                                             submitted_at=now - timedelta(days=1))
    assignment = Assignment.objects.create(application=application, expert=expert)
    meetings = {status: Meeting.objects.create(call=call, held_at=now, place="Zal", language="uz", status=status)
                for status in Meeting.Status.values}
    Meeting.objects.filter(pk=meetings[Meeting.Status.CLOSED].pk).update(number="IT/2026/99", closed_at=now)
    return {"review_call": call.pk, "assignment": assignment.pk, "planned_meeting": meetings["planned"].pk,
            "open_meeting": meetings["open"].pk, "closed_meeting": meetings["closed"].pk}
