from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals")

    def ready(self):
        from keys.rotation import register_rewrapper
        from referrals.rewrap import referral_passphrases_rewrap

        register_rewrapper(referral_passphrases_rewrap)
