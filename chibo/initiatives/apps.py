from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "chibo.initiatives"
    label = "initiatives"
    verbose_name = "Mô hình, thi đua, khen thưởng"

    def ready(self) -> None:
        from chibo.initiatives.models import Award, Exemplar
        from chibo.orgs.following import register_person_following

        # Rows about one person follow that person when their unit is split; on a merger
        # every org-owned row follows the org anyway (what the default does).
        register_person_following(Award, Exemplar)
