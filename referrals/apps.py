from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals")

    def ready(self):
        from cases.sections import case_section_register
        from keys.rotation import register_rewrapper
        from referrals.rewrap import referral_passphrases_rewrap
        from referrals.selectors import case_section

        register_rewrapper(referral_passphrases_rewrap)
        case_section_register("referrals", case_section)
