"""Certificates in public: the verification page, `GET /api/v1/certificates/{code}`, and the PDF.

Verification needs no sign-in and tells, for a real certificate, only the holder's name, the
programme, the centre and the dates. An unknown code and a malformed one get exactly the same
answer (200, status "unknown"), and both doors share one rate limit per client address, so
codes cannot be enumerated. The PDF is for the learner (their own only) and the centre's staff
or the session's trainer; anyone else gets 404.
"""

from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit.core import is_ratelimited
from ninja import Router, Schema
from ninja.errors import Throttled

from texnopark.api.auth import read_auth
from texnopark.core.i18n import localized
from texnopark.training import certificates, services
from texnopark.training.models import Certificate

RATE_GROUP = "training.certificate_verify"
DEFAULT_RATE = "30/m"


def verify_rate(group=None, request=None) -> str:
    return getattr(settings, "CERTIFICATE_VERIFY_RATE", DEFAULT_RATE)


def rate_limited(request) -> bool:
    """Counts this request; True once the client's address has asked too often this minute."""
    return is_ratelimited(request, group=RATE_GROUP, key="ip", rate=verify_rate, increment=True)


def public_facts(code: str) -> dict:
    """The whole public answer for a code. Same keys whatever the status; empty for unknown."""
    status, certificate = services.certificate_status(code)
    facts = {"status": status, "code": None, "holder": None, "programme": None, "centre": None,
             "district": None, "starts_on": None, "ends_on": None, "issued_on": None, "valid_until": None,
             "revoked_on": None}
    if certificate is None:
        return facts
    session = certificate.enrolment.session
    centre = session.programme.centre
    facts.update(
        code=certificate.code,
        holder=certificate.enrolment.full_name,
        programme=localized(session.programme, "name"),
        centre=localized(centre, "name"),
        district=localized(centre.district, "name"),
        starts_on=session.starts_on,
        ends_on=session.ends_on,
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        revoked_on=timezone.localtime(certificate.revoked_at).date() if certificate.revoked_at else None,
    )
    return facts


# --- The page -------------------------------------------------------------------------------


def verify_page(request, code: str):
    if rate_limited(request):
        return render(request, "training/certificate_verify.html", {"limited": True}, status=429)
    facts = public_facts(code)
    return render(request, "training/certificate_verify.html", {"facts": facts, "status": facts["status"]})


@login_required
def certificate_pdf(request, code: str):
    certificate = (Certificate.objects.filter(code=code)
                   .select_related("enrolment__person", "enrolment__session__programme__centre__district")
                   .first())
    if certificate is None:
        raise Http404
    enrolment = certificate.enrolment
    if enrolment.person_id != request.user.pk and not request.user.has_perm("training.take_attendance",
                                                                            enrolment.session):
        raise Http404
    verify_url = request.build_absolute_uri(certificate.get_absolute_url())
    response = HttpResponse(certificates.render_pdf(certificate, verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificates.filename(certificate)}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- The API --------------------------------------------------------------------------------

router = Router(tags=["certificates"], auth=read_auth)


class CertificateStatusOut(Schema):
    status: str
    code: str | None
    holder: str | None
    programme: str | None
    centre: str | None
    district: str | None
    starts_on: date | None
    ends_on: date | None
    issued_on: date | None
    valid_until: date | None
    revoked_on: date | None


@router.get("/certificates/{code}", response=CertificateStatusOut, summary="Verify a certificate",
            description="valid, revoked, expired or unknown; no sign-in needed. Unknown and malformed codes "
                        "answer alike. Rate-limited per client address (429).")
def certificate_verify(request, code: str):
    if rate_limited(request):
        raise Throttled(wait=60)
    return public_facts(code)
