"""The three roles, as Django groups, so access is managed in the admin like any permission."""

INTERVIEWERS = "Interviewers"
HIRING_MANAGERS = "Hiring managers"
BANK_EDITORS = "Bank editors"
ROLES = (INTERVIEWERS, HIRING_MANAGERS, BANK_EDITORS)


def has_role(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
    return role in user._role_names
