from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "chibo.initiatives"
    label = "initiatives"
    verbose_name = "Mô hình, thi đua, khen thưởng"

    def ready(self) -> None:
        from chibo.initiatives.models import Award, Exemplar
        from chibo.initiatives.services import PersonalRowMover
        from chibo.orgs.restructuring import register_mover

        # Rows about one person follow that person when their unit is split; on a merger
        # every org-owned row follows the org anyway (what the default does).
        for model in (Award, Exemplar):
            register_mover(model, PersonalRowMover(model))
