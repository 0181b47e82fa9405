from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import roles

# Development only: `make run` calls this so a new user can log in at once.
DEMO_ACCOUNTS = [
    ("interviewer", "Ines", "Interviewer", roles.INTERVIEWERS, False),
    ("interviewer2", "Ivo", "Panelist", roles.INTERVIEWERS, False),
    ("manager", "Maya", "Manager", roles.HIRING_MANAGERS, False),
    ("editor", "Eddie", "Editor", roles.BANK_EDITORS, True),
]
DEMO_PASSWORD = "interview-desk-demo"  # noqa: S105


class Command(BaseCommand):
    help = "Create (or reset) one demo account per role and print their logins. Not for production."

    def handle(self, *args, **options):
        from django.conf import settings

        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development only (DEBUG is off).")
        with transaction.atomic():
            for username, first, last, role, staff in DEMO_ACCOUNTS:
                user, _ = User.objects.get_or_create(username=username)
                user.first_name, user.last_name, user.is_staff = first, last, staff
                user.email = f"{username}@example.com"
                user.set_password(DEMO_PASSWORD)
                user.save()
                user.groups.set([Group.objects.get(name=role)])
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for username, _, _, role, staff in DEMO_ACCOUNTS:
            where = "the app and /admin/" if staff else "the app"
            self.stdout.write(f"  {username:<13} {role:<16} {where}")
        self.stdout.write("Open http://127.0.0.1:8000/")
