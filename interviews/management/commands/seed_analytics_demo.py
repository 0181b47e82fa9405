import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from interviews import analytics, services, summary
from interviews.models import Candidate, Interview, PlannedQuestion, Recommendation, Status
from questionbank.models import Bank

PREFIX = analytics.SYNTHETIC_PREFIX
# Synthetic interviewers and how lenient each is, in points on the latent scale.
INTERVIEWERS = [
    ("synthetic-avery", "Avery (synthetic)", 0.5),
    ("synthetic-blake", "Blake (synthetic)", 0.2),
    ("synthetic-casey", "Casey (synthetic)", 0.0),
    ("synthetic-devon", "Devon (synthetic)", -0.3),
    ("synthetic-emery", "Emery (synthetic)", -0.6),
]
DEMO_INTERVIEWERS = [("interviewer", 0.1), ("interviewer2", -0.15)]  # from demo_accounts


class Command(BaseCommand):
    help = (
        "Development only: load a clearly labelled synthetic interview history (candidates named "
        f"'{PREFIX} N', interviewers marked '(synthetic)') so the analytics pages have something "
        "to show, then refresh the analytics. Running it again replaces the synthetic history "
        "with the same one; real data is never touched. Refused when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=80)
        parser.add_argument("--bank", default="day6-transformers-llms")
        parser.add_argument("--seed", type=int, default=14)

    def handle(self, *args, candidates, bank, seed, **options):
        if not settings.DEBUG:
            raise CommandError("Synthetic history is for development only (DEBUG is off).")
        if not 10 <= candidates <= 2000:
            raise CommandError("--candidates must be between 10 and 2000.")
        try:
            bank = Bank.objects.get(slug=bank)
        except Bank.DoesNotExist:
            raise CommandError(f"No bank {bank!r}: load it first (loaddata {bank}).") from None
        with transaction.atomic():
            removed = self.remove_previous()
            made = self.seed(bank, candidates, random.Random(seed))  # noqa: S311 (made-up data)
        snapshot = analytics.refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic history: {made} submitted interviews of {candidates} synthetic "
                f"candidates (replaced {removed}). Analytics refreshed over "
                f"{snapshot.scorecards} scorecards."
            )
        )

    def remove_previous(self) -> int:
        previous = Candidate.objects.filter(name__startswith=PREFIX)
        count = Interview.objects.filter(candidate__in=previous).count()
        previous.delete()
        return count

    def interviewers(self) -> list[tuple]:
        group = Group.objects.get(name=roles.INTERVIEWERS)
        User = get_user_model()
        people = []
        for username, name, leniency in INTERVIEWERS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.first_name = name
                user.set_unusable_password()
                user.save()
                user.groups.add(group)
            people.append((user, leniency))
        for username, leniency in DEMO_INTERVIEWERS:
            user = User.objects.filter(username=username).first()
            if user is not None:
                people.append((user, leniency))
        return people

    def seed(self, bank: Bank, count: int, rng: random.Random) -> int:
        people = self.interviewers()
        questions = list(
            bank.questions.select_related("bank", "section").prefetch_related(
                "criteria__rubric_level"
            )
        )
        pool = [(q, q.snapshot().as_dict(), rng.gauss(0, 0.5)) for q in questions]
        # Two questions with a story: one everybody aces, one whose answers leak over the year.
        easy, leaking = pool[0][0].pk, pool[1][0].pk
        rubric, rules = services.rubric_for(bank=bank), services.summary_rules()
        now, made = timezone.now(), 0
        for n in range(1, count + 1):
            candidate = Candidate.objects.create(name=f"{PREFIX} {n}")
            ability = rng.gauss(0, 0.8)
            target = rng.choice([2, 3, 3, 4])
            for user, leniency in rng.sample(people, 3):
                day = rng.randint(0, 360)
                when = now - timedelta(days=day, hours=rng.randint(0, 8))
                asked = rng.sample(pool, 6)
                if rng.random() < 0.5 and not any(q.pk == leaking for q, _, _ in asked):
                    asked[0] = pool[1]
                if rng.random() < 0.4 and not any(q.pk == easy for q, _, _ in asked):
                    asked[1] = pool[0]
                interview = Interview.objects.create(
                    candidate=candidate,
                    position="Machine Learning Engineer",
                    target_level=target,
                    bank=bank,
                    planned_minutes=45,
                    scheduled_for=when,
                    started_at=when,
                    ended_at=when + timedelta(minutes=48),
                    status=Status.SUBMITTED,
                    submitted_at=when + timedelta(hours=1),
                    submitted_by=user,
                    recommendation=rng.choice(Recommendation.values),
                    rationale="Synthetic scorecard for the analytics demo.",
                )
                interview.interviewers.set([user])
                items = []
                for position, (question, snapshot, difficulty) in enumerate(asked):
                    latent = 2.6 + ability - difficulty + leniency + rng.gauss(0, 0.6)
                    latent -= 0.4 * (question.level - target)
                    if question.pk == easy:
                        latent = 4.5
                    if question.pk == leaking:
                        latent += 1.8 * (360 - day) / 360 - 0.6
                    score = 0 if rng.random() < 0.05 else max(1, min(4, round(latent)))
                    minutes = question.minutes * rng.uniform(0.6, 1.6)
                    items.append(
                        PlannedQuestion(
                            interview=interview,
                            question=question,
                            position=position,
                            snapshot=snapshot,
                            score=score,
                            hint_given=rng.random() < 0.2,
                            seconds_spent=int(minutes * 60),
                            notes="Synthetic notes." if score in (1, 4) else "",
                        )
                    )
                PlannedQuestion.objects.bulk_create(items)
                frozen = summary.summarise(services.answers_for(items), rubric, target, rules)
                interview.summary = frozen.as_dict()
                interview.save(update_fields=["summary"])
                made += 1
        return made
