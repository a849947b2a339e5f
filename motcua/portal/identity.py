"""Where applicants prove who they are: the identity-provider interface and its registry.

Today one provider works: `password` (e-mail or phone plus password, self-declared details,
assurance level 1). The national electronic identity (VNeID, định danh điện tử) will plug in
here as another provider, without touching the views:

1. Write a class with the `IdentityProvider` shape:

   - `name` (short code stored in `ApplicantProfile.verified_via`, e.g. `vneid`) and
     `label` (the text of its sign-in button);
   - `authorization_url(request) -> str`: where the sign-in button sends the browser (the
     provider's authorisation endpoint, with state/nonce kept in the session). The provider
     must send the browser back to `reverse("portal:identity_return", args=[name])`;
   - `complete(request) -> VerifiedIdentity`: called on that return URL; checks the state,
     exchanges the code, verifies the token and returns the person's verified details —
     or raises `IdentityError` with a Vietnamese message.

2. List it in the environment: `MOTCUA_IDENTITY_PROVIDERS=password,vneid=package.module.Class`.

The portal then signs the person in through `applicant_for(identity)`: an identity is matched
to its account by (provider, subject) and the account is created at the first sign-in, with
the name and ID number taken from the identity system (motcua.portal.accounts.link_identity).
No VNeID client ships with motcua: its endpoints, keys and attribute names are issued to a
province by the Ministry of Public Security and are not public.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.portal.accounts import link_identity
from motcua.portal.models import ApplicantProfile

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from motcua.people.models import User

PASSWORD = "password"  # noqa: S105 — the name of the password provider, not a secret


@dataclass(frozen=True)
class VerifiedIdentity:
    """What an identity provider vouches for about the person signing in."""

    provider: str  # the provider's `name`
    subject: str  # the provider's stable identifier of the person
    full_name: str
    id_number: str = ""  # số định danh cá nhân (CCCD), when the provider gives it
    phone: str = ""
    email: str = ""
    level: int = 1  # assurance level: 1 self-declared; 2 verified against the population DB


class IdentityError(Exception):
    """The sign-in failed; `message` is shown to the person as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@runtime_checkable
class IdentityProvider(Protocol):
    """A way to sign applicants in (see the module docstring)."""

    name: str
    label: StrOrPromise

    def authorization_url(self, request: HttpRequest) -> str:
        """Where the sign-in button sends the browser."""
        ...

    def complete(self, request: HttpRequest) -> VerifiedIdentity:
        """The verified identity from the request that came back; IdentityError otherwise."""
        ...


class PasswordProvider:
    """E-mail or phone number plus password of a registered applicant account."""

    name: str = PASSWORD
    label: StrOrPromise = _("Thư điện tử hoặc số điện thoại và mật khẩu")

    def authorization_url(self, request: HttpRequest) -> str:
        """The portal's own sign-in form."""
        return reverse("portal:login")

    def complete(self, request: HttpRequest) -> VerifiedIdentity:
        """Check the posted identifier and password (ApplicantBackend or the user name)."""
        identifier = (request.POST.get("identifier") or "").strip()
        password = request.POST.get("password") or ""
        user = authenticate(request, username=identifier, password=password)
        wrong = gettext("Thư điện tử, số điện thoại hoặc mật khẩu không đúng.")
        if user is None:
            raise IdentityError(wrong)
        profile = ApplicantProfile.objects.filter(user=user).first()
        if profile is None:
            # An officer's account: the portal is for applicants only.
            raise IdentityError(
                gettext(
                    "Tài khoản này là tài khoản cán bộ, công chức; hãy đăng nhập tại trang "
                    "dành cho cán bộ."
                )
            )
        return VerifiedIdentity(
            provider=PASSWORD,
            subject=str(user.pk),
            full_name=getattr(user, "full_name", "") or user.get_username(),
            id_number=profile.id_number,
            phone=profile.phone,
            email=profile.email,
            level=profile.assurance_level,
        )


BUILTIN_PROVIDERS: dict[str, str] = {PASSWORD: "motcua.portal.identity.PasswordProvider"}


def parse_provider_setting(entries: list[str]) -> dict[str, str]:
    """`["password", "vneid=pkg.mod.Class"]` → {name: dotted path}; ImproperlyConfigured if bad."""
    result: dict[str, str] = {}
    for entry in entries:
        name, _sep, path = entry.partition("=")
        name, path = name.strip(), path.strip()
        path = path or BUILTIN_PROVIDERS.get(name, "")
        if not name or not path:
            raise ImproperlyConfigured(
                f"MOTCUA_IDENTITY_PROVIDERS: {entry!r} is neither a built-in provider "
                f"({', '.join(BUILTIN_PROVIDERS)}) nor name=dotted.path.Class"
            )
        result[name] = path
    return result


@functools.cache
def _load(name: str, path: str) -> IdentityProvider:
    provider = import_string(path)()
    if not isinstance(provider, IdentityProvider) or provider.name != name:
        raise ImproperlyConfigured(
            f"MOTCUA_IDENTITY_PROVIDERS: {path} is not an identity provider named {name!r}"
        )
    return provider


def providers() -> dict[str, IdentityProvider]:
    """The configured providers, in the order of the setting."""
    configured = parse_provider_setting(list(settings.MOTCUA_IDENTITY_PROVIDERS))
    return {name: _load(name, path) for name, path in configured.items()}


def get_provider(name: str) -> IdentityProvider | None:
    """The configured provider called `name`, or None."""
    return providers().get(name)


def password_enabled() -> bool:
    """Whether applicants may register and sign in with a password."""
    return PASSWORD in providers()


def external_providers() -> list[IdentityProvider]:
    """Providers other than the password, shown as sign-in buttons."""
    return [p for name, p in providers().items() if name != PASSWORD]


def applicant_for(identity: VerifiedIdentity) -> User:
    """The applicant account a verified identity signs in to (created at first sign-in)."""
    if identity.provider == PASSWORD:
        user: User = get_user_model().objects.get(pk=int(identity.subject))
        return user
    return link_identity(identity)
