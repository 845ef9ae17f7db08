from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person who signs in to Dalil. Roles are the groups caseworker, legal and admin."""

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
