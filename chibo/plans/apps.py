from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "chibo.plans"
    label = "plans"
    verbose_name = "Học tập và làm theo"

    def ready(self) -> None:
        from chibo.orgs.following import register_person_following
        from chibo.plans.models import Commitment, DocumentRead, QuizAttempt

        # A member's commitment, quiz answers and read confirmations go where the member goes.
        register_person_following(Commitment, DocumentRead, QuizAttempt)
