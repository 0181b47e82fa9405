import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from interviews.models import Candidate, Interview, PlannedQuestion, Status
from questionbank.models import Bank

BATCH = 2000


class Command(BaseCommand):
    help = (
        "Seed realistic volume for benchmarks: candidates, interviews across several interviewers, "
        "planned questions with scores and notes. Adds to what is there; never deletes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=10_000)
        parser.add_argument("--interviews", type=int, default=50_000)
        parser.add_argument("--questions", type=int, default=8, help="Per interview.")
        parser.add_argument("--interviewers", type=int, default=50)
        parser.add_argument("--bank", default="day6-transformers-llms")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, candidates, interviews, questions, interviewers, bank, seed, **opts):
        try:
            bank = Bank.objects.get(slug=bank)
        except Bank.DoesNotExist:
            raise CommandError(f"No bank {bank!r}: load it first (loaddata {bank}).") from None
        rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
        pool = [
            (q, q.snapshot().as_dict())
            for q in bank.questions.select_related("bank", "section").prefetch_related(
                "criteria__rubric_level"
            )
        ]
        with transaction.atomic():
            users = self.interviewers(interviewers)
            people = Candidate.objects.bulk_create(
                [Candidate(name=f"Volume Candidate {n:05}") for n in range(candidates)],
                batch_size=BATCH,
            )
            made = 0
            while made < interviews:
                size = min(BATCH, interviews - made)
                self.interview_batch(size, people, users, bank, pool, questions, rng)
                made += size
                self.stdout.write(f"  {made} interviews")
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {candidates} candidates and {interviews} interviews.")
        )

    def interviewers(self, count: int) -> list:
        group = Group.objects.get(name=roles.INTERVIEWERS)
        User = get_user_model()
        users = []
        for n in range(count):
            user, created = User.objects.get_or_create(username=f"volume-interviewer-{n:03}")
            if created:
                user.set_unusable_password()
                user.save()
                user.groups.add(group)
            users.append(user)
        return users

    def interview_batch(self, size, people, users, bank, pool, questions, rng) -> None:
        now = timezone.now()
        statuses = [Status.SUBMITTED] * 6 + [Status.COMPLETED] * 2 + [Status.UPCOMING]
        batch = []
        for _ in range(size):
            when = now - timedelta(days=rng.randint(0, 720), minutes=rng.randint(0, 1440))
            status = rng.choice(statuses)
            batch.append(
                Interview(
                    candidate=rng.choice(people),
                    position="Machine Learning Engineer",
                    target_level=rng.randint(1, 4),
                    bank=bank,
                    planned_minutes=45,
                    scheduled_for=when,
                    status=status,
                    started_at=None if status == Status.UPCOMING else when,
                    ended_at=None if status == Status.UPCOMING else when + timedelta(minutes=50),
                )
            )
        created = Interview.objects.bulk_create(batch)
        Through = Interview.interviewers.through
        Through.objects.bulk_create(
            [Through(interview_id=i.pk, user_id=rng.choice(users).pk) for i in created],
            batch_size=BATCH,
        )
        items = []
        for interview in created:
            scored = interview.status != Status.UPCOMING
            for position, (question, snapshot) in enumerate(rng.sample(pool, questions)):
                items.append(
                    PlannedQuestion(
                        interview=interview,
                        question=question,
                        position=position,
                        snapshot=snapshot,
                        score=rng.choice([0, 1, 2, 2, 3, 3, 3, 4]) if scored else None,
                        notes="Covered the main points; follow-up on trade-offs." if scored else "",
                    )
                )
        PlannedQuestion.objects.bulk_create(items, batch_size=BATCH)
