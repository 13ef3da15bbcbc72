"""Staff sign-in with OpenID Connect to Microsoft Entra ID: allauth's OpenID
Connect provider under a provider id of its own ("entra"), apart from the
citizens' e-legitimation provider."""
