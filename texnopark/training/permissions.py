"""Centre staff run their centre's training; trainers take attendance in their sessions."""

import rules

from texnopark.accounts.scopes import scopes_of


def _centre_of(obj):
    for path in ("centre", "programme.centre", "session.programme.centre", "lesson.session.programme.centre"):
        value = obj
        for attr in path.split("."):
            value = getattr(value, attr, None)
        if value is not None:
            return value
    return obj


@rules.predicate
def runs_centre(user, obj):
    scopes = scopes_of(user)
    if scopes.superuser:
        return True
    if obj is None:
        return bool(scopes.centre_districts or scopes.admin_regions)
    centre = _centre_of(obj)
    return centre.district_id in scopes.centre_districts or centre.district.region_id in scopes.admin_regions


@rules.predicate
def teaches(user, obj):
    session = getattr(obj, "session", obj)
    # Without a trainer (None) nobody teaches it: an anonymous user's pk is None too.
    return obj is not None and user.pk is not None and getattr(session, "trainer_id", None) == user.pk


rules.add_perm("training.manage_centre", runs_centre)
rules.add_perm("training.take_attendance", runs_centre | teaches)
rules.add_perm("training.add_programme", runs_centre)
rules.add_perm("training.change_programme", runs_centre)
rules.add_perm("training.add_session", runs_centre)
rules.add_perm("training.change_session", runs_centre)
rules.add_perm("training.add_consultationslot", runs_centre)
rules.add_perm("training.change_consultationslot", runs_centre)
