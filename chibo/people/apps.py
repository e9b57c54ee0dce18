from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "chibo.people"
    label = "people"
    verbose_name = "Người"

    def ready(self) -> None:
        from chibo.core.scoping import register_scope_resolver
        from chibo.orgs.restructuring import register_mover
        from chibo.people.access import scope_for_user
        from chibo.people.models import Membership, Position
        from chibo.people.services import MembershipMover, PositionMover

        register_scope_resolver(scope_for_user)
        register_mover(Membership, MembershipMover())
        register_mover(Position, PositionMover())
