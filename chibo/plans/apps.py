from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "chibo.plans"
    label = "plans"
    verbose_name = "Học tập và làm theo"

    def ready(self) -> None:
        from chibo.orgs.restructuring import register_mover
        from chibo.plans.models import Commitment, DocumentRead, QuizAttempt
        from chibo.plans.services import PersonalRowMover

        for model in (Commitment, DocumentRead, QuizAttempt):
            register_mover(model, PersonalRowMover(model))
