from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiKey, Scope
from interviews import roles


class Command(BaseCommand):
    help = (
        "Make an API key acting as a hiring manager and print its token (shown once; only its "
        "hash is kept). The same as the API keys page, for scripts and first set-up."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="A hiring manager's user name.")
        parser.add_argument("--name", required=True, help="What will use the key.")
        parser.add_argument("--scope", choices=Scope.values, default=Scope.READ)

    def handle(self, *args, user, name, scope, **options):
        manager = get_user_model().objects.filter(username=user, is_active=True).first()
        if manager is None or not roles.has_role(manager, roles.HIRING_MANAGERS):
            raise CommandError(f"{user!r} is not an active hiring manager.")
        if not name.strip() or len(name) > 100:
            raise CommandError("--name must be 1 to 100 characters.")
        _, token = ApiKey.issue(user=manager, name=name.strip(), scope=scope)
        self.stdout.write(token)
