from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "marac.agencies"
    label = "agencies"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_save

        from marac.notifications.sweep import register_sweep_step

        from .services import delete_expired_tokens

        register_sweep_step("delete_expired_tokens", delete_expired_tokens)
        # auth.User is not ours to override save() on: its "never both a member and a
        # superuser" check hangs here (PostgreSQL also has a trigger, models.Account).
        pre_save.connect(_check_superuser_is_not_member, sender=get_user_model(),
                         dispatch_uid="agencies.superuser_not_member")


def _check_superuser_is_not_member(sender, instance, raw=False, **kwargs):
    from .services import check_may_be_superuser

    if not raw:
        check_may_be_superuser(instance)
