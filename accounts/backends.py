from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every sign-in made from a request.

    Calls without a request (Django's test client, management commands) have no client
    address to count and no web attacker behind them; they skip the lockout check rather
    than fail, and the password is still checked by ModelBackend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
