"""The personas, and the helpers that build a row of expected answers, for the permission table
(`test_permissions.py`). Other apps add their rows in their own `tests/permission_rows*.py`."""

PERSONAS = [
    "anonymous", "platform", "region_admin", "it_manager", "it_staff", "chortoq_manager", "kosonsoy_manager",
    "chust_centre", "expert", "resident", "researcher", "lab", "partner", "citizen",
]
BACK_OFFICE = {"platform", "region_admin", "it_manager", "it_staff", "chortoq_manager", "kosonsoy_manager",
               "chust_centre"}
REGION = {"platform", "region_admin"}
IT_RUNS = {*REGION, "it_manager", "it_staff"}
PARK_RUNNERS = {*IT_RUNS, "chortoq_manager", "kosonsoy_manager"}
CENTRE = {*REGION, "chust_centre"}

# Expected answers that are redirects: where they lead.
LOGIN = "302 to the sign-in page"
BO_LOGIN = "302 to the back-office sign-in page"
BO_INDEX = "302 to the back-office index (the admin's 'does not exist')"
PROFILE = "302 to the profile"


def everyone(code=200):
    return dict.fromkeys(PERSONAS, code)


def private(*allowed, code=200, others=404):
    """A page for signed-in people: anonymous is sent to sign in, `allowed` get `code`, the rest `others`."""
    return {p: LOGIN if p == "anonymous" else code if p in allowed or allowed == ("*",) else others
            for p in PERSONAS}


def back_office(*allowed):
    """A back-office page: only people with a back-office role get in; `allowed` may use it, the rest get 403."""
    return {p: 200 if p in allowed else 403 if p in BACK_OFFICE else BO_LOGIN for p in PERSONAS}
