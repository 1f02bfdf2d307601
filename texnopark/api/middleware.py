from django.http import JsonResponse
from django.utils.translation import gettext as _

from texnopark.api.errors import error_body

API_PREFIX = "/api/v1/"


class ApiErrorShapeMiddleware:
    """Unknown API addresses and unsupported methods answer in the API's error shape, not HTML."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code == 404:
            return JsonResponse(error_body("not_found", _("Not found.")), status=404)
        if response.status_code == 405:
            body = error_body("method_not_allowed", _("This method is not allowed here."))
            return JsonResponse(body, status=405, headers={"Allow": response.get("Allow", "")})
        return response
