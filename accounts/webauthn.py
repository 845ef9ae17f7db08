"""django-otp-webauthn's endpoints under our two second-factor rules (accounts.gate).

Registering a key needs what any factor change needs, and never marks the session verified
(the library would, for a session not yet verified). Verifying with a key is the second step of
signing in, recorded like a code's. These URLs keep the library's namespace, which its template tags reverse.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as library

from accounts import factors, gate, otp


class FactorChangeRefused(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = _("Verify with your existing second factor and type your password again before you add a security key.")
    default_code = "factor_change_refused"


class _RegistrationRule:
    def check_can_register(self):
        if gate.factor_change_refusal(self.request) is not None:
            raise FactorChangeRefused()


class BeginRegistration(_RegistrationRule, library.BeginCredentialRegistrationView):
    pass


class CompleteRegistration(_RegistrationRule, library.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        was_verified = self.request.user.is_verified()
        response = super().post(*args, **kwargs)
        if not was_verified:  # the library signs the session in with the new key: undo that
            self.request.session.pop(DEVICE_ID_SESSION_KEY, None)
            self.request.user.otp_device = None
            gate.end_enrolment(self.request.session)
        return response


class CompleteAuthentication(library.CompleteCredentialAuthenticationView):
    def post(self, *args, **kwargs):
        try:
            return super().post(*args, **kwargs)
        except exceptions.OTPWebAuthnApiError:
            if self.request.user.is_authenticated:  # a failed key answer is audited like a wrong code
                factors.second_step_failed(user=self.request.user, method="webauthn")
            raise

    def complete_auth(self, device):
        super().complete_auth(device)
        user = self.request.user
        factors.second_step_passed(user=user, method="webauthn", signed_in=otp.second_factor_step(user) is None)


app_name = "otp_webauthn"

urlpatterns = [
    path("registration/begin/", BeginRegistration.as_view(), name="credential-registration-begin"),
    path("registration/complete/", CompleteRegistration.as_view(), name="credential-registration-complete"),
    path("authentication/begin/", library.BeginCredentialAuthenticationView.as_view(), name="credential-authentication-begin"),
    path("authentication/complete/", CompleteAuthentication.as_view(), name="credential-authentication-complete"),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]
