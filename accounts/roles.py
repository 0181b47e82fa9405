"""The three roles, as Django groups, so access is managed in the admin like any permission."""

from django.db import connection
from django.http import Http404

INTERVIEWERS = "Interviewers"
HIRING_MANAGERS = "Hiring managers"
BANK_EDITORS = "Bank editors"
ROLES = (INTERVIEWERS, HIRING_MANAGERS, BANK_EDITORS)


def has_role(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_role_names"):  # asked once per request, then kept on the user
        user._role_names = names_for(user.pk)
    return role in user._role_names


def require_role(request, *allowed: str) -> None:
    """404 for anyone outside the allowed roles: the page does not exist for them."""
    if not any(has_role(request.user, role) for role in allowed):
        raise Http404("No such page.")


def names_for(user_id: int) -> set[str]:
    """The names of the user's groups, in plain SQL: nearly every page asks, for its navigation."""
    from django.contrib.auth.models import Group, User

    group = connection.ops.quote_name(Group._meta.db_table)
    membership = connection.ops.quote_name(User.groups.through._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT g.name FROM {group} g JOIN {membership} m ON m.group_id = g.id"  # noqa: S608 (names from the models)
            " WHERE m.user_id = %s",
            [user_id],
        )
        return {name for (name,) in cursor.fetchall()}
