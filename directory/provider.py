"""allauth finds an app's providers in its `provider` module."""

from directory.entra.provider import EntraProvider

provider_classes = [EntraProvider]
