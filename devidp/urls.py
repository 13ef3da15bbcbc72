"""The provider's endpoints, under the namespace django-oauth-toolkit's
discovery document expects. Only the OpenID Connect ones are offered."""

from django.urls import path, re_path
from oauth2_provider import views as dot

from devidp.views import DiscoveryView, PersonaAuthorizationView

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", PersonaAuthorizationView.as_view(), name="authorize"),
    path("token/", dot.TokenView.as_view(), name="token"),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        DiscoveryView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", dot.JwksInfoView.as_view(), name="jwks-info"),
    path("userinfo/", dot.UserInfoView.as_view(), name="user-info"),
    path("logout/", dot.RPInitiatedLogoutView.as_view(), name="rp-initiated-logout"),
]
