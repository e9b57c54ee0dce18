from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "chibo.people"
    label = "people"
    verbose_name = "Người"

    def ready(self) -> None:
        from chibo.core.scoping import register_scope_resolver
        from chibo.orgs.restructuring import register_mover
        from chibo.people.access import scope_for_user
        from chibo.people.admissions import AdmissionMover
        from chibo.people.models import Admission, Membership, Position, Transfer
        from chibo.people.services import MembershipMover, PositionMover
        from chibo.people.transfers import TransferMover

        register_scope_resolver(scope_for_user)
        register_mover(Membership, MembershipMover())
        register_mover(Position, PositionMover())
        register_mover(Admission, AdmissionMover())
        register_mover(Transfer, TransferMover())
