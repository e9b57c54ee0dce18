from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "chibo.evaluation"
    label = "evaluation"
    verbose_name = "Đánh giá, xếp loại"

    def ready(self) -> None:
        from chibo.evaluation.models import MemberEvaluation, Round, UnitEvaluation
        from chibo.orgs.following import register_person_following
        from chibo.orgs.restructuring import register_history

        # A round and a unit's grade are that org's record of the year and stay with it
        # (one per org and year: moving them onto another org could not even be stored);
        # a member's evaluation follows the member to the unit that now holds them.
        register_history(Round, UnitEvaluation)
        register_person_following(MemberEvaluation)
