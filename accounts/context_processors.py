from django.utils.functional import SimpleLazyObject

from accounts import roles


def user_roles(request):
    """The current user's roles for the navigation; looked up only if a template asks."""
    user = request.user
    return {
        "is_manager": SimpleLazyObject(lambda: roles.has_role(user, roles.HIRING_MANAGERS)),
        "is_interviewer": SimpleLazyObject(lambda: roles.has_role(user, roles.INTERVIEWERS)),
        "is_editor": SimpleLazyObject(lambda: roles.has_role(user, roles.BANK_EDITORS)),
    }
