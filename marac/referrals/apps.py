from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "marac.referrals"
    label = "referrals"
